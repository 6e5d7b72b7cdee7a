"""Read the segmentation marts from the warehouse into DataFrames; nothing is computed here.

Whatever the features, the page is drawn from the long marts: segment_feature_profiles (one row
per segment and numeric attribute, with its label and unit), segment_category_profiles and
customer_feature_values (a customer's values, pivoted here to one column per attribute for the
customers drawn).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

SCHEMA = "main"
# customer_segments' fixed segment 'No purchase yet': customers of the customer file without a
# valid order, never clustered (no centroid, no z-scores).
NO_PURCHASE_SEGMENT_ID = 0
# The columns the dashboard reads, per mart: the part of the marts' contract it relies on.
REQUIRED_COLUMNS = {
    "customer_segments": ("customer_id", "segment_id", "segment_name", "gender"),
    "customer_feature_values": ("customer_id", "feature", "feature_value", "category"),
    "segment_profiles": ("segment_id", "segment_name", "customer_count", "customer_share"),
    "segment_feature_profiles": (
        "segment_id",
        "feature",
        "feature_label",
        "feature_unit",
        "feature_source",
        "feature_transform",
        "feature_position",
        "is_clustering_feature",
        "missing_count",
        "mean_value",
        "median_value",
        "population_mean",
        "min_value",
        "max_value",
        "difference_from_population",
        "centroid_value",
        "centroid_z",
        "as_of_date",
    ),
    "segment_category_profiles": (
        "segment_id",
        "feature",
        "feature_label",
        "is_clustering_feature",
        "category",
        "category_share",
        "population_share",
        "missing_count",
    ),
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
    "segment_migrations": (
        "from_segment_id",
        "from_segment_name",
        "to_segment_id",
        "to_segment_name",
        "customer_count",
        "from_segment_share",
        "from_segmented_at",
        "to_segmented_at",
        "compared_with",
    ),
}
# Charts of single customers draw at most this many, so the page stays small and fast.
MAX_CUSTOMERS_DRAWN = 5000
# The page lists the first rejected rows only; the count covers all of them.
MAX_REJECTIONS_LISTED = 20


class WarehouseNotReadyError(Exception):
    """The DuckDB file or one of the marts is missing: the pipeline has not been built."""


@dataclass(frozen=True)
class Feature:
    """A numeric attribute as the marts describe it."""

    name: str
    label: str
    unit: str
    is_clustering_feature: bool
    # clustered on ln(1 + value): skewed (order counts and amounts), drawn on a log axis
    is_log: bool = False

    @property
    def title(self) -> str:
        """'Annual income (k$)', 'Recency (days since the last order)'."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    @property
    def axis_title(self) -> str:
        """The title on a chart's axis: 'Monetary (EUR, log scale)' for a log feature."""
        if not self.is_log:
            return self.title
        unit = f"{self.unit}, " if self.unit else ""
        return f"{self.label} ({unit}log scale)"


