"""Assemble the one self-contained HTML page; every value from the data is escaped here."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from datetime import datetime, timezone
from functools import lru_cache

import altair as alt
import pandas as pd
import vl_convert

from dashboards import formats
from dashboards.charts import segment_colour_of
from dashboards.marts import (
    MAX_REJECTIONS_LISTED,
    Marts,
    category_rows,
    feature_rows,
    profiled_rows,
    segments_with_playbook,
)
from dashboards.movements import largest_move_sentences, movement_summary

# The page's chart containers, in order; each one is rendered by vega-embed from its own spec.
EMBEDDED_CHARTS = ("segment_explorer", "k_selection")
KNOWN_PRIORITIES = ("high", "medium", "low")

# Renders every container that names a spec; the spec is JSON in an inert script element.
EMBED_SCRIPT = """
for (const container of document.querySelectorAll("[data-spec]")) {
  const spec = JSON.parse(document.getElementById(container.dataset.spec).textContent);
  // ast: vega-embed evaluates expressions with its interpreter, so no eval() is needed.
  const options = {actions: false, renderer: "canvas", ast: true};
  vegaEmbed(container, spec, options)
    .then(() => { container.dataset.rendered = "true"; })
    .catch((error) => {
      container.dataset.rendered = "failed";
      container.textContent = "This chart could not be drawn: " + error;
      console.error(error);
    });
}
"""

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
       color: #1f2328; background: #f6f7f9; line-height: 1.45; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { margin: 0 0 4px; font-size: 28px; }
h2 { margin: 36px 0 8px; font-size: 21px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { margin: 0 0 6px; font-size: 17px; display: flex; align-items: center; gap: 8px; }
.lead { font-size: 17px; margin: 4px 0 12px; }
.facts { display: flex; flex-wrap: wrap; gap: 12px; padding: 0; list-style: none; }
.facts li { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 14px; }
.facts strong { display: block; font-size: 20px; }
.note { color: #57606a; font-size: 14px; }
.chart { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px;
         overflow-x: auto; }
.segments { display: grid; gap: 14px;
            grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); }
.segment { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 14px 16px;
           border-top-width: 6px; }
.segment p, .segment ul { margin: 6px 0; }
.persona { font-style: italic; color: #57606a; }
.swatch { width: 14px; height: 14px; border-radius: 3px; display: inline-block; flex: none; }
.numbers { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 8px 0;
           font-size: 14px; }
.numbers dt { color: #57606a; }
.numbers dd { margin: 0; font-variant-numeric: tabular-nums; }
.numbers .profiled { grid-column: 1 / -1; color: #1f2328; font-weight: 600; margin-top: 4px; }
.priority { font-size: 12px; font-weight: 600; border-radius: 10px; padding: 1px 8px;
            background: #eaeef2; margin-left: auto; white-space: nowrap; }
.priority-high { background: #ffd8d3; }
.priority-medium { background: #fff1c2; }
.priority-low { background: #dcefe0; }
table { border-collapse: collapse; background: #fff; font-size: 14px; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
footer { margin-top: 40px; color: #57606a; font-size: 13px; }
"""


def escape(value: object) -> str:
    """A data value as HTML text; markup in it shows as text and never runs."""
    return html.escape(formats.text(value), quote=True)


def script_safe_json(value: object) -> str:
    """JSON that cannot end the script element holding it, nor start a comment or entity."""
    text = json.dumps(value, ensure_ascii=True, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@lru_cache(maxsize=1)
def vega_javascript() -> str:
    """Vega, Vega-Lite and vega-embed in one script, so the page needs no network."""
    major_minor = ".".join(alt.VEGALITE_VERSION.split(".")[:2])
    bundle = vl_convert.javascript_bundle(vl_version=major_minor)
    if "</script" in bundle.lower():
        raise RuntimeError("The Vega bundle contains '</script' and cannot be inlined safely.")
    return bundle


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(scripts: list[str]) -> str:
    # Only our own two scripts may run (by hash), and nothing may be fetched: a second line of
    # defence should markup ever slip through escaping, and proof that the page is offline.
    hashes = " ".join(_script_hash(script) for script in scripts)
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
        "img-src data: blob:; font-src data:; base-uri 'none'; form-action 'none'"
    )


def _chart_container(chart_id: str, spec: dict) -> str:
    return (
        f'<div class="chart" id="chart-{chart_id}" data-spec="spec-{chart_id}"></div>\n'
        f'<script type="application/json" id="spec-{chart_id}">{script_safe_json(spec)}</script>'
    )


