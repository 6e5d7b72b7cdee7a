"""The dbt project's own standards, read from what dbt parses: every model documented, every
primary key tested, contracts on the SQL marts, unit tests, a valid semantic layer, every
macro documented with its arguments and each engine's macros in its folder; and
`dbt docs generate` and the analyses compiling (and running) against a built warehouse. Also
the project's written docs: a short README whose commands are CI's, and links that resolve."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import PROJECT_ROOT, copy_warehouse, run_dbt
from dbt_semantic_interfaces.implementations.semantic_manifest import PydanticSemanticManifest
from dbt_semantic_interfaces.validations.semantic_manifest_validator import (
    SemanticManifestValidator,
)

from dashboards.marts import REQUIRED_COLUMNS

PROJECT = "customer_segments"
# Lines of macros/**/*.sql may only shrink (a simpler model must never fail this, so the ceiling
# is on macro lines, not on their ratio to model SQL lines). Issue 22 aims at a third of the
# model SQL lines; the ratio is printed (pytest -rP).
# 1850 until two rounds ago (1842 lines), then reading d/m/y and m/d/y dates without a var
# (+52), ids written as decimals (12345.0) as numbers (+8), placeholders (NA) as missing numbers
# (+2), customer files without ids numbered by their row (+16) and a why-comment (+2): 1922.
# This round: an SQL keyword as a feature name stopped with the rename to make (+15) and ISO
# dates followed by junk rejected on Spark too (+4); the orders' status column and every
# missing column in one message paid for by inlining the single-caller input_column_spec,
# header_hint and parquet_export_dir (input_files.sql -1, export_parquet.sql -6): 1934. Then
# the var a rejection reason names, written once for int_rejection_summary and test
# assert_some_customer_row_is_usable instead of in both (+14 here, -8 of model SQL): 1948.
# Next round: the scoring macros read the feature names once, not once per slot (+3; compiling
# customer_segments for a stored model, with most_segments() slots, took 10 s): 1951. Then a
# third hostile-user pass on real-shaped exports: more than half the customers rejected stops
# the build (+9), a built-in range names its unit (+5), thousands that read only one way and
# accounting negatives (+11), the missing-features message offers var features (+6), and the
# var max_rejected_share read in one place for the two that use it (+5): 1987. Then a fourth
# pass: accented headers read as their plain letters (Âge is age, +5), ids marked as text for
# Excel ('123, Shopify's, +3), a single column blamed on the delimiter only when its header
# holds one (+1), a label's dots between letters as spaces (Annual.Income, +1) and a name
# starting with date_ read as a date (+0): 1998. Then rows numbered as read where staging
# joins the date orders to them, which DuckDB does not keep in file order (+5): 2003. Then
# dates as one number, yyyymmdd (CDNOW) and a spreadsheet's serial day (+8), numbers with a
# currency code (USD 12.00, +1), a header DuckDB could not read named as an encoding problem
# (+4) and WooCommerce's Email (Billing) (+1): 2017. Then an orders file's currency column
# (+2; lines in another currency than the main one are rejected): 2018. Then the message
# for a customer file without the default features offers the order features beside an
# orders file (+1): 2019. Then Shopify's orders export read by its Name (+2): 2021.
# Next round: Excel's delimiter hint line (sep=;) named as what to delete (+2): 2023.
# Then a header written twice (Age,Age: DuckDB's Age_1) stops the build naming both (+8): 2031.
# Then var feature_settings' key role (what a feature measures for the playbook) checked (+4):
# 2035.
MACRO_LINES_CEILING = 2035


@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> Path:
    """The target directory of `dbt parse` into a temporary path (no warehouse needed)."""
    tmp_path = tmp_path_factory.mktemp("parse")
    result = run_dbt(tmp_path, command="parse")
    assert result.returncode == 0, result.stdout[-4000:]
    # Warnings dbt could avoid (deprecations, unused config paths, semantic layer) are defects.
    assert "WARN" not in result.stdout, result.stdout[-4000:]
    return tmp_path / "target"


@pytest.fixture(scope="module")
def manifest(parsed) -> dict:
    return json.loads((parsed / "manifest.json").read_text())


def project_models(manifest: dict) -> list[dict]:
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == PROJECT
    ]


def is_mart(model: dict) -> bool:
    return model["fqn"][1] == "marts"


def generic_tests_by_model(manifest: dict) -> dict[str, list[dict]]:
    """Generic data tests (unique, not_null, unique_combination, ...) per model unique_id."""
    attached = defaultdict(list)
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node.get("test_metadata"):
            attached[node["attached_node"]].append(node)
    return attached


def primary_key_problem(model: dict, tests: list[dict]) -> str | None:
    """None when the model has a column tested unique and not null (by a test, or by a
    not_null constraint of its enforced contract, which costs no query), or a
    unique_combination of columns; else what is missing."""
    columns_with = defaultdict(set)
    for test in tests:
        name = test["test_metadata"]["name"]
        column = test["test_metadata"]["kwargs"].get("column_name")
        if column:
            columns_with[name].add(column)
        if name == "unique_combination":
            return None
    not_null = columns_with["not_null"] | columns_with_not_null_constraints(model)
    if columns_with["unique"] & not_null:
        return None
    return f"{model['name']}: no column tested unique and not null (nor a unique_combination)"


def columns_with_not_null_constraints(model: dict) -> set[str]:
    if not model.get("contract", {}).get("enforced"):
        return set()
    return {
        column["name"]
        for column in model.get("columns", {}).values()
        if any(constraint["type"] == "not_null" for constraint in column.get("constraints", []))
    }


def test_every_model_and_column_is_documented(manifest):
    problems = []
    for model in project_models(manifest):
        if not model["description"].strip():
            problems.append(f"{model['name']}: no description")
        if not model["columns"]:
            problems.append(f"{model['name']}: no columns documented")
        for column in model["columns"].values():
            if not column["description"].strip():
                problems.append(f"{model['name']}.{column['name']}: no description")
    assert not problems, "\n".join(problems)


def project_macros(manifest: dict) -> list[dict]:
    """The project's macros, generic tests (test_<name>) included."""
    return [macro for macro in manifest["macros"].values() if macro["package_name"] == PROJECT]


