"""Runs the real thing: `dbt build` on real files into a temporary DuckDB file, then SQL."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MALL_CUSTOMERS = (PROJECT_ROOT / ".." / "shared" / "data" / "mall_customers.csv").resolve()
DBT = Path(sys.executable).parent / "dbt"
# The public marts of the contract (DESIGN.md), plus the history of training runs.
MARTS = (
    "customer_segments",
    "segment_profiles",
    "segment_centroids",
    "segment_model_selection",
    "segment_recommendations",
    "customer_rejections",
    "segment_centroid_history",
)


def run_dbt(
    tmp_path: Path,
    vars: dict | None = None,
    command: str = "build",
    env: dict[str, str] | None = None,
    select: str | None = None,
) -> subprocess.CompletedProcess:
    """Runs `dbt <command>` from the project root into tmp_path/warehouse.duckdb (env: extra
    environment variables; select: dbt's --select)."""
    env = {**os.environ, **(env or {}), "SEGMENTS_DB_PATH": str(tmp_path / "warehouse.duckdb")}
    args = [
        str(DBT),
        *command.split(),  # "build", "docs generate", ...
        "--profiles-dir",
        str(PROJECT_ROOT),
        "--target-path",
        str(tmp_path / "target"),
        "--log-path",
        str(tmp_path / "logs"),
        "--vars",
        json.dumps(vars or {}),
        *(["--select", select] if select else []),
    ]
    return subprocess.run(
        args, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=900
    )


def load_script(name: str):
    """scripts/<name>.py as a module (e.g. generate_customers, the benchmarks' customer files)."""
    path = PROJECT_ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_warehouse(tmp_path: Path, vars: dict | None = None) -> Path:
    """`dbt build` that must succeed; returns the DuckDB file it wrote."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    result = run_dbt(tmp_path, vars)
    assert result.returncode == 0, f"dbt build failed:\n{result.stdout[-6000:]}"
    return tmp_path / "warehouse.duckdb"


def query(database: Path, sql: str) -> pd.DataFrame:
    """Runs SQL on a built warehouse through a fresh read-only connection."""
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(sql).df()


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Writes text byte for byte (no newline translation), for files with CRLF or a BOM."""
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory) -> Path:
    """The bundled synthetic sample, built with default settings."""
    return build_warehouse(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def mall_warehouse(tmp_path_factory) -> Path:
    """The public Mall Customers file on age, income and spending score."""
    return build_warehouse(tmp_path_factory.mktemp("mall"), {"customers_path": str(MALL_CUSTOMERS)})


@pytest.fixture(scope="session")
def mall_income_spending_warehouse(tmp_path_factory) -> Path:
    """The public Mall Customers file on income and spending score only."""
    return build_warehouse(
        tmp_path_factory.mktemp("mall_income_spending"),
        {"customers_path": str(MALL_CUSTOMERS), "features": ["annual_income", "spending_score"]},
    )
