"""Builds the project twice per input, with the code of two revisions, and compares every table.

    .venv/bin/python scripts/compare_marts.py --before 399e6de --after /work/main \
        [--out report.md] [--only sample mall ...] [--jobs 2] [--keep]

--before / --after: a git revision (checked out with `git worktree add --detach` under /tmp and
removed afterwards) or the path of a project directory (used as it is, uncommitted edits
included). Each side runs its own code: `dbt build --exclude-resource-type unit_test` from its
directory with its own profiles.yml, one fresh DuckDB file per case (SEGMENTS_DB_PATH), and
PYTHONPATH set to its directory so that its Python models import its own packages (checked
before the builds and, through an import audit, in every dbt process).

The cases are the inputs of the tests (tests/python): the bundled sample, the public Mall file,
the CRM and orders samples, a bad-rows file, a ragged file, a header-variant file, and two
reruns (a scoring-only rerun on a grown file, a retrain that matches segment ids). Both sides of
a case read the same input files at the same paths; cases run side by side (--jobs).

After each case every table and view of the warehouse (main, staging, intermediate, ...) is
compared by content: order-insensitive, floats to a relative tolerance (--rel-tol, with an
absolute floor --abs-tol for values near zero), without the run-specific columns (run_id,
invocation ids, timestamps of the run), which the report lists. Exit status: 0 all identical,
1 some table differs, 2 a build or a check failed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

SCRIPT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_VENV = SCRIPT_ROOT / ".venv"

try:
    import duckdb
    import numpy as np
    import pandas as pd
except ImportError:  # started with a Python without the project's packages: use the venv's
    venv_python = DEFAULT_VENV / "bin" / "python"
    if venv_python.exists() and Path(sys.prefix).resolve() != DEFAULT_VENV.resolve():
        os.execv(str(venv_python), [str(venv_python), *sys.argv])
    raise

MALL_VARIABLE = "SEGMENTS_MALL_CUSTOMERS"
MALL_HEADER = ["CustomerID", "Gender", "Age", "Annual Income (k$)", "Spending Score (1-100)"]
RFM = ["recency_days", "frequency", "monetary"]
CRM_FEATURES = ["tenure_months", "visits_per_month", "avg_basket_eur"]
# The short k range of tests/python/test_bad_input.py
FAST = {"k_min": 2, "k_max": 3}
# Files of the repository the derived inputs are made from (taken from the before side) and
# that the sample case reads from each side: the report says whether the sides' copies differ.
BUNDLED_INPUTS = [
    "seeds/sample_customers.csv",
    "samples/crm_customers.csv",
    "samples/sample_orders.csv",
]
SYSTEM_SCHEMAS = {"information_schema", "pg_catalog"}
# Run-specific columns: never equal between two builds, so not compared.
RUN_ID_COLUMN = re.compile(r"(^|_)(run_id|invocation_id)$")
RUN_TIME_COLUMN = re.compile(r"(_at|_timestamp|_time)$")
RUN_TIME_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS")
TOLERANT_TYPE = re.compile(r"DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC")
BUILD_TIMEOUT_SECONDS = 1800
SHOWN_ROWS = 3

# Records, in every dbt process, the modules it imported from outside the Python installation,
# so the report can show that each side ran its own packages (not the venv's editable install).
IMPORT_AUDIT = '''"""compare_marts.py: at exit, the modules imported from outside Python."""
import atexit, json, os, sys

_OUT = os.environ.get("COMPARE_MARTS_IMPORT_AUDIT")
_PID = os.getpid()


def _dump():
    if os.getpid() != _PID:  # a forked worker
        return
    prefixes = {os.path.realpath(p) + os.sep for p in
                (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    modules = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if name != "sitecustomize" and path:
            real = os.path.realpath(path)
            if not any(real.startswith(prefix) for prefix in prefixes):
                modules[name] = real
    with open(f"{_OUT}.{_PID}.json", "w") as out:
        json.dump(modules, out)


if _OUT:
    atexit.register(_dump)
'''

# Imports what the side's Python models import, as dbt would (same PYTHONPATH and directory).
IMPORT_CHECK = """
import ast, importlib, json, os, pathlib, sys, yaml
root = pathlib.Path.cwd()
project = yaml.safe_load((root / "dbt_project.yml").read_text())
names = set()
for folder in project.get("model-paths", ["models"]):
    for path in sorted((root / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
errors = {}
for name in sorted(names):
    try:
        importlib.import_module(name)
    except Exception as error:
        errors[name] = f"{type(error).__name__}: {error}"
prefixes = tuple({os.path.realpath(p) + os.sep for p in
                  (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)})
modules = {n: os.path.realpath(m.__file__) for n, m in list(sys.modules.items())
           if getattr(m, "__file__", None)
           and not os.path.realpath(m.__file__).startswith(prefixes)}
print(json.dumps({"imported": sorted(names), "errors": errors, "modules": modules}))
"""


# --- the two sides ------------------------------------------------------------------------


@dataclasses.dataclass
class Side:
    label: str  # "before" / "after"
    spec: str  # as given on the command line
    root: Path
    commit: str
    description: str
    worktree: bool = False


def git(repo: Path, *args: str, check: bool = True) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout.strip()


def open_side(label: str, spec: str, repo: Path, scratch: Path) -> Side:
    """A project directory: the path itself, or a detached worktree of the revision."""
    path = Path(spec).expanduser()
    if path.is_dir():
        root = path.resolve()
        if not (root / "dbt_project.yml").exists():
            raise SystemExit(f"--{label} {spec}: no dbt_project.yml there")
        commit = git(root, "rev-parse", "HEAD", check=False) or "(not a git checkout)"
        changed = git(root, "status", "--porcelain", check=False).splitlines()
        state = f"{len(changed)} uncommitted change(s)" if changed else "no uncommitted changes"
        return Side(label, spec, root, commit, f"directory `{root}` (HEAD {commit[:10]}, {state})")
    commit = git(repo, "rev-parse", "--verify", f"{spec}^{{commit}}", check=False)
    if not commit:
        raise SystemExit(f"--{label} {spec}: neither a directory nor a revision of {repo}")
    root = scratch / f"{label}-{re.sub(r'[^A-Za-z0-9._-]', '_', spec)}"
    git(repo, "worktree", "add", "--detach", str(root), commit)
    return Side(
        label, spec, root, commit, f"revision `{spec}` = {commit} (worktree `{root}`)", True
    )


def close_side(side: Side, repo: Path) -> None:
    if side.worktree and side.root.exists():
        git(repo, "worktree", "remove", "--force", str(side.root), check=False)


def side_environment(side: Side, venv: Path, audit_dir: Path, threads: str) -> dict[str, str]:
    """The environment of the side's dbt and Python processes: its own directory first on
    PYTHONPATH (before the venv's editable install of the main checkout), no SEGMENTS_* or
    DBT_* settings inherited from the caller's shell."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SEGMENTS_", "DBT_", "PYTHON"))
    }
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        PYTHONPATH=f"{side.root}{os.pathsep}{audit_dir}",
        PYTHONDONTWRITEBYTECODE="1",  # nothing written into the sides' directories
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DBT_USE_COLORS="false",
    )
    if threads not in ("", "0"):  # 0: DuckDB's default, every core
        env["SEGMENTS_DUCKDB_THREADS"] = threads
    return env


def known_roots(sides: list[Side], venv: Path) -> list[Path]:
    """Directories a side must not import from unless they are its own: the other sides and
    the packages the venv's editable install points at."""
    roots = {SCRIPT_ROOT, *(side.root for side in sides)}
    for finder in (venv / "lib").glob("python*/site-packages/__editable__*finder.py"):
        match = re.search(r"MAPPING[^=]*=\s*(\{.*?\})", finder.read_text())
        if match:
            roots.update(
                Path(p).resolve() for p in json.loads(match.group(1).replace("'", '"')).values()
            )
    return sorted(roots)


def foreign_modules(
    modules: dict[str, str], side: Side, roots: list[Path], venv: Path
) -> dict[str, str]:
    """The modules loaded from a known project directory that is not this side's (the venv's
    installed packages aside)."""
    foreign = {}
    for name, file in modules.items():
        path = Path(file)
        if path.is_relative_to(side.root) or path.is_relative_to(venv):
            continue
        if any(path.is_relative_to(root) for root in roots):
            foreign[name] = file
    return foreign


def check_imports(side: Side, env: dict[str, str], venv: Path, roots: list[Path]) -> list[str]:
    """Imports what the side's Python models import, as its builds will; returns problems."""
    python = str(venv / "bin" / "python")
    problems = []
    if (side.root / "segmentation" / "__init__.py").exists():
        where = subprocess.run(
            [python, "-c", "import segmentation; print(segmentation.__file__)"],
            cwd=side.root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        print(
            f"  {side.label}: import segmentation -> {where.stdout.strip() or where.stderr.strip()}"
        )
    result = subprocess.run(
        [python, "-c", IMPORT_CHECK],
        cwd=side.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return [f"the import check failed: {result.stderr.strip()[-2000:]}"]
    report = json.loads(result.stdout)
    problems += [f"import {name}: {error}" for name, error in report["errors"].items()]
    own = {
        name: file
        for name, file in report["modules"].items()
        if Path(file).is_relative_to(side.root)
    }
    problems += [
        f"{name} imported from {file}, not from {side.root}"
        for name, file in foreign_modules(report["modules"], side, roots, venv).items()
    ]
    packages = sorted({name.split(".")[0] for name in own})
    shown = ", ".join(
        f"{package} -> {Path(own[package]).parent}" for package in packages if package in own
    )
    print(
        f"  {side.label}: the Python models import {len(report['imported'])} module(s); "
        f"project packages: {shown or '(none)'}"
    )
    return problems


# --- the cases ----------------------------------------------------------------------------


@dataclasses.dataclass
class Inputs:
    """The before side's bundled files the derived inputs are made from."""

    seed: Path
    crm: Path
    orders: Path
    mall: Path | None

    def customers(self) -> pd.DataFrame:
        """conftest.sample_customers(): the sample with the Mall file's header, ids as text."""
        frame = pd.read_csv(self.seed, dtype={"customer_id": str})
        return frame.set_axis(MALL_HEADER, axis=1)


@dataclasses.dataclass
class Step:
    """One `dbt build`: the files it reads (written just before it) and its vars."""

    write: Callable[[Path], dict]  # writes into the case's input directory, returns vars


@dataclasses.dataclass
class Case:
    name: str
    description: str
    steps: list[Step]
    skip_reason: str | None = None


def write_bytes(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """conftest.write_csv: the text byte for byte (no newline translation)."""
    path.write_bytes(text.encode(encoding))
    return path


def customer_lines(customers: pd.DataFrame, delimiter: str = ",") -> list[str]:
    """test_bad_input.customer_lines."""
    rows = [delimiter.join(customers.columns)]
    rows += [delimiter.join(str(v) for v in row) for row in customers.itertuples(index=False)]
    return rows


def ragged_file(customers: pd.DataFrame) -> str:
    """test_bad_input.test_ragged_and_blank_lines_and_gender_codes's file."""
    lines = customer_lines(customers)
    lines[5:5] = ["901,Male,30"]
    lines[10:10] = ["902,Male,30,50,000,40"]
    lines[20:20] = ["", "  "]
    genders = ["M", "f", "FEMALE", "other", "x", "", "unknown", "Mann"]
    for offset, gender in enumerate(genders):
        fields = lines[30 + offset].split(",")
        lines[30 + offset] = ",".join([fields[0], gender, *fields[2:]])
    return "\r\n".join(lines) + "\r\n\r\n"


def bad_rows_file() -> str:
    """test_customer_files.test_bad_rows_are_kept_with_a_reason_and_nothing_is_lost's file."""
    rows = [
        "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)",
        *[f"{i},Female,{20 + i},{30 + i},{40 + i}" for i in range(1, 31)],
        ",Male,30,50,50",
        "40,Male,abc,50,50",
        "41,Male,30,NaN,50",
        "42,Male,30,inf,50",
        "43,Male,30,50,150",
        "44,Male,-5,50,50",
        "45,Male,30.5,50,50",
        "46,Male,30,,50",
        "5,Female,25,35,45",
        "6,Male,60,90,10",
        "47,M,33,1e12,50",
        "48,f,33,60,50",
        "49,,33,61,52",
    ]
    return "\n".join(rows) + "\n"


def messy_copy(customers: pd.DataFrame) -> str:
    """test_customer_files.messy_copy: header variants, BOM, CRLF, padded ids, quotes."""
    lines = [
        '\ufeff"CustomerID" ,Genre, Age ,Annual Income (k$),Spending Score (1-100),Email,Store'
    ]
    for row in customers.itertuples(index=False):
        customer_id, gender, age, income, score = row
        number = int(customer_id.removeprefix("C"))
        lines.append(
            f'{number:05d},  {gender} ,"{age}", "{income}" ,{score} ,c{number}@example.com,North'
        )
    return "\r\n".join(lines) + "\r\n"


def new_customers(customers: pd.DataFrame, count: int, first_id: int = 1001) -> pd.DataFrame:
    """test_model_lifecycle.new_customers."""
    drawn = customers.sample(count, random_state=11).copy()
    drawn["CustomerID"] = [f"N{number}" for number in range(first_id, first_id + count)]
    drawn["Age"] = drawn["Age"] + 1
    return drawn


def grown_with_young_big_spenders(customers: pd.DataFrame) -> pd.DataFrame:
    """test_scoring_only_run_keeps_labels_and_labels_new_customers's second file."""
    newcomers = new_customers(customers, 60)
    newcomers["Age"], newcomers["Spending Score (1-100)"] = 22, 95
    return pd.concat([customers, newcomers])


def changed_a_month_later(customers: pd.DataFrame) -> pd.DataFrame:
    """test_retrain_on_changed_data_keeps_ids_by_matching_and_keeps_history's second file."""
    changed = pd.concat([customers.iloc[20:], new_customers(customers, 15)])
    rng = np.random.default_rng(3)
    changed["Spending Score (1-100)"] = np.clip(
        changed["Spending Score (1-100)"] + rng.integers(-3, 4, len(changed)), 1, 100
    )
    return changed


def copy_into(source: Path, name: str) -> Callable[[Path], Path]:
    def write(directory: Path) -> Path:
        target = directory / name
        shutil.copyfile(source, target)
        return target

    return write


def all_cases(inputs: Inputs) -> list[Case]:
    customers = inputs.customers()

    def fixed(vars: dict) -> Step:
        return Step(lambda directory: vars)

    def file_step(write: Callable[[Path], Path], **vars) -> Step:
        return Step(lambda directory: {"customers_path": str(write(directory)), **vars})

    def customers_csv(frame: pd.DataFrame) -> Callable[[Path], Path]:
        def write(directory: Path) -> Path:
            path = directory / "customers.csv"
            frame.to_csv(path, index=False)
            return path

        return write

    mall = str(inputs.mall) if inputs.mall else None
    mall_skip = (
        None
        if mall
        else (
            f"the public Mall Customers file is not on this machine: set {MALL_VARIABLE} or put it "
            f"at {SCRIPT_ROOT.parent / 'shared' / 'data' / 'mall_customers.csv'}"
        )
    )
    crm = copy_into(inputs.crm, "crm_customers.csv")
    return [
        Case("sample", "the bundled sample seed, no vars (each side's own seed)", [fixed({})]),
        Case(
            "mall", "the public Mall Customers file", [fixed({"customers_path": mall})], mall_skip
        ),
        Case(
            "mall_income_spending",
            "the Mall file on annual_income and spending_score",
            [fixed({"customers_path": mall, "features": ["annual_income", "spending_score"]})],
            mall_skip,
        ),
        Case(
            "crm",
            "samples/crm_customers.csv on the CRM features",
            [file_step(crm, features=CRM_FEATURES)],
        ),
        Case(
            "crm_categorical",
            "the CRM file on the CRM features + loyalty_tier (categorical)",
            [file_step(crm, features=CRM_FEATURES, categorical_features=["loyalty_tier"])],
        ),
        Case(
            "rfm",
            "samples/sample_orders.csv alone (orders_path), on recency, frequency, monetary",
            [
                Step(
                    lambda d: {
                        "orders_path": str(copy_into(inputs.orders, "sample_orders.csv")(d)),
                        "features": RFM,
                    }
                )
            ],
        ),
        Case(
            "bad_rows",
            "test_customer_files' dirty.csv: bad values, duplicates, gender codes",
            [file_step(lambda d: write_bytes(d / "dirty.csv", bad_rows_file()))],
        ),
        Case(
            "ragged_lines",
            "test_bad_input's ragged.csv: unreadable lines, blank lines, CRLF; k 2..3",
            [file_step(lambda d: write_bytes(d / "ragged.csv", ragged_file(customers)), **FAST)],
        ),
        Case(
            "header_variants",
            "test_customer_files' messy copy: BOM, Genre, spaces, quotes, padded ids, CRLF",
            [file_step(lambda d: write_bytes(d / "customers messy.csv", messy_copy(customers)))],
        ),
        Case(
            "rerun_scoring_only",
            "build; then 60 young big spenders added, rebuilt with retrain false",
            [
                file_step(customers_csv(customers)),
                file_step(customers_csv(grown_with_young_big_spenders(customers)), retrain=False),
            ],
        ),
        Case(
            "rerun_id_matching",
            "build with k 6; then 20 gone, 15 new, scores moved, rebuilt with k 6",
            [
                file_step(customers_csv(customers), k=6),
                file_step(customers_csv(changed_a_month_later(customers)), k=6),
            ],
        ),
    ]


# --- building -----------------------------------------------------------------------------


@dataclasses.dataclass
class Build:
    vars: dict
    returncode: int
    seconds: float
    log: Path
    tail: str


@dataclasses.dataclass
class SideRun:
    builds: list[Build]
    warehouse: Path
    foreign: dict[str, str]
    own_packages: dict[str, str]

    @property
    def ok(self) -> bool:
        return all(build.returncode == 0 for build in self.builds) and not self.foreign


def run_side(
    side: Side,
    case: Case,
    case_dir: Path,
    env: dict[str, str],
    venv: Path,
    roots: list[Path],
    say: Callable[[str], None],
) -> SideRun:
    """The case's builds with the side's code. Both sides of a case build one after the other
    at the same paths (inputs, warehouse: the settings table records the input's path and
    DuckDB's temp directory next to the warehouse), then the warehouse moves to <side>/."""
    inputs = case_dir / "input"
    work = case_dir / side.label
    work.mkdir(parents=True)
    build_dir = case_dir / "build"
    build_dir.mkdir()
    warehouse = build_dir / "warehouse.duckdb"
    builds: list[Build] = []
    audit = work / "imports"
    for number, step in enumerate(case.steps, 1):
        vars = step.write(inputs)
        say(f"{case.name}: {side.label} build {number}/{len(case.steps)} started")
        log = work / f"build{number}.log"
        command = [
            str(venv / "bin" / "dbt"), "build",
            "--exclude-resource-type", "unit_test",
            "--project-dir", str(side.root),
            "--profiles-dir", str(side.root),
            "--target-path", str(work / f"target{number}"),
            "--log-path", str(work / f"logs{number}"),
            "--vars", json.dumps(vars),
        ]  # fmt: skip
        started = time.monotonic()
        with log.open("w") as out:
            process = subprocess.run(
                command,
                cwd=side.root,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
                env={
                    **env,
                    "SEGMENTS_DB_PATH": str(warehouse),
                    "COMPARE_MARTS_IMPORT_AUDIT": f"{audit}{number}",
                },
                timeout=BUILD_TIMEOUT_SECONDS,
            )
        seconds = time.monotonic() - started
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        builds.append(Build(vars, process.returncode, seconds, log, tail))
        outcome = "done" if process.returncode == 0 else f"FAILED (exit {process.returncode})"
        say(
            f"{case.name}: {side.label} build {number}/{len(case.steps)} {outcome} "
            f"in {seconds:.1f} s"
        )
        if process.returncode != 0:
            break
    shutil.move(build_dir, work / "build")
    warehouse = work / "build" / "warehouse.duckdb"
    modules: dict[str, str] = {}
    for dump in work.glob("imports*.json"):
        modules.update(json.loads(dump.read_text()))
    own = {
        name.split(".")[0]: str(Path(file).parent if file.endswith("__init__.py") else file)
        for name, file in modules.items()
        if Path(file).is_relative_to(side.root) and "." not in name
    }
    foreign = foreign_modules(modules, side, roots, venv)
    if foreign:
        say(f"{case.name}: {side.label} imported modules from elsewhere: {foreign}")
    return SideRun(builds, warehouse, foreign, own)


# --- comparing ----------------------------------------------------------------------------


@dataclasses.dataclass
class Table:
    name: str  # schema.table
    kind: str  # BASE TABLE / VIEW
    columns: list[tuple[str, str]]  # (name, type), in order
    rows: list[tuple]


def read_tables(warehouse: Path) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        listed = connection.execute(
            "select table_schema, table_name, table_type from information_schema.tables "
            "where table_catalog = current_database() order by 1, 2"
        ).fetchall()
        for schema, name, kind in listed:
            if schema in SYSTEM_SCHEMAS:
                continue
            columns = connection.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = current_database() and table_schema = ? "
                "and table_name = ? order by ordinal_position",
                [schema, name],
            ).fetchall()
            rows = connection.execute(f'select * from "{schema}"."{name}"').fetchall()
            tables[f"{schema}.{name}"] = Table(f"{schema}.{name}", kind, columns, rows)
    return tables


def is_run_specific(name: str, data_type: str) -> bool:
    """run ids and invocation ids by name; the run's timestamps by name and TIMESTAMP type."""
    lowered = name.lower()
    return bool(RUN_ID_COLUMN.search(lowered)) or (
        data_type.upper() in RUN_TIME_TYPES and bool(RUN_TIME_COLUMN.search(lowered))
    )


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def close(a, b, rel_tol: float, abs_tol: float) -> bool:
    """Equal, with numbers to the tolerance (NaN equals NaN), recursively in lists and structs."""
    if a is None or b is None:
        return a is None and b is None
    if is_number(a) and is_number(b):
        x, y = float(a), float(b)
        if math.isnan(x) or math.isnan(y):
            return math.isnan(x) and math.isnan(y)
        return x == y or math.isclose(x, y, rel_tol=rel_tol, abs_tol=abs_tol)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(
            close(x, y, rel_tol, abs_tol) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(close(a[k], b[k], rel_tol, abs_tol) for k in a)
    return a == b


def sort_key(value):
    """A total order over DuckDB's Python values; numbers rounded to 9 significant digits."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if is_number(value):
        number = float(value)
        return (2, (1, 0.0) if math.isnan(number) else (0, float(f"{number:.9g}")))
    if isinstance(value, str):
        return (3, value)
    if isinstance(value, list | tuple):
        return (5, tuple(sort_key(v) for v in value))
    if isinstance(value, dict):
        return (6, tuple((str(k), sort_key(v)) for k, v in value.items()))
    return (4, repr(value))


@dataclasses.dataclass
class Comparison:
    table: str
    status: str  # identical / differs / only before / only after
    kind: str
    rows_before: int | None
    rows_after: int | None
    ignored: list[str]
    notes: list[str]
    only_before_rows: list[dict]
    only_after_rows: list[dict]
    differing_columns: dict[str, int]
    unmatched_before: int = 0
    unmatched_after: int = 0
    # identical within the tolerance but not bit for bit: the largest relative difference
    last_digits: float | None = None


def compare_tables(
    before: Table | None, after: Table | None, rel_tol: float, abs_tol: float
) -> Comparison:
    if before is None or after is None:
        table = before or after
        status = "only before" if after is None else "only after"
        return Comparison(
            table.name, status, table.kind,
            len(before.rows) if before else None, len(after.rows) if after else None,
            [], [], [], [], {},
        )  # fmt: skip
    types_before, types_after = dict(before.columns), dict(after.columns)
    ignored = sorted(
        f"{name} ({data_type})"
        for name, data_type in {**types_after, **types_before}.items()
        if is_run_specific(name, data_type)
    )
    ignored_names = {entry.split(" (")[0] for entry in ignored}
    notes: list[str] = []
    different = False
    only_b = [c for c in types_before if c not in types_after]
    only_a = [c for c in types_after if c not in types_before]
    if only_b:
        notes.append(f"columns only before: {', '.join(only_b)}")
        different = True
    if only_a:
        notes.append(f"columns only after: {', '.join(only_a)}")
        different = True
    shared = [c for c in types_before if c in types_after and c not in ignored_names]
    retyped = [f"{c} {types_before[c]} -> {types_after[c]}" for c in shared
               if types_before[c] != types_after[c]]  # fmt: skip
    if retyped:
        notes.append(f"column types differ: {'; '.join(retyped)}")
        different = True
    order_b = [c for c in types_before if c in types_after]
    order_a = [c for c in types_after if c in types_before]
    if order_b != order_a:
        notes.append("column order differs")
        different = True
    if before.kind != after.kind:
        notes.append(f"materialized as {before.kind} before, {after.kind} after")

    tolerant = [
        bool(TOLERANT_TYPE.search(types_before[c]) or TOLERANT_TYPE.search(types_after[c]))
        for c in shared
    ]
    index_b = [[name for name, _ in before.columns].index(c) for c in shared]
    index_a = [[name for name, _ in after.columns].index(c) for c in shared]
    rows_b = [tuple(row[i] for i in index_b) for row in before.rows]
    rows_a = [tuple(row[i] for i in index_a) for row in after.rows]
    unmatched_b, unmatched_a = match_rows(rows_b, rows_a, tolerant, rel_tol, abs_tol)
    differing = differing_columns(unmatched_b, unmatched_a, shared, rel_tol, abs_tol)
    if unmatched_b or unmatched_a:
        different = True
    last_digits = None
    if not (unmatched_b or unmatched_a):
        inexact_b, inexact_a = match_rows(rows_b, rows_a, tolerant, 0.0, 0.0)
        if inexact_b or inexact_a:
            last_digits = largest_relative_difference(inexact_b, inexact_a)

    def shown(rows: list[tuple]) -> list[dict]:
        return [dict(zip(shared, row, strict=True)) for row in rows[:SHOWN_ROWS]]

    return Comparison(
        before.name, "differs" if different else "identical", after.kind,
        len(before.rows), len(after.rows), ignored, notes,
        shown(unmatched_b), shown(unmatched_a), differing, len(unmatched_b), len(unmatched_a),
        last_digits,
    )  # fmt: skip


def largest_relative_difference(rows_b: list[tuple], rows_a: list[tuple]) -> float:
    """Of rows equal within the tolerance (paired in sorted order): the largest relative
    difference of two numbers."""
    largest = 0.0

    def walk(x, y) -> None:
        nonlocal largest
        if is_number(x) and is_number(y):
            x, y = float(x), float(y)
            if x != y and not (math.isnan(x) or math.isnan(y)):
                largest = max(largest, abs(x - y) / max(abs(x), abs(y)))
        elif isinstance(x, list | tuple) and isinstance(y, list | tuple):
            for u, v in zip(x, y, strict=False):
                walk(u, v)
        elif isinstance(x, dict) and isinstance(y, dict):
            for key in x.keys() & y.keys():
                walk(x[key], y[key])

    for row_b, row_a in zip(rows_b, rows_a, strict=False):
        walk(row_b, row_a)
    return largest


def match_rows(
    rows_b: list[tuple], rows_a: list[tuple], tolerant: list[bool], rel_tol: float, abs_tol: float
) -> tuple[list[tuple], list[tuple]]:
    """The rows of each side without an equal row on the other (a multiset match): rows are
    grouped by their exact columns, then matched within a group with the float tolerance."""

    def exact_key(row: tuple):
        return tuple(sort_key(v) for v, loose in zip(row, tolerant, strict=True) if not loose)

    def full_key(row: tuple):
        return tuple(sort_key(v) for v in row)

    groups_b: dict = defaultdict(list)
    groups_a: dict = defaultdict(list)
    for row in rows_b:
        groups_b[exact_key(row)].append(row)
    for row in rows_a:
        groups_a[exact_key(row)].append(row)
    unmatched_b: list[tuple] = []
    unmatched_a: list[tuple] = []
    for key in sorted(set(groups_b) | set(groups_a)):
        left = sorted(groups_b.get(key, []), key=full_key)
        right = sorted(groups_a.get(key, []), key=full_key)
        if len(left) == len(right) and all(
            close(x, y, rel_tol, abs_tol) for x, y in zip(left, right, strict=True)
        ):
            continue
        remaining = list(right)
        for row in left:
            for position, candidate in enumerate(remaining):
                if close(row, candidate, rel_tol, abs_tol):
                    del remaining[position]
                    break
            else:
                unmatched_b.append(row)
        unmatched_a.extend(remaining)
    return sorted(unmatched_b, key=full_key), sorted(unmatched_a, key=full_key)


def differing_columns(
    unmatched_b: list[tuple],
    unmatched_a: list[tuple],
    columns: list[str],
    rel_tol: float,
    abs_tol: float,
) -> dict[str, int]:
    """For unmatched rows paired in sorted order (when both sides have as many): how many
    pairs differ in each column. A hint at where the difference is, not a proof."""
    if not unmatched_b or len(unmatched_b) != len(unmatched_a):
        return {}
    counts: dict[str, int] = defaultdict(int)
    for row_b, row_a in zip(unmatched_b, unmatched_a, strict=True):
        for name, x, y in zip(columns, row_b, row_a, strict=True):
            if not close(x, y, rel_tol, abs_tol):
                counts[name] += 1
    return dict(counts)


def compare_warehouses(before: Path, after: Path, rel_tol: float, abs_tol: float):
    tables_b, tables_a = read_tables(before), read_tables(after)
    return [
        compare_tables(tables_b.get(name), tables_a.get(name), rel_tol, abs_tol)
        for name in sorted(
            set(tables_b) | set(tables_a), key=lambda n: (n.split(".")[0] != "main", n)
        )
    ]


# --- one case, all cases ------------------------------------------------------------------


@dataclasses.dataclass
class CaseResult:
    case: Case
    seconds: float = 0.0
    runs: dict[str, SideRun] = dataclasses.field(default_factory=dict)
    comparisons: list[Comparison] = dataclasses.field(default_factory=list)
    error: str | None = None

    @property
    def outcome(self) -> str:
        if self.case.skip_reason:
            return "skipped"
        if self.error:
            return "error"
        failed = [label for label, run in self.runs.items() if not run.ok]
        if failed:
            return f"build failed ({', '.join(failed)})"
        statuses = {c.status for c in self.comparisons}
        return "identical" if statuses == {"identical"} else "differs"


def run_case(case: Case, sides: list[Side], scratch: Path, envs: dict, args, roots, say):
    result = CaseResult(case)
    if case.skip_reason:
        say(f"{case.name}: skipped: {case.skip_reason}")
        return result
    started = time.monotonic()
    case_dir = scratch / "cases" / case.name
    (case_dir / "input").mkdir(parents=True)
    try:
        for side in sides:
            run = run_side(side, case, case_dir, envs[side.label], args.venv, roots, say)
            result.runs[side.label] = run
            if not run.ok:
                break
        if all(label in result.runs and result.runs[label].ok for label in ("before", "after")):
            result.comparisons = compare_warehouses(
                result.runs["before"].warehouse, result.runs["after"].warehouse,
                args.rel_tol, args.abs_tol,
            )  # fmt: skip
    except Exception as error:  # reported with the case; the other cases go on
        result.error = f"{type(error).__name__}: {error}"
    result.seconds = time.monotonic() - started
    counts = defaultdict(int)
    for comparison in result.comparisons:
        counts[comparison.status] += 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    loose = [c.table for c in result.comparisons if c.last_digits is not None]
    if loose:
        summary += f"; within tolerance only: {', '.join(loose)}"
    say(
        f"{case.name}: {result.outcome} ({summary or result.error or 'no comparison'}) "
        f"in {result.seconds:.0f} s"
    )
    return result


def file_digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else None


def mall_file() -> Path | None:
    default = SCRIPT_ROOT.parent / "shared" / "data" / "mall_customers.csv"
    path = Path(os.environ.get(MALL_VARIABLE) or default).resolve()
    return path if path.is_file() else None


# --- the report ---------------------------------------------------------------------------


def cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def show_value(value) -> str:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return repr(value) if not isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def show_row(row: dict) -> str:
    return "{" + ", ".join(f"{k}: {show_value(v)}" for k, v in row.items()) + "}"


def write_report(path: Path, sides: list[Side], results: list[CaseResult], context: dict) -> str:
    lines = [
        "# Marts before and after",
        "",
        f"- Before: {sides[0].description}",
        f"- After: {sides[1].description}",
        f"- Command: `{context['command']}`",
        f"- Started {context['started']}, took {context['seconds'] / 60:.1f} min "
        f"({context['jobs']} case(s) at a time; DuckDB threads per build: {context['threads']}; "
        f"dbt and Python from `{context['venv']}`).",
        f"- Compared: every table and view of each warehouse (all schemas), as multisets of rows; "
        f"numbers to a relative tolerance of {context['rel_tol']:g} "
        f"(absolute {context['abs_tol']:g} near zero).",
        "- Inputs: both sides of a case read the same files at the same paths, made from the "
        "before side's bundled files as the tests make them (tests/python); the sample case "
        "reads each side's own seed.",
    ]
    for name, (digest_b, digest_a) in context["bundled"].items():
        same = (
            "identical on both sides"
            if digest_b == digest_a
            else (f"DIFFERS: before {digest_b}, after {digest_a}")
        )
        lines.append(f"  - `{name}`: {same}")
    lines.append("- Imports (what each side's dbt processes loaded from project directories):")
    for side in sides:
        packages = sorted(
            {
                f"`{name}` from `{where}`"
                for result in results
                for name, where in result.runs.get(
                    side.label, SideRun([], Path(), {}, {})
                ).own_packages.items()
            }
        )
        lines.append(f"  - {side.label}: {', '.join(packages) or '(none recorded)'}")
    foreign = [
        f"{result.case.name} {label}: {run.foreign}"
        for result in results
        for label, run in result.runs.items()
        if run.foreign
    ]
    lines.append(
        f"  - modules from the other side or the venv's editable install: "
        f"{'; '.join(foreign) if foreign else 'none'}"
    )
    ignored = sorted(
        {
            f"`{c.table}`: {', '.join(c.ignored)}"
            for r in results
            for c in r.comparisons
            if c.ignored
        }
    )
    lines.append("- Not compared (run-specific: run ids, invocation ids, the run's timestamps):")
    lines += [f"  - {entry}" for entry in ignored] or ["  - (none)"]

    lines += ["", "## Summary", "",
              "| case | input | result | tables | identical | of which within tolerance only "
              "| differ | only before | only after | time |",
              "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for result in results:
        counts = defaultdict(int)
        for comparison in result.comparisons:
            counts[comparison.status] += 1
        lines.append(
            f"| {result.case.name} | {cell(result.case.description)} | **{result.outcome}** | "
            f"{len(result.comparisons)} | {counts['identical']} | "
            f"{sum(c.last_digits is not None for c in result.comparisons)} | {counts['differs']} | "
            f"{counts['only before']} | {counts['only after']} | {result.seconds:.0f} s |"
        )
    lines += ["", "## Per case and table", ""]
    for result in results:
        lines += [f"### {result.case.name}", "", result.case.description, ""]
        if result.case.skip_reason:
            lines += [f"Skipped: {result.case.skip_reason}", ""]
            continue
        if result.error:
            lines += [f"Error: `{result.error}`", ""]
        for label, run in result.runs.items():
            for number, build in enumerate(run.builds, 1):
                lines.append(
                    f"- {label} build {number}: exit {build.returncode}, "
                    f"{build.seconds:.1f} s, vars `{json.dumps(build.vars)}`"
                )
                if build.returncode != 0:
                    lines += ["", "```", build.tail, "```", ""]
        if not result.comparisons:
            lines.append("")
            continue
        lines += ["", "| table | kind | rows before | rows after | result | details |",
                  "|---|---|---:|---:|---|---|"]  # fmt: skip
        for c in result.comparisons:
            details = list(c.notes)
            if c.unmatched_before or c.unmatched_after:
                details.append(
                    f"{c.unmatched_before} row(s) before and {c.unmatched_after} "
                    "after have no equal row on the other side"
                )
            if c.last_digits is not None:
                details.append(
                    "equal within the tolerance, not bit for bit (largest relative difference "
                    f"{c.last_digits:.1e})"
                )
            if c.differing_columns:
                details.append(
                    "differing columns: "
                    + ", ".join(f"{name} ({n})" for name, n in sorted(c.differing_columns.items()))
                )
            lines.append(
                f"| {c.table} | {'view' if c.kind == 'VIEW' else 'table'} | "
                f"{'' if c.rows_before is None else c.rows_before} | "
                f"{'' if c.rows_after is None else c.rows_after} | {c.status} | "
                f"{cell('; '.join(details))} |"
            )
        for c in result.comparisons:
            if c.only_before_rows or c.only_after_rows:
                lines += ["", f"First unmatched rows of `{c.table}`:", "", "```"]
                lines += [f"before: {show_row(row)}" for row in c.only_before_rows]
                lines += [f"after:  {show_row(row)}" for row in c.only_after_rows]
                lines.append("```")
        lines.append("")
    text = "\n".join(lines) + "\n"
    if path:
        path.write_text(text)
    return text


# --- main ---------------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="git revision or project directory")
    parser.add_argument("--after", required=True, help="git revision or project directory")
    parser.add_argument("--out", type=Path, help="the markdown report (default: print it)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="these cases only")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    parser.add_argument("--jobs", type=int, default=2, help="cases at a time (default 2)")
    parser.add_argument(
        "--duckdb-threads",
        default="1",
        help="SEGMENTS_DUCKDB_THREADS of every build (default 1; 0: unset, every core)",
    )
    parser.add_argument("--rel-tol", type=float, default=1e-9)
    parser.add_argument(
        "--abs-tol",
        type=float,
        default=1e-12,
        help="absolute tolerance for numbers near zero (default 1e-12)",
    )
    parser.add_argument(
        "--repo",
        type=Path,
        default=SCRIPT_ROOT,
        help="the git repository of the revisions (default: this script's)",
    )
    parser.add_argument(
        "--venv",
        type=Path,
        default=DEFAULT_VENV,
        help="the venv with dbt-duckdb, used by both sides",
    )
    parser.add_argument("--keep", action="store_true", help="keep the worktrees and warehouses")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    args.venv = args.venv.resolve()
    started_wall = dt.datetime.now().astimezone()
    started = time.monotonic()
    lock = threading.Lock()

    def say(message: str) -> None:
        with lock:
            print(f"[{time.monotonic() - started:7.1f}s] {message}", flush=True)

    scratch = Path(tempfile.mkdtemp(prefix="compare_marts-"))
    sides: list[Side] = []
    try:
        for label, spec in (("before", args.before), ("after", args.after)):
            sides.append(open_side(label, spec, args.repo.resolve(), scratch))
            say(f"{label}: {sides[-1].description}")
        inputs = Inputs(
            seed=sides[0].root / BUNDLED_INPUTS[0],
            crm=sides[0].root / BUNDLED_INPUTS[1],
            orders=sides[0].root / BUNDLED_INPUTS[2],
            mall=mall_file(),
        )
        cases = all_cases(inputs)
        if args.list:
            for case in cases:
                print(f"{case.name:22} {case.description}")
            return 0
        if args.only:
            unknown = set(args.only) - {case.name for case in cases}
            if unknown:
                raise SystemExit(f"--only: no case named {', '.join(sorted(unknown))}")
            cases = [case for case in cases if case.name in args.only]

        audit_dir = scratch / "import_audit"
        audit_dir.mkdir()
        (audit_dir / "sitecustomize.py").write_text(IMPORT_AUDIT)
        roots = known_roots(sides, args.venv)
        envs = {
            s.label: side_environment(s, args.venv, audit_dir, args.duckdb_threads) for s in sides
        }
        say("checking that each side imports its own packages")
        problems = {s.label: check_imports(s, envs[s.label], args.venv, roots) for s in sides}
        if any(problems.values()):
            for label, found in problems.items():
                for problem in found:
                    print(f"  {label}: {problem}", file=sys.stderr)
            return 2
        bundled = {
            name: (file_digest(sides[0].root / name), file_digest(sides[1].root / name))
            for name in BUNDLED_INPUTS
        }
        for name, (digest_b, digest_a) in bundled.items():
            if digest_b != digest_a:
                say(f"note: {name} differs between the sides ({digest_b} / {digest_a})")

        say(f"{len(cases)} case(s), {args.jobs} at a time")
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = [
                pool.submit(run_case, case, sides, scratch, envs, args, roots, say)
                for case in cases
            ]
            results = [future.result() for future in futures]
        seconds = time.monotonic() - started
        context = {
            "command": " ".join(["python", "scripts/compare_marts.py", *(argv or sys.argv[1:])]),
            "started": started_wall.strftime("%Y-%m-%d %H:%M %Z"),
            "seconds": seconds,
            "jobs": args.jobs,
            "threads": args.duckdb_threads
            if args.duckdb_threads not in ("", "0")
            else "DuckDB's default (every core)",
            "venv": args.venv,
            "rel_tol": args.rel_tol,
            "abs_tol": args.abs_tol,
            "bundled": bundled,
        }
        report = write_report(args.out, sides, results, context)
        if not args.out:
            print(report)
        say(f"finished in {seconds / 60:.1f} min" + (f"; report: {args.out}" if args.out else ""))
        for result in results:
            print(f"  {result.case.name:22} {result.outcome}")
        outcomes = {result.outcome for result in results} - {"skipped"}
        if outcomes <= {"identical"}:
            return 0
        return 1 if outcomes <= {"identical", "differs"} else 2
    finally:
        if args.keep:
            say(f"kept: {scratch}")
        else:
            for side in sides:
                close_side(side, args.repo.resolve())
            with contextlib.suppress(OSError):
                shutil.rmtree(scratch)


if __name__ == "__main__":
    sys.exit(main())