def macro_signature(macro: dict) -> list[str]:
    """The argument names of a macro's (or generic test's) Jinja definition."""
    header = macro["macro_sql"].split("%}", 1)[0]
    arguments = header[header.index("(") + 1 : header.rindex(")")]
    definition = ast.parse(f"def {macro['name']}({arguments}): pass").body[0]
    return [argument.arg for argument in definition.args.args]


def macro_documentation_problems(macro: dict) -> list[str]:
    """What its entry in macros/_macros.yml lacks: a description, or its arguments in the order
    of its definition, each with a type and a description."""
    if not macro["patch_path"] or not macro["description"].strip():
        return [f"{macro['name']}: no entry with a description in macros/_macros.yml"]
    problems = []
    documented = [argument["name"] for argument in macro["arguments"]]
    if documented != macro_signature(macro):
        problems.append(
            f"{macro['name']}: documented arguments {documented}, defined {macro_signature(macro)}"
        )
    problems += [
        f"{macro['name']}.{argument['name']}: no type or no description"
        for argument in macro["arguments"]
        if not argument.get("type") or not argument["description"].strip()
    ]
    return problems


def engine_folder_problem(macro: dict) -> str | None:
    """A dispatcher (adapter.dispatch) and its portable default__ belong in a topic file of
    macros/engines/, an engine's variant <engine>__<name> in macros/engines/<engine>/: a new
    engine is one folder of macros (and one profile output)."""
    engine = macro["name"].split("__", 1)[0] if "__" in macro["name"] else None
    if engine and engine != "default":
        expected = f"macros/engines/{engine}"
    elif engine == "default" or "adapter.dispatch(" in macro["macro_sql"]:
        expected = "macros/engines"
    else:
        return None
    if str(Path(macro["original_file_path"]).parent) != expected:
        return f"{macro['name']}: in {macro['original_file_path']}, not {expected}/"
    return None


