"""Prints what a build rejected: `./run build` calls it after dbt, so the share of rejected
customer and order rows, and their most common reasons, are the last thing a user reads.

`python -m operations.rejection_summary [PATH]` reads intermediate.int_rejection_summary from
the DuckDB file (SEGMENTS_DB_PATH, else warehouse/segments.duckdb); it prints nothing when the
build did not make that table. Above var max_rejected_share, the dbt test
assert_rejected_share_is_at_most_max warns with the same rows.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb

DEFAULT_PATH = "warehouse/segments.duckdb"


def rejection_summary_lines(path: Path) -> list[str]:
    """One line per kind of input row (customer rows, order rows), one more when as_of_date is
    more than 90 days after the latest order; none when the warehouse has no summary."""
    if not path.exists():
        return []
    with duckdb.connect(str(path), read_only=True) as connection:
        try:
            rows = connection.execute(
                "select input_rows, input_file, row_count, rejected_count, rejected_share,"
                " max_rejected_share, top_reasons, vars_to_check, as_of_date, latest_order_date"
                " from intermediate.int_rejection_summary order by input_position"
            ).fetchall()
        except duckdb.CatalogException:
            return []
    lines = []
    for inputs, file, total, rejected, share, most, reasons, to_check, as_of, latest in rows:
        line = f"Rejected {rejected} of the {total} {inputs} of {file}"
        if rejected:
            line += f" ({share:.1%}): {reasons}"
        if share is not None and share > most:
            line += (
                f". That is more than max_rejected_share ({most:.0%})"
                + (f"; check var {to_check}" if to_check else "")
                + "; every row and its reason: customer_rejections, order_rejections"
            )
        lines.append(line + ".")
        if as_of is not None and latest is not None and (as_of - latest).days > 90:
            lines.append(
                f"as_of_date {as_of} is {(as_of - latest).days} days after the latest valid order"
                f" ({latest}): every customer's recency_days includes that gap."
            )
    return lines


def main(arguments: list[str]) -> int:
    path = Path(arguments[0] if arguments else os.environ.get("SEGMENTS_DB_PATH", DEFAULT_PATH))
    for line in rejection_summary_lines(path):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
