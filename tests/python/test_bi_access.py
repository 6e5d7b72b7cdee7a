"""BI access (docs/bi_access.md): the Parquet export of the marts, readable while another
process holds the DuckDB file for writing, and DuckDB's locking as the document describes it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import EXPORTED_MARTS, PROJECT_ROOT, copy_warehouse, query, run_dbt

MARTS = set(EXPORTED_MARTS)


# The tests below hold the warehouse's lock in turns: they run in one pytest-xdist worker.
pytestmark = pytest.mark.xdist_group("bi_access")


@pytest.fixture(scope="module")
def exported(shared_builds) -> tuple[Path, Path]:
    """A sample build with var export_parquet; returns (warehouse file, Parquet directory)."""
    database = shared_builds.get(
        "export",
        {"export_parquet": True},
        lambda directory: {"parquet_export_dir": str(directory / "parquet")},
    )
    return database, database.parent / "parquet"


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
    copy_warehouse(database, tmp_path)
    parquet_dir = tmp_path / "parquet"
    vars = {"export_parquet": True, "parquet_export_dir": str(parquet_dir)}
    result = run_dbt(tmp_path, vars, command="test", select="segment_model_selection")
    assert result.returncode == 0, result.stdout[-4000:]
    assert not parquet_dir.exists()


def test_metricflow_validates_the_semantic_layer_against_the_built_marts(
    sample_warehouse, tmp_path
):
    """The dbt Semantic Layer's own CLI (dbt-metricflow's `mf validate-configs`) parses the
    project and checks every semantic model, dimension, entity, measure and metric against
    the built marts, as a BI tool on the Semantic Layer would query them."""
    # mf reads <project>/target/semantic_manifest.json (no other path): a project directory of
    # its own holds the sample build's, beside a copy of the warehouse that build named
    project = tmp_path / "project"
    (project / "target").mkdir(parents=True)
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copyfile(PROJECT_ROOT / name, project / name)
    shutil.copyfile(
        sample_warehouse.parent / "target" / "semantic_manifest.json",
        project / "target" / "semantic_manifest.json",
    )
    warehouse = copy_warehouse(sample_warehouse, tmp_path)
    environment = {
        **os.environ,
        "SEGMENTS_DB_PATH": str(warehouse),
        "DBT_PROFILES_DIR": str(project),
    }
    result = subprocess.run(
        [str(Path(sys.executable).with_name("mf")), "validate-configs"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # the manifest's semantics, then semantic models, dimensions, entities, measures, metrics
    assert output.count("(ERRORS: 0, FUTURE_ERRORS: 0, WARNINGS: 0)") == 6, output
