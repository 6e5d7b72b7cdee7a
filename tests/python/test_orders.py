"""RFM from orders: the features computed in SQL from an orders file, alone or joined to a
customer file, with every order row counted or rejected with its reason."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import RFM, SAMPLE_ORDERS, query, run_dbt, write_csv

ORDERS = pd.read_csv(SAMPLE_ORDERS, dtype={"Order ID": str, "Customer ID": str})


def rfm_of(orders: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Recency, frequency and monetary per customer as a notebook computes them."""
    dates = pd.to_datetime(orders["Order Date"])
    grouped = orders.assign(date=dates).groupby("Customer ID")
    return pd.DataFrame(
        {
            "recency_days": (as_of - grouped["date"].max()).dt.days,
            "frequency": grouped["Order ID"].nunique(),
            "monetary": grouped["Amount"].sum(),
        }
    )


def test_orders_alone_segment_every_customer_on_rfm(rfm_warehouse):
    purchases = ORDERS[ORDERS["Amount"] >= 0]
    segmented = query(rfm_warehouse, "select * from customer_segments")
    assert sorted(segmented["customer_id"]) == sorted(purchases["Customer ID"].unique())
    assert len(query(rfm_warehouse, "select * from customer_rejections")) == 0
    # numbered by their first order in the file
    first = purchases.drop_duplicates("Customer ID")["Customer ID"].tolist()
    numbered = segmented.sort_values("source_row_number")["customer_id"].tolist()
    assert numbered == first
    # the features are what a notebook computes, as of the day after the latest order
    as_of = pd.Timestamp(purchases["Order Date"].max()) + pd.Timedelta(days=1)
    expected = rfm_of(purchases, as_of)
    values = query(rfm_warehouse, "select * from customer_feature_values").pivot(
        index="customer_id", columns="feature", values="feature_value"
    )
    for feature in RFM:
        np.testing.assert_allclose(values.loc[expected.index, feature], expected[feature])


def test_profile_means_weighted_by_segment_size_are_the_overall_means(rfm_warehouse):
    profiles = query(rfm_warehouse, "select * from segment_feature_profiles")
    values = query(rfm_warehouse, "select * from customer_feature_values where category is null")
    for feature, rows in profiles.groupby("feature"):
        weighted = (rows["mean_value"] * rows["customer_count"]).sum() / rows[
            "customer_count"
        ].sum()
        overall = values.loc[values["feature"] == feature, "feature_value"].mean()
        # exact sums: the weighted means are the population's mean to the last digits, and
        # that is the mean of every customer's value (each summed to 8 decimals)
        assert weighted == pytest.approx(rows["population_mean"].iloc[0], rel=1e-12), feature
        assert rows["population_mean"].iloc[0] == pytest.approx(overall, abs=1e-8), feature
    assert set(profiles["feature"]) == {*RFM, "tenure_days", "avg_order_value"}
    clustering = profiles[profiles["is_clustering_feature"]]
    assert set(clustering["feature"]) == set(RFM)


def freshness_of_orders(tmp_path, thresholds: dict) -> tuple[int, dict | None]:
    """`dbt source freshness` of the bundled orders: its return code and the orders' result
    (None when the orders were not checked)."""
    vars = {"orders_path": str(SAMPLE_ORDERS), "features": RFM, **thresholds}
    result = run_dbt(tmp_path, vars, command="source freshness")
    sources = json.loads((tmp_path / "target" / "sources.json").read_text())["results"]
    orders = [s for s in sources if s["unique_id"].endswith("inputs.orders_file")]
    return result.returncode, orders[0] if orders else None


def test_source_freshness_checks_the_latest_order_date(tmp_path):
    latest = pd.to_datetime(ORDERS["Order Date"]).max()
    days_old = (pd.Timestamp.now() - latest).days
    assert freshness_of_orders(tmp_path / "off", {}) == (0, None)  # no thresholds: not checked
    warn = {"orders_warn_after_days": days_old - 1, "orders_error_after_days": days_old + 30}
    returncode, orders = freshness_of_orders(tmp_path / "warn", warn)
    assert returncode == 0 and orders["status"] == "warn"
    assert pd.Timestamp(orders["max_loaded_at"]).tz_localize(None) == latest
    error = {"orders_warn_after_days": days_old - 2, "orders_error_after_days": days_old - 1}
    returncode, orders = freshness_of_orders(tmp_path / "error", error)
    assert returncode == 1 and orders["status"] == "error"


def test_returns_are_listed_with_their_reason_and_not_counted(rfm_warehouse):
    rejected = query(rfm_warehouse, "select * from order_rejections order by source_row_number")
    returns = ORDERS[ORDERS["Amount"] < 0]
    assert rejected["raw_order_id"].tolist() == returns["Order ID"].tolist()
    assert rejected["source_row_number"].tolist() == (returns.index + 1).tolist()
    assert all("a return or refund" in reason for reason in rejected["rejection_reason"])


def test_rfm_segments_are_named_and_played_in_rfm_terms(rfm_warehouse):
    names = query(rfm_warehouse, "select segment_name from segment_centroids")["segment_name"]
    words = {"Recent", "Lapsing", "Lapsed", "Occasional", "Regular", "Frequent"}
    assert all(words & set(name.replace("·", " ").split()) for name in names)
    plays = query(rfm_warehouse, "select persona, playbook_match from segment_recommendations")
    assert (plays["playbook_match"] != "default").all()
    assert plays["playbook_match"].str.contains("recency_days=").all()


