"""What keeping the segment history and the migration marts costs, per rebuild.

For each N, three builds of the main job (`./run build`'s dbt command) into one warehouse, as a
scheduled job makes them:

1. the synthetic file of N customers (scripts/generate_customers.py, cached in --data-dir);
2. the same file again: a rebuild that changed nothing, which must add no history row;
3. the file with 1% of the customers changed: every 100th customer takes the values of the
   customer N/2 places further on (another persona, mostly), so about 1% move segment.

Per build: wall time, the rows the history holds and how many it gained, the customers
`customer_segment_changes` lists, and the execution time of the history and migration models
(from dbt's run_results.json). Raw results go to --results (JSON); the table is printed in
markdown, for BENCHMARKS.md.

    python benchmarks/history_cost.py --sizes 1000000 10000000
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import (  # noqa: E402
    MAIN_JOB,
    customer_file,
    dbt_command,
    machine_details,
    remove_warehouse,
    run_measured,
)

# The models that keep the history and compare builds; their run_results times are the cost.
HISTORY_MODELS = (
    "int_segmentation_runs",
    "int_customer_segment_history",
    "segment_migrations",
    "customer_segment_changes",
    "int_segment_drift",
)
HISTORY_TABLE = "intermediate.int_customer_segment_history"
CHANGED_EVERY = 100


def changed_file(source: Path) -> Path:
    """The file with every 100th customer given the values of the customer N/2 rows on."""
    path = source.with_name(source.stem + "_1pct_changed" + source.suffix)
    if path.exists():
        return path
    table = pa_csv.read_csv(source)
    count = table.num_rows
    rows = list(range(count))
    for row in range(0, count, CHANGED_EVERY):
        rows[row] = (row + count // 2) % count
    values = table.take(rows)
    # keep every customer's own id: only its values change
    changed = values.set_column(0, table.schema.field(0), table.column(0))
    assert pc.all(pc.equal(changed.column(0), table.column(0))).as_py()
    partial = path.with_name(path.name + ".partial")
    pa_csv.write_csv(changed, partial)
    partial.rename(path)
    return path


def warehouse_counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:

        def count(sql: str) -> int:
            return connection.execute(sql).fetchone()[0]

        return {
            "history_rows": count(f"select count(*) from {HISTORY_TABLE}"),
            "changed_customers": count("select count(*) from main.customer_segment_changes"),
            "customers": count("select count(*) from main.customer_segments"),
        }


def model_seconds(run_results: Path) -> dict[str, float]:
    nodes = json.loads(run_results.read_text())["results"]
    return {
        node["unique_id"].split(".")[-1]: node["execution_time"]
        for node in nodes
        if node["unique_id"].split(".")[-1] in HISTORY_MODELS
    }


def measure(count: int, data_dir: Path) -> list[dict]:
    work = data_dir / "history_work"
    work.mkdir(parents=True, exist_ok=True)
    remove_warehouse(work)
    original = customer_file(count, data_dir)
    builds = [
        ("first build", original),
        ("rebuild, nothing changed", original),
        ("rebuild, 1% changed", changed_file(original)),
    ]
    rows, history_before = [], 0
    for name, path in builds:
        command, env = dbt_command(
            [*MAIN_JOB, "--vars", json.dumps({"customers_path": str(path)})], work
        )
        measured = run_measured(command, env)
        counts = warehouse_counts(work / "w.duckdb")
        row = {
            "n": count,
            "build": name,
            **measured,
            **counts,
            "history_rows_added": counts["history_rows"] - history_before,
            "model_seconds": model_seconds(work / "target" / "run_results.json"),
            "at": time.time(),
        }
        history_before = counts["history_rows"]
        rows.append(row)
        print(json.dumps(row))
    remove_warehouse(work)
    return rows


def table(rows: list[dict]) -> list[str]:
    lines = [
        "| N | build | wall s | history rows added | customers listed as changed | "
        + " | ".join(f"{model} s" for model in HISTORY_MODELS)
        + " |",
        "|---:|---|---:|---:|---:|" + "---:|" * len(HISTORY_MODELS),
    ]
    for row in rows:
        models = " | ".join(f"{row['model_seconds'].get(m, 0):.2f}" for m in HISTORY_MODELS)
        lines.append(
            f"| {row['n']:,} | {row['build']} | {row['seconds']:.1f} | "
            f"{row['history_rows_added']:,} | {row['changed_customers']:,} | {models} |"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/segbench"))
    parser.add_argument(
        "--results", type=Path, default=Path(__file__).parent / "results" / "history.json"
    )
    args = parser.parse_args(argv)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    rows = [row for count in args.sizes for row in measure(count, args.data_dir)]
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(
        json.dumps(
            {
                "command": shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]),
                "machine": machine_details(),
                "runs": rows,
            },
            indent=1,
        )
    )
    print("\n".join(table(rows)))


if __name__ == "__main__":
    main()
