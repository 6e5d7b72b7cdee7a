"""What a dbt Python model's dbt.ref() returns, as a pandas DataFrame, on any engine."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd


def to_pandas(relation) -> pd.DataFrame:
    """dbt.ref(...) as pandas: a DuckDB relation (.df()), a Spark or Databricks DataFrame
    (.toPandas()), a Snowpark or BigQuery DataFrames frame (.to_pandas()), or pandas itself.
    Decimal columns come back as floats, as DuckDB gives them (Spark gives Decimal objects)."""
    if isinstance(relation, pd.DataFrame):
        frame = relation
    else:
        method = next((m for m in ("df", "toPandas", "to_pandas") if hasattr(relation, m)), None)
        if method is None:
            raise TypeError(f"cannot turn {type(relation).__name__} into a pandas DataFrame")
        frame = getattr(relation, method)()
    for column in frame.columns:
        values = frame[column].dropna()
        if frame[column].dtype == object and len(values) and isinstance(values.iloc[0], Decimal):
            frame[column] = frame[column].astype("float64")
    return frame
