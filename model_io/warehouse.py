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


def stored_model_table(session, relation: str) -> pd.DataFrame:
    """A table of the trained model, for scoring-only runs; a clear error when none exists."""
    stored = read_table_or_none(session, relation)
    if stored is None or stored.empty:
        raise SegmentationError(
            f"var 'retrain' is false, but the warehouse has no trained model ({relation} is "
            "missing). Run one build with retrain true (the default) first."
        )
    return stored


def latest_training_run(history: pd.DataFrame | None) -> pd.DataFrame | None:
    """The segments of the most recent run in segment_centroid_history, or None."""
    if history is None or history.empty:
        return None
    latest_run = history.loc[history["trained_at"].idxmax(), "run_id"]
    return history[history["run_id"] == latest_run]
