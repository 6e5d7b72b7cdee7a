"""One function per chart: marts DataFrames in, an Altair chart out; charts compute nothing.

Every chart is drawn for the features the build used, with the labels and units the marts
give them (dashboards.marts.Feature). Widths are chosen so the page fits a 1366-pixel laptop
screen: no row of the explorer is wider than about 1,000 pixels.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import altair as alt
import pandas as pd

from dashboards import formats
from dashboards.marts import NO_PURCHASE_SEGMENT_ID, Feature, Marts
from dashboards.movements import compared_moment

METRIC_TITLES = {
    "inertia": "Inertia (elbow; lower is tighter)",
    "silhouette": "Silhouette (higher is better)",
    "stability": "Stability (bootstrap ARI; higher is steadier)",
    "calinski_harabasz": "Calinski-Harabasz (higher is better)",
    "davies_bouldin": "Davies-Bouldin (lower is better)",
}
CATEGORY_COLOURS = [
    "#9c6ade", "#3f9c8f", "#e0a526", "#b8b8b8", "#4e79a7", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#ff9da7", "#9c755f", "#bab0ac",
]  # fmt: skip
# Tableau 10 then Tableau 20's light tones: distinct for up to 20 segments, then repeats.
SEGMENT_COLOURS = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
    "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
]  # fmt: skip
DIMMED = "#dddddd"
SEGMENT = "segment_name"
# Segment names on an axis are cut at this width (their full text is in the tooltips).
NAME_LABEL_WIDTH = 230
# The profile heat map's colours stop at this many standard deviations (the cells say the
# real z-score): one segment of heavy buyers at z = 27 would otherwise wash out all the others.
HEATMAP_CLIP_Z = 3
# At most this many features in the pair matrix, and box plots per row.
MATRIX_FEATURES = 4
BOXPLOTS_PER_ROW = 3
CATEGORY_CHARTS_PER_ROW = 3
# The migration matrix's row of customers new since the compared build, and column of those gone.
NEW_ROW = "(new)"
GONE_COLUMN = "(gone)"

# The charts that share the segment selection, in page order; the page embeds them as one spec.
EXPLORER_CHARTS = (
    "feature_scatter",
    "segment_sizes",
    "category_mix",
    "profile_heatmap",
    "segment_migrations",
    "feature_boxplots",
    "scatter_matrix",
)
ALL_CHARTS = ("k_selection", *EXPLORER_CHARTS)


def segment_order(profiles: pd.DataFrame) -> list[str]:
    """Segment names by segment id: the order of every legend, axis and colour."""
    return profiles.sort_values("segment_id")[SEGMENT].astype(str).tolist()


def segment_colour_of(profiles: pd.DataFrame) -> dict[str, str]:
    """The colour each segment has on every chart and on the page."""
    names = segment_order(profiles)
    return {name: SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)] for i, name in enumerate(names)}


def drawn_features(marts: Marts) -> list[Feature]:
    """The numeric clustering features the customers drawn have values for."""
    return [
        feature
        for feature in marts.clustering_features
        if feature.name in marts.customers and marts.customers[feature.name].notna().any()
    ]


def scatter_pair(marts: Marts) -> tuple[Feature, Feature] | None:
    """The two clustering features whose centroids differ most between segments (the view that
    separates the segments best), in their order; None with fewer than two features."""
    features = drawn_features(marts)
    if len(features) < 2:
        return None
    rows = marts.feature_profiles[marts.feature_profiles["is_clustering_feature"]]
    spread = rows.groupby("feature")["centroid_z"].std().fillna(0)
    ranked = sorted(features, key=lambda f: (-spread.get(f.name, 0.0), features.index(f)))[:2]
    return tuple(sorted(ranked, key=features.index))


def _scale(feature: Feature) -> alt.Scale:
    # A log feature's axis is symlog with constant 1: sign(x) ln(1 + |x|), the very ln(1 + x)
    # it is clustered on, and it draws 0 (no order yet), which a log axis cannot.
    if feature.is_log:
        return alt.Scale(type="symlog", constant=1, zero=False, nice=False)
    return alt.Scale(zero=False)


# Tick values of a log axis: 1, 2, 5, 10, 20, 50, ... (a symlog axis' own ticks are evenly
# spaced in the values, so they crowd at the top and leave the bottom bare).
LOG_TICKS = [0] + [m * 10**e for e in range(0, 10) for m in (1, 2, 5)]


def _axis(feature: Feature, values: pd.Series, **options) -> alt.Axis:
    if not feature.is_log:
        return alt.Axis(**options)
    low, high = values.min(), values.max()
    return alt.Axis(values=[tick for tick in LOG_TICKS if low <= tick <= high], **options)


def segment_selection() -> alt.Parameter:
    # Projected on the name, so one click selects the segment in every chart that has the field.
    # on="click" keeps clicks on marks working: a legend binding alone would only hear the legend.
    return alt.selection_point(
        name="segment", fields=[SEGMENT], bind="legend", on="click", clear="dblclick"
    )


@contextmanager
def _sharing_one_selection() -> Iterator[None]:
    # Altair warns when it merges a parameter used by several subcharts: here that is the point.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Automatically deduplicated selection parameter")
        yield


def _segment_colour(
    profiles: pd.DataFrame, selection: alt.Parameter, legend: bool = False
) -> alt.Color:
    colours = segment_colour_of(profiles)
    scale = alt.Scale(domain=list(colours), range=list(colours.values()))
    colour = alt.Color(
        f"{SEGMENT}:N",
        scale=scale,
        title="Segment",
        legend=alt.Legend(orient="top", columns=2, labelLimit=NAME_LABEL_WIDTH) if legend else None,
    )
    return alt.when(selection).then(colour).otherwise(alt.value(DIMMED))


def _highlight(selection: alt.Parameter) -> alt.OpacityValue:
    return alt.when(selection).then(alt.value(1.0)).otherwise(alt.value(0.25))


def _segment_axis(profiles: pd.DataFrame, with_labels: bool = True) -> alt.Y:
    return alt.Y(
        f"{SEGMENT}:N",
        title=None,
        sort=segment_order(profiles),
        axis=alt.Axis(labels=with_labels, labelLimit=NAME_LABEL_WIDTH),
    )


def k_selection_chart(model_selection: pd.DataFrame) -> alt.FacetChart:
    """Each quality metric by k, with the chosen k and the elbow of inertia marked."""
    metrics = [m for m in METRIC_TITLES if model_selection[m].notna().any()]
    long = model_selection.melt(
        id_vars=["k", "is_chosen", "is_elbow"],
        value_vars=metrics,
        var_name="metric",
        value_name="value",
    ).dropna(subset=["value"])
    long["metric"] = long["metric"].map(METRIC_TITLES)
    base = alt.Chart().encode(
        x=alt.X("k:O", title="Number of segments (k)", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
    )
    line = base.mark_line(color="#4e79a7", point=True)
    chosen = base.mark_point(size=220, color="#e15759", filled=True).transform_filter(
        alt.datum.is_chosen
    )
    elbow = (
        base.mark_point(size=260, shape="triangle-down", color="#f28e2b", filled=True)
        .transform_filter(alt.datum.is_elbow)
        .transform_filter(alt.datum.metric == METRIC_TITLES["inertia"])
    )
    rule = (
        alt.Chart()
        .mark_rule(color="#e15759", strokeDash=[4, 3])
        .encode(x="k:O")
        .transform_filter(alt.datum.is_chosen)
    )
    tooltip = base.mark_point(opacity=0, size=300).encode(
        tooltip=[
            alt.Tooltip("k:O", title="k"),
            alt.Tooltip("metric:N", title="Metric"),
            alt.Tooltip("value:Q", title="Value", format=",.3f"),
            alt.Tooltip("is_chosen:N", title="Chosen"),
        ]
    )
    return (
        alt.layer(rule, line, chosen, elbow, tooltip, data=long)
        .properties(width=170, height=160)
        .facet(
            facet=alt.Facet("metric:N", title=None, sort=[METRIC_TITLES[m] for m in metrics]),
            columns=5,
        )
        .resolve_scale(y="independent")
        .properties(
            title="Choosing k: quality of each number of segments "
            "(red: chosen k; orange triangle: elbow of inertia)"
        )
    )


def _customer_tooltip(marts: Marts) -> list[alt.Tooltip]:
    tooltips = [
        alt.Tooltip("customer_id:N", title="Customer"),
        alt.Tooltip(f"{SEGMENT}:N", title="Segment"),
    ]
    tooltips += [
        alt.Tooltip(f"{feature.name}:Q", title=feature.title, format=",.1f")
        for feature in drawn_features(marts)
    ]
    tooltips += [
        alt.Tooltip(f"{name}:N", title=label)
        for name, label in marts.category_attributes
        if name in marts.customers
    ]
    return tooltips


def _point_size(customers: pd.DataFrame, largest: int) -> int:
    # Thousands of points at full size merge into blobs; smaller points keep the shape visible.
    return largest if len(customers) <= 1000 else max(largest // 3, 4)


def feature_scatter_chart(marts: Marts, selection: alt.Parameter) -> alt.Chart | None:
    """Customers on the two features that separate the segments best, coloured by segment."""
    pair = scatter_pair(marts)
    if pair is None:
        return None
    x, y = pair
    return (
        alt.Chart(marts.customers, title=f"{x.label} vs {y.label}")
        .mark_circle(size=_point_size(marts.customers, largest=40), opacity=0.8)
        .encode(
            x=alt.X(
                f"{x.name}:Q",
                title=x.axis_title,
                scale=_scale(x),
                axis=_axis(x, marts.customers[x.name]),
            ),
            y=alt.Y(
                f"{y.name}:Q",
                title=y.axis_title,
                scale=_scale(y),
                axis=_axis(y, marts.customers[y.name]),
            ),
            color=_segment_colour(marts.profiles, selection, legend=True),
            opacity=_highlight(selection),
            tooltip=_customer_tooltip(marts),
        )
        .add_params(selection)
        .properties(width=460, height=320)
    )


def segment_sizes_chart(profiles: pd.DataFrame, selection: alt.Parameter) -> alt.LayerChart:
    """Customers per segment, with each segment's share of all customers."""
    # the shares as the page prints them ('<0.1%' for a handful of customers)
    rows = profiles.assign(share_text=profiles["customer_share"].map(formats.share))
    base = alt.Chart(rows, title="Segment sizes").encode(
        y=_segment_axis(profiles),
        x=alt.X("customer_count:Q", title="Customers"),
        tooltip=[
            alt.Tooltip(f"{SEGMENT}:N", title="Segment"),
            alt.Tooltip("customer_count:Q", title="Customers", format=","),
            alt.Tooltip("share_text:N", title="Share"),
        ],
    )
    bars = base.mark_bar().encode(color=_segment_colour(profiles, selection)).add_params(selection)
    shares = base.mark_text(align="left", dx=4).encode(text=alt.Text("share_text:N"))
    return alt.layer(bars, shares).properties(width=190, height=alt.Step(24))


