"""Each Python package does one job: segmentation/ is the K-means domain and knows no dbt and no
engine; model_io/ (what the dbt Python models read and write through) and operations/ (what
./run calls around dbt) use it, never the other way round."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

from conftest import PROJECT_ROOT

# Besides the standard library and itself, the K-means domain uses numerical libraries only.
DOMAIN_LIBRARIES = {"numpy", "pandas", "sklearn", "scipy", "threadpoolctl"}
ENGINES_AND_DBT = {"dbt", "duckdb", "pyspark"}
# The project's packages each package may import (itself included).
PROJECT_IMPORTS_ALLOWED = {
    "segmentation": {"segmentation"},
    "model_io": {"model_io", "segmentation"},
    "operations": {"operations"},
    "dashboards": {"dashboards"},
}


def project_packages() -> set[str]:
    """The folders of the repository root that are Python packages."""
    return {path.parent.name for path in PROJECT_ROOT.glob("*/__init__.py")}


def packaged() -> set[str]:
    """The packages pyproject.toml installs (what the dbt Python models can import)."""
    listed = re.search(
        r"^packages = \[(.*)\]$", (PROJECT_ROOT / "pyproject.toml").read_text(), re.M
    )
    return set(re.findall(r'"([^"]+)"', listed.group(1)))


def imported_modules(package: str) -> list[tuple[str, str]]:
    """(file, top-level module) of every absolute import in the package's files."""
    found = []
    for path in sorted((PROJECT_ROOT / package).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found += [(f"{package}/{path.name}", name.split(".")[0]) for name in names]
    return found


def test_the_domain_imports_numerical_libraries_and_the_standard_library_only():
    allowed = DOMAIN_LIBRARIES | set(sys.stdlib_module_names) | {"segmentation"}
    outside = [
        (file, module) for file, module in imported_modules("segmentation") if module not in allowed
    ]
    assert not outside, (
        f"the K-means domain imports {outside}: that code belongs in model_io/ or operations/"
    )


def test_importing_the_domain_loads_no_dbt_and_no_engine():
    files = (PROJECT_ROOT / "segmentation").glob("*.py")
    modules = sorted(f"segmentation.{path.stem}" for path in files if path.stem != "__init__")
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; import {', '.join(modules)}; "
            "print(sorted({name.split('.')[0] for name in sys.modules}))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    ).stdout
    assert not ENGINES_AND_DBT & set(ast.literal_eval(loaded))


def test_every_package_is_installed_and_placed():
    assert packaged() == project_packages(), "list every package in pyproject.toml's packages"
    assert project_packages() == set(PROJECT_IMPORTS_ALLOWED), "say what the new package may use"


def test_each_package_imports_only_the_project_packages_it_builds_on():
    for package in sorted(project_packages()):
        others = project_packages() - PROJECT_IMPORTS_ALLOWED[package]
        wrong = [(file, module) for file, module in imported_modules(package) if module in others]
        assert not wrong, f"{package}/ may not import {wrong}"
