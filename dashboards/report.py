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


def _summary(marts: Marts) -> str:
    chosen = marts.chosen_model
    k = formats.count(chosen["k"]) if chosen is not None else formats.MISSING
    reason = markdown_text(chosen["choice_reason"]) if chosen is not None else ""
    lines = [
        f"- **{formats.count(marts.customer_count)} customers** were put into **{k} segments**.",
        f"- Why {k} segments: {reason}",
        f"- **{formats.count(marts.rejection_count)} input rows** could not be used; the table "
        "`customer_rejections` lists each one with the reason.",
    ]
    return "\n".join(lines)


def _who_they_are(segment: pd.Series) -> str:
    return (
        f"Average age {formats.number(segment['avg_age'])} years "
        f"({formats.signed(segment['age_vs_population'])} vs all customers), "
        f"annual income {formats.number(segment['avg_annual_income'])} k$ "
        f"({formats.signed(segment['annual_income_vs_population'])}), "
        f"spending score {formats.number(segment['avg_spending_score'])} "
        f"({formats.signed(segment['spending_score_vs_population'])}). "
        f"{formats.share(segment['female_share'])} are female and "
        f"{formats.share(segment['male_share'])} male."
    )


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
