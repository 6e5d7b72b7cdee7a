"""Times `dbt build` against "the notebook way" on synthetic customer files of growing size.

For each N the customer file is generated once (scripts/generate_customers.py, cached in
--data-dir, CSV or with --format parquet), then the two are run alternately as subprocesses,
--repeats times each:

- dbt: the main job's `dbt build --exclude-resource-type unit_test --vars '{customers_path:
  <file>}'` (what `./run build` runs) from the repository root into a fresh DuckDB file every
  run (SEGMENTS_DB_PATH). The target directory is kept per N and parsed once before the timed
  runs, so each run parses partially, as a repeated build does (a cold full parse is measured
  on its own: "dbt parse");
- notebook: benchmarks/notebook_way.py (pandas read_csv, StandardScaler, one KMeans k=6 on
  every customer, labels to Parquet); skipped with --no-notebook (e.g. for 10^8 rows);
- notebook elbow (--elbow-sizes): the same notebook as the analysis it grew from does it, an
  elbow loop fitting K-means for k = 1..10 on every customer, then the final fit;
- dbt spark (--spark-sizes): the same main job on Apache Spark (`python -m
  operations.spark_build`, what `./run build --target spark` runs: a local[*] session in
  the dbt process), each run into a fresh Spark warehouse (SEGMENTS_SPARK_WAREHOUSE), beside
  a DuckDB build of the same file in the same repeat (kind "dbt beside spark"), so the two are
  compared within one run.

Wall time is measured around the subprocess; peak memory is the peak of the summed
proportional set size (PSS) of the process and its children, sampled every 0.05 s: the k
search forks a process per core, whose pages are mostly shared with dbt's (their RSS would
count them twice, ru_maxrss would miss them). Medians are reported. Also measured per repeat
(--baseline-repeats): a cold `dbt parse` of this project, `dbt build` of an empty dbt project
(dbt's own start-up), and on the bundled 200-customer sample both the main job's `dbt build`
(no unit tests) and a plain `dbt build` (unit tests included). Raw results are kept in
--results (JSON, default <data-dir>/results.json; reruns append to it, so sizes can be added
later) and the report (--out) is written from all of them; --chart draws time vs N. The
report's notes (how the runs were made, what changed, the goals) are written by hand in the
report itself, between NOTES_START and NOTES_END: a rewrite keeps them as they are, unless
--notes gives a file to put there instead.

    python benchmarks/benchmark.py --sizes 1000 10000 100000 1000000 --repeats 3 --out BENCHMARKS.md
    python benchmarks/benchmark.py --sizes 100000000 --format parquet --repeats 1 --no-notebook
    python benchmarks/benchmark.py --sizes --spark-sizes 1000000 10000000 --baseline-repeats 0
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
GENERATOR = ROOT / "scripts" / "generate_customers.py"
NOTEBOOK = ROOT / "benchmarks" / "notebook_way.py"
# OMP_NUM_THREADS for the measured subprocesses (None: inherit); set by --omp-threads.
OMP_THREADS: list[int | None] = [None]
# The labels of a dbt run's configuration, and their values for runs recorded without them.
LABEL_DEFAULTS = {"format": "csv", "duckdb_memory_limit": "default"}
# What `./run build` runs (dbt's unit tests aside: they run in ./run test).
MAIN_JOB = ["build", "--exclude-resource-type", "unit_test"]


def run_measured(command: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Runs command from the repository root; returns wall seconds and the peak summed PSS of
    the process and its children (MB)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        peak_kb = 0
        while process.poll() is None:
            peak_kb = max(peak_kb, tree_pss_kb(process.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            output.seek(0)
            tail = output.read().decode(errors="replace")[-3000:]
            raise RuntimeError(f"{shlex.join(command)} failed ({process.returncode}):\n{tail}")
    return {"seconds": seconds, "peak_memory_mb": peak_kb / 1024}


def tree_pss_kb(pid: int) -> int:
    """The summed PSS of a process and its descendants, in kB (0 for those that have gone)."""
    pids, total = [pid], 0
    while pids:
        current = pids.pop()
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
                pids += [int(child) for child in children]
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def child_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of the measured subprocesses: ours, OMP_NUM_THREADS if set, and extra."""
    env = dict(os.environ)
    if OMP_THREADS[0] is not None:
        env["OMP_NUM_THREADS"] = str(OMP_THREADS[0])
    return {**env, **(extra or {})}


