"""The chosen k's centroids, one row per segment and dimension, appended by every training:
segment ids are kept from the previous training (this model's own earlier rows)."""

from model_io.frames import to_pandas
from model_io.progress import log_progress_to_console
from model_io.warehouse import (
    latest_training,
    no_new_rows,
    read_table_or_none,
    require_trained_model,
)
from segmentation.feature_space import FeatureSpace
from segmentation.kmeans import fit_segments
from segmentation.segment_ids import (
    centroids_in_long_form,
    number_segments,
    previous_centers_in_current_z,
)


def model(dbt, session):
    dbt.config(materialized="incremental", on_schema_change="append_new_columns")
    log_progress_to_console()
    settings = to_pandas(dbt.ref("int_segmentation_settings")).iloc[0]
    selection = dbt.ref("int_kmeans_model_selection")
    customers = dbt.ref("int_training_customers")
    scaling = dbt.ref("int_feature_scaling")
    levels = dbt.ref("int_category_levels")
    trainings = read_table_or_none(session, str(dbt.this)) if dbt.is_incremental else None
    features = ",".join(filter(None, [settings["features"], settings["categorical_features"]]))
    if not settings["retrain"]:
        require_trained_model(trainings, str(dbt.this), features)
        return no_new_rows(session, str(dbt.this))

    selection, customers = to_pandas(selection), to_pandas(customers)
    scaling, levels = to_pandas(scaling), to_pandas(levels)
    space = FeatureSpace.from_tables(customers, levels)
    previous = None if settings["reset_segment_ids"] else latest_training(trainings)
    previous_centers = previous_centers_in_current_z(previous, scaling, space, features)
    centroids = fit_segments(
        customers, selection, int(settings["random_state"]), space, warm_start=previous_centers
    )
    numbered = number_segments(
        centroids,
        space.dimension_names,
        previous_centers,
        previous_ids=[] if previous is None else previous["segment_id"].tolist(),
        highest_id_used=0 if trainings is None else int(trainings["segment_id"].max()),
        max_distance=float(settings["segment_match_max_distance"]),
    )
    return centroids_in_long_form(numbered, space, scaling).assign(
        run_id=settings["run_id"], trained_at=settings["run_started_at"], features=features
    )
