"""Runs the real thing: `dbt build` on real files into a temporary DuckDB file, then SQL.

Builds that tests only read are made once per test session and shared, also between the
pytest-xdist workers (`shared_builds`: the first worker to ask builds, under a file lock, the
others wait and reuse the warehouse). The public Mall Customers file is not part of the
repository: tests that need it take it from $SEGMENTS_MALL_CUSTOMERS or
../shared/data/mall_customers.csv and are skipped, saying how to run them, when neither exists.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import io
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import jinja2
import pandas as pd
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner
from dbt.parser.manifest import ManifestLoader
from dbt_common.tests import enable_test_caching
from filelock import FileLock

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MALL_CUSTOMERS_VARIABLE = "SEGMENTS_MALL_CUSTOMERS"
MALL_CUSTOMERS_DEFAULT = PROJECT_ROOT / ".." / "shared" / "data" / "mall_customers.csv"
SAMPLE_CUSTOMERS = PROJECT_ROOT / "seeds" / "sample_customers.csv"
SAMPLE_ORDERS = PROJECT_ROOT / "samples" / "sample_orders.csv"
SAMPLE_CRM = PROJECT_ROOT / "samples" / "crm_customers.csv"
MALL_HEADER = ["CustomerID", "Gender", "Age", "Annual Income (k$)", "Spending Score (1-100)"]
# The public marts of the contract (docs/bi_access.md), plus the history of training runs.
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
    "segment_migrations",
    "customer_segment_changes",
)
# The marts the Parquet export writes: every table (customer_feature_values is a view over
# customer_segments).
EXPORTED_MARTS = tuple(mart for mart in MARTS if mart != "customer_feature_values")
RFM = ["recency_days", "frequency", "monetary"]
# Each segment's centroid on the default features, one row per segment (z_age, z_annual_income,
# z_spending_score), from the long segment_feature_profiles: the tests that rescore customers.
DEFAULT_FEATURE_CENTROIDS = """
    select
        segment_id,
        max(centroid_z) filter (feature = 'age') as z_age,
        max(centroid_z) filter (feature = 'annual_income') as z_annual_income,
        max(centroid_z) filter (feature = 'spending_score') as z_spending_score
    from segment_feature_profiles
    group by segment_id
"""
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


@dataclass(frozen=True)
class DbtResult:
    """What a dbt command returned and printed, as a terminal shows it."""

    returncode: int
    stdout: str


def run_dbt(
    tmp_path: Path,
    vars: dict | None = None,
    command: str = "build",
    env: dict[str, str] | None = None,
    select: str | None = None,
    project_dir: Path = PROJECT_ROOT,
    artifacts: bool = False,
) -> DbtResult:
    """Runs `dbt <command>` from the project root into tmp_path/warehouse.duckdb (env: extra
    environment variables; select: dbt's --select; project_dir: another copy of the project;
    artifacts: write manifest.json and run_results.json of a build or run, which a tenth of a
    small build's time went to and few tests read).

    dbt runs in this process, through dbtRunner (dbt's own programmatic entry point to the
    same command line): a new Python process for each build would import dbt and
    scikit-learn again each time, which was most of a small build's time. The unit tests of
    the dbt project run once (test_dbt_unit_tests_pass), not in every build of the suite."""
    args = [
        *command.split(),  # "build", "docs generate", ...
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
    ]
    if command == "deps":  # takes none of the options below
        return invoke_dbt(args, env)
    args += [
        "--target-path",
        str(tmp_path / "target"),
        "--log-path",
        str(tmp_path / "logs"),
        # no debug log file: writing every event of a build was a tenth of its time, and the
        # tests read what a terminal shows
        "--log-level-file",
        "none",
        "--vars",
        json.dumps(vars or {}),
        *(["--select", select] if select else []),
        *(["--exclude-resource-type", "unit_test"] if command == "build" else []),
        *(["--no-write-json"] if command in ("build", "run") and not artifacts else []),
    ]
    return invoke_dbt(args, {**(env or {}), "SEGMENTS_DB_PATH": str(tmp_path / "warehouse.duckdb")})


def parse_macros_once(loader: ManifestLoader, project_parser_files: dict) -> None:
    """dbt's ManifestLoader.load_and_parse_macros, parsing the same macro files once per process.

    dbt parses every macro (its own, dbt-duckdb's and the project's) again in each full parse,
    and nearly every build of the suite is one: partial parsing needs the same vars and target
    path. Macros do not depend on the vars, so they are parsed in the first build and copied
    into the later ones, keyed by every macro file's checksum (an edited macro is parsed
    again); the manifest is the one dbt's own parse writes."""
    if loader.partially_parsing:  # only the changed files are given: dbt's own way
        return _load_and_parse_macros(loader, project_parser_files)
    file_ids = sorted(
        file_id
        for parsers in project_parser_files.values()
        for parser in ("MacroParser", "GenericTestParser")
        for file_id in parsers.get(parser, [])
    )
    key = (
        loader.root_project.project_root,
        loader.root_project.credentials.type,
        tuple((file_id, loader.manifest.files[file_id].checksum.checksum) for file_id in file_ids),
    )
    if key not in _parsed_macros:
        _load_and_parse_macros(loader, project_parser_files)
        _parsed_macros[key] = (
            copy.deepcopy(loader.manifest.macros),
            {file_id: list(loader.manifest.files[file_id].macros) for file_id in file_ids},
        )
        return
    macros, macros_of_file = _parsed_macros[key]
    # a copy: the macros' docs (macros/_macros.yml) are patched onto them later in the parse
    loader.manifest.macros = copy.deepcopy(macros)
    loader.manifest._macros_by_name = None
    loader.manifest._macros_by_package = None
    for file_id, unique_ids in macros_of_file.items():
        loader.manifest.files[file_id].macros = list(unique_ids)
    loader.build_macro_resolver()
    loader.macro_depends_on()  # skips macros parsed before this run: theirs are copied


