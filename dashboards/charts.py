"""One function per chart: a marts DataFrame in, an Altair chart out; charts compute nothing."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import altair as alt
import pandas as pd

from dashboards.marts import FEATURES, Marts

FEATURE_TITLES = {
    "age": "Age (years)",
    "annual_income": "Annual income (k$)",
    "spending_score": "Spending score (1-100)",
}
METRIC_TITLES = {
    "inertia": "Inertia (elbow; lower is tighter)",
    "silhouette": "Silhouette (higher is better)",
    "stability": "Stability (bootstrap ARI; higher is steadier)",
    "calinski_harabasz": "Calinski-Harabasz (higher is better)",
    "davies_bouldin": "Davies-Bouldin (lower is better)",
}
GENDER_SHARES = {
    "female_share": "Female",
    "male_share": "Male",
    "other_share": "Other",
    "unknown_gender_share": "Unknown",
}
GENDER_COLOURS = ["#9c6ade", "#3f9c8f", "#e0a526", "#b8b8b8"]
# Tableau 10 then Tableau 20's light tones: distinct for up to 20 segments, then repeats.
SEGMENT_COLOURS = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
    "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
]  # fmt: skip
DIMMED = "#dddddd"
SEGMENT = "segment_name"

# The charts that share the segment selection, in page order; the page embeds them as one spec.
EXPLORER_CHARTS = (
    "income_vs_spending",
    "segment_sizes",
    "gender_mix",
    "scatter_matrix",
    "profile_heatmap",
    "feature_boxplots",
)
ALL_CHARTS = ("k_selection", *EXPLORER_CHARTS)


def segment_order(profiles: pd.DataFrame) -> list[str]:
    """Segment names by segment id: the order of every legend, axis and colour."""
    return profiles.sort_values("segment_id")[SEGMENT].astype(str).tolist()


def segment_colour_of(profiles: pd.DataFrame) -> dict[str, str]:
    """The colour each segment has on every chart and on the page."""
    names = segment_order(profiles)
    return {name: SEGMENT_COLOURS[i % len(SEGMENT_COLOURS)] for i, name in enumerate(names)}


def features_drawn(customers: pd.DataFrame) -> list[str]:
    """Features the customers have values for (a file may lack a column)."""
    return [f for f in FEATURES if customers[f].notna().any()]


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
        legend=alt.Legend(orient="top", columns=2, labelLimit=240) if legend else None,
    )
    return alt.when(selection).then(colour).otherwise(alt.value(DIMMED))


def _highlight(selection: alt.Parameter) -> alt.OpacityValue:
    return alt.when(selection).then(alt.value(1.0)).otherwise(alt.value(0.25))


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
        .properties(width=185, height=170)
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


def _customer_tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("customer_id:N", title="Customer"),
        alt.Tooltip(f"{SEGMENT}:N", title="Segment"),
        alt.Tooltip("age:Q", title="Age"),
        alt.Tooltip("gender:N", title="Gender"),
        alt.Tooltip("annual_income:Q", title="Annual income (k$)", format=",.1f"),
        alt.Tooltip("spending_score:Q", title="Spending score", format=".0f"),
    ]


def _point_size(customers: pd.DataFrame, largest: int) -> int:
    # Thousands of points at full size merge into blobs; smaller points keep the shape visible.
    return largest if len(customers) <= 1000 else max(largest // 3, 4)


def income_vs_spending_chart(
    customers: pd.DataFrame, profiles: pd.DataFrame, selection: alt.Parameter
) -> alt.Chart:
    """Customers by annual income and spending score, coloured by segment."""
    return (
        alt.Chart(customers, title="Annual income vs spending score")
        .mark_circle(size=_point_size(customers, largest=40), opacity=0.8)
        .encode(
            x=alt.X("annual_income:Q", title=FEATURE_TITLES["annual_income"]),
            y=alt.Y("spending_score:Q", title=FEATURE_TITLES["spending_score"]),
            color=_segment_colour(profiles, selection, legend=True),
            opacity=_highlight(selection),
            tooltip=_customer_tooltip(),
        )
        .add_params(selection)
        .properties(width=480, height=330)
    )


def segment_sizes_chart(profiles: pd.DataFrame, selection: alt.Parameter) -> alt.LayerChart:
    """Customers per segment, with each segment's share of all customers."""
    base = alt.Chart(profiles, title="Segment sizes").encode(
        y=alt.Y(f"{SEGMENT}:N", title=None, sort=segment_order(profiles)),
        x=alt.X("customer_count:Q", title="Customers"),
        tooltip=[
            alt.Tooltip(f"{SEGMENT}:N", title="Segment"),
            alt.Tooltip("customer_count:Q", title="Customers", format=","),
            alt.Tooltip("customer_share:Q", title="Share", format=".1%"),
        ],
    )
    bars = base.mark_bar().encode(color=_segment_colour(profiles, selection)).add_params(selection)
    shares = base.mark_text(align="left", dx=4).encode(
        text=alt.Text("customer_share:Q", format=".1%")
    )
    return alt.layer(bars, shares).properties(width=220, height=alt.Step(26))


