"""K-means for every k in k_min..k_max on the training customers, with the metrics to pick k."""

from segmentation.kmeans import SearchSettings, search_k
from segmentation.progress import log_progress_to_console
from segmentation.warehouse import stored_model_table


def model(dbt, session):
    dbt.config(materialized="table")
    log_progress_to_console()
    # dbt finds refs by reading this file: keep each dbt.ref(...) a plain call.
    settings = dbt.ref("int_segmentation_settings").df()
    features = dbt.ref("int_training_customers").df()
    if not settings["retrain"].iloc[0]:
        # Scoring only: the model and the evidence for it stay as they were.
        return stored_model_table(session, str(dbt.this))
    return search_k(features, SearchSettings.from_settings_row(settings.iloc[0]))
