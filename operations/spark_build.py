"""dbt on Apache Spark in this process, with the project's Python models.

dbt-spark submits Python models only to Databricks clusters (dbt-labs/dbt-adapters#1146). Its
`session` method runs Spark inside the dbt process, so a Python model can run right there, on
the same SparkSession: this module adds that submission method (the default for session
profiles) and runs dbt. `./run build --target spark` calls it:

    python -m operations.spark_build build --target spark [dbt args]

A plain `dbt build --target spark` stops at the first Python model (no cluster to submit to).
On Databricks (dbt-databricks), Snowflake and BigQuery dbt runs the Python models itself.

After a build with var export_parquet, each mart Spark wrote as a directory with one part file
(<parquet_export_dir>/<mart>.parquet/part-...) becomes that file, as DuckDB writes it.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml
from dbt.adapters.base import PythonJobHelper
from dbt.adapters.spark.impl import SparkAdapter
from dbt.cli.main import dbtRunner

SESSION = "session"


class SessionPythonJobHelper(PythonJobHelper):
    """Runs a Python model's compiled code on this process's SparkSession."""

    def __init__(self, parsed_model: dict, credentials: Any) -> None:
        self.model_path = parsed_model.get("original_file_path", parsed_model["name"])

    def submit(self, compiled_code: str) -> None:
        from pyspark.sql import SparkSession

        spark = SparkSession.getActiveSession() or SparkSession.builder.getOrCreate()
        # The compiled code defines model(dbt, session), calls it and writes its table
        # (dbt-spark's py_write_table) through the global `spark`.
        exec(compile(compiled_code, self.model_path, "exec"), {"spark": spark})


def enable_python_models_on_session() -> None:
    """Adds the "session" submission method to dbt-spark, the default for session profiles."""
    helpers = SparkAdapter.python_submission_helpers.fget
    default_method = SparkAdapter.default_python_submission_method.fget

    def python_submission_helpers(self):
        return {**helpers(self), SESSION: SessionPythonJobHelper}

    def default_python_submission_method(self):
        method = getattr(self.config.credentials, "method", None)
        return SESSION if str(getattr(method, "value", method)) == SESSION else default_method(self)

    SparkAdapter.python_submission_helpers = property(python_submission_helpers)
    SparkAdapter.default_python_submission_method = property(default_python_submission_method)


def parquet_export_dir(args: list[str]) -> Path | None:
    """Where this build exports the marts (vars export_parquet, parquet_export_dir), or None."""
    project_vars = yaml.safe_load(Path("dbt_project.yml").read_text())["vars"]
    given = yaml.safe_load(args[args.index("--vars") + 1]) if "--vars" in args else {}
    settings = {**project_vars, **(given or {})}
    if str(settings.get("export_parquet")).strip().lower() not in ("true", "yes", "1"):
        return None
    return Path(str(settings.get("parquet_export_dir") or "warehouse/parquet").strip())


def flatten_parquet_directories(directory: Path) -> None:
    """Replaces each <name>.parquet directory holding one part file by that file."""
    for output in sorted(directory.glob("*.parquet")):
        parts = list(output.glob("part-*.parquet")) if output.is_dir() else []
        if len(parts) != 1:
            continue
        staged = output.with_name(f".{output.name}.tmp")
        os.replace(parts[0], staged)
        shutil.rmtree(output)
        os.replace(staged, output)


def main(args: list[str]) -> int:
    enable_python_models_on_session()
    result = dbtRunner().invoke(args)
    export_dir = parquet_export_dir(args)
    if result.success and args[:1] in (["build"], ["run"]) and export_dir and export_dir.is_dir():
        flatten_parquet_directories(export_dir)
    return 0 if result.success else (1 if result.exception is None else 2)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
