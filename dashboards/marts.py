"""Read the segmentation marts from the warehouse into DataFrames; nothing is computed here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

SCHEMA = "main"
MART_TABLES = (
    "customer_segments",
    "segment_profiles",
    "segment_centroids",
    "segment_model_selection",
    "segment_recommendations",
    "customer_rejections",
)
# Charts of single customers draw at most this many, so the page stays small and fast.
MAX_CUSTOMERS_DRAWN = 5000
# The page lists the first rejected rows only; the count covers all of them.
MAX_REJECTIONS_LISTED = 20
FEATURES = ("age", "annual_income", "spending_score")


class WarehouseNotReadyError(Exception):
    """The DuckDB file or one of the marts is missing: the pipeline has not been built."""


@dataclass(frozen=True)
class Marts:
    customers: pd.DataFrame  # a deterministic sample of customer_segments
    customer_count: int  # all rows of customer_segments, not only the sample
    profiles: pd.DataFrame
    centroids: pd.DataFrame
    model_selection: pd.DataFrame
    recommendations: pd.DataFrame
    rejection_count: int
    rejections: pd.DataFrame  # the first MAX_REJECTIONS_LISTED rows by source row number

    @property
    def is_sampled(self) -> bool:
        return len(self.customers) < self.customer_count

    @property
    def chosen_model(self) -> pd.Series:
        return self.model_selection.loc[self.model_selection["is_chosen"].fillna(False)].iloc[0]


def read_marts(db_path: Path, max_customers: int = MAX_CUSTOMERS_DRAWN) -> Marts:
    """Everything the dashboard draws, read once from a read-only connection."""
    if not db_path.is_file():
        raise WarehouseNotReadyError(
            f"No warehouse at {db_path}: run `dbt build` first (or pass --db PATH)."
        )
    with duckdb.connect(str(db_path), read_only=True) as con:
        _require_marts(con, db_path)
        return Marts(
            customers=_read_customer_sample(con, max_customers),
            customer_count=_count_rows(con, "customer_segments"),
            profiles=_read_table(con, "segment_profiles", order_by="segment_id"),
            centroids=_read_table(con, "segment_centroids", order_by="segment_id"),
            model_selection=_read_table(con, "segment_model_selection", order_by="k"),
            recommendations=_read_table(con, "segment_recommendations", order_by="segment_id"),
            rejection_count=_count_rows(con, "customer_rejections"),
            rejections=_read_table(
                con,
                "customer_rejections",
                order_by="source_row_number",
                limit=MAX_REJECTIONS_LISTED,
            ),
        )


def _require_marts(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
    found = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [SCHEMA]
        ).fetchall()
    }
    missing = [table for table in MART_TABLES if table not in found]
    if missing:
        raise WarehouseNotReadyError(
            f"{db_path} has no {', '.join(missing)} in schema {SCHEMA}: run `dbt build` first."
        )


def _read_table(
    con: duckdb.DuckDBPyConnection, table: str, order_by: str, limit: int | None = None
) -> pd.DataFrame:
    limit_clause = f" limit {int(limit)}" if limit is not None else ""
    return con.execute(f"select * from {SCHEMA}.{table} order by {order_by}{limit_clause}").df()


def _read_customer_sample(con: duckdb.DuckDBPyConnection, max_customers: int) -> pd.DataFrame:
    # Ordering by a hash of the id gives the same sample on every run, spread over the whole file.
    return con.execute(
        f"""
        select customer_id, segment_id, segment_name, gender, {", ".join(FEATURES)}
        from {SCHEMA}.customer_segments
        order by hash(customer_id), customer_id
        limit ?
        """,
        [max_customers],
    ).df()


def _count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"select count(*) from {SCHEMA}.{table}").fetchone()[0]