_load_and_parse_macros = ManifestLoader.load_and_parse_macros
_parsed_macros: dict[tuple, tuple[dict, dict]] = {}
ManifestLoader.load_and_parse_macros = parse_macros_once


# dbt's own cache for test suites: the Jinja of each file is parsed once per process.
enable_test_caching()


def compile_jinja_once(
    environment: jinja2.Environment,
    source: str,
    name: str | None = None,
    filename: str | None = None,
    raw: bool = False,
    defer_init: bool = False,
):
    """jinja2's Environment.compile, compiling the same template source once per process.

    dbt compiles every model, test and materialization again in each command (a twentieth of
    a build's time); the compiled code depends only on the source and the environment's class
    (dbt's environments differ in nothing else that compiling reads)."""
    key = (type(environment), source, name, filename, raw, defer_init)
    if key not in _compiled_jinja:
        _compiled_jinja[key] = _compile_jinja(environment, source, name, filename, raw, defer_init)
    return _compiled_jinja[key]


_compile_jinja = jinja2.Environment.compile
_compiled_jinja: dict[tuple, object] = {}
jinja2.Environment.compile = compile_jinja_once


def invoke_dbt(args: list[str], env: dict[str, str] | None) -> DbtResult:
    output = io.StringIO()
    with environment_variables(env or {}), contextlib.redirect_stdout(output):
        result = dbtRunner().invoke(args)
    release_duckdb_connection()
    return DbtResult(returncode=0 if result.success else 1, stdout=output.getvalue())


