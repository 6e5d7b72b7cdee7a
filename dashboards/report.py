"""The insights report: the page's content as Markdown prose, for people who read."""

from __future__ import annotations

import html
import re

import pandas as pd

from dashboards import formats
from dashboards.marts import Marts, segments_with_playbook

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
    lines = [
        f"- **{formats.count(marts.customer_count)} customers** were put into **{k} segments**.",
        f"- Why {k} segments: {reason}",
        f"- {_rejections_line(marts.rejection_count)}",
    ]
    return "\n".join(lines)


FEATURE_PHRASES = {
    "age": ("age", " years"),
    "annual_income": ("annual income", " k$"),
    "spending_score": ("spending score", ""),
}


def _feature_phrase(segment: pd.Series, feature: str) -> str:
    name, unit = FEATURE_PHRASES[feature]
    return (
        f"{name} {formats.number(segment[f'avg_{feature}'])}{unit} "
        f"({formats.signed(segment[f'{feature}_vs_population'])} vs all customers)"
    )


def _who_they_are(segment: pd.Series) -> str:
    # A file without a column (say, age) has no averages for it: say nothing rather than a dash.
    known = [f for f in FEATURE_PHRASES if not pd.isna(segment[f"avg_{f}"])]
    averages = "; ".join(_feature_phrase(segment, f) for f in known)
    gender = (
        f"{formats.share(segment['female_share'])} are female and "
        f"{formats.share(segment['male_share'])} male."
    )
    return f"On average: {averages}. {gender}" if averages else gender


def _segment_section(segment: pd.Series) -> str:
    return "\n\n".join(
        [
            f"### {markdown_text(segment['segment_name'])}",
            f"*{markdown_text(segment['persona'])}* "
            f"(priority: {markdown_text(segment['priority']) or formats.MISSING})",
            f"**Size.** {formats.count(segment['customer_count'])} customers, "
            f"{formats.share(segment['customer_share'])} of all.",
            f"**Who they are.** {_who_they_are(segment)}",
            f"**What to do.** {markdown_text(segment['strategy'])}",
            f"**Channels.** {markdown_text(segment['channels']) or formats.MISSING}",
            f"**Start with.** {markdown_text(segment['example_actions']) or formats.MISSING}",
        ]
    )


def insights_markdown(marts: Marts, source: str) -> str:
    """The whole report, one section per segment in segment id order."""
    sections = [
        _segment_section(segment) for _, segment in segments_with_playbook(marts).iterrows()
    ]
    return "\n\n".join(
        [
            "# Customer segments: insights",
            f"Built from `{source.replace('`', '')}`; every figure comes from the dbt marts.",
            "## Summary",
            _summary(marts),
            "## Segments",
            *sections,
        ]
    )