def _category_mix(
    marts: Marts, attribute: str, label: str, selection: alt.Parameter, with_labels: bool
) -> alt.Chart:
    rows = marts.category_profiles[marts.category_profiles["feature"] == attribute]
    rows = rows.assign(
        share_text=rows["category_share"].map(formats.share),
        population_share_text=rows["population_share"].map(formats.share),
    )
    categories = (
        rows.groupby("category")["population_share"].max().sort_values(ascending=False).index
    )
    return (
        alt.Chart(rows, title=f"{label} per segment")
        .mark_bar()
        .encode(
            y=_segment_axis(marts.profiles, with_labels),
            x=alt.X(
                "category_share:Q",
                title="Share of segment",
                stack="normalize",
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color(
                "category:N",
                title=label,
                sort=list(categories),
                scale=alt.Scale(domain=list(categories), range=CATEGORY_COLOURS),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=140),
            ),
            order=alt.Order("category:N"),
            opacity=_highlight(selection),
            tooltip=[
                alt.Tooltip(f"{SEGMENT}:N", title="Segment"),
                alt.Tooltip("category:N", title=label),
                alt.Tooltip("share_text:N", title="Share of segment"),
                alt.Tooltip("population_share_text:N", title="Share of all"),
            ],
        )
        .add_params(selection)
        .properties(width=180, height=alt.Step(24))
    )


