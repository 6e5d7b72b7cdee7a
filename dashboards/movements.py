"""Who moved since the build compared with, in words (plain text: the page and the report
escape it for their format)."""

from __future__ import annotations

import pandas as pd

from dashboards import formats
from dashboards.marts import Marts, largest_moves, movement_counts


def _customers(count: int) -> str:
    return "1 customer" if count == 1 else f"{formats.count(count)} customers"


def compared_moment(marts: Marts) -> tuple[str, str]:
    """When the from-segments are and what they are: ('2026-12-06 10:00 UTC', 'the previous
    build'), or with var compare_as_of_date ('2025-12-31', 'the orders up to that day, ...')."""
    rows = marts.migrations
    since = rows["from_segmented_at"].dropna().iloc[0]
    if (rows["compared_with"] == "compare_as_of_date").any():
        return f"{pd.Timestamp(since):%Y-%m-%d}", "the orders up to that day, this build's model"
    return formats.moment(since), "the previous build"


def movement_summary(marts: Marts) -> str:
    """'Since 2026-12-06 10:00 UTC (the previous build): 40 customers moved ..., 3 new, 1 gone.'"""
    counts = movement_counts(marts)
    if marts.is_first_build:
        return (
            f"This is the first build: every customer is new ({_customers(counts['new'])}); "
            "the next build will show who moved."
        )
    since, compared = compared_moment(marts)
    return (
        f"Since {since} ({compared}): {_customers(counts['moved'])} moved to "
        f"another segment, {formats.count(counts['new'])} new, "
        f"{formats.count(counts['gone'])} gone."
    )


def largest_move_sentences(marts: Marts) -> list[str]:
    """The top moves between two segments, one sentence each; none on the first build."""
    return [
        f"{_customers(row.customer_count)} moved from {row.from_segment_name} to "
        f"{row.to_segment_name} ({formats.share(row.from_segment_share)} of "
        f"{row.from_segment_name})."
        for row in largest_moves(marts).itertuples()
    ]