def sql_lines(folder: str) -> int:
    paths = (PROJECT_ROOT / folder).rglob("*.sql")
    return sum(len(path.read_text().splitlines()) for path in paths)


def test_macros_are_documented_in_their_place_and_do_not_grow(manifest):
    """A macro earns its place (STYLE.md): each is documented with its arguments, engine
    differences are in macros/engines/, and macro lines may only shrink (the target is a
    third of the model SQL lines; the ratio is printed: pytest -rP)."""
    problems = []
    for macro in project_macros(manifest):
        problems += macro_documentation_problems(macro)
        problems += filter(None, [engine_folder_problem(macro)])
    macro_lines, model_lines = sql_lines("macros"), sql_lines("models")
    ratio = macro_lines / model_lines
    report = f"macro lines / model SQL lines = {macro_lines} / {model_lines} = {ratio:.3f}"
    print(report)
    if macro_lines > MACRO_LINES_CEILING:
        problems.append(f"{report}: {macro_lines} macro lines, above {MACRO_LINES_CEILING}")
    assert not problems, "\n".join(problems)


def test_every_sql_mart_enforces_a_contract_with_typed_columns(manifest):
    marts = [model for model in project_models(manifest) if is_mart(model)]
    assert len(marts) >= 6
    problems = []
    for mart in marts:
        if mart["language"] != "sql":
            continue
        # a mart whose attribute columns follow the build cannot list them in a contract: its
        # fixed columns are documented and typed all the same
        follows_the_build = mart["config"]["meta"].get("columns_follow_the_build", False)
        if not mart["config"]["contract"]["enforced"] and not follows_the_build:
            problems.append(f"{mart['name']}: contract not enforced")
        problems += [
            f"{mart['name']}.{column['name']}: no data_type"
            for column in mart["columns"].values()
            if not column.get("data_type")
        ]
    # With the contract enforced, dbt fails the build when the SQL's columns differ from the
    # documented ones, so "every documented column described" is "every column described".
    assert not problems, "\n".join(problems)


def test_every_model_and_seed_has_primary_key_tests(manifest):
    """Every model's key is tested, on the model itself or, for a view or table whose rows are
    another model's rows one for one (meta primary_key_tested_in, which must say why), on that
    model or by a singular test of the project: each uniqueness test is a full scan, which at
    10^7 rows is worth not repeating, nor running while every model downstream waits."""
    attached = generic_tests_by_model(manifest)
    by_name = {node["name"]: node for node in manifest["nodes"].values()}
    problems = []
    for node in manifest["nodes"].values():
        if node["package_name"] != PROJECT or node["resource_type"] not in ("model", "seed"):
            continue
        tested_in = node["config"]["meta"].get("primary_key_tested_in")
        if tested_in:
            if not node["config"]["meta"].get("primary_key_tested_in_because"):
                problems.append(f"{node['name']}: primary_key_tested_in without a reason")
            if tested_in not in by_name:
                problems.append(f"{node['name']}: primary_key_tested_in {tested_in}: no such node")
                continue
            node = by_name[tested_in]
            if node["resource_type"] == "test" and not node.get("test_metadata"):
                continue  # a singular test, which says in its own comment what it checks
        problem = primary_key_problem(node, attached[node["unique_id"]])
        if problem:
            problems.append(problem)
    assert not problems, "\n".join(problems)


