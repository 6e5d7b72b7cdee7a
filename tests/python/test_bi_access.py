"""BI access (docs/bi_access.md): the Parquet export of the marts, readable while another
process holds the DuckDB file for writing, and DuckDB's locking as the document describes it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import DBT, PROJECT_ROOT, build_warehouse, query
from conftest import MARTS as ALL_MARTS

# Every mart that is a table (customer_feature_values is a view over customer_segments).
MARTS = set(ALL_MARTS) - {"customer_feature_values"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Path]:
    """A sample build with var export_parquet; returns (warehouse file, Parquet directory)."""
    tmp_path = tmp_path_factory.mktemp("export")
    parquet_dir = tmp_path / "parquet"
    database = build_warehouse(
        tmp_path, {"export_parquet": True, "parquet_export_dir": str(parquet_dir)}
    )
    return database, parquet_dir


@contextmanager
def held_for_writing(database: Path) -> Iterator[None]:
    """Another process with the warehouse open read-write, in an open transaction that has
    written (as a running `dbt build` has it), until the block ends."""
    script = (
        "import duckdb, sys\n"
        f"connection = duckdb.connect({str(database)!r})\n"
        "connection.execute('begin')\n"
        "connection.execute('create table main.bi_access_probe as select 1 as x')\n"
        "print('held', flush=True)\n"
        "sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_every_mart_is_exported_with_a_manifest(exported):
    database, parquet_dir = exported
    files = {path.stem for path in parquet_dir.glob("*.parquet")}
    assert files == MARTS | {"export_manifest_0"}
    manifest = duckdb.sql(f"select * from '{parquet_dir}/export_manifest_0.parquet'").df()
    assert set(manifest["mart"]) == MARTS
    assert manifest["run_id"].nunique() == 1
    for row in manifest.itertuples():
        assert row.row_count == len(query(database, f"select * from {row.mart}")), row.mart


def test_parquet_is_readable_while_the_warehouse_is_held_for_writing(exported):
    database, parquet_dir = exported
    with held_for_writing(database):
        # The DuckDB file itself: even a read-only open fails at once (docs/bi_access.md).
        started = time.monotonic()
        with pytest.raises(duckdb.IOException, match="Could not set lock on file"):
            duckdb.connect(str(database), read_only=True)
        assert time.monotonic() - started < 5
        # The Parquet files: a fresh DuckDB connection reads every one of them.
        with duckdb.connect() as fresh:
            during = {
                mart: fresh.execute(f"select * from '{parquet_dir}/{mart}.parquet'").df()
                for mart in MARTS
            }
    for mart, frame in during.items():
        in_warehouse = query(database, f"select * from {mart}")
        assert list(frame.columns) == list(in_warehouse.columns), mart
        pd.testing.assert_frame_equal(
            sort_rows(frame), sort_rows(in_warehouse), check_dtype=False, obj=mart
        )


def sort_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)[:3]).reset_index(drop=True)


def test_readers_share_the_file_but_block_a_writer(exported):
    database, _ = exported
    with duckdb.connect(str(database), read_only=True) as reader:
        with duckdb.connect(str(database), read_only=True) as second_reader:
            assert second_reader.execute("select count(*) from segment_profiles").fetchone()[0]
        # a writer in another process (what `dbt build` is) cannot open it while a reader has it
        writer = subprocess.run(
            [sys.executable, "-c", f"import duckdb; duckdb.connect({str(database)!r})"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert writer.returncode != 0
        assert "Could not set lock on file" in writer.stderr
        assert reader.execute("select count(*) from customer_segments").fetchone()[0] == 200


def test_only_build_and_run_export(exported, tmp_path):
    database, _ = exported
    parquet_dir = tmp_path / "parquet"
    vars = {"export_parquet": True, "parquet_export_dir": str(parquet_dir)}
    env = {**os.environ, "SEGMENTS_DB_PATH": str(database)}
    command = [str(DBT), "test", "--select", "segment_model_selection"]
    command += ["--profiles-dir", str(PROJECT_ROOT), "--vars", json.dumps(vars)]
    command += ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert not parquet_dir.exists()
