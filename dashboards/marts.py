"""Read the segmentation marts from the warehouse into DataFrames; nothing is computed here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

SCHEMA = "main"
FEATURES = ("age", "annual_income", "spending_score")
# The columns the dashboard reads, per mart: the part of the marts' contract it relies on.
REQUIRED_COLUMNS = {
    "customer_segments": ("customer_id", "segment_id", "segment_name", "gender", *FEATURES),
    "segment_profiles": (
        "segment_id",
        "segment_name",
        "customer_count",
        "customer_share",
        *(f"{stat}_{f}" for f in FEATURES for stat in ("avg", "median", "min", "max")),
        *(f"{f}_vs_population" for f in FEATURES),
        "female_share",
        "male_share",
        "other_share",
        "unknown_gender_share",
    ),
    "segment_centroids": ("segment_id", "segment_name", *FEATURES, *(f"z_{f}" for f in FEATURES)),
    "segment_model_selection": (
        "k",
        "inertia",
        "silhouette",
        "calinski_harabasz",
        "davies_bouldin",
        "stability",
        "is_elbow",
        "is_chosen",
        "choice_reason",
    ),
    "segment_recommendations": (
        "segment_id",
        "persona",
        "strategy",
        "channels",
        "example_actions",
        "priority",
    ),
    "customer_rejections": ("source_row_number", "raw_customer_id", "rejection_reason"),
}
# Charts of single customers draw at most this many, so the page stays small and fast.
MAX_CUSTOMERS_DRAWN = 5000
# The page lists the first rejected rows only; the count covers all of them.
MAX_REJECTIONS_LISTED = 20


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
    def chosen_model(self) -> pd.Series | None:
        """The segment_model_selection row of the chosen k (the contract says exactly one)."""
        chosen = self.model_selection[self.model_selection["is_chosen"].fillna(False).astype(bool)]
        return None if chosen.empty else chosen.iloc[0]


def read_marts(db_path: Path, max_customers: int = MAX_CUSTOMERS_DRAWN) -> Marts:
    """Everything the dashboard draws, read once from a read-only connection."""
    if not db_path.is_file():
        raise WarehouseNotReadyError(
            f"No warehouse at {db_path}: run `dbt build` first (or pass --db PATH)."
        )
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            _require_marts(con, db_path)
            return _read_all(con, max_customers)
    except duckdb.Error as error:
        # e.g. not a DuckDB file, or dbt holds the write lock mid-build.
        first_line = str(error).splitlines()[0]
        raise WarehouseNotReadyError(
            f"Cannot read {db_path} ({first_line}): run `dbt build` first."
        ) from error


def _read_all(con: duckdb.DuckDBPyConnection, max_customers: int) -> Marts:
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
    columns = _columns_by_table(con)
    missing_tables = [table for table in REQUIRED_COLUMNS if table not in columns]
    if missing_tables:
        raise WarehouseNotReadyError(
            f"{db_path} has no {', '.join(missing_tables)} in schema {SCHEMA}: "
            "run `dbt build` first."
        )
    missing_columns = [
        f"{table}.{column}"
        for table, required in REQUIRED_COLUMNS.items()
        for column in required
        if column not in columns[table]
    ]
    if missing_columns:
        raise WarehouseNotReadyError(
            f"{db_path} lacks {', '.join(missing_columns)}: it was built by another version of "
            "the pipeline; run `dbt build` first."
        )


def _columns_by_table(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    rows = con.execute(
        "select table_name, column_name from information_schema.columns where table_schema = ?",
        [SCHEMA],
    ).fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        columns.setdefault(table, set()).add(column)
    return columns


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


def segments_with_playbook(marts: Marts) -> pd.DataFrame:
    """One row per segment: its profile and its recommendation side by side, by segment id."""
    playbook = marts.recommendations.drop(
        columns=["segment_name", "customer_count", "customer_share"], errors="ignore"
    )
    return marts.profiles.merge(playbook, on="segment_id", how="left").sort_values("segment_id")
