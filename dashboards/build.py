"""Write the dashboard: chart images, the HTML page and the insights report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import altair as alt
import vl_convert

from dashboards.charts import build_charts, segment_explorer_chart
from dashboards.marts import read_marts
from dashboards.page import page_html
from dashboards.report import insights_markdown


@dataclass(frozen=True)
class Dashboard:
    page: Path
    report: Path
    chart_files: list[Path]


def save_chart_images(charts: dict[str, alt.TopLevelMixin], charts_dir: Path) -> list[Path]:
    """One PNG and one SVG per chart, for slides and documents (drawn without a browser).

    Each chart's spec is made (and checked against the Vega-Lite schema) once and drawn by
    vl-convert, as chart.save does; chart.save made and checked it again for each file, half
    of the dashboard's time."""
    charts_dir.mkdir(parents=True, exist_ok=True)
    vl_version = "_".join(alt.SCHEMA_VERSION.split(".")[:2])  # v6.4.1 -> v6_4
    written = []
    for name, chart in charts.items():
        spec = chart.to_dict()
        png = charts_dir / f"{name}.png"
        png.write_bytes(vl_convert.vegalite_to_png(spec, vl_version=vl_version, scale=2))
        svg = charts_dir / f"{name}.svg"
        svg.write_text(vl_convert.vegalite_to_svg(spec, vl_version=vl_version), encoding="utf-8")
        written += [png, svg]
    return written


def build_dashboard(db_path: Path, output_dir: Path) -> Dashboard:
    """Read the marts at db_path and write everything under output_dir."""
    marts = read_marts(db_path)
    charts = build_charts(marts)
    output_dir.mkdir(parents=True, exist_ok=True)
    chart_files = save_chart_images(charts, output_dir / "charts")
    specs = {
        "k_selection": charts["k_selection"].to_dict(),
        "segment_explorer": segment_explorer_chart(charts).to_dict(),
    }
    page = output_dir / "index.html"
    page.write_text(page_html(marts, specs, source=str(db_path)), encoding="utf-8")
    report = output_dir / "insights.md"
    report.write_text(insights_markdown(marts, source=str(db_path)), encoding="utf-8")
    return Dashboard(page=page, report=report, chart_files=chart_files)