def gender_mix_chart(profiles: pd.DataFrame, selection: alt.Parameter) -> alt.Chart:
    """Gender shares within each segment, from the profile's share columns."""
    shares = [c for c in GENDER_SHARES if c in profiles and profiles[c].notna().any()]
    long = profiles.melt(
        id_vars=["segment_id", SEGMENT], value_vars=shares, var_name="gender", value_name="share"
    )
    long["gender"] = long["gender"].map(GENDER_SHARES)
    return (
        alt.Chart(long, title="Gender mix per segment")
        .mark_bar()
        .encode(
            y=alt.Y(f"{SEGMENT}:N", title=None, sort=segment_order(profiles)),
            x=alt.X(
                "share:Q", title="Share of segment", stack="normalize", axis=alt.Axis(format="%")
            ),
            color=alt.Color(
                "gender:N",
                title="Gender",
                scale=alt.Scale(domain=list(GENDER_SHARES.values()), range=GENDER_COLOURS),
                legend=alt.Legend(orient="bottom"),
            ),
            opacity=_highlight(selection),
            tooltip=[
                alt.Tooltip(f"{SEGMENT}:N", title="Segment"),
                alt.Tooltip("gender:N", title="Gender"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
        .add_params(selection)
        .properties(width=220, height=alt.Step(26))
    )


def _matrix_cell(
    customers: pd.DataFrame,
    profiles: pd.DataFrame,
    selection: alt.Parameter,
    x: str,
    y: str,
) -> alt.Chart:
    base = alt.Chart(customers).properties(width=150, height=150)
    if x == y:
        # The diagonal shows how each feature is distributed, stacked by segment.
        return (
            base.mark_bar()
            .encode(
                x=alt.X(f"{x}:Q", bin=alt.Bin(maxbins=20), title=FEATURE_TITLES[x]),
                y=alt.Y("count():Q", title="Customers"),
                color=_segment_colour(profiles, selection),
            )
            .add_params(selection)
        )
    return (
        base.mark_circle(size=_point_size(customers, largest=14), clip=True)
        .encode(
            x=alt.X(f"{x}:Q", title=FEATURE_TITLES[x], scale=alt.Scale(zero=False)),
            y=alt.Y(f"{y}:Q", title=FEATURE_TITLES[y], scale=alt.Scale(zero=False)),
            color=_segment_colour(profiles, selection),
            opacity=_highlight(selection),
            tooltip=_customer_tooltip(),
        )
        .add_params(selection)
    )


def scatter_matrix_chart(
    customers: pd.DataFrame, profiles: pd.DataFrame, selection: alt.Parameter
) -> alt.VConcatChart:
    """Every pair of features, coloured by segment (the matrix stands in for a 3-D plot)."""
    features = features_drawn(customers)
    rows = [
        alt.hconcat(*[_matrix_cell(customers, profiles, selection, x, y) for x in features])
        for y in features
    ]
    return alt.vconcat(*rows, title="All features, pair by pair")


def profile_heatmap_chart(centroids: pd.DataFrame, selection: alt.Parameter) -> alt.LayerChart:
    """Each segment's centroid in z-scores: how far above or below all customers it sits."""
    features = [f for f in FEATURES if centroids[f"z_{f}"].notna().any()]
    long = pd.concat(
        [
            centroids[["segment_id", SEGMENT]].assign(
                feature=FEATURE_TITLES[f], z=centroids[f"z_{f}"], value=centroids[f]
            )
            for f in features
        ],
        ignore_index=True,
    )
    base = alt.Chart(long, title="Segment profiles (centroid z-scores)").encode(
        x=alt.X(
            "feature:N",
            title=None,
            sort=[FEATURE_TITLES[f] for f in features],
            axis=alt.Axis(orient="top", labelAngle=0, labelLimit=150),
        ),
        y=alt.Y(f"{SEGMENT}:N", title=None, sort=long.sort_values("segment_id")[SEGMENT].unique()),
        tooltip=[
            alt.Tooltip(f"{SEGMENT}:N", title="Segment"),
            alt.Tooltip("feature:N", title="Feature"),
            alt.Tooltip("value:Q", title="Centroid", format=",.1f"),
            alt.Tooltip("z:Q", title="z-score", format="+.2f"),
        ],
    )
    cells = (
        base.mark_rect()
        .encode(
            color=alt.Color(
                "z:Q",
                title="z-score",
                scale=alt.Scale(scheme="redblue", reverse=True, domainMid=0),
                legend=alt.Legend(orient="bottom", gradientLength=160),
            ),
            opacity=_highlight(selection),
        )
        .add_params(selection)
    )
    labels = base.mark_text(fontSize=11).encode(
        text=alt.Text("z:Q", format="+.2f"),
        color=alt.when(alt.expr.abs(alt.datum.z) > 1.2)
        .then(alt.value("white"))
        .otherwise(alt.value("black")),
    )
    return alt.layer(cells, labels).properties(width=alt.Step(140), height=alt.Step(26))


def _feature_boxplot(
    customers: pd.DataFrame,
    profiles: pd.DataFrame,
    selection: alt.Parameter,
    feature: str,
    with_labels: bool,
) -> alt.LayerChart:
    order = segment_order(profiles)
    y = alt.Y(f"{SEGMENT}:N", title=None, sort=order, axis=alt.Axis(labels=with_labels))
    boxes = (
        alt.Chart(customers)
        .mark_boxplot(extent="min-max", size=16, median={"color": "black"})
        .encode(
            x=alt.X(
                f"{feature}:Q",
                title=FEATURE_TITLES[feature],
                scale=alt.Scale(zero=False),
                axis=alt.Axis(tickCount=5, labelOverlap=True),
            ),
            y=y,
            color=_segment_colour(profiles, selection),
        )
    )
    # A box plot is a composite mark and cannot hold the selection; the segment mean can.
    means = (
        alt.Chart(profiles)
        .mark_point(shape="diamond", size=60, filled=True, color="black")
        .encode(
            x=alt.X(f"avg_{feature}:Q"),
            y=y,
            tooltip=[
                alt.Tooltip(f"{SEGMENT}:N", title="Segment"),
                alt.Tooltip(f"avg_{feature}:Q", title="Mean", format=",.1f"),
                alt.Tooltip(f"median_{feature}:Q", title="Median", format=",.1f"),
                alt.Tooltip(f"min_{feature}:Q", title="Min", format=",.1f"),
                alt.Tooltip(f"max_{feature}:Q", title="Max", format=",.1f"),
            ],
        )
        .add_params(selection)
    )
    return alt.layer(boxes, means).properties(width=230, height=alt.Step(26))


def feature_boxplots_chart(
    customers: pd.DataFrame, profiles: pd.DataFrame, selection: alt.Parameter
) -> alt.HConcatChart:
    """The spread of each feature within each segment; the diamond is the segment mean."""
    features = features_drawn(customers)
    boxes = [
        _feature_boxplot(customers, profiles, selection, f, with_labels=i == 0)
        for i, f in enumerate(features)
    ]
    return alt.hconcat(*boxes, title="Distribution of each feature per segment (diamond: mean)")


def build_charts(marts: Marts) -> dict[str, alt.TopLevelMixin]:
    """Every chart of the dashboard by name, sharing one segment selection."""
    selection = segment_selection()
    customers, profiles = marts.customers, marts.profiles
    with _sharing_one_selection():
        return {
            "k_selection": k_selection_chart(marts.model_selection),
            "income_vs_spending": income_vs_spending_chart(customers, profiles, selection),
            "segment_sizes": segment_sizes_chart(profiles, selection),
            "gender_mix": gender_mix_chart(profiles, selection),
            "scatter_matrix": scatter_matrix_chart(customers, profiles, selection),
            "profile_heatmap": profile_heatmap_chart(marts.centroids, selection),
            "feature_boxplots": feature_boxplots_chart(customers, profiles, selection),
        }


def segment_explorer_chart(charts: dict[str, alt.TopLevelMixin]) -> alt.VConcatChart:
    """The segment charts in one spec, so clicking a segment highlights it in all of them."""
    with _sharing_one_selection():
        return _explorer_layout(charts)


def _explorer_layout(charts: dict[str, alt.TopLevelMixin]) -> alt.VConcatChart:
    return alt.vconcat(
        alt.hconcat(
            charts["income_vs_spending"], charts["segment_sizes"], charts["gender_mix"]
        ).resolve_scale(color="independent"),
        alt.hconcat(charts["profile_heatmap"], charts["feature_boxplots"]).resolve_scale(
            color="independent"
        ),
        charts["scatter_matrix"],
        spacing=40,
    ).resolve_scale(color="independent")
