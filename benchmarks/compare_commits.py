"""Times the main job's `dbt build` at two commits on the same files, alternating, in one run.

A slowdown budget ("at most 5% slower") is a ratio of two noisy timings: measured on different
days the machine's noise is larger than the budget. This runs both commits in turn on each
file, from a git worktree per commit (this environment's packages; the commit's own Python code
first on PYTHONPATH), each run into a fresh DuckDB file with the target directory kept per
commit and file (parsed once before the timed runs, as benchmark.py does), and prints the
medians and the ratio after / before.

    python benchmarks/compare_commits.py --before fbd561f --after HEAD --repeats 5 \\
        samples:sample /tmp/segbench/customers_10000000.csv
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"


def worktree(commit: str, directory: Path) -> Path:
    path = directory / commit.replace("/", "_")
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), commit],
        check=True,
        capture_output=True,
    )
    return path


def build(project: Path, customers: str | None, work: Path, parse_only: bool = False) -> float:
    """Seconds of one `dbt build --exclude-resource-type unit_test` (the bundled sample when
    customers is None) into a fresh DuckDB file."""
    database = work / "warehouse.duckdb"
    database.unlink(missing_ok=True)
    vars = f"{{customers_path: '{customers}'}}" if customers else "{}"
    command = [str(DBT), "parse" if parse_only else "build"]
    if not parse_only:
        command += ["--exclude-resource-type", "unit_test"]
    command += ["--vars", vars, "--target-path", str(work / "target"), "--log-path", str(work)]
    environment = {
        **os.environ,
        "SEGMENTS_DB_PATH": str(database),
        "DBT_PROFILES_DIR": str(project),
        "PYTHONPATH": str(project),
    }
    started = time.perf_counter()
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{project.name}: dbt failed on {customers}:\n{result.stdout[-3000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", default="HEAD")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("files", nargs="+", help="customer files; 'samples:sample' for the sample")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="compare_commits_") as temporary:
        directory = Path(temporary)
        commits = {name: worktree(name, directory) for name in (arguments.before, arguments.after)}
        try:
            print("| input | runs | before (s) | after (s) | after / before |")
            print("|---|---|---|---|---|")
            for file in arguments.files:
                customers = None if file == "samples:sample" else str(Path(file).resolve())
                times: dict[str, list[float]] = {name: [] for name in commits}
                works = {name: directory / f"work_{index}" for index, name in enumerate(commits)}
                for name, project in commits.items():
                    works[name].mkdir(exist_ok=True)
                    build(project, customers, works[name], parse_only=True)
                for _ in range(arguments.repeats):
                    for name, project in commits.items():
                        times[name].append(build(project, customers, works[name]))
                before, after = (statistics.median(times[name]) for name in commits)
                label = "the bundled sample" if customers is None else Path(file).name
                print(
                    f"| {label} | {arguments.repeats} | {before:.2f} | {after:.2f} | "
                    f"{after / before:.3f} |",
                    flush=True,
                )
                for name in commits:
                    print(f"<!-- {name}: {', '.join(f'{t:.2f}' for t in times[name])} -->")
        finally:
            for project in commits.values():
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(project)],
                    capture_output=True,
                )


if __name__ == "__main__":
    main()
