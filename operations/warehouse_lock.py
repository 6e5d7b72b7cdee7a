"""Checks that no other process holds the warehouse file before a build starts.

DuckDB lets one process write a database file at a time; dbt-duckdb reports a held lock with a
long Python traceback. `./run build` calls this first so the user gets one clear line instead:
`python -m operations.warehouse_lock [PATH]` exits 0 when the file is free (or does not exist
yet) and 1, with a message naming the file, the process and what to do, when it stays locked.
SEGMENTS_DB_CONNECT_ATTEMPTS (the same variable profiles.yml reads) makes it wait and retry,
waiting 1, 2, 4, ... seconds between attempts.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import duckdb

DEFAULT_PATH = "warehouse/segments.duckdb"


def lock_holder(path: Path) -> str | None:
    """DuckDB's description of the conflicting lock, or None when the file can be written."""
    if not path.exists():
        return None
    try:
        duckdb.connect(str(path)).close()
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        return str(error).split("Conflicting lock is held in", 1)[-1].split(". See also")[0]
    return None


def wait_for_warehouse(path: Path, attempts: int) -> str | None:
    """Tries `attempts` times with doubling waits; the holder when the file is still locked."""
    holder = lock_holder(path)
    for attempt in range(1, attempts):
        if holder is None:
            break
        time.sleep(2 ** (attempt - 1))
        holder = lock_holder(path)
    return holder


def main(arguments: list[str]) -> int:
    path = Path(arguments[0] if arguments else os.environ.get("SEGMENTS_DB_PATH", DEFAULT_PATH))
    attempts = max(1, int(os.environ.get("SEGMENTS_DB_CONNECT_ATTEMPTS", "1")))
    holder = wait_for_warehouse(path, attempts)
    if holder is None:
        return 0
    print(
        f"The warehouse {path} is in use by another process ({holder.strip()}), and DuckDB lets "
        "one process write it at a time. Close that process (a running build, a notebook or BI "
        "tool with the file open), or wait for it: SEGMENTS_DB_CONNECT_ATTEMPTS=6 ./run build "
        "retries for about a minute.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
