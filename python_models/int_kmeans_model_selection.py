"""K-means for every k in k_min..k_max on the training customers, with the metrics to pick k.
Part of the trained model: a training rebuilds it, scoring only keeps it (dbt_project.yml)."""

from model_io.frames import to_pandas
from model_io.progress import log_progress_to_console
from model_io.warehouse import no_new_rows
from segmentation.feature_space import FeatureSpace
from segmentation.kmeans import SearchSettings, search_k


def model(dbt, session):
    log_progress_to_console()
    # dbt finds refs by reading this file: keep each dbt.ref(...) a plain call.
    settings = to_pandas(dbt.ref("int_segmentation_settings"))
    customers = dbt.ref("int_training_customers")
    levels = dbt.ref("int_category_levels")
    if dbt.is_incremental:
        # Scoring only (var retrain false): the k search's evidence stays as it was.
        return no_new_rows(session, str(dbt.this))
    customers, levels = to_pandas(customers), to_pandas(levels)
    space = FeatureSpace.from_tables(customers, levels)
    return search_k(customers, SearchSettings.from_settings_row(settings.iloc[0]), space)