def category_mix_chart(marts: Marts, selection: alt.Parameter) -> alt.ConcatChart | None:
    """Each categorical attribute's shares within each segment (gender, loyalty tier, ...)."""
    attributes = marts.category_attributes
    if not attributes:
        return None
    charts = [
        _category_mix(marts, name, label, selection, with_labels=i % CATEGORY_CHARTS_PER_ROW == 0)
        for i, (name, label) in enumerate(attributes)
    ]
    return alt.concat(*charts, columns=CATEGORY_CHARTS_PER_ROW).resolve_scale(color="independent")


def profile_heatmap_chart(marts: Marts, selection: alt.Parameter) -> alt.LayerChart:
    """Each segment's centroid in z-scores: how far above or below all customers it sits.
    The segment 'No purchase yet' has no centroid (never clustered): left out, the title says."""
    features = marts.clustering_features
    profiles = marts.feature_profiles
    rows = profiles[
        profiles["is_clustering_feature"] & (profiles["segment_id"] != NO_PURCHASE_SEGMENT_ID)
    ].copy()
    clustered = marts.profiles[marts.profiles["segment_id"] != NO_PURCHASE_SEGMENT_ID]
    subtitle = "No purchase yet is not clustered: it has no centroid"
    subtitle = subtitle if marts.no_purchase_count else ""
    title = alt.TitleParams("Segment profiles (centroid z-scores)", subtitle=subtitle)
    titles = {feature.name: feature.label for feature in features}
    rows["feature_title"] = rows["feature"].map(titles)
    units = rows["feature_unit"].fillna("")
    rows["centroid_text"] = (rows["centroid_value"].map(formats.number) + " " + units).str.strip()
    base = alt.Chart(rows, title=title).encode(
        x=alt.X(
            "feature_title:N",
            title=None,
            sort=[feature.label for feature in features],
            axis=alt.Axis(orient="top", labelAngle=0, labelLimit=110),
        ),
        y=_segment_axis(clustered),
        tooltip=[
            alt.Tooltip(f"{SEGMENT}:N", title="Segment"),
            alt.Tooltip("feature_title:N", title="Feature"),
            alt.Tooltip("centroid_text:N", title="Centroid"),
            alt.Tooltip("centroid_z:Q", title="z-score", format="+.2f"),
        ],
    )
    cells = (
        base.mark_rect()
        .encode(
            color=alt.Color(
                "centroid_z:Q",
                title=f"z-score (colours stop at ±{HEATMAP_CLIP_Z})",
                scale=alt.Scale(
                    scheme="redblue",
                    reverse=True,
                    domain=[-HEATMAP_CLIP_Z, HEATMAP_CLIP_Z],
                    clamp=True,
                ),
                legend=alt.Legend(orient="bottom", gradientLength=160),
            ),
            opacity=_highlight(selection),
        )
        .add_params(selection)
    )
    labels = base.mark_text(fontSize=11).encode(
        text=alt.Text("centroid_z:Q", format="+.2f"),
        color=alt.when(alt.expr.abs(alt.datum.centroid_z) > 1.2)
        .then(alt.value("white"))
        .otherwise(alt.value("black")),
    )
    width = 110 if len(features) <= 6 else 80
    return alt.layer(cells, labels).properties(width=alt.Step(width), height=alt.Step(24))