def _facts(marts: Marts) -> str:
    chosen = marts.chosen_model
    k = formats.count(chosen["k"]) if chosen is not None else formats.MISSING
    facts = [
        ("Customers segmented", formats.count(marts.customer_count)),
        ("Segments (k)", k),
        ("Input rows rejected", formats.count(marts.rejection_count)),
    ]
    if marts.no_purchase_count:
        facts.insert(2, ("No purchase yet (not clustered)", formats.count(marts.no_purchase_count)))
    if marts.order_rejection_count is not None:
        facts.append(("Order rows not counted", formats.count(marts.order_rejection_count)))
    if marts.as_of_date is not None:
        facts.append(("Orders as of", escape(pd.Timestamp(marts.as_of_date).date().isoformat())))
    items = "".join(f"<li>{label}<strong>{value}</strong></li>" for label, value in facts)
    features = ", ".join(escape(feature.title) for feature in marts.clustering_features)
    categories = ", ".join(
        escape(label)
        for name, label in marts.category_attributes
        if name in set(marts.category_profiles.query("is_clustering_feature")["feature"])
    )
    clustered_on = features + (f"; categories: {categories}" if categories else "")
    return f'<ul class="facts">{items}</ul><p class="note">Clustered on: {clustered_on}.</p>'


def _sample_note(marts: Marts) -> str:
    if not marts.is_sampled:
        return ""
    return (
        '<p class="note">The scatter plots, the pair matrix and the box plots draw a fixed '
        f"sample of {formats.count(len(marts.customers))} of "
        f"{formats.count(marts.customer_count)} customers (the same on every run: ordered by a "
        "hash of the customer id). Segment sizes, profiles and centroids cover all customers.</p>"
    )


def _who_moved(marts: Marts) -> str:
    """The movement since the previous build in words; the explorer's matrix has every pair."""
    moves = "".join(f"<li>{escape(sentence)}</li>" for sentence in largest_move_sentences(marts))
    return f"<p><strong>Who moved.</strong> {escape(movement_summary(marts))}</p>" + (
        f"<ul>{moves}</ul>" if moves else ""
    )


def _header(marts: Marts) -> str:
    chosen = marts.chosen_model
    reason = escape(chosen["choice_reason"]) if chosen is not None else ""
    return (
        "<header><h1>Customer segments</h1>"
        f'<p class="lead">Why this number of segments: {reason}</p>'
        f"{_facts(marts)}{_sample_note(marts)}{_who_moved(marts)}</header>"
    )


def _feature_lines(marts: Marts, segment_id: int) -> str:
    """The segment's mean (and median, for a log feature) of each clustering feature against
    all customers."""
    lines = []
    rows = feature_rows(marts, segment_id)
    for row in rows[rows["is_clustering_feature"]].itertuples():
        lines.append(
            f"<dt>{escape(row.feature_label)}</dt><dd>{escape(formats.segment_value(row))} "
            f"({formats.signed(row.difference_from_population)} vs all)</dd>"
        )
    return "".join(lines)


def _category_lines(marts: Marts, segment_id: int) -> str:
    """The segment's two most common categories of each categorical clustering feature."""
    lines = []
    for name, label in marts.category_attributes:
        if name not in marts.clustering_category_names:
            continue
        shares = [
            f"{escape(formats.share(row.category_share))} {escape(row.category)}"
            for row in category_rows(marts, segment_id, name).head(2).itertuples()
        ]
        lines.append(f"<dt>{escape(label)}</dt><dd>{', '.join(shares)}</dd>")
    return "".join(lines)


def _profiled_lines(marts: Marts, segment_id: int) -> str:
    """The attributes not clustered on (outcomes such as churn, gender, the profile features):
    the segment's two most common categories and its mean, each against all customers."""
    lines = []
    for name, label in marts.category_attributes:
        if name in marts.clustering_category_names:
            continue
        rows = category_rows(marts, segment_id, name)
        shares = [
            f"{escape(row.category)} {formats.share(row.category_share)} against "
            f"{formats.share(row.population_share)} of all"
            for row in rows.head(2).itertuples()
        ]
        missing = formats.without_value(rows["missing_count"].iloc[0]) if len(rows) else ""
        lines.append(f"<dt>{escape(label)}</dt><dd>{', '.join(shares)}{missing}</dd>")
    for row in profiled_rows(marts, segment_id).itertuples():
        unit = f" {escape(row.feature_unit)}" if row.feature_unit else ""
        lines.append(
            f"<dt>{escape(row.feature_label)}</dt><dd>{formats.number(row.mean_value)}{unit} "
            f"against {formats.number(row.population_mean)} of all"
            f"{formats.without_value(row.missing_count)}</dd>"
        )
    if not lines:
        return ""
    return '<dt class="profiled">Also profiled (not clustered on)</dt>' + "".join(lines)


def _list_or_text(value: object) -> str:
    # Playbook cells may list several items separated by semicolons.
    items = [item.strip() for item in formats.text(value).split(";") if item.strip()]
    if len(items) <= 1:
        return escape(value)
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


