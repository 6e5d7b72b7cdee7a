"""Properties over random customer files, each example a real `dbt build` (so few).

- Nothing is lost: every data row of the file, junk included, is in customer_segments or in
  customer_rejections, exactly once.
- Scoring in SQL is K-means' predict: every customer's segment is the nearest centroid (the
  centroids and scaling read back from the warehouse), ties aside.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from conftest import build_warehouse, query, write_csv
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from sklearn.metrics import pairwise_distances, pairwise_distances_argmin

HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)"
FEATURES = ["age", "annual_income", "spending_score"]


def build_settings(max_examples: int) -> settings:
    """Each example is a dbt build: few of them, no shrinking (minutes per step), no deadline,
    no example database written into the repository."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )


ages = st.integers(18, 80).map(str)
incomes = st.integers(10, 150).map(str)
scores = st.integers(1, 100).map(str)
genders = st.sampled_from(["Male", "Female", "M", "f", "other", "", "n/a"])
junk = st.sampled_from(
    ["", " ", "abc", "NaN", "inf", "-inf", "-5", "1e400", "99999999", "12.5", '"42"', "1,5"]
) | st.text(alphabet="abcxyz0123456789.- ", max_size=6)


def distinct_values(low: int, high: int, count: int) -> st.SearchStrategy[list[str]]:
    """count different whole numbers: no feature has one value for everyone."""
    values = st.lists(st.integers(low, high), min_size=count, max_size=count, unique=True)
    return values.map(lambda numbers: [str(number) for number in numbers])


@st.composite
def clean_rows(draw, count: int) -> list[list[str]]:
    """Valid customers with distinct ids 1..count."""
    columns = [
        draw(st.lists(genders, min_size=count, max_size=count)),
        draw(distinct_values(18, 80, count)),
        draw(distinct_values(10, 150, count)),
        draw(distinct_values(1, 100, count)),
    ]
    return [
        [str(number), *values] for number, values in enumerate(zip(*columns, strict=True), start=1)
    ]


@st.composite
def junk_row(draw) -> list[str]:
    """A row with an id from a small pool (duplicates, blanks) and values that may be junk."""
    customer_id = draw(st.sampled_from(["", "1", "2", "7", "x9", " 3 "]) | st.integers(100, 120))
    values = [
        draw(genders),
        draw(ages | junk),
        draw(incomes | junk),
        draw(scores | junk),
    ]
    return [str(customer_id), *values]


def csv_line(fields: list[str]) -> str:
    """Fields joined by commas; a field with a comma is quoted, as spreadsheets write it."""
    return ",".join(f'"{field}"' if "," in field else field for field in fields)


@st.composite
def dirty_files(draw) -> list[str]:
    """Data lines of a customer file: clean customers, junk rows, at most two ragged lines."""
    rows = draw(clean_rows(12)) + draw(st.lists(junk_row(), min_size=1, max_size=15))
    lines = [csv_line(row) for row in draw(st.permutations(rows))]
    for _ in range(draw(st.integers(0, 2))):
        position = draw(st.integers(0, len(lines)))
        ragged = draw(st.sampled_from(["555,Male,30", "556,Male,30,50,000,40"]))
        lines.insert(position, ragged)
    return lines


@given(lines=dirty_files())
@build_settings(max_examples=3)
def test_every_input_row_is_segmented_or_rejected_exactly_once(tmp_path_factory, lines):
    note("\n".join(lines))
    directory = tmp_path_factory.mktemp("dirty")
    path = write_csv(directory / "dirty.csv", "\n".join([HEADER, *lines]) + "\n")
    # junk may be most of the rows: segment what is left all the same
    vars = {"customers_path": str(path), "k": 2, "k_min": 2, "k_max": 2, "max_rejected_share": 1}
    warehouse = build_warehouse(directory / "build", vars)
    segmented = query(warehouse, "select source_row_number, customer_id from customer_segments")
    rejected = query(warehouse, "select source_row_number from customer_rejections")
    numbers = [*segmented["source_row_number"], *rejected["source_row_number"]]
    assert sorted(numbers) == list(range(1, len(lines) + 1))
    assert segmented["customer_id"].is_unique


@st.composite
def customer_tables(draw) -> tuple[pd.DataFrame, list[str], int]:
    """Valid customers (ties and repeated values included), a feature subset and k."""
    count = draw(st.integers(8, 40))
    columns = {
        "Age": (18, 80),
        "Annual Income (k$)": (10, 150),
        "Spending Score (1-100)": (1, 100),
    }
    frame = pd.DataFrame(
        {
            "CustomerID": range(1, count + 1),
            "Gender": draw(st.lists(genders, min_size=count, max_size=count)),
            **{
                name: draw(st.lists(st.integers(low, high), min_size=count, max_size=count))
                for name, (low, high) in columns.items()
            },
        }
    )
    # Five spread-out customers: K-means always has at least k + 1 distinct points to split.
    for row, share in enumerate([0.0, 0.25, 0.5, 0.75, 1.0]):
        for name, (low, high) in columns.items():
            frame.loc[row, name] = round(low + share * (high - low))
    features = draw(st.sampled_from([FEATURES, FEATURES[1:], ["age", "spending_score"]]))
    return frame, features, draw(st.integers(2, 4))


def nearest_centroids(warehouse, features: list[str]) -> pd.DataFrame:
    """customer_segments with the nearest centroid recomputed in numpy (sklearn distances)."""
    customers = query(warehouse, "select * from customer_segments order by source_row_number")
    scaling = query(warehouse, "select * from intermediate.int_feature_scaling")
    scaling = scaling.set_index("feature_name").loc[features]
    centroids = query(
        warehouse,
        "select segment_id, feature, centroid_z from segment_feature_profiles "
        "where is_clustering_feature",
    ).pivot(index="segment_id", columns="feature", values="centroid_z")
    z = (customers[features].to_numpy(float) - scaling["feature_mean"].to_numpy()) / scaling[
        "feature_stddev"
    ].to_numpy()
    centers = centroids.sort_index()[features].to_numpy(float)
    distances = np.sort(pairwise_distances(z, centers), axis=1)
    ids = centroids.sort_index().index.to_numpy()
    return customers.assign(
        expected_segment_id=ids[pairwise_distances_argmin(z, centers)],
        expected_distance=distances[:, 0],
        # two centroids (nearly) equally near: either answer is right
        is_tie=(distances[:, 1] - distances[:, 0] < 1e-9) if len(ids) > 1 else False,
    )


@given(table=customer_tables())
@build_settings(max_examples=3)
def test_sql_scoring_is_the_nearest_centroid(tmp_path_factory, table):
    frame, features, k = table
    note(f"features={features} k={k}\n{frame.to_csv(index=False)}")
    directory = tmp_path_factory.mktemp("scoring")
    path = directory / "customers.csv"
    frame.to_csv(path, index=False)
    vars = {"customers_path": str(path), "features": features, "k": k, "k_min": 2, "k_max": k}
    scored = nearest_centroids(build_warehouse(directory / "build", vars), features)
    assert len(scored) == len(frame)
    clear = scored[~scored["is_tie"]]
    assert (clear["segment_id"] == clear["expected_segment_id"]).all()
    np.testing.assert_allclose(scored["distance_to_centroid"], scored["expected_distance"])