def dbt_command(
    subcommand: list[str], work: Path, project: Path = ROOT, env: dict[str, str] | None = None
) -> tuple[list[str], dict[str, str]]:
    """A dbt command of `project` with its target, logs and warehouse in the directory `work`."""
    command = [
        str(VENV_BIN / "dbt"),
        *subcommand,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    return command, child_environment({**(env or {}), "SEGMENTS_DB_PATH": str(work / "w.duckdb")})


def remove_warehouse(work: Path) -> None:
    """Deletes the DuckDB file (and its WAL and spill directory) so the next build starts empty."""
    for path in work.glob("w.duckdb*"):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def run_dbt(
    subcommand: list[str],
    work: Path,
    project: Path = ROOT,
    env: dict[str, str] | None = None,
    keep_run_results: Path | None = None,
) -> dict[str, float]:
    """Runs one dbt command into `work` on an empty warehouse; the target directory is kept."""
    remove_warehouse(work)
    command, child_env = dbt_command(subcommand, work, project, env)
    result = run_measured(command, child_env)
    if keep_run_results is not None:
        keep_run_results.write_text((work / "target" / "run_results.json").read_text())
    remove_warehouse(work)
    return result


def empty_dbt_project(directory: Path) -> Path:
    """A dbt project with no models, on DuckDB: what `dbt build` costs before any work."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "dbt_project.yml").write_text(
        "name: empty\nversion: '1.0'\nconfig-version: 2\nprofile: empty\n"
    )
    (directory / "profiles.yml").write_text(
        "empty:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        "      path: \"{{ env_var('SEGMENTS_DB_PATH') }}\"\n"
    )
    return directory


def run_spark(build: list[str], work: Path) -> dict[str, float]:
    """The main job on Spark into a fresh Spark warehouse under `work`."""
    warehouse = work / "spark_warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "operations.spark_build",
        *build,
        "--target",
        "spark",
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
    ]
    environment = {
        **child_environment(),
        "SEGMENTS_SPARK_WAREHOUSE": str(warehouse),
        "SPARK_LOCAL_IP": "127.0.0.1",
    }
    result = run_measured(command, environment)
    shutil.rmtree(warehouse, ignore_errors=True)
    return result


def run_notebook(csv_path: Path, elbow: bool = False) -> dict[str, float]:
    """Runs the notebook way on csv_path (with the elbow loop first), labels to a temporary
    Parquet file."""
    with tempfile.TemporaryDirectory(prefix="segments-bench-") as tmp:
        labels = Path(tmp) / "labels.parquet"
        command = [sys.executable, str(NOTEBOOK), str(csv_path), str(labels)]
        return run_measured(command + (["--elbow"] if elbow else []), child_environment())


def customer_file(count: int, data_dir: Path, file_format: str = "csv") -> Path:
    """The synthetic file of `count` customers (csv or parquet), generated once and cached."""
    path = data_dir / f"customers_{count}.{file_format}"
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        subprocess.run(
            [sys.executable, str(GENERATOR), str(count), str(partial), "--format", file_format],
            check=True,
        )
        partial.rename(path)
    return path


def load_results(path: Path) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    return {"runs": [], "per_model": {}, "commands": []}


def save_results(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1))


def record(results: dict, path: Path, kind: str, count: int, measured: dict, **labels) -> None:
    run = {
        "kind": kind,
        "n": count,
        **measured,
        "omp_threads": OMP_THREADS[0],
        **labels,
        "at": time.time(),
    }
    results["runs"].append(run)
    save_results(results, path)
    print(
        f"{kind:>9} N={count:>9}: {measured['seconds']:8.1f} s {measured['peak_memory_mb']:8.0f} MB"
    )


def profile_memory_limit() -> str:
    """The DuckDB memory limit a build uses when SEGMENTS_DUCKDB_MEMORY_LIMIT is unset."""
    profile = (ROOT / "profiles.yml").read_text()
    return re.search(r"env_var\('SEGMENTS_DUCKDB_MEMORY_LIMIT', '([^']+)'\)", profile).group(1)


def benchmark(args: argparse.Namespace) -> dict:
    results = load_results(args.results)
    results["commands"].append(shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]))
    results["machine"] = machine_details()
    save_results(results, args.results)
    work_root = args.data_dir / "work"
    duckdb_env = {}
    if args.duckdb_memory_limit:
        duckdb_env["SEGMENTS_DUCKDB_MEMORY_LIMIT"] = args.duckdb_memory_limit
    labels = {
        "format": args.format,
        "duckdb_memory_limit": args.duckdb_memory_limit or profile_memory_limit(),
    }

    empty = empty_dbt_project(work_root / "empty_project")
    for repeat in range(args.baseline_repeats):
        print(f"baseline repeat {repeat + 1}")
        cold = work_root / "cold_parse"
        shutil.rmtree(cold, ignore_errors=True)
        record(results, args.results, "dbt parse", 0, run_dbt(["parse"], cold))
        if repeat == 0:
            run_dbt(["parse"], work_root / "empty", empty)
            run_dbt(["parse"], work_root / "sample")
        record(
            results, args.results, "dbt empty", 0, run_dbt(["build"], work_root / "empty", empty)
        )
        record(results, args.results, "dbt 200", 200, run_dbt(MAIN_JOB, work_root / "sample"))
        record(results, args.results, "dbt 200 all", 200, run_dbt(["build"], work_root / "sample"))

    largest = max(args.sizes, default=0)
    for count in args.sizes:
        path = customer_file(count, args.data_dir, args.format)
        build = [*MAIN_JOB, "--vars", f"{{customers_path: {path}}}"]
        work = work_root / f"{args.format}_{count}"
        # parsed once, untimed: the timed builds parse partially, as any repeated build does
        run_dbt(["parse", "--vars", f"{{customers_path: {path}}}"], work, env=duckdb_env)
        for repeat in range(args.repeats):
            print(f"N={count} repeat {repeat + 1}/{args.repeats}")
            configuration = f"{count} {args.format} {labels['duckdb_memory_limit']}"
            keep = args.results.with_suffix(f".run_results_{configuration.replace(' ', '_')}.json")
            measured = run_dbt(build, work, env=duckdb_env, keep_run_results=keep)
            record(results, args.results, "dbt", count, measured, **labels)
            if not args.no_notebook:
                notebook = run_notebook(customer_file(count, args.data_dir, "csv"))
                record(results, args.results, "notebook", count, notebook)
            if count in args.elbow_sizes:
                elbow = run_notebook(customer_file(count, args.data_dir, "csv"), elbow=True)
                record(results, args.results, "notebook elbow", count, elbow)
            if count == largest:
                results["per_model"][configuration] = per_model_timings(keep)
                save_results(results, args.results)

    for count in args.spark_sizes:
        path = customer_file(count, args.data_dir, args.format)
        build = [*MAIN_JOB, "--vars", f"{{customers_path: {path}}}"]
        work = work_root / f"spark_{args.format}_{count}"
        for repeat in range(args.repeats):
            print(f"N={count} Spark and DuckDB, repeat {repeat + 1}/{args.repeats}")
            spark = run_spark(build, work)
            record(results, args.results, "dbt spark", count, spark, format=args.format)
            duckdb = run_dbt(build, work_root / f"{args.format}_{count}", env=duckdb_env)
            record(results, args.results, "dbt beside spark", count, duckdb, **labels)
    return results


def per_model_timings(run_results: Path) -> list[dict]:
    """Execution time of every node of one dbt build, slowest first."""
    nodes = json.loads(run_results.read_text())["results"]
    rows = [
        {
            "node": node["unique_id"],
            "status": node["status"],
            "seconds": node["execution_time"],
        }
        for node in nodes
    ]
    return sorted(rows, key=lambda row: row["seconds"], reverse=True)


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine_details() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory_kb = int(line.split()[1])
    return {
        "cpu": cpu,
        "nproc": str(os.cpu_count()),
        "memory_gb": f"{memory_kb / 1024 / 1024:.1f}",
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": package_version("duckdb"),
        "dbt-core": package_version("dbt-core"),
        "dbt-duckdb": package_version("dbt-duckdb"),
        "scikit-learn": package_version("scikit-learn"),
        "pandas": package_version("pandas"),
        "numpy": package_version("numpy"),
        "dbt-spark": package_version("dbt-spark"),
        "pyspark": package_version("pyspark"),
        "load_average": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


def medians(runs: list[dict], kind: str, count: int, **labels) -> tuple[float, float, int] | None:
    """Median seconds and peak MB of the runs of one kind, N and labels (format, memory limit)."""
    chosen = [
        run
        for run in runs
        if run["kind"] == kind
        and run["n"] == count
        and all(run.get(key, LABEL_DEFAULTS[key]) == value for key, value in labels.items())
    ]
    if not chosen:
        return None
    return (
        statistics.median(run["seconds"] for run in chosen),
        statistics.median(run["peak_memory_mb"] for run in chosen),
        len(chosen),
    )


def dbt_configurations(runs: list[dict]) -> list[tuple[int, str, str]]:
    """Every (N, format, DuckDB memory limit) a dbt build was measured with."""
    return sorted(
        {
            (run["n"], *(run.get(label, default) for label, default in LABEL_DEFAULTS.items()))
            for run in runs
            if run["kind"] == "dbt"
        }
    )


def results_table(results: dict) -> list[str]:
    runs = results["runs"]
    lines = [
        "| N customers | file | DuckDB memory limit | runs | dbt build time (s) "
        "| dbt peak memory (MB) | notebook time (s) | notebook peak memory (MB) "
        "| time dbt / notebook | memory dbt / notebook | notebook with elbow loop: time (s) "
        "| memory (MB) | time dbt / it |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count, file_format, limit in dbt_configurations(runs):
        dbt = medians(runs, "dbt", count, format=file_format, duckdb_memory_limit=limit)
        row = f"| {count:,} | {file_format} | {limit} | {dbt[2]} | {dbt[0]:.1f} | {dbt[1]:.0f} "
        for kind, columns in (("notebook", 4), ("notebook elbow", 3)):
            baseline = medians(runs, kind, count)
            if baseline is None:
                row += "| not run " + "| " * (columns - 1)
            elif columns == 4:
                row += (
                    f"| {baseline[0]:.1f} | {baseline[1]:.0f} | {dbt[0] / baseline[0]:.2f}× "
                    f"| {dbt[1] / baseline[1]:.2f}× "
                )
            else:
                row += f"| {baseline[0]:.1f} | {baseline[1]:.0f} | {dbt[0] / baseline[0]:.2f}× "
        lines.append(row + "|")
    return lines


def spark_lines(results: dict) -> list[str]:
    """Spark and DuckDB builds of the same files, measured in the same repeats."""
    runs = results["runs"]
    counts = sorted({run["n"] for run in runs if run["kind"] == "dbt spark"})
    if not counts:
        return ["(not measured)"]
    lines = [
        "| N customers | runs | Spark (local[*]) time (s) | Spark peak memory (MB) "
        "| DuckDB time (s) | DuckDB peak memory (MB) | time Spark / DuckDB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count in counts:
        spark = medians(runs, "dbt spark", count)
        duckdb = medians(runs, "dbt beside spark", count)
        lines.append(
            f"| {count:,} | {spark[2]} | {spark[0]:.1f} | {spark[1]:.0f} | {duckdb[0]:.1f} "
            f"| {duckdb[1]:.0f} | {spark[0] / duckdb[0]:.2f}× |"
        )
    return lines


def baseline_lines(results: dict) -> list[str]:
    runs = results["runs"]
    parse = medians(runs, "dbt parse", 0)
    empty = medians(runs, "dbt empty", 0)
    sample = medians(runs, "dbt 200", 200)
    sample_all = medians(runs, "dbt 200 all", 200)
    if parse is None or empty is None or sample is None or sample_all is None:
        return ["(not measured)"]
    return [
        "| what | runs | median time (s) | peak memory (MB) | time / empty project |",
        "|---|---:|---:|---:|---:|",
        f"| `dbt parse` of this project, cold (no saved manifest) | {parse[2]} | {parse[0]:.1f} "
        f"| {parse[1]:.0f} | |",
        f"| `dbt build` of an empty dbt project (no models) | {empty[2]} | {empty[0]:.1f} "
        f"| {empty[1]:.0f} | 1.00× |",
        f"| the main job's `dbt build --exclude-resource-type unit_test` (what `./run build` "
        f"runs) on the bundled 200-customer sample | {sample[2]} | {sample[0]:.1f} "
        f"| {sample[1]:.0f} | {sample[0] / empty[0]:.2f}× |",
        f"| plain `dbt build` (the unit tests too) on the sample | {sample_all[2]} "
        f"| {sample_all[0]:.1f} | {sample_all[1]:.0f} | {sample_all[0] / empty[0]:.2f}× |",
    ]


def node_name(unique_id: str) -> str:
    """model.<project>.<name>, test.<project>.<name>.<hash>, unit_test.<project>.<model>.<name>"""
    parts = unique_id.split(".")
    return parts[3] if parts[0] == "unit_test" else parts[2]


def per_model_lines(results: dict, top: int = 12) -> list[str]:
    """For each configuration whose node timings were kept (the largest N of each benchmark
    invocation), the slowest nodes of its last `dbt build`."""
    if not results["per_model"]:
        return ["(not measured)"]
    lines = []
    for key in sorted(results["per_model"], key=lambda key: int(key.split()[0])):
        count, file_format, limit = (key.split() + ["csv", "default"])[:3]
        rows = results["per_model"][key]
        total = sum(row["seconds"] for row in rows)
        lines += [
            f"N = {int(count):,} ({file_format}, DuckDB memory limit {limit}): "
            f"{len(rows)} nodes, sum of execution times {total:.1f} s (with 2 dbt threads "
            "nodes overlap). The slowest:",
            "",
            "| node | status | seconds | share of the sum |",
            "|---|---|---:|---:|",
        ]
        for row in rows[:top]:
            lines.append(
                f"| `{node_name(row['node'])}` | {row['status']} | {row['seconds']:.2f} "
                f"| {row['seconds'] / total:.0%} |"
            )
        rest = rows[top:]
        if rest:
            seconds = sum(row["seconds"] for row in rest)
            lines.append(
                f"| the other {len(rest)} nodes | | {seconds:.2f} | {seconds / total:.0%} |"
            )
        lines.append("")
    return lines


def raw_run_lines(results: dict) -> list[str]:
    lines = [
        "| what | N | file | DuckDB memory limit | seconds | peak memory (MB) | OMP_NUM_THREADS |",
        "|---|---:|---|---|---:|---:|---|",
    ]
    for run in results["runs"]:
        threads = run.get("omp_threads") or "unset"
        file_format = run.get("format", "csv" if run["kind"] in ("dbt", "notebook") else "")
        limit = run.get("duckdb_memory_limit", "default" if run["kind"] == "dbt" else "")
        lines.append(
            f"| {run['kind']} | {run['n']:,} | {file_format} | {limit} | {run['seconds']:.1f} "
            f"| {run['peak_memory_mb']:.0f} | {threads} |"
        )
    return lines


def write_chart(results: dict, path: Path) -> None:
    """A log-log chart of the median time against N, dbt build and the notebook way."""
    import altair as alt
    import pandas as pd

    runs = pd.DataFrame(results["runs"])
    for label, default in LABEL_DEFAULTS.items():
        runs[label] = runs[label].fillna(default) if label in runs else default
    runs = runs[runs["kind"].isin(["dbt", "notebook", "notebook elbow"])]
    medians_by_n = runs.groupby(["kind", "format", "duckdb_memory_limit", "n"], as_index=False)[
        "seconds"
    ].median()
    medians_by_n["kind"] = [
        "notebook way (pandas + one KMeans, CSV)"
        if row.kind == "notebook"
        else "notebook way with its elbow loop (KMeans for k = 1..10, then k = 6)"
        if row.kind == "notebook elbow"
        else f"dbt build ({row.format}, DuckDB memory limit {row.duckdb_memory_limit})"
        for row in medians_by_n.itertuples()
    ]
    chart = (
        alt.Chart(medians_by_n, title="Median wall time vs number of customers")
        .mark_line(point=True)
        .encode(
            x=alt.X("n:Q", scale=alt.Scale(type="log"), title="customers (N)"),
            y=alt.Y("seconds:Q", scale=alt.Scale(type="log"), title="seconds"),
            color=alt.Color(
                "kind:N",
                title=None,
                legend=alt.Legend(labelLimit=0, orient="bottom", direction="vertical"),
            ),
        )
        .properties(width=480, height=320)
    )
    chart.save(str(path), scale_factor=2)


def machine_lines(machine: dict[str, str]) -> list[str]:
    return [f"- {key}: {value}" for key, value in machine.items()]


# The hand-written part of the report, kept when benchmark.py rewrites the rest.
NOTES_START = "<!-- notes: written by hand; benchmark.py keeps them when it rewrites the page -->"
NOTES_END = "<!-- end of notes -->"


def report_notes(out: Path) -> str:
    """The notes of the report already at `out` ("" when there is none yet)."""
    if not out.exists():
        return ""
    text = out.read_text()
    if NOTES_START not in text or NOTES_END not in text:
        raise SystemExit(
            f"{out} has no notes between {NOTES_START!r} and {NOTES_END!r}; rewriting it would "
            "drop them. Give them with --notes FILE, or write the report elsewhere."
        )
    return text.split(NOTES_START, 1)[1].split(NOTES_END, 1)[0].strip("\n")


def write_report(results: dict, out: Path, notes: str = "") -> None:
    text = "\n".join(
        [
            "# Benchmarks: dbt build vs the notebook way",
            "",
            "Generated by `benchmarks/benchmark.py` (every single run is listed at the end).",
            "",
            "## Machine",
            "",
            *machine_lines(results["machine"]),
            "",
            "## Commands",
            "",
            "```",
            *results["commands"],
            "```",
            "",
            "## dbt build vs the notebook way (medians)",
            "",
            *results_table(results),
            "",
            "## The same build on Apache Spark (medians)",
            "",
            *spark_lines(results),
            "",
            "## dbt start-up and the 200-customer sample",
            "",
            *baseline_lines(results),
            "",
            "## Where the dbt build spends its time",
            "",
            *per_model_lines(results),
            "",
            NOTES_START,
            "",
            notes.strip("\n"),
            "",
            NOTES_END,
            "",
            "## Every run",
            "",
            *raw_run_lines(results),
        ]
    )
    out.write_text(text.rstrip() + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument(
        "--spark-sizes",
        type=int,
        nargs="*",
        default=[],
        help="the N at which to time the build on Spark too, beside DuckDB (needs the spark extra)",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline-repeats", type=int, default=None, help="default: --repeats")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "segbench")
    parser.add_argument("--results", type=Path, default=None, help="default: data-dir/results.json")
    parser.add_argument("--out", type=Path, default=None, help="write the report here")
    parser.add_argument("--chart", type=Path, default=None, help="log-log PNG of time vs N")
    parser.add_argument("--report-only", action="store_true", help="only rewrite the report")
    parser.add_argument(
        "--omp-threads",
        type=int,
        default=None,
        help="set OMP_NUM_THREADS in both subprocesses (scikit-learn's K-means threads)",
    )
    parser.add_argument(
        "--notes",
        type=Path,
        default=None,
        help="markdown for the report's notes (default: keep those of the report at --out)",
    )
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv", help="dbt's input")
    parser.add_argument("--no-notebook", action="store_true", help="time the dbt build only")
    parser.add_argument(
        "--elbow-sizes",
        type=int,
        nargs="*",
        default=[],
        help="the N at which to time the notebook way with its elbow loop too",
    )
    parser.add_argument(
        "--duckdb-memory-limit", default=None, help="SEGMENTS_DUCKDB_MEMORY_LIMIT for dbt builds"
    )
    args = parser.parse_args(argv)
    OMP_THREADS[0] = args.omp_threads
    if args.baseline_repeats is None:
        args.baseline_repeats = args.repeats
    args.data_dir.mkdir(parents=True, exist_ok=True)
    if args.results is None:
        args.results = args.data_dir / "results.json"
    if args.out is not None:  # before the runs: a report whose notes would be lost stops here
        notes = args.notes.read_text() if args.notes else report_notes(args.out)
    results = load_results(args.results) if args.report_only else benchmark(args)
    if args.out is not None:
        write_report(results, args.out, notes)
        print(f"wrote {args.out}")
    if args.chart is not None:
        write_chart(results, args.chart)
        print(f"wrote {args.chart}")


if __name__ == "__main__":
    main()