def _priority_badge(priority: object) -> str:
    level = formats.text(priority).strip().lower()
    css_class = f"priority-{level}" if level in KNOWN_PRIORITIES else "priority-other"
    return f'<span class="priority {css_class}">{escape(priority)} priority</span>' if level else ""


def _segment_card(marts: Marts, segment: pd.Series, colour: str) -> str:
    numbers = (
        f"<dt>Customers</dt><dd>{formats.count(segment['customer_count'])} "
        f"({escape(formats.share(segment['customer_share']))} of all)</dd>"
        + _feature_lines(marts, segment["segment_id"])
        + _category_lines(marts, segment["segment_id"])
        + _profiled_lines(marts, segment["segment_id"])
    )
    return (
        f'<article class="segment" style="border-top-color: {colour}">'
        f'<h3><span class="swatch" style="background: {colour}"></span>'
        f"{escape(segment['segment_name'])}{_priority_badge(segment['priority'])}</h3>"
        f'<p class="persona">{escape(segment["persona"])}</p>'
        f'<dl class="numbers">{numbers}</dl>'
        f"<p><strong>Strategy.</strong> {escape(segment['strategy'])}</p>"
        f"<div><strong>Channels.</strong> {_list_or_text(segment['channels'])}</div>"
        f"<div><strong>Start with.</strong> {_list_or_text(segment['example_actions'])}</div>"
        "</article>"
    )


def _segment_cards(marts: Marts) -> str:
    colours = segment_colour_of(marts.profiles)
    cards = "".join(
        _segment_card(marts, segment, colours[str(segment["segment_name"])])
        for _, segment in segments_with_playbook(marts).iterrows()
    )
    return f'<div class="segments">{cards}</div>'


def _rejections_sentence(count: int) -> str:
    if count == 1:
        return "1 input row could not be segmented; it is listed below with the reason."
    listed = "all" if count <= MAX_REJECTIONS_LISTED else f"the first {MAX_REJECTIONS_LISTED}"
    return (
        f"{formats.count(count)} input rows could not be segmented; {listed} are listed below, "
        "and the <code>customer_rejections</code> table has every one with the reason."
    )


def _rejections_section(marts: Marts) -> str:
    if marts.rejection_count == 0:
        return "<p>Every input row was segmented; none was rejected.</p>"
    # the mart has a raw_<column> per column the build read: labelled as the marts label them
    labels = {f.name: f.label for f in marts.features} | dict(marts.category_attributes)
    columns = {"source_row_number": "Row"}
    for column in marts.rejections.columns:
        if column.startswith("raw_"):
            name = column.removeprefix("raw_")
            columns[column] = labels.get(name, name.replace("_", " ").capitalize())
    columns["rejection_reason"] = "Why"
    # columns the file had (a catalog attribute the file lacks is all empty): not all empty
    shown = [c for c in columns if marts.rejections[c].notna().any()]
    head = "".join(f"<th>{columns[c]}</th>" for c in shown)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(row[c])}</td>" for c in shown) + "</tr>"
        for _, row in marts.rejections.iterrows()
    )
    return (
        f"<p>{_rejections_sentence(marts.rejection_count)}</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _order_rejections_note(marts: Marts) -> str:
    if marts.order_rejection_count is None:
        return ""
    return (
        f"<p>{formats.count(marts.order_rejection_count)} order rows were not counted in the "
        "order features (returns and refunds, unusable values, dates after the as-of date); the "
        "<code>order_rejections</code> table has each one with the reason.</p>"
    )


def page_html(marts: Marts, specs: dict[str, dict], source: str) -> str:
    """The whole page; `specs` maps each of EMBEDDED_CHARTS to its Vega-Lite spec."""
    bundle = vega_javascript()
    policy = content_security_policy([bundle, EMBED_SCRIPT])
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer segments</title>
<style>{STYLE}</style>
</head>
<body>
<main>
{_header(marts)}
<h2>Segments and what to do with them</h2>
{_segment_cards(marts)}
<h2>Explore the segments</h2>
<p class="note">Click a segment (a point, bar, or legend entry) to highlight it in every chart;
double-click to show all again; shift-click adds a segment. Hover for details. In the
migration matrix (who moved since the previous build) a cell selects the segment its customers
are in now.</p>
{_chart_container("segment_explorer", specs["segment_explorer"])}
<h2>How many segments?</h2>
<p class="note">Each k in the search was fitted and scored; the red mark is the k in use.</p>
{_chart_container("k_selection", specs["k_selection"])}
<h2>Rejected input rows</h2>
{_rejections_section(marts)}
{_order_rejections_note(marts)}
<footer>Built from {escape(source)} on {generated}. Every figure comes from the marts of the
dbt project; this page computes nothing of its own.</footer>
</main>
<script>{bundle}</script>
<script>{EMBED_SCRIPT}</script>
</body>
</html>
"""