def _ordered_labels(rows: pd.DataFrame, id_column: str, label_column: str) -> list[str]:
    ordered = rows.sort_values(id_column, na_position="last")
    return list(dict.fromkeys(ordered[label_column]))


def _migration_title(marts: Marts) -> str:
    if marts.is_first_build:
        return "Who moved: this is the first build, every customer is new"
    since, compared = compared_moment(marts)
    return f"Who moved since {since} ({compared})"


def _migration_from_title(marts: Marts) -> str:
    if marts.is_first_build or compared_moment(marts)[1] == "the previous build":
        return "Segment in the previous build"
    return f"Segment as of {compared_moment(marts)[0]}"


def migration_matrix_chart(marts: Marts, selection: alt.Parameter) -> alt.LayerChart:
    """Customers per (segment then, segment now) pair: the diagonal stayed, a (new) row and a
    (gone) column; coloured by the share of the segment then, a cell selects the segment now."""
    rows = marts.migrations.copy()
    rows["from_label"] = rows["from_segment_name"].fillna(NEW_ROW)
    rows["to_label"] = rows["to_segment_name"].fillna(GONE_COLUMN)
    # a cell belongs to the segment its customers are in now (then, for those gone)
    rows[SEGMENT] = rows["to_segment_name"].fillna(rows["from_segment_name"])
    rows["share_text"] = rows["from_segment_share"].map(formats.share)
    base = alt.Chart(rows, title=_migration_title(marts)).encode(
        x=alt.X(
            "to_label:N",
            title="Segment now",
            sort=_ordered_labels(rows, "to_segment_id", "to_label"),
            axis=alt.Axis(orient="top", labelAngle=-30, labelLimit=160),
        ),
        y=alt.Y(
            "from_label:N",
            title=_migration_from_title(marts),
            sort=_ordered_labels(rows, "from_segment_id", "from_label"),
            axis=alt.Axis(labelLimit=NAME_LABEL_WIDTH),
        ),
        tooltip=[
            alt.Tooltip("from_label:N", title="From"),
            alt.Tooltip("to_label:N", title="To"),
            alt.Tooltip("customer_count:Q", title="Customers", format=","),
            alt.Tooltip("share_text:N", title="Share of the from-segment"),
        ],
    )
    cells = (
        base.mark_rect()
        .encode(
            color=alt.Color(
                "from_segment_share:Q",
                title="Share of the from-segment",
                scale=alt.Scale(scheme="blues", domain=[0, 1]),
                legend=alt.Legend(orient="bottom", format="%", gradientLength=160),
            ),
            opacity=_highlight(selection),
        )
        .add_params(selection)
    )
    counts = base.mark_text(fontSize=11).encode(
        text=alt.Text("customer_count:Q", format=","),
        color=alt.when(alt.datum.from_segment_share > 0.6)
        .then(alt.value("white"))
        .otherwise(alt.value("black")),
    )
    width = 90 if rows["to_label"].nunique() <= 8 else 60
    return alt.layer(cells, counts).properties(width=alt.Step(width), height=alt.Step(24))


