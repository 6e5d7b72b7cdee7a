"""The chosen k's centroids in z units, with segment ids kept from the previous training run."""

from segmentation.kmeans import feature_columns, fit_segments
from segmentation.progress import log_progress_to_console
from segmentation.segment_ids import number_segments, previous_centers_in_current_z
from segmentation.warehouse import latest_training_run, read_table_or_none, stored_model_table


def model(dbt, session):
    dbt.config(materialized="table")
    log_progress_to_console()
    settings_frame = dbt.ref("int_segmentation_settings").df()
    selection = dbt.ref("int_kmeans_model_selection").df()
    training_customers = dbt.ref("int_training_customers").df()
    scaling = dbt.ref("int_feature_scaling").df()
    settings = settings_frame.iloc[0]
    if not settings["retrain"]:
        return stored_model_table(session, str(dbt.this))

    # The history is written after this model, so it holds the previous runs only.
    history = None
    if not settings["reset_segment_ids"]:
        history = read_table_or_none(session, dbt.config.get("history_relation"))
    previous = latest_training_run(history)
    features = [column.removeprefix("z_") for column in feature_columns(training_customers)]
    previous_centers = previous_centers_in_current_z(previous, scaling, features)

    chosen_k = int(selection.loc[selection["is_chosen"], "k"].iloc[0])
    centroids = fit_segments(
        training_customers, chosen_k, int(settings["random_state"]), warm_start=previous_centers
    )
    return number_segments(
        centroids,
        previous_centers,
        previous_ids=[] if previous is None else previous["segment_id"].tolist(),
        highest_id_used=0 if history is None else int(history["segment_id"].max()),
        max_distance=float(settings["segment_match_max_distance"]),
    )
