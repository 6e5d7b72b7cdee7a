"""The dashboard end to end: a warehouse from a real `dbt build`, the real CLI, real Chromium."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import COMPARE_AS_OF_DATE, build_warehouse, query
from playwright.sync_api import Browser, Page, expect, sync_playwright

from dashboards.charts import ALL_CHARTS, GONE_COLUMN, HEATMAP_CLIP_Z, NEW_ROW, build_charts
from dashboards.marts import read_marts
from dashboards.page import EMBEDDED_CHARTS, page_html
from dashboards.report import insights_markdown

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RENDER_TIMEOUT_MS = 60_000
LAPTOP_WIDTH = 1366

# Customer ids and gender values that would run script if the page pasted them in as markup.
HOSTILE_IDS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload="window.__pwned=1">',
    "</script><script>window.__pwned=1</script>",
    "<!--",
]
HOSTILE_GENDERS = [
    '<b onmouseover="window.__pwned=1">Female</b>',
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
]
# A row that cannot be segmented, so its raw id and gender reach the page's rejections table.
REJECTED_HOSTILE_ID = '<img src=x onerror="window.__pwned=2">'


@dataclass
class BrowserReport:
    """What the page did while it was open: anything here but silence is a finding."""

    errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


def render_dashboard(db_path: Path, output_dir: Path) -> Path:
    """Runs `python -m dashboards` as a user would; returns the page it wrote."""
    result = subprocess.run(
        [sys.executable, "-m", "dashboards", "--db", str(db_path), "--output-dir", str(output_dir)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"dashboard failed:\n{result.stdout}\n{result.stderr}"
    return output_dir / "index.html"


def segment_names(db_path: Path) -> list[str]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("select segment_name from main.segment_profiles order by 1").fetchall()
    return [name for (name,) in rows]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def sample_dashboard(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_dashboard(sample_warehouse, tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="module")
def rfm_dashboard(rfm_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_dashboard(rfm_warehouse, tmp_path_factory.mktemp("rfm_dashboard"))


def open_offline(browser: Browser, page_path: Path) -> tuple[Page, BrowserReport]:
    """Opens the page from disk with every non-file request aborted, and waits for the charts."""
    # a 1366-pixel laptop screen: the page must fit it without sideways scrolling
    page = browser.new_page(viewport={"width": LAPTOP_WIDTH, "height": 900})
    report = BrowserReport()
    page.on("console", lambda m: m.type == "error" and report.errors.append(m.text))
    page.on("pageerror", lambda error: report.errors.append(str(error)))
    page.on("dialog", lambda dialog: (report.dialogs.append(dialog.message), dialog.dismiss()))

    def only_local_files(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            report.external_requests.append(route.request.url)
            route.abort()

    page.route("**/*", only_local_files)
    page.goto(page_path.as_uri())
    # The page's script marks each container once vega-embed has finished with it.
    expect(page.locator("[data-spec][data-rendered]")).to_have_count(
        len(EMBEDDED_CHARTS), timeout=RENDER_TIMEOUT_MS
    )
    return page, report


def painted_pixels(page: Page, container_id: str) -> int:
    """Non-white pixels on a chart's canvas: zero means an empty chart."""
    return page.locator(f"#{container_id} canvas").evaluate(
        """canvas => {
            const context = canvas.getContext("2d");
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 0; i < data.length; i += 4) {
                if (data[i + 3] > 0 && (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250)) {
                    painted++;
                }
            }
            return painted;
        }"""
    )


def hover_over_charts(page: Page) -> None:
    # Sweeps the pointer across the charts so that tooltips (which show data values) open.
    for canvas in page.locator("[data-spec] canvas").all():
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        for x in range(10, int(box["width"]), 45):
            for y in range(10, min(int(box["height"]), 600), 45):
                page.mouse.move(box["x"] + x, box["y"] + y)


def assert_every_chart_drawn_and_the_page_fits(page: Page) -> None:
    assert page.locator("[data-spec]").count() == len(EMBEDDED_CHARTS)
    for chart in EMBEDDED_CHARTS:
        container = f"chart-{chart}"
        assert page.locator(f"#{container}").get_attribute("data-rendered") == "true"
        box = page.locator(f"#{container} canvas").bounding_box()
        assert box["width"] > 200 and box["height"] > 100, f"{chart} is drawn too small: {box}"
        assert painted_pixels(page, container) > 10_000, f"{chart} looks empty"
        # nothing cut off: the chart is no wider than its container, the page no wider than
        # the screen
        overflow = page.locator(f"#{container}").evaluate("c => c.scrollWidth - c.clientWidth")
        assert overflow <= 0, f"{chart} is {overflow} px too wide for a {LAPTOP_WIDTH} px screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP_WIDTH


