"""The same project on Apache Spark (dbt-spark, a local session): `./run test-spark`.

Each Spark build is `python -m operations.spark_build build --target spark`, what `./run build
--target spark` runs, in its own process (Spark's JVM goes with it), exporting the marts as
Parquet; the tests read the export and compare it with the DuckDB build of the same input.
The same process then explains the staging and scoring models (spark_build_with_plans.py), and
the tests read their physical plans.
Slow (a Spark build of the sample takes about a minute on 2 cores), so not part of `./run
test`: the `spark` marker is deselected there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import (
    CRM_FEATURES,
    EXPORTED_MARTS,
    MALL_HEADER,
    PROJECT_ROOT,
    RFM,
    SAMPLE_CRM,
    SAMPLE_CUSTOMERS,
    build_warehouse,
    query,
    run_dbt,
    write_csv,
)
from test_orders import ORDERS_AND_CUSTOMERS_VARS, write_orders_and_customers

pytestmark = pytest.mark.spark

# The models whose physical plans the builds keep: staging and scoring, which read every row.
EXPLAINED_MODELS = ["stg_customer_file_rows", "stg_order_file_rows", "customer_segments"]
# Tables of a row per segment, feature, category or training: one task gathers them for free.
SMALL_TABLES = {
    "intermediate.int_kmeans_centroids",
    "intermediate.int_feature_scaling",
    "intermediate.int_category_levels",
    "main.segment_centroids",
}


class SparkBuild:
    """A build on Spark into directory/spark (a second build there sees the first's tables)."""

    def __init__(
        self, directory: Path, vars: dict, command: str = "build", export: str = "parquet"
    ):
        self.directory = directory
        self.export_dir = directory / export
        self.plans_dir = directory / f"plans_{export}"
        environment = {
            **os.environ,
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SEGMENTS_SPARK_WAREHOUSE": str(directory / "spark"),
        }
        arguments = [
            *(command.split()),
            "--target",
            "spark",
            "--target-path",
            str(directory / "target"),
            "--log-path",
            str(directory / "logs"),
            "--vars",
            json.dumps(
                {**vars, "export_parquet": True, "parquet_export_dir": str(self.export_dir)}
            ),
        ]
        explain = [str(Path(__file__).with_name("spark_build_with_plans.py")), str(self.plans_dir)]
        completed = subprocess.run(
            [sys.executable, *explain, ",".join(EXPLAINED_MODELS), *arguments],
            cwd=PROJECT_ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=1200,
        )
        self.returncode = completed.returncode
        self.output = completed.stdout + completed.stderr

    def mart(self, name: str) -> pd.DataFrame:
        return pd.read_parquet(self.export_dir / f"{name}.parquet")

    def plan(self, model: str) -> str:
        return (self.plans_dir / f"{model}.txt").read_text()


def tables_gathered_in_one_task(plan: str) -> set[str]:
    """What each single-partition exchange of a physical plan reads: the tables (or "a <format>
    file") scanned in its subtree, the lines below it indented deeper in Spark's explain tree."""
    lines = plan.splitlines()
    gathered = set()
    for index in rows_gathered_in_one_task(plan):
        line = lines[index]
        for below in lines[index + 1 :]:
            if plan_depth(below) <= plan_depth(line):
                break
            for file_format, table in re.findall(SCAN, below):
                gathered.add(table or f"a {file_format} file")
    return gathered


def rows_gathered_in_one_task(plan: str) -> list[int]:
    """The lines of a plan's single-partition exchanges that move rows: not those right above a
    partial aggregate without keys (one row per task, e.g. the day/month order of a date column)."""
    lines = plan.splitlines()
    return [
        index
        for index, line in enumerate(lines)
        if "SinglePartition" in line
        and not re.search(r"HashAggregate\(keys=\[\], functions=\[(partial_|\])", lines[index + 1])
    ]


# A scan in Spark's explain tree: its format, and its table (none for a file read by path)
SCAN = r"FileScan (\w+) (?:spark_catalog\.)?([\w.]*)"


def plan_depth(line: str) -> int:
    return len(line) - len(line.lstrip(" :+-"))


def assert_no_row_passes_through_one_task(spark_build: SparkBuild, models: list[str]) -> None:
    """Issue 22 item 7: staging gathers no row in one task (a keyless partial aggregate, one row
    per task, may be); scoring gathers in one task only the small tables (its centroid slots and
    scaling, pivoted into one row)."""
    for model in models:
        gathered = tables_gathered_in_one_task(spark_build.plan(model))
        if model.startswith("stg_"):
            assert not rows_gathered_in_one_task(spark_build.plan(model)), model
        assert gathered <= SMALL_TABLES, f"{model} gathers {gathered - SMALL_TABLES} in one task"


def duckdb_mart(warehouse: Path, name: str) -> pd.DataFrame:
    """The mart as DuckDB exports it to Parquet, to compare like with like (dates, types)."""
    path = warehouse.parent / "duckdb_export" / f"{name}.parquet"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        query(warehouse, f"copy main.{name} to '{path}' (format parquet)")
    return pd.read_parquet(path)


@pytest.fixture(scope="module")
def sample_on_spark(tmp_path_factory) -> SparkBuild:
    """The bundled sample, the whole `dbt build` (unit tests too), on Spark."""
    return SparkBuild(tmp_path_factory.mktemp("spark_sample"), {})


def test_the_sample_builds_on_spark_with_every_test(sample_on_spark):
    assert sample_on_spark.returncode == 0, sample_on_spark.output[-5000:]
    assert "ERROR=0" in sample_on_spark.output
    # the dbt unit tests ran too (dbt-spark supports them)
    assert "PASS customer_segments::customer_segments_assigns_the_nearest_centroid" in (
        sample_on_spark.output
    )
    assert "Completed successfully" in sample_on_spark.output


def test_spark_puts_the_sample_in_the_segments_duckdb_does(sample_on_spark, sample_warehouse):
    spark = sample_on_spark.mart("customer_segments").set_index("customer_id").sort_index()
    duck = duckdb_mart(sample_warehouse, "customer_segments").set_index("customer_id").sort_index()
    assert list(spark.index) == list(duck.index)
    assert spark["segment_id"].nunique() == duck["segment_id"].nunique()
    assert (spark["segment_id"] == duck["segment_id"]).mean() >= 0.99
    assert (spark["segment_name"] == duck["segment_name"]).mean() >= 0.99


def test_spark_marts_have_the_columns_and_types_of_duckdbs(sample_on_spark, sample_warehouse):
    for name in EXPORTED_MARTS:
        spark = sample_on_spark.mart(name)
        duck = duckdb_mart(sample_warehouse, name)
        assert list(spark.columns) == list(duck.columns), name
        assert len(spark) == len(duck), name
        for column in spark.columns:
            # a timestamp is UTC on both; Spark's Parquet says so (tz-aware in pandas)
            spark_type = getattr(spark[column].dtype, "base", spark[column].dtype)
            assert spark_type == duck[column].dtype, f"{name}.{column}"


def test_spark_exports_one_parquet_file_per_mart(sample_on_spark):
    manifest = sample_on_spark.mart("export_manifest_0")
    assert sorted(manifest["mart"]) == sorted(EXPORTED_MARTS)
    for row in manifest.itertuples():
        path = sample_on_spark.export_dir / row.file_name
        assert path.is_file(), f"{path} is not a file"
        assert len(pd.read_parquet(path)) == row.row_count
    leftovers = [p.name for p in sample_on_spark.export_dir.iterdir() if not p.is_file()]
    assert leftovers == []


def test_spark_reads_customers_from_a_table_of_its_warehouse(sample_on_spark):
    """var customers_table: the sample seed the first build left in Spark's catalog (typed as
    text), read as a table: the same customers in the same segments. A second build in the
    same warehouse, so the segment history (an append-only incremental model) reads its own
    rows there: nobody moved, and no drift test warns."""
    from_table = SparkBuild(
        sample_on_spark.directory,
        {"customers_table": "staging.sample_customers"},
        command="build --exclude-resource-type unit_test",
        export="parquet_from_table",
    )
    assert from_table.returncode == 0, from_table.output[-5000:]
    columns = ["customer_id", "segment_id", "segment_name"]
    pd.testing.assert_frame_equal(
        from_table.mart("customer_segments")[columns].sort_values("customer_id", ignore_index=True),
        sample_on_spark.mart("customer_segments")[columns].sort_values(
            "customer_id", ignore_index=True
        ),
    )
    migrations = from_table.mart("segment_migrations")
    assert (migrations["from_segment_id"] == migrations["to_segment_id"]).all()
    assert migrations["customer_count"].sum() == len(from_table.mart("customer_segments"))
    assert from_table.mart("customer_segment_changes").empty
    assert re.search(r"PASS drift_segment_shares", from_table.output)
    assert "WARN=0" in from_table.output


def test_spark_scores_with_the_stored_model_as_trained(sample_on_spark):
    """var retrain false on Spark: the features from the stored signature's columns, the
    scaling and centroids from the stored tables; every customer keeps its segment."""
    scored = SparkBuild(
        sample_on_spark.directory,
        {"customers_path": str(SAMPLE_CUSTOMERS), "retrain": False},
        command="build --exclude-resource-type unit_test",
        export="parquet_scored",
    )
    assert scored.returncode == 0, scored.output[-5000:]
    columns = ["customer_id", "segment_id", "segment_name"]
    pd.testing.assert_frame_equal(
        scored.mart("customer_segments")[columns].sort_values("customer_id", ignore_index=True),
        sample_on_spark.mart("customer_segments")[columns].sort_values(
            "customer_id", ignore_index=True
        ),
    )


def bad_customer_file(directory: Path) -> Path:
    """Forty good customers of the sample, then rows with every kind of problem a file has."""
    good = pd.read_csv(SAMPLE_CUSTOMERS).head(40)
    lines = [",".join(MALL_HEADER)]
    lines += [",".join(str(value) for value in row) for row in good.itertuples(index=False)]
    lines += [
        "B01,Female,forty,50,60",  # not a number
        "B02,Male,130,50,60",  # out of range
        "B03,Female,30,,60",  # missing feature
        "C0001,Female,99,1,1",  # repeated id, other values
        "B04,Female,30,50,60,extra",  # too many fields
        "B05,Male,30",  # too few fields
        '"B06","Female, maybe",30,50,60',  # quoted delimiter: a value, not a field
        "B07,f,  31 ,50.0,60",  # spellings the checks accept
    ]
    return write_csv(directory / "bad customers.csv", "\n".join(lines) + "\n")


def test_spark_rejects_the_rows_duckdb_rejects_with_reasons(tmp_path_factory):
    directory = tmp_path_factory.mktemp("spark_bad_input")
    vars = {"customers_path": str(bad_customer_file(directory)), "k": 3}
    spark_build, duck_warehouse = spark_and_duckdb(directory, vars)
    assert spark_build.returncode == 0, spark_build.output[-5000:]
    spark = spark_build.mart("customer_rejections").set_index("source_row_number").sort_index()
    duck = duckdb_mart(duck_warehouse, "customer_rejections").set_index("source_row_number")
    duck = duck.sort_index()
    assert list(spark.index) == list(duck.index) == [41, 42, 43, 44, 45, 46]
    # A line the reader cannot split: DuckDB says its line, Spark its data row (the same
    # here: no blank or multi-line rows before it), both quote it.
    unreadable = [45, 46]
    for row in unreadable:
        assert "could not be read" in spark.loc[row, "rejection_reason"]
        assert "could not be read" in duck.loc[row, "rejection_reason"]
    assert "B04,Female,30,50,60,extra" in spark.loc[45, "rejection_reason"]
    readable = spark.index.difference(unreadable)
    assert spark.loc[readable, "rejection_reason"].tolist() == (
        duck.loc[readable, "rejection_reason"].tolist()
    )
    segmented = spark_build.mart("customer_segments").set_index("customer_id")
    assert segmented.loc["B06", "gender"] == "Unknown"
    assert segmented.loc["B07", "age"] == 31
    assert_no_row_passes_through_one_task(
        spark_build, ["stg_customer_file_rows", "customer_segments"]
    )


def spark_and_duckdb(directory: Path, vars: dict) -> tuple[SparkBuild, Path]:
    duck_directory = directory / "duckdb"
    duck_directory.mkdir()
    return SparkBuild(directory, vars), build_warehouse(duck_directory, vars)


def assert_same_segments_and_rejections(spark_build: SparkBuild, duck_warehouse: Path) -> None:
    assert spark_build.returncode == 0, spark_build.output[-5000:]
    spark = spark_build.mart("customer_segments").set_index("customer_id").sort_index()
    duck = duckdb_mart(duck_warehouse, "customer_segments").set_index("customer_id").sort_index()
    assert list(spark.index) == list(duck.index)
    assert (spark["segment_id"] == duck["segment_id"]).mean() >= 0.99
    for name, key in (
        ("segment_feature_profiles", ["segment_id", "feature"]),
        ("segment_category_profiles", ["segment_id", "feature", "category"]),
    ):
        spark_profiles = spark_build.mart(name).sort_values(key, ignore_index=True)
        duck_profiles = duckdb_mart(duck_warehouse, name).sort_values(key, ignore_index=True)
        pd.testing.assert_frame_equal(spark_profiles, duck_profiles, check_dtype=False, rtol=1e-9)
    for name in ("customer_rejections", "order_rejections"):
        if not (spark_build.export_dir / f"{name}.parquet").exists():
            continue
        spark_rejected = spark_build.mart(name).sort_values("source_row_number")
        duck_rejected = duckdb_mart(duck_warehouse, name).sort_values("source_row_number")
        assert spark_rejected["source_row_number"].tolist() == (
            duck_rejected["source_row_number"].tolist()
        ), name
        assert spark_rejected["rejection_reason"].tolist() == (
            duck_rejected["rejection_reason"].tolist()
        ), name


def test_spark_computes_rfm_from_invoice_lines_like_duckdb(tmp_path_factory):
    """Invoice lines with a date format of their own, price x quantity, a cancellation, bad
    dates and numbers, an unknown customer, a line after the as-of date; the two customers
    without a valid order in the segment 'No purchase yet' (the default); the migrations since
    var compare_as_of_date."""
    directory = tmp_path_factory.mktemp("spark_orders")
    vars = {
        **ORDERS_AND_CUSTOMERS_VARS,
        "customers_without_orders": "segment",
        **write_orders_and_customers(directory),
        "compare_as_of_date": "2010-12-04",
    }
    spark_build, duck_warehouse = spark_and_duckdb(directory, vars)
    assert_same_segments_and_rejections(spark_build, duck_warehouse)
    key = ["from_segment_id", "to_segment_id"]
    spark_moves = spark_build.mart("segment_migrations").sort_values(key, ignore_index=True)
    duck_moves = duckdb_mart(duck_warehouse, "segment_migrations").sort_values(
        key, ignore_index=True
    )
    pd.testing.assert_frame_equal(spark_moves, duck_moves, check_dtype=False)
    assert (duck_moves["compared_with"] == "compare_as_of_date").all()
    # the two customers without a valid order were prospects then too; the others had ordered
    pairs = duck_moves.set_index(key)["customer_count"]
    assert pairs[(0, 0)] == 2 and duck_moves["from_segment_id"].notna().all()
    assert pairs.sum() == 5
    assert set(RFM) <= set(spark_build.mart("segment_feature_profiles")["feature"])
    assert len(spark_build.mart("order_rejections")) == 8
    assert_no_row_passes_through_one_task(spark_build, EXPLAINED_MODELS)

    # `dbt source freshness` finds the same latest order date (in the file's own date format)
    thresholds = {"orders_warn_after_days": 1, "orders_error_after_days": 1_000_000}
    spark = SparkBuild(directory, {**vars, **thresholds}, command="source freshness")
    assert spark.returncode == 0, spark.output[-5000:]
    duck = run_dbt(duck_warehouse.parent, {**vars, **thresholds}, command="source freshness")
    assert duck.returncode == 0, duck.stdout[-3000:]
    assert orders_freshness(directory) == orders_freshness(duck_warehouse.parent)
    assert orders_freshness(directory)[0] == "warn"


def orders_freshness(directory: Path) -> tuple[str, str]:
    """The status and latest order date of the orders in a freshness run's sources.json."""
    sources = json.loads((directory / "target" / "sources.json").read_text())["results"]
    (orders,) = [s for s in sources if s["unique_id"].endswith("inputs.orders_file")]
    return orders["status"], orders["max_loaded_at"]


def test_spark_segments_on_a_category_like_duckdb(tmp_path_factory):
    """The CRM export with its loyalty tier one-hot encoded beside three numeric columns."""
    vars = {
        "customers_path": str(SAMPLE_CRM),
        "features": CRM_FEATURES,
        "categorical_features": ["loyalty_tier"],
    }
    spark_build, duck_warehouse = spark_and_duckdb(tmp_path_factory.mktemp("spark_crm"), vars)
    assert_same_segments_and_rejections(spark_build, duck_warehouse)
    levels = spark_build.mart("segment_category_profiles")
    assert set(levels["feature"]) >= {"loyalty_tier"}
    assert_no_row_passes_through_one_task(
        spark_build, ["stg_customer_file_rows", "customer_segments"]
    )