def test_every_mart_is_checked_by_a_test_of_its_values(manifest):
    """Beyond its key, each mart's values are checked, in singular tests that read a table
    once for all of its checks (a generic test per column and rule would scan it each time)."""
    checked = set()
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and not node.get("test_metadata"):
            checked |= {parent.split(".")[-1] for parent in node["depends_on"]["nodes"]}
    marts = {
        model["name"]
        for model in project_models(manifest)
        if is_mart(model) and model["name"] not in ("segment_centroid_history",)
    }
    # the long views and profiles are checked through the marts they are computed from
    assert marts - {"customer_feature_values", "segment_category_profiles"} <= checked
    # the generic tests come from this project (macros/), not from a package
    for macro in ("test_unique_combination", "test_segmentable_customers"):
        path = manifest["macros"][f"macro.customer_segments.{macro}"]["original_file_path"]
        assert path.startswith("macros/")


def test_unit_tests_cover_validation_scoring_profiles_and_naming(manifest):
    unit_tests = manifest["unit_tests"].values()
    tested_models = {test["model"] for test in unit_tests}
    assert len(unit_tests) >= 5
    covered = {
        "stg_customer_file_rows",
        "customer_segments",
        "segment_profiles",
        "segment_feature_profiles",
        "segment_centroids",
        "segment_recommendations",
    }
    assert covered <= tested_models


def test_dashboard_is_an_exposure_of_the_marts(manifest):
    exposure = manifest["exposures"]["exposure.customer_segments.segments_dashboard"]
    assert exposure["type"] == "dashboard"
    depends_on = {node.split(".")[-1] for node in exposure["depends_on"]["nodes"]}
    # every mart the dashboard reads (dashboards.marts.REQUIRED_COLUMNS) but the view
    # customer_feature_values: dbt_project_evaluator wants an exposure's parents to be tables
    assert set(REQUIRED_COLUMNS) - {"customer_feature_values"} <= depends_on


def test_semantic_layer_validates_without_issues(manifest, parsed):
    metric_names = {metric["name"] for metric in manifest["metrics"].values()}
    assert {
        "customer_count",
        "customer_share",
        "average_value",
        "customers_with_value",
    } <= metric_names
    # no metric names an attribute: they hold whatever the features (attribute_value__feature)
    assert not {"average_age", "average_annual_income", "average_spending_score"} & metric_names
    assert manifest["semantic_models"]
    # dbt parse validated it already; validate it again as MetricFlow does, warnings included.
    semantic_manifest = PydanticSemanticManifest.parse_obj(
        json.loads((parsed / "semantic_manifest.json").read_text())
    )
    result = SemanticManifestValidator().validate_semantic_manifest(semantic_manifest)
    assert not result.all_issues, [issue.message for issue in result.all_issues]


def test_dbt_docs_generate_succeeds(sample_warehouse, tmp_path):
    copy_warehouse(sample_warehouse, tmp_path)
    result = run_dbt(tmp_path, command="docs generate")
    assert result.returncode == 0, result.stdout[-4000:]
    catalog = json.loads((tmp_path / "target" / "catalog.json").read_text())
    in_catalog = {node.split(".")[-1] for node in catalog["nodes"]}
    assert {"customer_segments", "segment_profiles", "segment_recommendations"} <= in_catalog
    assert (tmp_path / "target" / "index.html").exists()


def test_analyses_compile_and_run_on_the_warehouse(sample_warehouse, tmp_path):
    copy_warehouse(sample_warehouse, tmp_path)
    result = run_dbt(tmp_path, command="compile", select="resource_type:analysis")
    assert result.returncode == 0, result.stdout[-4000:]
    compiled = sorted((tmp_path / "target" / "compiled" / PROJECT / "analyses").glob("*.sql"))
    sources = sorted((PROJECT_ROOT / "analyses").glob("*.sql"))
    assert len(sources) >= 5
    assert [path.name for path in compiled] == [path.name for path in sources]
    with duckdb.connect(str(sample_warehouse), read_only=True) as connection:
        for path in compiled:
            # every analysis is valid SQL on the real marts (the history drift may be empty)
            connection.execute(path.read_text()).fetchall()