def test_dashboard_renders_every_chart_offline_in_chromium(
    browser: Browser, sample_dashboard: Path, sample_warehouse: Path, tmp_path: Path
) -> None:
    page, report = open_offline(browser, sample_dashboard)
    assert_every_chart_drawn_and_the_page_fits(page)
    assert page.locator(".segment").count() == len(segment_names(sample_warehouse))
    # a first build: the migration matrix is one row of new customers, and the page says so
    customers = query(sample_warehouse, "select count(*) as n from customer_segments")["n"][0]
    text = page.locator("main").inner_text()
    assert f"This is the first build: every customer is new ({customers} customers)" in text
    assert "Who moved: this is the first build" in json.dumps(
        embedded_spec(sample_dashboard, "segment_explorer")
    )

    screenshot = tmp_path / "dashboard.png"
    page.screenshot(path=str(screenshot), full_page=True)
    kept = PROJECT_ROOT / "test-output" / "dashboard.png"
    kept.parent.mkdir(exist_ok=True)
    shutil.copyfile(screenshot, kept)

    assert report.errors == []
    assert report.external_requests == [], "the page must work offline"
    page.close()


def test_rfm_dashboard_reads_as_an_rfm_analysis(
    browser: Browser, rfm_dashboard: Path, rfm_warehouse: Path
) -> None:
    page, report = open_offline(browser, rfm_dashboard)
    assert_every_chart_drawn_and_the_page_fits(page)
    text = page.locator("main").inner_text()
    # what a marketer reads: the RFM features with their units (var currency for money), the
    # as-of date, RFM personas
    for phrase in ["Recency (days)", "Frequency (orders)", "Monetary (EUR)", "Orders as of"]:
        assert phrase in text, phrase
    as_of = query(rfm_warehouse, "select max(as_of_date) as d from segment_feature_profiles")
    assert str(as_of["d"].iloc[0].date()) in text
    personas = set(query(rfm_warehouse, "select persona from segment_recommendations")["persona"])
    assert any(word in " ".join(personas) for word in ["Champions", "Loyal", "Hibernating"])
    for name in segment_names(rfm_warehouse):
        assert name in text
    # a skewed feature clustered on its log reads by its median first, as its level does
    monetary = query(
        rfm_warehouse,
        "select median_value, mean_value from segment_feature_profiles"
        " where feature = 'monetary' and is_clustering_feature order by segment_id limit 1",
    ).iloc[0]
    assert (
        f"median {monetary['median_value']:,.1f} EUR, mean {monetary['mean_value']:,.1f} EUR"
        in text
    )
    # no chart is drawn for the Mall-style columns this file does not have
    assert "Annual income" not in text and "Spending score" not in text
    page.screenshot(path=str(PROJECT_ROOT / "test-output" / "rfm_dashboard.png"), full_page=True)
    insights = (rfm_dashboard.parent / "insights.md").read_text(encoding="utf-8")
    assert "recency" in insights and "as of" in insights and " EUR (" in insights
    # who moved since var compare_as_of_date, counted in the SQL marts
    changes = query(rfm_warehouse, "select * from customer_segment_changes")
    since = f"Since {COMPARE_AS_OF_DATE} (the orders up to that day, this build's model): "
    assert f"{since}{len(changes)} customers moved to another segment" in text
    assert f"{since}{len(changes)} customers moved to another segment" in insights
    assert report.errors == [] and report.external_requests == []
    page.close()


def embedded_spec(page_path: Path, chart: str) -> dict:
    text = page_path.read_text(encoding="utf-8")
    found = re.search(f'<script type="application/json" id="spec-{chart}">(.*?)</script>', text)
    return json.loads(found.group(1))


def scales_by_field(spec: object, found: dict | None = None) -> dict[str, set[str]]:
    """Every x or y field of the spec with the scale types it is drawn on ('linear': none)."""
    found = {} if found is None else found
    if isinstance(spec, dict):
        for channel in ("x", "y"):
            encoding = spec.get(channel)
            if isinstance(encoding, dict) and "field" in encoding:
                kind = encoding.get("scale", {}).get("type", "linear")
                found.setdefault(encoding["field"], set()).add(kind)
        for value in spec.values():
            scales_by_field(value, found)
    elif isinstance(spec, list):
        for value in spec:
            scales_by_field(value, found)
    return found


