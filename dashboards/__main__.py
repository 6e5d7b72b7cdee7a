"""Command line: python -m dashboards [--db PATH] [--output-dir DIR]."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dashboards.build import build_dashboard
from dashboards.marts import WarehouseNotReadyError

DEFAULT_DB = "warehouse/segments.duckdb"
DEFAULT_OUTPUT_DIR = "dashboards/output"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m dashboards",
        description="Draw the customer-segment dashboard and insights report from the marts.",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("SEGMENTS_DB_PATH") or DEFAULT_DB),
        help=f"DuckDB file built by `dbt build` (default: $SEGMENTS_DB_PATH, else {DEFAULT_DB})",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=Path(DEFAULT_OUTPUT_DIR),
        help=f"where index.html, insights.md and charts/ go (default: {DEFAULT_OUTPUT_DIR})",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        dashboard = build_dashboard(args.db, args.output_dir)
    except WarehouseNotReadyError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Dashboard: {dashboard.page}")
    print(f"Insights:  {dashboard.report}")
    print(f"Charts:    {len(dashboard.chart_files)} files in {dashboard.page.parent / 'charts'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