@contextlib.contextmanager
def environment_variables(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def release_duckdb_connection() -> None:
    """Closes the DuckDB file dbt-duckdb keeps open after a run in this process, so that a
    test can open it (read-only) and another build can write it."""
    if DuckDBConnectionManager._ENV is not None:
        DuckDBConnectionManager._ENV.close()
        DuckDBConnectionManager._ENV = None


def load_script(name: str):
    """scripts/<name>.py as a module (e.g. generate_customers, the benchmarks' customer files)."""
    path = PROJECT_ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_warehouse(tmp_path: Path, vars: dict | None = None, artifacts: bool = False) -> Path:
    """`dbt build` that must succeed; returns the DuckDB file it wrote."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    result = run_dbt(tmp_path, vars, artifacts=artifacts)
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
                # with dbt's artifacts: tests read the shared builds' run_results.json and
                # semantic_manifest.json
                build_warehouse(directory, all_vars, artifacts=True)
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


# What the bundled orders gain in the rfm build, as real exports have them: dates written month
# first with a time, as an Online Retail export writes them (7/13/2024 8:26), read without
# order_date_format; a line repeated in every field (counted once); a customer whose only order
# cannot be used, its amount n/a (missing): rejected, not lost.
REPEATED_ORDER_LINE = 1
COMPARE_AS_OF_DATE = "2025-12-31"
UNUSABLE_ORDER_LINE = "SO999999,K9999,2024-07-05,n/a,"
# an order of a customer with valid orders that did not go through (Olist writes canceled)
CANCELLED_ORDER_LINE = "SO999998,K0039,7/20/2024 8:26,9999.99,canceled"


def write_sample_orders_with_a_repeat(directory: Path) -> dict:
    orders = pd.read_csv(SAMPLE_ORDERS, dtype=str, keep_default_na=False)
    dates = pd.to_datetime(orders["Order Date"])
    month_first = dates.dt.month.astype(str) + "/" + dates.dt.day.astype(str)
    orders["Order Date"] = month_first + dates.dt.strftime("/%Y 8:26")
    orders["Order Status"] = "delivered"
    lines = orders.to_csv(index=False).splitlines()
    lines += [lines[REPEATED_ORDER_LINE], UNUSABLE_ORDER_LINE, CANCELLED_ORDER_LINE]
    return {"orders_path": str(write_csv(directory / "orders.csv", "\n".join(lines) + "\n"))}


@pytest.fixture(scope="session")
def rfm_warehouse(shared_builds) -> Path:
    """The bundled synthetic orders alone (dates month first, a status column, a repeated line,
    a customer without a usable order and a cancelled order), segmented on the default
    features of orders alone (recency, frequency and monetary: var features unset), amounts in
    EUR; the migration marts compare with the segments as of COMPARE_AS_OF_DATE."""
    vars = {"currency": "EUR", "compare_as_of_date": COMPARE_AS_OF_DATE}
    return shared_builds.get("rfm", vars, write_sample_orders_with_a_repeat)


# The CRM export with outcomes a CRM adds: a churn flag (spelt several ways, some blank or a
# placeholder such as N/A), a ticket count with values that are not a count, and a value under
# a header only column_map finds.
CRM_PROFILE_VARS = {
    "customers_path": None,  # written by write_crm_with_outcomes
    "features": CRM_FEATURES,
    "profile_features": ["support_tickets", "lifetime_value"],
    "profile_categorical_features": ["Churn", "signup_channel"],
    "column_map": {"lifetime_value": "Lifetime value (EUR)"},
    "feature_settings": {"support_tickets": {"min": 0}},
}
BAD_TICKET_COUNTS = {5: "n/a", 50: "-3", 99: "lots", 200: ""}


def write_crm_with_outcomes(directory: Path) -> dict:
    crm = pd.read_csv(SAMPLE_CRM, dtype=str, keep_default_na=False)
    rows = range(len(crm))
    spellings = [" Yes", "no", "No ", "YES", "No", "no", "No"]
    missing = ["", "N/A", "NULL", " - "]  # what exports write for a missing value
    crm["Churn"] = [missing[i // 37 % 4] if i % 37 == 0 else spellings[i * 5 % 7] for i in rows]
    crm["Support tickets"] = [BAD_TICKET_COUNTS.get(i, str(i * 13 % 9)) for i in rows]
    crm["Lifetime value (EUR)"] = [f"{(i * 37) % 1000 + 0.25 * (i % 4):.2f}" for i in rows]
    path = directory / "crm_with_outcomes.csv"
    crm.to_csv(path, index=False)
    return {"customers_path": str(path)}


@pytest.fixture(scope="session")
def crm_profile_warehouse(shared_builds) -> Path:
    """The CRM export (as in crm_warehouse) with outcome columns profiled, never clustered."""
    return shared_builds.get("crm_profile", CRM_PROFILE_VARS, write_crm_with_outcomes)


@pytest.fixture(scope="session")
def crm_warehouse(shared_builds) -> Path:
    """The bundled synthetic CRM export on three numeric columns of its own."""
    return shared_builds.get("crm", {"customers_path": str(SAMPLE_CRM), "features": CRM_FEATURES})


@pytest.fixture(scope="session")
def crm_categorical_warehouse(shared_builds) -> Path:
    """The bundled synthetic CRM export on three numeric columns of its own, and its loyalty
    tier as a categorical feature."""
    return shared_builds.get(
        "crm_categorical",
        {
            "customers_path": str(SAMPLE_CRM),
            "features": CRM_FEATURES,
            "categorical_features": ["loyalty_tier"],
        },
    )
