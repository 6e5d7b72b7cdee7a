"""Runs the real thing: `dbt build` on real files into a temporary DuckDB file, then SQL.

Builds that tests only read are made once per test session and shared, also between the
pytest-xdist workers (`shared_builds`: the first worker to ask builds, under a file lock, the
others wait and reuse the warehouse). The public Mall Customers file is not part of the
repository: tests that need it take it from $SEGMENTS_MALL_CUSTOMERS or
../shared/data/mall_customers.csv and are skipped, saying how to run them, when neither exists.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from filelock import FileLock

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
MALL_CUSTOMERS_VARIABLE = "SEGMENTS_MALL_CUSTOMERS"
MALL_CUSTOMERS_DEFAULT = PROJECT_ROOT / ".." / "shared" / "data" / "mall_customers.csv"
SAMPLE_CUSTOMERS = PROJECT_ROOT / "seeds" / "sample_customers.csv"
SAMPLE_ORDERS = PROJECT_ROOT / "samples" / "sample_orders.csv"
SAMPLE_CRM = PROJECT_ROOT / "samples" / "crm_customers.csv"
MALL_HEADER = ["CustomerID", "Gender", "Age", "Annual Income (k$)", "Spending Score (1-100)"]
# The public marts of the contract (DESIGN.md), plus the history of training runs.
MARTS = (
    "customer_segments",
    "segment_profiles",
    "segment_centroids",
    "segment_model_selection",
    "segment_recommendations",
    "customer_rejections",
    "segment_centroid_history",
    "segment_feature_profiles",
    "segment_category_profiles",
    "customer_feature_values",
)
RFM = ["recency_days", "frequency", "monetary"]
CRM_FEATURES = ["tenure_months", "visits_per_month", "avg_basket_eur"]


def mall_customers_file() -> Path | None:
    """The public Mall Customers file, when this machine has it."""
    path = Path(os.environ.get(MALL_CUSTOMERS_VARIABLE) or MALL_CUSTOMERS_DEFAULT).resolve()
    return path if path.is_file() else None


@pytest.fixture(scope="session")
def mall_customers() -> Path:
    path = mall_customers_file()
    if path is None:
        pytest.skip(
            "the public Mall Customers file is not on this machine (it is not part of the "
            f"repository): set {MALL_CUSTOMERS_VARIABLE}=/path/to/mall_customers.csv, or put it "
            "at ../shared/data/mall_customers.csv, to run this test"
        )
    return path


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


def sample_customers() -> pd.DataFrame:
    """The bundled synthetic sample with the public Mall Customers file's header, ids as text."""
    frame = pd.read_csv(SAMPLE_CUSTOMERS, dtype={"customer_id": str})
    return frame.set_axis(MALL_HEADER, axis=1)


def copy_warehouse(warehouse: Path, directory: Path) -> Path:
    """A copy of a built warehouse in `directory`, for a test that builds into it again."""
    directory.mkdir(parents=True, exist_ok=True)
    copy = directory / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    return copy


class SharedBuilds:
    """Warehouses built once per test session and shared between tests and xdist workers."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def get(self, name: str, vars: dict, write_input: Callable[[Path], dict] | None = None) -> Path:
        """The warehouse of `dbt build --vars vars` (plus the vars write_input returns after
        writing the build's input file into the directory it is given), built on first use."""
        directory = self.root / name
        done = directory / "built.json"
        with FileLock(str(self.root / f"{name}.lock")):
            if not done.exists():
                directory.mkdir(parents=True, exist_ok=True)
                all_vars = {**vars, **(write_input(directory) if write_input else {})}
                build_warehouse(directory, all_vars)
                done.write_text(json.dumps(all_vars))
        return directory / "warehouse.duckdb"


@pytest.fixture(scope="session")
def shared_builds(tmp_path_factory, worker_id) -> SharedBuilds:
    # every xdist worker has its own base temp directory; their parent is the session's
    base = tmp_path_factory.getbasetemp()
    return SharedBuilds((base if worker_id == "master" else base.parent) / "shared_builds")


@pytest.fixture(scope="session")
def sample_warehouse(shared_builds) -> Path:
    """The bundled synthetic sample, built with default settings."""
    return shared_builds.get("sample", {})


@pytest.fixture(scope="session")
def mall_warehouse(shared_builds, mall_customers) -> Path:
    """The public Mall Customers file on age, income and spending score."""
    return shared_builds.get("mall", {"customers_path": str(mall_customers)})


@pytest.fixture(scope="session")
def mall_income_spending_warehouse(shared_builds, mall_customers) -> Path:
    """The public Mall Customers file on income and spending score only."""
    return shared_builds.get(
        "mall_income_spending",
        {"customers_path": str(mall_customers), "features": ["annual_income", "spending_score"]},
    )


@pytest.fixture(scope="session")
def rfm_warehouse(shared_builds) -> Path:
    """The bundled synthetic orders alone, segmented on recency, frequency and monetary."""
    return shared_builds.get("rfm", {"orders_path": str(SAMPLE_ORDERS), "features": RFM})


@pytest.fixture(scope="session")
def crm_warehouse(shared_builds) -> Path:
    """The bundled synthetic CRM export on three numeric columns of its own."""
    return shared_builds.get("crm", {"customers_path": str(SAMPLE_CRM), "features": CRM_FEATURES})


@pytest.fixture(scope="session")
def crm_categorical_warehouse(shared_builds) -> Path:
    """The CRM export with its loyalty tier as a categorical feature too."""
    return shared_builds.get(
        "crm_categorical",
        {
            "customers_path": str(SAMPLE_CRM),
            "features": CRM_FEATURES,
            "categorical_features": ["loyalty_tier"],
        },
    )
