"""The chosen k's centroids, one row per segment and dimension, with segment ids kept from the
previous training run."""

from model_io.frames import to_pandas
from model_io.progress import log_progress_to_console
from model_io.warehouse import latest_training_run, read_table_or_none, stored_model_table
from segmentation.feature_space import FeatureSpace
from segmentation.kmeans import fit_segments
from segmentation.segment_ids import (
    centroids_in_long_form,
    number_segments,
    previous_centers_in_current_z,
)


def model(dbt, session):
    dbt.config(materialized="table")
    log_progress_to_console()
    settings = to_pandas(dbt.ref("int_segmentation_settings")).iloc[0]
    selection = to_pandas(dbt.ref("int_kmeans_model_selection"))
    customers = to_pandas(dbt.ref("int_training_customers"))
    scaling = to_pandas(dbt.ref("int_feature_scaling"))
    levels = to_pandas(dbt.ref("int_category_levels"))
    if not settings["retrain"]:
        return stored_model_table(session, str(dbt.this))

    space = FeatureSpace.from_tables(customers, levels)
    features = ",".join(filter(None, [settings["features"], settings["categorical_features"]]))
    # The history is written after this model, so it holds the previous runs only.
    history = None
    if not settings["reset_segment_ids"]:
        history = read_table_or_none(session, dbt.config.get("history_relation"))
    previous = latest_training_run(history)
    previous_centers = previous_centers_in_current_z(previous, scaling, space, features)

    centroids = fit_segments(
        customers, selection, int(settings["random_state"]), space, warm_start=previous_centers
    )
    numbered = number_segments(
        centroids,
        space.dimension_names,
        previous_centers,
        previous_ids=[] if previous is None else previous["segment_id"].tolist(),
        highest_id_used=0 if history is None else int(history["segment_id"].max()),
        max_distance=float(settings["segment_match_max_distance"]),
    )
    return centroids_in_long_form(numbered, space, scaling)