EVALUATOR_DIR = PROJECT_ROOT / "tests" / "evaluator"
DBT_PACKAGES_VARIABLE = "SEGMENTS_DBT_PACKAGES"
DBT_PACKAGES_DEFAULT = PROJECT_ROOT / ".." / "shared" / "dbt-packages"


def project_copy_with_the_evaluator(packages: Path, copy: Path) -> Path:
    """This project's files in `copy`, with dbt_project_evaluator and dbt_utils from local
    copies (`packages`) and the settings and exceptions of tests/evaluator."""
    shutil.copytree(
        PROJECT_ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "target", "logs", "dbt_packages", "warehouse", "output", "test-output"
        ),
    )
    (copy / "packages.yml").write_text(
        "packages:\n"
        f"  - local: {packages.resolve() / 'dbt_utils'}\n"
        f"  - local: {packages.resolve() / 'dbt_project_evaluator'}\n"
    )
    project = yaml.safe_load((copy / "dbt_project.yml").read_text())
    settings = yaml.safe_load((EVALUATOR_DIR / "dbt_project_evaluator.yml").read_text())
    for key, value in settings.items():
        project[key] = {**project.get(key, {}), **value} if isinstance(value, dict) else value
    project["seeds"]["customer_segments"] = {
        **yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())["seeds"][
            "customer_segments"
        ],
        **settings["seeds"]["customer_segments"],
    }
    (copy / "dbt_project.yml").write_text(yaml.safe_dump(project, sort_keys=False))
    shutil.copy(EVALUATOR_DIR / "dbt_project_evaluator_exceptions.csv", copy / "seeds")
    shutil.copy(EVALUATOR_DIR / "is_empty.sql", copy / "macros" / "tests")
    return copy


def test_dbt_project_evaluator_flags_nothing(tmp_path):
    """dbt Labs' dbt_project_evaluator, on a copy of the project (the repository's own
    packages.yml stays free of it), finds nothing but what tests/evaluator excepts, with
    reasons; test and documentation coverage are 100%."""
    packages = Path(os.environ.get(DBT_PACKAGES_VARIABLE) or DBT_PACKAGES_DEFAULT)
    if not (packages / "dbt_project_evaluator").is_dir():
        pytest.skip(
            "dbt_project_evaluator is not on this machine (dbt Hub is out of reach): set "
            f"{DBT_PACKAGES_VARIABLE} to a directory with local copies of "
            "dbt_project_evaluator and dbt_utils, or put them in ../shared/dbt-packages"
        )
    copy = project_copy_with_the_evaluator(packages, tmp_path / "project")
    result = run_dbt(tmp_path, command="deps", project_dir=copy)
    assert result.returncode == 0, result.stdout[-3000:]
    # no build of the project is needed: the evaluator reads dbt's graph
    # no build of the project is needed: the evaluator reads dbt's graph (its checks are
    # tests that fail when a check finds something; the tables below say what)
    run_dbt(tmp_path, command="build", select="+package:dbt_project_evaluator", project_dir=copy)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as connection:
        checks = connection.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'dbt_project_evaluator' and table_name like 'fct_%' "
            "and table_name not like '%coverage'"
        ).fetchall()
        found = {
            table: connection.execute(f"select * from dbt_project_evaluator.{table}").fetchall()
            for (table,) in checks
        }
        coverage = [
            connection.execute(f"select {column} from dbt_project_evaluator.{table}").fetchone()[0]
            for table, column in [
                ("fct_test_coverage", "test_coverage_pct"),
                ("fct_documentation_coverage", "documentation_coverage_pct"),
            ]
        ]
    assert len(checks) > 20
    assert {table: rows for table, rows in found.items() if rows} == {}
    assert coverage == [100, 100]  # tests, documentation