def _feature_boxplot(
    marts: Marts, selection: alt.Parameter, feature: Feature, with_labels: bool
) -> alt.LayerChart:
    y = _segment_axis(marts.profiles, with_labels)
    boxes = (
        alt.Chart(marts.customers)
        .mark_boxplot(extent="min-max", size=14, median={"color": "black"})
        .encode(
            x=alt.X(
                f"{feature.name}:Q",
                title=feature.axis_title,
                scale=_scale(feature),
                axis=_axis(
                    feature,
                    marts.customers[feature.name],
                    tickCount=5,
                    labelOverlap=True,
                    titleLimit=220,
                ),
            ),
            y=y,
            color=_segment_colour(marts.profiles, selection),
        )
    )
    # A box plot is a composite mark and cannot hold the selection; the segment mean can.
    means = marts.feature_profiles[marts.feature_profiles["feature"] == feature.name]
    diamonds = (
        alt.Chart(means)
        .mark_point(shape="diamond", size=60, filled=True, color="black")
        .encode(
            x=alt.X("mean_value:Q", scale=_scale(feature)),
            y=y,
            tooltip=[
                alt.Tooltip(f"{SEGMENT}:N", title="Segment"),
                alt.Tooltip("mean_value:Q", title="Mean", format=",.1f"),
                alt.Tooltip("median_value:Q", title="Median", format=",.1f"),
                alt.Tooltip("min_value:Q", title="Min", format=",.1f"),
                alt.Tooltip("max_value:Q", title="Max", format=",.1f"),
            ],
        )
        .add_params(selection)
    )
    return alt.layer(boxes, diamonds).properties(width=210, height=alt.Step(24))


