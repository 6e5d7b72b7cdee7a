"""The insights report: the page's content as Markdown prose, for people who read."""

from __future__ import annotations

import html
import re

import pandas as pd

from dashboards import formats
from dashboards.marts import (
    Marts,
    category_rows,
    feature_rows,
    profiled_rows,
    segments_with_playbook,
)
from dashboards.movements import largest_move_sentences, movement_summary

# Characters that Markdown reads as formatting mid-line (values never start a line, so list and
# heading markers at a line start cannot occur); a backslash makes them literal.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]#|~])")


def markdown_text(value: object) -> str:
    """A data value as literal Markdown text: no formatting, links, HTML or line structure."""
    one_line = " ".join(formats.text(value).split())
    return html.escape(_MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line), quote=False)


def _rejections_line(count: int) -> str:
    if count == 0:
        return "Every input row was segmented; none was rejected."
    rows = "1 input row" if count == 1 else f"{formats.count(count)} input rows"
    return (
        f"**{rows}** could not be used; the table `customer_rejections` lists each one with "
        "the reason."
    )


def _summary(marts: Marts) -> str:
    chosen = marts.chosen_model
    k = formats.count(chosen["k"]) if chosen is not None else formats.MISSING
    reason = markdown_text(chosen["choice_reason"]) if chosen is not None else ""
    features = ", ".join(markdown_text(feature.title) for feature in marts.clustering_features)
    clustered = marts.customer_count - marts.no_purchase_count
    lines = [
        f"- **{formats.count(clustered)} customers** were put into **{k} segments**, "
        f"clustered on {features}.",
    ]
    if marts.no_purchase_count:
        lines.append(
            f"- **{formats.count(marts.no_purchase_count)} customers** without a valid order "
            "form the segment *No purchase yet* (not clustered)."
        )
    lines += [
        f"- Why {k} segments: {reason}",
        f"- {_rejections_line(marts.rejection_count)}",
    ]
    if marts.order_rejection_count is not None:
        as_of = pd.Timestamp(marts.as_of_date).date().isoformat()
        lines.append(
            f"- Order features are measured as of {as_of}; "
            f"{formats.count(marts.order_rejection_count)} order rows were not counted "
            "(the table `order_rejections` says why)."
        )
    return "\n".join(lines)


def _feature_phrase(row) -> str:
    return markdown_text(
        f"{formats.label_in_text(row.feature_label)} {formats.segment_value(row)} "
        f"({formats.signed(row.difference_from_population)} vs all customers)"
    )


def _category_phrase(marts: Marts, segment_id: int, name: str, label: str) -> str:
    shares = [
        f"{formats.share(row.category_share)} {row.category}"
        for row in category_rows(marts, segment_id, name).head(2).itertuples()
    ]
    return markdown_text(f"{label}: {', '.join(shares)}")


def _profiled_feature_phrase(row) -> str:
    unit = f" {row.feature_unit}" if row.feature_unit else ""
    return markdown_text(
        f"{row.feature_label}: {formats.number(row.mean_value)}{unit} against "
        f"{formats.number(row.population_mean)} of all{formats.without_value(row.missing_count)}"
    )


def _profiled_category_phrase(marts: Marts, segment_id: int, name: str, label: str) -> str:
    """'Churn: yes 32.0% against 27.0% of all, no 68.0% against 73.0% of all'."""
    rows = category_rows(marts, segment_id, name)
    shares = [
        f"{row.category} {formats.share(row.category_share)} against "
        f"{formats.share(row.population_share)} of all"
        for row in rows.head(2).itertuples()
    ]
    missing = formats.without_value(rows["missing_count"].iloc[0]) if len(rows) else ""
    return markdown_text(f"{label}: {', '.join(shares)}{missing}")


def _who_they_are(marts: Marts, segment_id: int) -> str:
    rows = feature_rows(marts, segment_id)
    averages = "; ".join(
        _feature_phrase(row) for row in rows[rows["is_clustering_feature"]].itertuples()
    )
    categories = "; ".join(
        _category_phrase(marts, segment_id, name, label)
        for name, label in marts.category_attributes
        if name in marts.clustering_category_names
    )
    parts = [f"On average: {averages}." if averages else "", f"{categories}." if categories else ""]
    return " ".join(part for part in parts if part)


def _also_profiled(marts: Marts, segment_id: int) -> str:
    """The attributes not clustered on (outcomes such as churn): the segment against all."""
    phrases = [
        _profiled_category_phrase(marts, segment_id, name, label)
        for name, label in marts.category_attributes
        if name not in marts.clustering_category_names
    ] + [_profiled_feature_phrase(row) for row in profiled_rows(marts, segment_id).itertuples()]
    return "; ".join(phrases) + "." if phrases else ""


def _segment_section(marts: Marts, segment: pd.Series) -> str:
    return "\n\n".join(
        [
            f"### {markdown_text(segment['segment_name'])}",
            f"*{markdown_text(segment['persona'])}* "
            f"(priority: {markdown_text(segment['priority']) or formats.MISSING})",
            f"**Size.** {formats.count(segment['customer_count'])} customers, "
            f"{formats.share(segment['customer_share'])} of all.",
            f"**Who they are.** {_who_they_are(marts, segment['segment_id'])}",
            *(
                [f"**Also profiled** (not clustered on). {profiled}"]
                if (profiled := _also_profiled(marts, segment["segment_id"]))
                else []
            ),
            f"**What to do.** {markdown_text(segment['strategy'])}",
            f"**Channels.** {markdown_text(segment['channels']) or formats.MISSING}",
            f"**Start with.** {markdown_text(segment['example_actions']) or formats.MISSING}",
        ]
    )


def _who_moved(marts: Marts) -> str:
    """The movement since the previous build and its largest moves between two segments."""
    lines = [markdown_text(movement_summary(marts))]
    moves = largest_move_sentences(marts)
    if moves:
        lines += ["", "Largest moves between two segments:", ""]
        lines += [f"- {markdown_text(sentence)}" for sentence in moves]
    elif not marts.is_first_build:
        lines += ["", "No customer changed segment."]
    return "\n".join(lines)


def insights_markdown(marts: Marts, source: str) -> str:
    """The whole report, one section per segment in segment id order."""
    sections = [
        _segment_section(marts, segment) for _, segment in segments_with_playbook(marts).iterrows()
    ]
    return "\n\n".join(
        [
            "# Customer segments: insights",
            f"Built from `{source.replace('`', '')}`; every figure comes from the dbt marts.",
            "## Summary",
            _summary(marts),
            "## Who moved",
            _who_moved(marts),
            "## Segments",
            *sections,
        ]
    )
