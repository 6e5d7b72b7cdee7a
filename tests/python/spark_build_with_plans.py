"""`python -m operations.spark_build <dbt args>`, then Spark's physical plan of models it built.

    python tests/python/spark_build_with_plans.py <plans directory> <model>,<model> <dbt args>

Run from the project root. The plans are explained in the build's own Spark session, where
the views over the input files still exist: <plans directory>/<model>.txt, one per model
that was compiled (test_spark.py reads them).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from operations import spark_build  # noqa: E402


def compiled_sql(target_path: Path, model: str) -> str | None:
    """The model's compiled SQL (not a unit test's, compiled under <properties>.yml/)."""
    found = [
        path
        for path in (target_path / "compiled").rglob(f"{model}.sql")
        if not any(part.endswith(".yml") for part in path.parts)
    ]
    return found[0].read_text() if found else None


def main(plans_dir: str, models: str, args: list[str]) -> int:
    code = spark_build.main(args)
    if args[:1] not in (["build"], ["run"]):
        return code
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()
    target_path = Path("target")
    if "--target-path" in args:
        target_path = Path(args[args.index("--target-path") + 1])
    Path(plans_dir).mkdir(parents=True, exist_ok=True)
    for model in models.split(","):
        sql = compiled_sql(target_path, model)
        if sql is not None:
            plan = spark.sql(f"explain {sql}").collect()[0][0]
            (Path(plans_dir) / f"{model}.txt").write_text(plan)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