def feature_boxplots_chart(marts: Marts, selection: alt.Parameter) -> alt.ConcatChart:
    """The spread of each clustering feature within each segment; the diamond is the mean."""
    boxes = [
        _feature_boxplot(marts, selection, feature, with_labels=i % BOXPLOTS_PER_ROW == 0)
        for i, feature in enumerate(drawn_features(marts))
    ]
    return alt.concat(*boxes, columns=BOXPLOTS_PER_ROW).properties(
        title="Distribution of each feature per segment (diamond: mean)"
    )


def _matrix_cell(marts: Marts, selection: alt.Parameter, x: Feature, y: Feature) -> alt.Chart:
    base = alt.Chart(marts.customers).properties(width=140, height=140)
    if x == y:
        # The diagonal shows how each feature is distributed, stacked by segment; a log
        # feature's bins are even in ln(1 + value), labelled in its units.
        binned = alt.X(f"{x.name}:Q", bin=alt.Bin(maxbins=20), title=x.label)
        if x.is_log:
            base = base.transform_calculate(**{f"log_{x.name}": f"log(1 + datum.{x.name})"})
            binned = alt.X(
                f"log_{x.name}:Q",
                bin=alt.Bin(maxbins=20),
                title=f"{x.label} (log scale)",
                axis=alt.Axis(labelExpr="format(exp(datum.value) - 1, ',.2~r')"),
            )
        return (
            base.mark_bar()
            .encode(
                x=binned,
                y=alt.Y("count():Q", title="Customers"),
                color=_segment_colour(marts.profiles, selection),
            )
            .add_params(selection)
        )
    return (
        base.mark_circle(size=_point_size(marts.customers, largest=14), clip=True)
        .encode(
            x=alt.X(
                f"{x.name}:Q",
                title=x.label,
                scale=_scale(x),
                axis=_axis(x, marts.customers[x.name], labelOverlap=True),
            ),
            y=alt.Y(
                f"{y.name}:Q",
                title=y.label,
                scale=_scale(y),
                axis=_axis(y, marts.customers[y.name], labelOverlap=True),
            ),
            color=_segment_colour(marts.profiles, selection),
            opacity=_highlight(selection),
            tooltip=_customer_tooltip(marts),
        )
        .add_params(selection)
    )


def scatter_matrix_chart(marts: Marts, selection: alt.Parameter) -> alt.VConcatChart | None:
    """Every pair of clustering features (the first four), coloured by segment."""
    features = drawn_features(marts)[:MATRIX_FEATURES]
    if len(features) < 2:
        return None
    rows = [
        alt.hconcat(*[_matrix_cell(marts, selection, x, y) for x in features]) for y in features
    ]
    return alt.vconcat(*rows, title="The features, pair by pair")


def build_charts(marts: Marts) -> dict[str, alt.TopLevelMixin]:
    """Every chart of the dashboard by name (those the features allow), sharing one selection."""
    selection = segment_selection()
    with _sharing_one_selection():
        charts = {
            "k_selection": k_selection_chart(marts.model_selection),
            "feature_scatter": feature_scatter_chart(marts, selection),
            "segment_sizes": segment_sizes_chart(marts.profiles, selection),
            "category_mix": category_mix_chart(marts, selection),
            "profile_heatmap": profile_heatmap_chart(marts, selection),
            "segment_migrations": migration_matrix_chart(marts, selection),
            "feature_boxplots": feature_boxplots_chart(marts, selection),
            "scatter_matrix": scatter_matrix_chart(marts, selection),
        }
    return {name: chart for name, chart in charts.items() if chart is not None}


def segment_explorer_chart(charts: dict[str, alt.TopLevelMixin]) -> alt.VConcatChart:
    """The segment charts in one spec, so clicking a segment highlights it in all of them."""
    with _sharing_one_selection():
        first_row = [
            charts[name] for name in ("feature_scatter", "segment_sizes") if name in charts
        ]
        rows = [
            alt.hconcat(*first_row).resolve_scale(color="independent"),
            *[
                charts[name]
                for name in (
                    "category_mix",
                    "profile_heatmap",
                    "segment_migrations",
                    "feature_boxplots",
                    "scatter_matrix",
                )
                if name in charts
            ],
        ]
        return alt.vconcat(*rows, spacing=40).resolve_scale(color="independent")