def test_rfm_charts_draw_counts_and_amounts_on_log_axes_and_clip_the_heat_map(
    rfm_dashboard: Path, rfm_warehouse: Path
) -> None:
    spec = embedded_spec(rfm_dashboard, "segment_explorer")
    scales = scales_by_field(spec)
    # the features clustered on ln(1 + x) on symlog axes (ln(1 + x) itself), recency linear
    assert scales["frequency"] == scales["monetary"] == {"symlog"}
    assert scales["recency_days"] == {"linear"}
    assert "log_monetary" in scales  # the pair matrix's histogram bins ln(1 + x)
    text = json.dumps(spec)
    assert "Monetary (EUR, log scale)" in text and "Recency (days)" in text
    heat_colours = [
        scale for scale in re.findall(r'"scale": (\{[^{}]*"scheme": "redblue"[^{}]*\})', text)
    ]
    assert heat_colours, "no heat map colour scale"
    colours = json.loads(heat_colours[0])
    assert colours["domain"] == [-HEATMAP_CLIP_Z, HEATMAP_CLIP_Z] and colours["clamp"] is True
    # the cells and tooltips give the real z-scores, beyond the clipped colours
    drawn = [
        row["centroid_z"]
        for rows in spec["datasets"].values()
        for row in rows
        if "centroid_z" in row and "centroid_text" in row
    ]
    z = query(rfm_warehouse, "select centroid_z from segment_feature_profiles")["centroid_z"]
    assert sorted(drawn) == pytest.approx(sorted(z.dropna()))


def test_a_share_under_a_tenth_of_a_percent_reads_under_0_1_percent(
    rfm_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dashboards.page.vega_javascript", lambda: "")  # the page's text only
    marts = read_marts(rfm_warehouse)
    # nine customers of 23,570 (the segment shown as "0.0% of all")
    marts.profiles.loc[marts.profiles.index[0], "customer_share"] = 9 / 23570
    page = page_html(marts, {"segment_explorer": {}, "k_selection": {}}, source="test")
    assert "(&lt;0.1% of all)" in page and "(0.0% of all)" not in page
    assert "<0.1% of all" in insights_markdown(marts, source="test")
    sizes = json.dumps(build_charts(marts)["segment_sizes"].to_dict())
    assert '"share_text": "<0.1%"' in sizes


def test_every_chart_has_png_and_svg_and_the_report_names_every_segment(
    sample_dashboard: Path, sample_warehouse: Path
) -> None:
    charts_dir = sample_dashboard.parent / "charts"
    for chart in ALL_CHARTS:  # the sample has every chart: two features or more, a gender
        png = (charts_dir / f"{chart}.png").read_bytes()
        svg = (charts_dir / f"{chart}.svg").read_text(encoding="utf-8")
        assert png.startswith(b"\x89PNG") and len(png) > 1000, chart
        assert svg.lstrip().startswith("<svg") and "</svg>" in svg, chart

    insights = (sample_dashboard.parent / "insights.md").read_text(encoding="utf-8")
    for name in segment_names(sample_warehouse):
        assert name in insights, f"insights.md does not mention segment {name!r}"


def write_hostile_customers(path: Path) -> Path:
    """~60 plausible customers in three groups, some with markup in their id or gender."""
    rows = []
    for i in range(60):
        group = i % 3
        customer_id = HOSTILE_IDS[i] if i < len(HOSTILE_IDS) else f"C{i:03d}"
        gender = (
            HOSTILE_GENDERS[i % len(HOSTILE_GENDERS)] if i % 7 == 0 else ("Male", "Female")[i % 2]
        )
        age = 20 + group * 18 + i % 9
        income = 20 + group * 45 + (i * 7) % 15
        score = (85, 15, 50)[group] + (i * 5) % 11 - 5
        rows.append([customer_id, gender, age, income, score])
    rows.append([REJECTED_HOSTILE_ID, HOSTILE_GENDERS[0], "not an age", 50, 50])
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["CustomerID", "Gender", "Age", "Annual Income (k$)", "Spending Score (1-100)"]
        )
        writer.writerows(rows)
    return path


def test_markup_in_customer_data_stays_inert(browser: Browser, tmp_path: Path) -> None:
    customers = write_hostile_customers(tmp_path / "hostile_customers.csv")
    # k fixed: the page and its tooltips are the subject, not the choice of k
    warehouse = build_warehouse(tmp_path / "dbt", {"customers_path": str(customers), "k": 4})
    page_path = render_dashboard(warehouse, tmp_path / "dashboard")

    page, report = open_offline(browser, page_path)
    hover_over_charts(page)
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)

    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert report.dialogs == []
    assert page.locator("img[src=x], svg[onload], [onerror], [onmouseover]").count() == 0
    # Only the page's own scripts: two that run, and one inert JSON spec per chart container.
    assert page.locator("script:not([type])").count() == 2
    assert page.locator('script[type="application/json"]').count() == len(EMBEDDED_CHARTS)
    assert report.errors == []
    page.close()

    page_html = page_path.read_text(encoding="utf-8")
    for raw in [*HOSTILE_IDS, *HOSTILE_GENDERS, REJECTED_HOSTILE_ID]:
        assert raw not in page_html, f"{raw!r} was written into the page unescaped"
    # The rejected row's id is shown in the rejections table, as text.
    assert html.escape(REJECTED_HOSTILE_ID) in page_html
    insights = (page_path.parent / "insights.md").read_text(encoding="utf-8")
    assert "<script" not in insights and "<img" not in insights