@dataclass(frozen=True)
class Marts:
    customers: pd.DataFrame  # a deterministic sample of customers: one column per attribute
    customer_count: int  # all rows of customer_segments, not only the sample
    profiles: pd.DataFrame
    feature_profiles: pd.DataFrame
    category_profiles: pd.DataFrame
    model_selection: pd.DataFrame
    recommendations: pd.DataFrame
    rejection_count: int
    rejections: pd.DataFrame  # the first MAX_REJECTIONS_LISTED rows by source row number
    order_rejection_count: int | None  # None when no orders file was an input
    # one row per (from, to) segment pair since the previous build; from null: new since, to
    # null: gone since
    migrations: pd.DataFrame

    @property
    def is_sampled(self) -> bool:
        return len(self.customers) < self.customer_count

    @property
    def no_purchase_count(self) -> int:
        """Customers in the segment 'No purchase yet' (0 when there is none)."""
        rows = self.profiles[self.profiles["segment_id"] == NO_PURCHASE_SEGMENT_ID]
        return int(rows["customer_count"].sum())

    @property
    def chosen_model(self) -> pd.Series | None:
        """The segment_model_selection row of the chosen k (the contract says exactly one)."""
        chosen = self.model_selection[self.model_selection["is_chosen"].fillna(False).astype(bool)]
        return None if chosen.empty else chosen.iloc[0]

    @property
    def features(self) -> list[Feature]:
        """Every numeric attribute profiled, clustering features first, in their order."""
        first = self.feature_profiles.sort_values("feature_position").drop_duplicates("feature")
        return [
            Feature(
                name=row.feature,
                label=str(row.feature_label),
                unit="" if pd.isna(row.feature_unit) else str(row.feature_unit),
                is_clustering_feature=bool(row.is_clustering_feature),
                is_log=row.feature_transform == "log",
            )
            for row in first.itertuples()
        ]

    @property
    def clustering_features(self) -> list[Feature]:
        return [feature for feature in self.features if feature.is_clustering_feature]

    @property
    def category_attributes(self) -> list[tuple[str, str]]:
        """(attribute, label) of each categorical attribute worth showing: the categorical
        features, and gender when the file says something about it (not all Unknown)."""
        attributes = []
        for name, rows in self.category_profiles.groupby("feature", sort=True):
            if name == "gender" and set(rows["category"]) <= {"Unknown"}:
                continue
            attributes.append((str(name), str(rows["feature_label"].iloc[0])))
        return attributes

    @property
    def clustering_category_names(self) -> set[str]:
        """The categorical attributes K-means clustered on (the others are only profiled)."""
        rows = self.category_profiles
        return set(rows.loc[rows["is_clustering_feature"].fillna(False).astype(bool), "feature"])

    @property
    def is_first_build(self) -> bool:
        """No build to compare with: every customer is new (segment_migrations says so)."""
        return bool(self.migrations["from_segmented_at"].isna().all())

    @property
    def as_of_date(self) -> object:
        """The day the order features are measured at, when orders were an input."""
        dates = self.feature_profiles["as_of_date"].dropna()
        return None if dates.empty else dates.iloc[0]


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
    feature_profiles = _read_table(con, "segment_feature_profiles", "segment_id, feature_position")
    uses_orders = (feature_profiles["feature_source"] == "orders file").any()
    return Marts(
        customers=_read_customer_sample(con, max_customers),
        customer_count=_count_rows(con, "customer_segments"),
        profiles=_read_table(con, "segment_profiles", order_by="segment_id"),
        feature_profiles=feature_profiles,
        category_profiles=_read_table(
            con, "segment_category_profiles", order_by="segment_id, feature, category"
        ),
        model_selection=_read_table(con, "segment_model_selection", order_by="k"),
        recommendations=_read_table(con, "segment_recommendations", order_by="segment_id"),
        rejection_count=_count_rows(con, "customer_rejections"),
        rejections=_read_table(
            con,
            "customer_rejections",
            order_by="source_row_number",
            limit=MAX_REJECTIONS_LISTED,
        ),
        # orders_rejections exists only in builds with an orders file
        order_rejection_count=_count_rows(con, "order_rejections") if uses_orders else None,
        migrations=_read_table(
            con, "segment_migrations", order_by="from_segment_id nulls last, to_segment_id"
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
    """The customers drawn, with one column per numeric attribute and per categorical one."""
    # Ordering by a hash of the id gives the same sample on every run, spread over the whole file.
    customers = con.execute(
        f"""
        select customer_id, segment_id, segment_name
        from {SCHEMA}.customer_segments
        order by hash(customer_id), customer_id
        limit ?
        """,
        [max_customers],
    ).df()
    values = con.execute(
        f"""
        select customer_id, feature, feature_value, category
        from {SCHEMA}.customer_feature_values
        where customer_id in (
            select customer_id from {SCHEMA}.customer_segments
            order by hash(customer_id), customer_id
            limit ?
        )
        """,
        [max_customers],
    ).df()
    numbers = values[values["category"].isna()].pivot(
        index="customer_id", columns="feature", values="feature_value"
    )
    categories = values[values["category"].notna()].pivot(
        index="customer_id", columns="feature", values="category"
    )
    wide = customers.set_index("customer_id").join(numbers).join(categories)
    return wide.reset_index()


def _count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"select count(*) from {SCHEMA}.{table}").fetchone()[0]


def segments_with_playbook(marts: Marts) -> pd.DataFrame:
    """One row per segment: its profile and its recommendation side by side, by segment id."""
    playbook = marts.recommendations.drop(
        columns=["segment_name", "customer_count", "customer_share"], errors="ignore"
    )
    return marts.profiles.merge(playbook, on="segment_id", how="left").sort_values("segment_id")


def largest_moves(marts: Marts, top: int = 3) -> pd.DataFrame:
    """The pairs of two different segments with the most customers moving, largest first."""
    rows = marts.migrations.dropna(subset=["from_segment_id", "to_segment_id"])
    moves = rows[rows["from_segment_id"] != rows["to_segment_id"]]
    return moves.sort_values(
        ["customer_count", "from_segment_id", "to_segment_id"], ascending=[False, True, True]
    ).head(top)


def movement_counts(marts: Marts) -> dict[str, int]:
    """Customers who moved between two segments, who are new and who are gone since."""
    rows = marts.migrations
    new = rows["from_segment_id"].isna()
    gone = rows["to_segment_id"].isna()
    moved = ~new & ~gone & (rows["from_segment_id"] != rows["to_segment_id"])
    return {
        "moved": int(rows.loc[moved, "customer_count"].sum()),
        "new": int(rows.loc[new, "customer_count"].sum()),
        "gone": int(rows.loc[gone, "customer_count"].sum()),
    }


def feature_rows(marts: Marts, segment_id: int) -> pd.DataFrame:
    """The segment's rows of segment_feature_profiles, clustering features first."""
    rows = marts.feature_profiles[marts.feature_profiles["segment_id"] == segment_id]
    return rows.sort_values("feature_position")


def profiled_rows(marts: Marts, segment_id: int) -> pd.DataFrame:
    """The segment's rows of segment_feature_profiles for the attributes not clustered on."""
    rows = feature_rows(marts, segment_id)
    return rows[~rows["is_clustering_feature"].astype(bool)]


def category_rows(marts: Marts, segment_id: int, feature: str) -> pd.DataFrame:
    """The segment's categories of an attribute, most common first."""
    rows = marts.category_profiles
    rows = rows[(rows["segment_id"] == segment_id) & (rows["feature"] == feature)]
    return rows.sort_values(["category_share", "category"], ascending=[False, True])
