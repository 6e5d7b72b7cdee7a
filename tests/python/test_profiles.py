"""Outcomes profiled, not clustered: vars profile_features and profile_categorical_features on a
CRM export with a churn flag, a ticket count with bad values and a column found by column_map,
checked against pandas on the file itself and against the same build without them."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import BAD_TICKET_COUNTS, CRM_FEATURES, query

from dashboards import formats
from dashboards.marts import read_marts
from dashboards.page import _segment_cards
from dashboards.report import insights_markdown

PROFILED_CATEGORIES = ["churn", "signup_channel"]
PROFILED_NUMBERS = ["support_tickets", "lifetime_value"]


@pytest.fixture(scope="module")
def customers(crm_profile_warehouse) -> pd.DataFrame:
    """The input file as pandas reads it, with each customer's segment from the build."""
    frame = pd.read_csv(
        crm_profile_warehouse.parent / "crm_with_outcomes.csv", dtype=str, keep_default_na=False
    )

    def category(values: pd.Series) -> pd.Series:
        """Trimmed, spaces collapsed, placeholders missing, and the spellings of a category in
        any letter case shown as its most frequent one (ties: the first in text order)."""
        trimmed = values.map(lambda value: re.sub(r"\s+", " ", value.strip()))
        trimmed = trimmed.replace(["", "N/A", "NULL", "-"], None)
        counts = trimmed.value_counts().rename_axis("spelling").reset_index(name="n")
        counts["key"] = counts["spelling"].str.lower()
        shown = counts.sort_values(["n", "spelling"], ascending=[False, True]).drop_duplicates(
            "key"
        )
        return trimmed.str.lower().map(dict(zip(shown["key"], shown["spelling"], strict=True)))

    tickets = pd.to_numeric(frame["Support tickets"].str.strip(), errors="coerce")
    segments = query(crm_profile_warehouse, "select customer_id, segment_id from customer_segments")
    return pd.DataFrame(
        {
            "customer_id": frame["Customer Number"].str.strip(),
            "churn": category(frame["Churn"]),
            "signup_channel": category(frame["Signup Channel"]),
            # feature_settings gives support_tickets min 0: -3 is not a valid count
            "support_tickets": tickets.where(tickets >= 0),
            "lifetime_value": pd.to_numeric(frame["Lifetime value (EUR)"]),
        }
    ).merge(segments, on="customer_id", validate="one_to_one")


def test_profile_columns_change_no_segment_and_reject_no_row(
    crm_profile_warehouse, crm_warehouse, customers
):
    """The same file without the outcome columns, on the same features (crm_warehouse):
    the same customers, segments and names; bad outcome values reject nobody."""
    labels = "select customer_id, segment_id, segment_name from customer_segments order by 1"
    with_profiles = query(crm_profile_warehouse, labels)
    pd.testing.assert_frame_equal(with_profiles, query(crm_warehouse, labels))
    assert len(with_profiles) == len(customers) == 400
    assert query(crm_profile_warehouse, "select * from customer_rejections").empty
    assert customers["support_tickets"].isna().sum() == len(BAD_TICKET_COUNTS)


def test_category_shares_and_missing_counts_are_exact(crm_profile_warehouse, customers):
    marts = query(
        crm_profile_warehouse,
        "select * from segment_category_profiles where feature in ('churn', 'signup_channel')",
    )
    assert not marts["is_clustering_feature"].any()
    assert set(marts["feature_label"]) == {"Churn", "Signup Channel"}
    for feature in PROFILED_CATEGORIES:
        valued = customers.dropna(subset=[feature])
        population = valued[feature].value_counts(normalize=True)
        missing = customers[feature].isna().groupby(customers["segment_id"]).sum()
        expected = (
            valued.groupby("segment_id")[feature]
            .value_counts()
            .rename("customer_count")
            .reset_index()
            .rename(columns={feature: "category"})
        )
        expected["category_share"] = expected["customer_count"] / expected.groupby("segment_id")[
            "customer_count"
        ].transform("sum")
        expected["population_share"] = expected["category"].map(population)
        expected["missing_count"] = expected["segment_id"].map(missing)
        actual = marts[marts["feature"] == feature]
        columns = list(expected.columns)
        pd.testing.assert_frame_equal(
            actual[columns].sort_values(columns[:2]).reset_index(drop=True),
            expected.sort_values(columns[:2]).reset_index(drop=True),
            check_dtype=False,
            rtol=1e-12,
            obj=feature,
        )
    assert marts.query("feature == 'churn'")["missing_count"].gt(0).any()


def test_numeric_means_and_missing_counts_are_exact(crm_profile_warehouse, customers):
    marts = query(
        crm_profile_warehouse,
        "select * from segment_feature_profiles order by feature_position, segment_id",
    )
    clustering = marts.drop_duplicates("feature").set_index("feature")["is_clustering_feature"]
    assert clustering[CRM_FEATURES].all() and not clustering[PROFILED_NUMBERS].any()
    for feature in PROFILED_NUMBERS:
        by_segment = customers.groupby("segment_id")[feature]
        expected = pd.DataFrame(
            {
                "customer_count": by_segment.count(),
                "missing_count": by_segment.size() - by_segment.count(),
                "mean_value": by_segment.mean(),
                "median_value": by_segment.median(),
                "population_mean": customers[feature].mean(),
            }
        )
        actual = marts[marts["feature"] == feature].set_index("segment_id")[expected.columns]
        pd.testing.assert_frame_equal(
            actual,
            expected,
            check_dtype=False,
            check_index_type=False,
            check_names=False,
            rtol=1e-12,
            obj=feature,
        )
    tickets = marts[marts["feature"] == "support_tickets"]
    assert tickets["missing_count"].sum() == len(BAD_TICKET_COUNTS)
    # found by column_map (its normalized header is lifetime_value_eur), labelled from the header
    described = marts.query("feature == 'lifetime_value'")[["feature_label", "feature_unit"]]
    assert described.drop_duplicates().values.tolist() == [["Lifetime value", "EUR"]]


def test_the_cards_and_the_report_set_each_segment_against_all(crm_profile_warehouse, customers):
    """'Churn: no 71.3% against 70.2% of all' on each segment's card and in insights.md."""
    marts = read_marts(crm_profile_warehouse)
    report = insights_markdown(marts, "crm")
    cards = _segment_cards(marts)
    population = customers["churn"].value_counts(normalize=True)
    for _, rows in customers.groupby("segment_id"):
        shares = rows["churn"].value_counts(normalize=True)
        top = shares.index[0]
        phrase = (
            f"{top} {formats.share(shares[top])} against {formats.share(population[top])} of all"
        )
        assert f"Churn: {phrase}" in report, phrase
        assert phrase in cards, phrase
        tickets = rows["support_tickets"]
        figure = (
            f"{formats.number(tickets.mean())} against "
            f"{formats.number(customers['support_tickets'].mean())} of all"
        )
        assert figure in report and figure in cards, figure
    assert "Also profiled" in report and "Also profiled" in cards