README = PROJECT_ROOT / "README.md"
README_MAX_LINES = 210
# The pages a reader follows links between: the README, the reference pages, the benchmarks.
LINKED_PAGES = [
    README,
    PROJECT_ROOT / "BENCHMARKS.md",
    *sorted((PROJECT_ROOT / "docs").glob("*.md")),
]
MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def markdown_outside_code(text: str) -> list[str]:
    """The lines of a Markdown text that are not inside fenced code blocks."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def heading_anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file: lower case, punctuation other
    than - and _ dropped, spaces as -, a repeated one suffixed -1, -2, ..."""
    anchors: set[str] = set()
    for line in markdown_outside_code(path.read_text(encoding="utf-8")):
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not heading:
            continue
        anchor = re.sub(r"[^\w\- ]", "", heading.group(1).lower()).replace(" ", "-")
        candidate, repeat = anchor, 0
        while candidate in anchors:
            repeat += 1
            candidate = f"{anchor}-{repeat}"
        anchors.add(candidate)
    return anchors


def test_readme_is_short_and_its_quick_start_is_what_ci_runs():
    """The README says what the project is, how to start and where the rest is: at most
    README_MAX_LINES lines. Its quick start is the main job, then the tests; CI (.ci/run) runs
    the README's test commands."""
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= README_MAX_LINES
    quick_start = text.split("## Quick start", 1)[1].split("```bash\n", 1)[1].split("```")[0]
    assert quick_start.splitlines() == ["./run build", "./run test"]
    ci_commands = [
        line.strip()
        for line in (PROJECT_ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip().startswith("./run")
    ]
    assert ci_commands and all(f"`{command}`" in text for command in ci_commands), ci_commands


@pytest.mark.parametrize("page", LINKED_PAGES, ids=lambda path: path.name)
def test_docs_links_resolve(page):
    """Every relative link of the page names a file of the repository, and every #anchor a
    heading of the page it points to."""
    problems = []
    for line in markdown_outside_code(page.read_text(encoding="utf-8")):
        for target in MARKDOWN_LINK.findall(line):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            file_part, _, anchor = target.partition("#")
            linked = (page.parent / file_part).resolve() if file_part else page
            if not linked.exists() or PROJECT_ROOT not in linked.parents:
                problems.append(f"{target}: no such file in the repository")
            elif anchor and anchor not in heading_anchors(linked):
                problems.append(f"{target}: {linked.name} has no heading #{anchor}")
    assert not problems, "\n".join(problems)


def test_docs_vars_reference_names_every_var():
    """docs/vars.md names every var of dbt_project.yml and every var('...') the SQL reads."""
    documented = set(re.findall(r"`([a-z_]+)`", (PROJECT_ROOT / "docs" / "vars.md").read_text()))
    declared = set(yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())["vars"])
    read = {
        name
        for folder in ("macros", "models", "python_models")
        for path in (PROJECT_ROOT / folder).rglob("*.*")
        if path.suffix in (".sql", ".yml", ".py")
        for name in re.findall(r"\bvar\(\s*['\"]([a-z_]+)['\"]", path.read_text())
    }
    assert declared and read
    assert (declared | read) - documented == set()


def test_the_unknown_var_check_knows_every_var_of_the_project():
    """check_vars_are_known stops a run on a var it does not list (dbt would ignore a misspelt
    var): it lists exactly the vars of dbt_project.yml and of docs/vars.md's table."""
    declared = set(yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())["vars"])
    vars_doc = (PROJECT_ROOT / "docs" / "vars.md").read_text()
    dbt_vars = vars_doc.split("## dbt vars")[1].split("\n## ")[0]
    documented = {
        name
        for first_cell in re.findall(r"^\| ([^|]+)\|", dbt_vars, flags=re.MULTILINE)
        for name in re.findall(r"`([a-z_]+)`", first_cell)
    }
    macro = (PROJECT_ROOT / "macros" / "segmentation_settings.sql").read_text()
    known = macro.split("macro check_vars_are_known")[1].split("] -%}")[0]
    listed = set(re.findall(r"'([a-z_]+)'", known))
    assert listed == declared | documented, (
        f"not listed: {sorted((declared | documented) - listed)}; "
        f"neither declared nor documented: {sorted(listed - declared - documented)}"
    )
