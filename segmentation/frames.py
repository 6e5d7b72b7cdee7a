"""What a dbt Python model's dbt.ref() returns, as a pandas DataFrame, on any engine."""

from __future__ import annotations

import pandas as pd


def to_pandas(relation) -> pd.DataFrame:
    """dbt.ref(...) as pandas: a DuckDB relation (.df()), a Spark or Databricks DataFrame
    (.toPandas()), a Snowpark or BigQuery DataFrames frame (.to_pandas()), or pandas itself."""
    if isinstance(relation, pd.DataFrame):
        return relation
    for method in ("df", "toPandas", "to_pandas"):
        if hasattr(relation, method):
            return getattr(relation, method)()
    raise TypeError(f"cannot turn {type(relation).__name__} into a pandas DataFrame")
