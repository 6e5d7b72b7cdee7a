"""Reading the model state a previous build left in the warehouse, through the session a dbt
Python model is given: a DuckDB connection or a SparkSession."""

from __future__ import annotations

import pandas as pd

from model_io.frames import to_pandas
from segmentation.kmeans import SegmentationError


def read_table_or_none(session, relation: str) -> pd.DataFrame | None:
    """The whole table, or None when it does not exist yet (the first build)."""
    if hasattr(session, "catalog"):  # Spark
        if not session.catalog.tableExists(relation):
            return None
        return to_pandas(session.table(relation))
    import duckdb

    try:
        return session.execute(f"select * from {relation}").df()
    except duckdb.CatalogException:
        return None


def no_new_rows(session, relation: str):
    """What an incremental model adds when nothing changed: none of its rows, its columns. On
    Spark a Spark DataFrame: Spark cannot infer the column types of a pandas frame of no rows."""
    if hasattr(session, "catalog"):  # Spark
        return session.table(relation).limit(0)
    return session.execute(f"select * from {relation} limit 0").df()


def require_trained_model(trainings: pd.DataFrame | None, relation: str, features: str) -> None:
    """Scoring only: stops the build unless a trained model of the features asked for now
    (`features`, comma-separated) is stored (`trainings`: int_kmeans_centroids' rows)."""
    latest = latest_training(trainings)
    if latest is None:
        raise SegmentationError(
            f"var 'retrain' is false, but the warehouse has no trained model ({relation} is "
            "missing). Run one build with retrain true (the default) first."
        )
    trained_on = latest["features"].iloc[0]
    if trained_on != features:
        raise SegmentationError(
            f"var 'retrain' is false, but the stored model was trained on features "
            f"{trained_on.replace(',', ', ')} and this run asks for {features.replace(',', ', ')}. "
            "Ask for the same features, or retrain (retrain true)."
        )


def latest_training(trainings: pd.DataFrame | None) -> pd.DataFrame | None:
    """One row per segment of the most recent training in int_kmeans_centroids' rows (which
    hold one row per segment and dimension per training), by segment id; None when none."""
    if trainings is None or "run_id" not in trainings:
        return None
    trainings = trainings[trainings["run_id"].notna()]  # rows of an older project version
    if trainings.empty:
        return None
    latest_run = trainings.loc[trainings["trained_at"].idxmax(), "run_id"]
    latest = trainings[trainings["run_id"] == latest_run]
    return latest.drop_duplicates("segment_id").sort_values("segment_id").reset_index(drop=True)