def test_missing_warehouse_is_one_clear_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    for db_path in (tmp_path / "missing.duckdb", empty):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "dashboards",
                "--db",
                str(db_path),
                "--output-dir",
                str(tmp_path),
            ],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1
        assert "dbt build" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "index.html").exists()


def migration_rows(spec: dict) -> list[dict]:
    """The migration matrix's cells as the page draws them."""
    return [row for rows in spec["datasets"].values() for row in rows if "from_label" in row]


def test_the_migration_matrix_and_the_report_say_who_moved(
    sample_warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sample's first build, as drawn: one (new) row whose cells are the segments' sizes
    # (drawn in-process: the browser test checks the rendered page of the same build).
    monkeypatch.setattr("dashboards.page.vega_javascript", lambda: "")  # the page's text only
    marts = read_marts(sample_warehouse)
    cells = migration_rows(build_charts(marts)["segment_migrations"].to_dict())
    sizes = query(
        sample_warehouse,
        "select segment_name, count(*) as n from customer_segments group by 1",
    )
    assert {row["from_label"] for row in cells} == {NEW_ROW}
    assert {row["to_label"]: row["customer_count"] for row in cells} == dict(
        zip(sizes["segment_name"], sizes["n"], strict=True)
    )
    insights = insights_markdown(marts, source="test")
    assert "every customer is new" in insights and "moved from" not in insights

    # A later build, with the sample's customers regrouped as if the previous build had put
    # every third customer one segment further on, 5 customers gone and the last 7 new.
    now = query(sample_warehouse, "select customer_id, segment_id from customer_segments")
    now = now.sort_values("customer_id").reset_index(drop=True)
    ids = sorted(now["segment_id"].unique())
    then = now.copy()
    moved = then.index % 3 == 0
    then.loc[moved, "segment_id"] = then.loc[moved, "segment_id"].map(
        lambda s: ids[(ids.index(s) + 1) % len(ids)]
    )
    then = pd.concat(
        [then.iloc[:-7], pd.DataFrame({"customer_id": list("vwxyz"), "segment_id": ids[0]})]
    )
    pairs = then.merge(now, on="customer_id", how="outer", suffixes=("_from", "_to"))
    pairs = pairs.astype({"segment_id_from": "Int64", "segment_id_to": "Int64"})
    counts = pairs.groupby(["segment_id_from", "segment_id_to"], dropna=False).size()
    names = dict(zip(marts.profiles["segment_id"], marts.profiles["segment_name"], strict=True))
    migrations = counts.rename("customer_count").reset_index()
    migrations.columns = ["from_segment_id", "to_segment_id", "customer_count"]
    migrations["from_segment_name"] = migrations["from_segment_id"].map(names)
    migrations["to_segment_name"] = migrations["to_segment_id"].map(names)
    migrations["from_segment_share"] = migrations["customer_count"] / migrations.groupby(
        "from_segment_id", dropna=False
    )["customer_count"].transform("sum")
    migrations["from_segmented_at"] = pd.Timestamp("2026-12-06 10:00")
    migrations["to_segmented_at"] = pd.Timestamp("2026-12-06 11:00")
    migrations["compared_with"] = "previous_build"
    marts = replace(marts, migrations=migrations)

    report = insights_markdown(marts, source="test")
    changed = pairs.dropna()
    changed = changed[changed["segment_id_from"] != changed["segment_id_to"]]
    assert (
        f"Since 2026-12-06 10:00 UTC (the previous build): {len(changed)} customers moved to "
        f"another segment, 7 new, 5 gone." in report
    )
    top = changed.groupby(["segment_id_from", "segment_id_to"]).size()
    top = top.reset_index(name="n").sort_values(
        ["n", "segment_id_from", "segment_id_to"], ascending=[False, True, True]
    )
    for move in top.head(3).itertuples():
        assert (
            f"- {move.n} customers moved from {names[move.segment_id_from]} to "
            f"{names[move.segment_id_to]} ("
        ) in report.replace("\\", "")
    assert report.count(" customers moved from ") == 3
    page = page_html(marts, {"segment_explorer": {}, "k_selection": {}}, source="test")
    assert f"{len(changed)} customers moved to another segment" in page

    drawn = migration_rows(build_charts(marts)["segment_migrations"].to_dict())
    assert sum(row["customer_count"] for row in drawn) == len(pairs)
    assert {row["from_label"] for row in drawn} >= {NEW_ROW}
    assert {row["to_label"] for row in drawn} >= {GONE_COLUMN}
    # a cell selects (and is highlighted with) the segment its customers are in now
    for row in drawn:
        expected = row["to_segment_name"] or row["from_segment_name"]
        assert row["segment_name"] == expected
