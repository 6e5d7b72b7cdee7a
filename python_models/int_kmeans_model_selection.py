"""K-means for every k in k_min..k_max on the training customers, with the metrics to pick k."""

from model_io.frames import to_pandas
from model_io.progress import log_progress_to_console
from model_io.warehouse import stored_model_table
from segmentation.feature_space import FeatureSpace
from segmentation.kmeans import SearchSettings, search_k


def model(dbt, session):
    dbt.config(materialized="table")
    log_progress_to_console()
    # dbt finds refs by reading this file: keep each dbt.ref(...) a plain call.
    settings = to_pandas(dbt.ref("int_segmentation_settings"))
    customers = to_pandas(dbt.ref("int_training_customers"))
    levels = to_pandas(dbt.ref("int_category_levels"))
    if not settings["retrain"].iloc[0]:
        # Scoring only: the model and the evidence for it stay as they were.
        return stored_model_table(session, str(dbt.this))
    space = FeatureSpace.from_tables(customers, levels)
    return search_k(customers, SearchSettings.from_settings_row(settings.iloc[0]), space)
