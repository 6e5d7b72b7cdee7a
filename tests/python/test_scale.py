"""What lets a build scale: files in parts, a training sample, DuckDB's resources, progress.

The speed and memory themselves are measured by benchmarks/benchmark.py (BENCHMARKS.md), not
here; these tests check the behaviour a user relies on when the file is large.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from conftest import (
    DEFAULT_FEATURE_CENTROIDS,
    build_warehouse,
    load_script,
    query,
    run_dbt,
    sample_customers,
)

# The bundled synthetic sample with the public Mall Customers file's header.
CUSTOMERS = sample_customers()
LABELS_SQL = "select customer_id, segment_id, segment_name from customer_segments order by 1"


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_a_glob_of_parts_reads_like_the_whole_file(sample_warehouse, tmp_path, file_format):
    parts = tmp_path / "parts"
    parts.mkdir()
    for number, start in enumerate(range(0, len(CUSTOMERS), 70), start=1):
        part = CUSTOMERS.iloc[start : start + 70]
        path = parts / f"customers_{number}.{file_format}"
        if file_format == "csv":
            part.to_csv(path, index=False)
        else:
            part.to_parquet(path)
    warehouse = build_warehouse(
        tmp_path / "build", {"customers_path": str(parts / f"*.{file_format}")}
    )
    pd.testing.assert_frame_equal(query(sample_warehouse, LABELS_SQL), query(warehouse, LABELS_SQL))
    # rows are numbered across the parts, in the order of the file names
    numbers = query(warehouse, "select source_row_number from customer_segments")
    assert sorted(numbers["source_row_number"]) == list(range(1, len(CUSTOMERS) + 1))


def test_a_sample_trained_build_scores_every_customer_within_the_resources_given(tmp_path):
    """Training on 120 of 200 customers, DuckDB limited to 1 thread and 300 MB: every customer
    is still labelled with its nearest centroid, the settings row says what was used, and the
    log says which stage and which k the build is on."""
    spill = tmp_path / "spill"
    result = run_dbt(
        tmp_path,
        {"training_sample_size": 120},
        env={
            "SEGMENTS_DUCKDB_MEMORY_LIMIT": "300MB",
            "SEGMENTS_DUCKDB_THREADS": "1",
            "SEGMENTS_DUCKDB_TEMP_DIRECTORY": str(spill),
        },
    )
    assert result.returncode == 0, result.stdout[-6000:]
    warehouse = tmp_path / "warehouse.duckdb"

    settings = query(warehouse, "select * from intermediate.int_segmentation_settings").iloc[0]
    assert settings["duckdb_threads"] == 1
    assert settings["duckdb_memory_limit"] in {"286.1 MiB", "300.0 MB"}
    assert settings["duckdb_temp_directory"] == str(spill)

    training = query(warehouse, "select customer_id from intermediate.int_training_customers")
    assert len(training) == 120
    selection = query(warehouse, "select * from segment_model_selection")
    assert set(selection["training_customer_count"]) == {120}
    # every customer is scored, each against every centroid, with the nearest one kept
    scored = query(
        warehouse,
        f"""
        select customers.segment_id, customers.distance_to_centroid,
               min(sqrt(pow(features.z_age - centroids.z_age, 2)
                   + pow(features.z_annual_income - centroids.z_annual_income, 2)
                   + pow(features.z_spending_score - centroids.z_spending_score, 2)))
                   as nearest_distance
        from customer_segments as customers
        join intermediate.int_customer_features as features using (customer_id)
        cross join ({DEFAULT_FEATURE_CENTROIDS}) as centroids
        group by all
        """,
    )
    assert len(scored) == len(CUSTOMERS)
    assert (scored["distance_to_centroid"] - scored["nearest_distance"]).abs().max() < 1e-9

    for stage in [
        "k search: fitting k = 3 on 120 customers",
        "k search: silhouette",
        "final model",
    ]:
        assert stage in result.stdout, f"no progress line {stage!r} in the build's log"


def test_the_scaling_of_a_large_file_is_the_same_to_the_last_digit(tmp_path):
    """Same customers, same z-score parameters, bit for bit, however DuckDB's threads share the
    work: avg() and stddev_pop() of doubles add in the order the threads finish, and gave other
    last digits from one run to the next (and so, one day, another K-means optimum). The
    scaling of a million customers, recomputed with the model's own SQL, never changes."""
    path = tmp_path / "customers.parquet"
    load_script("generate_customers").write_customers(1_000_000, path, "parquet")
    result = run_dbt(
        tmp_path, {"customers_path": str(path)}, command="run", select="+int_feature_scaling"
    )
    assert result.returncode == 0, result.stdout[-6000:]
    compiled = next((tmp_path / "target" / "compiled").rglob("int_feature_scaling.sql"))
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as connection:
        stored = connection.execute(
            "select * from intermediate.int_feature_scaling order by feature_position"
        ).fetchall()
        recomputed = [
            connection.execute(f"select * from ({compiled.read_text()}) order by 2").fetchall()
            for _ in range(5)
        ]
    assert all(again == stored for again in recomputed)