def online_retail_lines() -> tuple[list[str], dict[str, object]]:
    """An invoice-line export in the style of the public Online Retail data set (InvoiceNo,
    StockCode, Quantity, InvoiceDate as m/d/Y H:M, UnitPrice, CustomerID), with the rows a
    real export has: a cancelled line, a blank customer, a date that is not one, a text
    price, a customer missing from the customer file, a line after the as-of date."""
    header = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
    lines = [
        "536365,85123A,6,12/1/2010 8:26,2.55,17850,United Kingdom",
        "536365,71053,6,12/1/2010 8:26,3.39,17850,United Kingdom",  # same invoice: one order
        "536366,22633,6,12/3/2010 8:28,1.85,17850,United Kingdom",
        "536367,84879,32,12/1/2010 8:34,1.69,13047,United Kingdom",
        "536368,22960,6,12/5/2010 8:34,4.25,13047,United Kingdom",
        "C536379,D,-1,12/6/2010 9:41,27.50,13047,United Kingdom",  # a cancellation
        "536370,22728,24,12/1/2010 8:45,3.75,12583,France",
        "536371,22086,80,12/7/2010 9:00,2.55,,United Kingdom",  # no customer
        "536372,22632,6,13/45/2010 9:01,1.85,12583,France",  # not a date
        "536373,82494L,6,12/7/2010 9:02,about 3,12583,France",  # not a number
        "536374,21258,32,12/7/2010 9:09,10.95,99999,United Kingdom",  # unknown customer
        "536375,21258,2,12/20/2010 9:09,10.95,12583,France",  # after as_of_date
    ]
    expected = {
        "17850": {"recency_days": 7, "frequency": 2, "monetary": 6 * 2.55 + 6 * 3.39 + 6 * 1.85},
        "13047": {"recency_days": 5, "frequency": 2, "monetary": 32 * 1.69 + 6 * 4.25},
        "12583": {"recency_days": 9, "frequency": 1, "monetary": 24 * 3.75},
    }
    return [header, *lines], expected


def write_orders_and_customers(directory) -> dict:
    customers = write_csv(
        directory / "customers.csv",
        "CustomerID,Gender,Age,Annual Income (k$)\n"
        "17850,Male,35,60\n13047,Female,52,90\n12583,Female,28,30\n"
        "12600,Male,40,45\n",  # a customer without orders
    )
    lines, _ = online_retail_lines()
    orders = write_csv(directory / "orders.csv", "\n".join(lines) + "\n")
    return {"customers_path": str(customers), "orders_path": str(orders)}


# A customer file and an invoice-line orders file, joined: RFM and income clustered.
ORDERS_AND_CUSTOMERS_VARS = {
    "order_date_format": "%m/%d/%Y %H:%M",
    "as_of_date": "2010-12-10",
    "features": [*RFM, "annual_income"],
    "k": 2,
    "k_min": 2,
    "k_max": 2,
}


@pytest.fixture(scope="module")
def orders_and_customers(shared_builds):
    _, expected = online_retail_lines()
    vars = ORDERS_AND_CUSTOMERS_VARS
    return shared_builds.get("orders_and_customers", vars, write_orders_and_customers), expected


def test_invoice_lines_give_rfm_per_customer(orders_and_customers):
    warehouse, expected = orders_and_customers
    values = query(warehouse, "select * from customer_feature_values").pivot(
        index="customer_id", columns="feature", values="feature_value"
    )
    for customer, features in expected.items():
        for feature, value in features.items():
            assert values.loc[customer, feature] == pytest.approx(value), (customer, feature)
    assert values.loc["13047", "annual_income"] == 90


def test_a_customer_without_orders_is_rejected_saying_why(orders_and_customers):
    warehouse, _ = orders_and_customers
    rejected = query(warehouse, "select * from customer_rejections")
    assert rejected["raw_customer_id"].tolist() == ["12600"]
    assert rejected["rejection_reason"].iloc[0].startswith("no valid order in the orders file")


def test_every_unusable_order_row_is_rejected_with_its_reason(orders_and_customers):
    warehouse, _ = orders_and_customers
    rejected = query(warehouse, "select * from order_rejections order by source_row_number")
    reasons = dict(zip(rejected["source_row_number"], rejected["rejection_reason"], strict=True))
    assert reasons[6].startswith("a return or refund (amount -27.5)")
    assert reasons[8] == "missing customer id"
    assert reasons[9] == "order date '13/45/2010 9:01' is not a date in the format %m/%d/%Y %H:%M"
    assert reasons[10] == "price 'about 3' is not a number"
    assert reasons[11] == "customer id '99999' is not in the customer file; not counted"
    assert reasons[12] == "order date 2010-12-20 is after as_of_date 2010-12-10: not counted"
    assert set(reasons) == {6, 8, 9, 10, 11, 12}
    # the values as read, exactly
    row = rejected[rejected["source_row_number"] == 10].iloc[0]
    assert row[["raw_order_id", "raw_price", "raw_quantity"]].tolist() == ["536373", "about 3", "6"]
    assert row["raw_order_date"] == "12/7/2010 9:02"
