"""How numbers read on the page and in the report; a missing value reads as a dash."""

from __future__ import annotations

import pandas as pd

MISSING = "–"


def _is_missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def count(value: object) -> str:
    return MISSING if _is_missing(value) else f"{int(value):,}"


def share(value: object) -> str:
    """A share as a percentage; a tiny one reads '<0.1%', never '0.0%' (9 of 23,570)."""
    if _is_missing(value):
        return MISSING
    return "<0.1%" if 0 < float(value) < 0.001 else f"{float(value):.1%}"


def number(value: object, digits: int = 1) -> str:
    return MISSING if _is_missing(value) else f"{float(value):,.{digits}f}"


def signed(value: object, digits: int = 1) -> str:
    return MISSING if _is_missing(value) else f"{float(value):+,.{digits}f}"


def segment_value(row) -> str:
    """A clustering feature's value in a segment, with its unit: the mean, and first the median
    for a feature clustered on its log. There a few large values pull the mean far above what
    most customers have, and the segment's level (Low, Mid, High) follows the median."""
    unit = f" {row.feature_unit}" if row.feature_unit else ""
    mean = f"{number(row.mean_value)}{unit}"
    return (
        f"median {number(row.median_value)}{unit}, mean {mean}"
        if row.feature_transform == "log"
        else mean
    )


def without_value(missing: object) -> str:
    """' (3 without a value)' after a profiled figure, when some customers have none."""
    if _is_missing(missing) or int(missing) == 0:
        return ""
    return f" ({count(missing)} without a value)"


def text(value: object) -> str:
    """A data value as plain text (not yet escaped for any output format)."""
    return "" if _is_missing(value) else str(value)


def label_in_text(label: object) -> str:
    """A label inside a sentence: lower case first when it is in sentence case ('Monthly
    charges'); other capitals are the user's and stay ('Avg Discount', 'NPS'), as in the
    segment names (segment_centroids)."""
    label = text(label)
    return label[:1].lower() + label[1:] if label[1:] == label[1:].lower() else label


def moment(value: object) -> str:
    """A build's start time (UTC in the marts) to the minute: '2026-12-06 10:00 UTC'."""
    return MISSING if _is_missing(value) else f"{pd.Timestamp(value):%Y-%m-%d %H:%M} UTC"
