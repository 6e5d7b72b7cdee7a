"""RFM from orders: the features computed in SQL from an orders file, alone or joined to a
customer file, with every order row counted or rejected with its reason."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import (
    CANCELLED_ORDER_LINE,
    COMPARE_AS_OF_DATE,
    RFM,
    SAMPLE_CRM,
    SAMPLE_ORDERS,
    UNUSABLE_ORDER_LINE,
    query,
    run_dbt,
    write_csv,
    write_sample_orders_with_a_repeat,
)

from dashboards.charts import profile_heatmap_chart, segment_selection
from dashboards.marts import read_marts
from dashboards.report import insights_markdown
from operations.rejection_summary import rejection_summary_lines

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
    # the customer whose only order cannot be read is rejected saying so, never lost
    rejected = query(rfm_warehouse, "select * from customer_rejections")
    assert rejected["raw_customer_id"].tolist() == ["K9999"]
    last_row = len(ORDERS) + 2
    assert rejected["rejection_reason"].tolist() == [
        # n/a, a placeholder, is a missing amount
        f"all 1 order rows rejected, the first (row {last_row}): missing amount"
    ]
    # numbered by their first order row in the file
    first = ORDERS.drop_duplicates("Customer ID")["Customer ID"].tolist()
    numbered = segmented.sort_values("source_row_number")["customer_id"].tolist()
    assert numbered == [customer for customer in first if customer in set(numbered)]
    # the features are what a notebook computes on the file without its repeated line, as of
    # the day after the latest order: its month-first dates read as the days written
    as_of = pd.Timestamp(purchases["Order Date"].max()) + pd.Timedelta(days=1)
    expected = rfm_of(purchases, as_of)
    values = query(rfm_warehouse, "select * from customer_feature_values").pivot(
        index="customer_id", columns="feature", values="feature_value"
    )
    for feature in RFM:
        np.testing.assert_allclose(values.loc[expected.index, feature], expected[feature])


def test_order_counts_and_amounts_are_clustered_on_their_log_by_default(rfm_warehouse):
    purchases = ORDERS[ORDERS["Amount"] >= 0]
    as_of = pd.Timestamp(purchases["Order Date"].max()) + pd.Timedelta(days=1)
    rfm = rfm_of(purchases, as_of)
    clustered = rfm.assign(frequency=np.log1p(rfm["frequency"]), monetary=np.log1p(rfm["monetary"]))
    scaling = query(rfm_warehouse, "select * from intermediate.int_feature_scaling")
    scaling = scaling.set_index("feature_name")
    assert scaling["feature_transform"].to_dict() == {
        "recency_days": "none",
        "frequency": "log",
        "monetary": "log",
    }
    z = query(rfm_warehouse, "select * from intermediate.int_customer_features")
    z = z.set_index("customer_id").loc[rfm.index]
    for feature in RFM:
        mean, stddev = clustered[feature].mean(), clustered[feature].std(ddof=0)
        assert scaling.loc[feature, "feature_mean"] == pytest.approx(mean, rel=1e-9), feature
        # the squares are summed to 6 decimals (exactly, whatever the threads)
        assert scaling.loc[feature, "feature_stddev"] == pytest.approx(stddev, rel=1e-7), feature
        expected = (clustered[feature] - mean) / stddev
        np.testing.assert_allclose(z[f"z_{feature}"], expected, atol=1e-6, err_msg=feature)
    settings = query(rfm_warehouse, "select * from intermediate.int_segmentation_settings")
    assert settings["log_features"].tolist() == ["frequency,monetary"]
    # the marts stay in orders and euros, and say what was clustered
    profiles = query(rfm_warehouse, "select * from segment_feature_profiles")
    described = profiles.drop_duplicates("feature").set_index("feature")
    assert described.loc[RFM, "feature_transform"].tolist() == ["none", "log", "log"]
    assert described.loc[["monetary", "avg_order_value"], "feature_unit"].tolist() == ["EUR"] * 2
    assert described.loc["frequency", "feature_unit"] == "orders"


def test_the_k_search_starts_at_3_and_keeps_every_segment_above_min_segment_share(rfm_warehouse):
    selection = query(rfm_warehouse, "select * from segment_model_selection order by k")
    assert selection["k"].tolist() == list(range(3, 11))
    chosen = selection[selection["is_chosen"]].iloc[0]
    # every customer is a training customer here: the chosen k's smallest segment is the
    # smallest of customer_segments
    sizes = query(rfm_warehouse, "select count(*) as n from customer_segments group by segment_id")
    assert chosen["smallest_segment_share"] == pytest.approx(sizes["n"].min() / sizes["n"].sum())
    assert chosen["smallest_segment_share"] >= 0.01


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


def test_segments_as_of_compare_as_of_date_are_todays_model_on_the_orders_then(rfm_warehouse):
    """Var compare_as_of_date: each customer's RFM as of that date (its orders up to then),
    scored with this build's scaling and centroids, is its segment then; the migration marts
    compare it with today's segment."""
    purchases = ORDERS[ORDERS["Amount"] >= 0]
    then = pd.Timestamp(COMPARE_AS_OF_DATE)
    expected = rfm_of(purchases[pd.to_datetime(purchases["Order Date"]) <= then], then)
    compared = query(rfm_warehouse, "select * from intermediate.int_compare_date_segments")
    compared = compared.set_index("customer_id")
    ordered_by_then = compared[compared["from_segment_id"].notna()]
    assert 0 < len(ordered_by_then) < len(compared)
    assert sorted(ordered_by_then.index) == sorted(expected.index)
    for feature in RFM:
        np.testing.assert_allclose(compared.loc[expected.index, feature], expected[feature])
    # the nearest centroid of this build's model, as a notebook finds it
    scaling = query(rfm_warehouse, "select * from intermediate.int_feature_scaling")
    scaling = scaling.set_index("feature_name")
    z = pd.DataFrame(index=expected.index)
    for feature in RFM:
        log = scaling.loc[feature, "feature_transform"] == "log"
        value = np.log1p(expected[feature]) if log else expected[feature]
        z[feature] = (value - scaling.loc[feature, "feature_mean"]) / scaling.loc[
            feature, "feature_stddev"
        ]
    centroids = query(rfm_warehouse, "select * from intermediate.int_trained_centroids").pivot(
        index="segment_id", columns="feature", values="z_value"
    )[RFM]
    distances = ((z.to_numpy()[:, None, :] - centroids.to_numpy()[None, :, :]) ** 2).sum(axis=2)
    nearest = centroids.index[distances.argmin(axis=1)]
    assert ordered_by_then.loc[expected.index, "from_segment_id"].tolist() == nearest.tolist()
    # today's segments, and the marts' counts from the two columns
    today = query(rfm_warehouse, "select customer_id, segment_id from customer_segments")
    assert (
        compared["to_segment_id"].to_dict()
        == today.set_index("customer_id")["segment_id"].to_dict()
    )
    pairs = compared.fillna({"from_segment_id": -1}).groupby(["from_segment_id", "to_segment_id"])
    migrations = query(rfm_warehouse, "select * from segment_migrations")
    assert {
        (
            -1 if pd.isna(row.from_segment_id) else row.from_segment_id,
            row.to_segment_id,
        ): row.customer_count
        for row in migrations.itertuples()
    } == pairs.size().to_dict()
    assert (migrations["from_segmented_at"] == then).all()
    changes = query(rfm_warehouse, "select * from customer_segment_changes")
    moved = ordered_by_then[ordered_by_then["from_segment_id"] != ordered_by_then["to_segment_id"]]
    assert sorted(changes["customer_id"]) == sorted(moved.index)


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
    rejected = rejected[rejected["rejection_reason"].str.contains("a return or refund")]
    returns = ORDERS[ORDERS["Amount"] < 0]
    assert rejected["raw_order_id"].tolist() == returns["Order ID"].tolist()
    assert rejected["source_row_number"].tolist() == (returns.index + 1).tolist()


def test_an_order_that_did_not_go_through_is_listed_with_its_status_and_not_counted(
    rfm_warehouse,
):
    """A status column (Olist's order_status) found by alias: a canceled order is rejected
    saying so, and its amount is in no customer's monetary."""
    order_id, customer_id, _, amount, status = CANCELLED_ORDER_LINE.split(",")
    rejected = query(
        rfm_warehouse, f"select * from order_rejections where raw_order_id = '{order_id}'"
    )
    assert rejected["raw_order_status"].tolist() == [status]
    assert rejected["rejection_reason"].tolist() == [
        f"order status '{status}': did not go through, not counted"
    ]
    monetary = query(
        rfm_warehouse,
        f"select monetary from customer_segments where customer_id = '{customer_id}'",
    )["monetary"]
    purchases = ORDERS[(ORDERS["Customer ID"] == customer_id) & (ORDERS["Amount"] >= 0)]
    assert monetary.tolist() == pytest.approx([purchases["Amount"].sum()])
    assert float(amount) > monetary.iloc[0]


def test_a_repeated_line_counts_once_and_is_listed(rfm_warehouse):
    rejected = query(rfm_warehouse, "select * from order_rejections order by source_row_number")
    repeats = rejected[rejected["rejection_reason"].str.startswith("the same line")]
    assert repeats["source_row_number"].tolist() == [len(ORDERS) + 1]
    assert repeats["rejection_reason"].tolist() == [
        "the same line as row 1 (every field equal): counted once"
    ]
    assert repeats["raw_order_id"].tolist() == [ORDERS["Order ID"].iloc[0]]


def test_the_build_summary_counts_the_rejected_rows_by_reason(rfm_warehouse):
    summary = query(rfm_warehouse, "select * from intermediate.int_rejection_summary")
    summary = summary.set_index("input_rows")
    returns = int((ORDERS["Amount"] < 0).sum())
    # the repeated line, the unusable one and the cancelled one
    assert summary.loc["order rows", "row_count"] == len(ORDERS) + 3
    assert summary.loc["order rows", "rejected_count"] == returns + 3
    assert summary.loc["order rows", "top_reasons"].startswith(
        f"{returns} × a return or refund (amount -N): RFM counts purchases only (first: row "
    )
    assert summary.loc["customer rows", "rejected_count"] == 1
    # under max_rejected_share: the lines ./run build prints say so without a warning
    lines = rejection_summary_lines(rfm_warehouse)
    assert lines[0].startswith("Rejected 1 of the 301 customer rows of ")
    assert "max_rejected_share" not in " ".join(lines)


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
    price, a customer missing from the customer file, a line after the as-of date, a line
    repeated in every field, a customer whose only order cannot be read."""
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
        "536365,85123A,6,12/1/2010 8:26,2.55,17850,United Kingdom",  # the first line again
        "536376,22139,4,12/8/2010 9:10,tbc,12700,France",  # 12700's only order: unreadable
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
        "12600,Male,40,45\n"  # a customer without orders
        "12700,Female,33,50\n",  # a customer whose orders are all rejected
    )
    lines, _ = online_retail_lines()
    orders = write_csv(directory / "orders.csv", "\n".join(lines) + "\n")
    return {"customers_path": str(customers), "orders_path": str(orders)}


# A customer file and an invoice-line orders file, joined: RFM and income clustered; the
# customers without a valid order rejected (the var's reject path; by default they would be
# the segment 'No purchase yet', tested on the bundled samples below).
ORDERS_AND_CUSTOMERS_VARS = {
    "customers_without_orders": "reject",
    "order_date_format": "%m/%d/%Y %H:%M",
    "as_of_date": "2010-12-10",
    "features": [*RFM, "annual_income"],
    # monetary on its raw amounts: log false overrides the catalog's default
    "feature_settings": {"monetary": {"log": False}},
    "k": 2,
    "k_min": 2,
    "k_max": 2,
}


@pytest.fixture(scope="module")
def orders_and_customers(shared_builds):
    _, expected = online_retail_lines()
    vars = ORDERS_AND_CUSTOMERS_VARS
    return shared_builds.get("orders_and_customers", vars, write_orders_and_customers), expected


def test_log_false_clusters_the_raw_amounts(orders_and_customers):
    warehouse, expected = orders_and_customers
    scaling = query(warehouse, "select * from intermediate.int_feature_scaling")
    scaling = scaling.set_index("feature_name")
    assert scaling.loc[RFM, "feature_transform"].tolist() == ["none", "log", "none"]
    amounts = [features["monetary"] for features in expected.values()]
    assert scaling.loc["monetary", "feature_mean"] == pytest.approx(np.mean(amounts))
    counts = [features["frequency"] for features in expected.values()]
    assert scaling.loc["frequency", "feature_mean"] == pytest.approx(np.log1p(counts).mean())


def test_invoice_lines_give_rfm_per_customer(orders_and_customers):
    warehouse, expected = orders_and_customers
    values = query(warehouse, "select * from customer_feature_values").pivot(
        index="customer_id", columns="feature", values="feature_value"
    )
    for customer, features in expected.items():
        for feature, value in features.items():
            assert values.loc[customer, feature] == pytest.approx(value), (customer, feature)
    assert values.loc["13047", "annual_income"] == 90


def test_with_var_reject_a_customer_without_orders_is_rejected_saying_why(orders_and_customers):
    warehouse, _ = orders_and_customers
    rejected = query(warehouse, "select * from customer_rejections order by source_row_number")
    assert rejected["raw_customer_id"].tolist() == ["12600", "12700"]
    assert rejected["rejection_reason"].iloc[0].startswith("no valid order in the orders file")
    assert rejected["rejection_reason"].iloc[1] == (
        "all 1 order rows rejected, the first (row 14): price 'tbc' is not a number"
    )


def write_crm_with_order_customers(directory) -> dict:
    """The bundled CRM export as the customer file of the bundled orders (with the rfm build's
    repeated line and unreadable line): its first rows take the ids of the orders' customers,
    the next the id whose only order line cannot be read, the rest keep their CRM ids and have
    no order at all (prospects)."""
    orders = write_sample_orders_with_a_repeat(directory)
    crm = pd.read_csv(SAMPLE_CRM, dtype=str, keep_default_na=False)
    ids = [*sorted(ORDERS["Customer ID"].unique()), UNUSABLE_ORDER_LINE.split(",")[1]]
    crm["Customer Number"] = ids + crm["Customer Number"].tolist()[len(ids) :]
    path = directory / "crm_with_order_customers.csv"
    crm.to_csv(path, index=False)
    return {"customers_path": str(path), **orders}


@pytest.fixture(scope="module")
def crm_orders_warehouse(shared_builds):
    """The rfm build's orders and settings with a customer file: the default
    customers_without_orders (segment)."""
    vars = {"features": RFM, "currency": "EUR", "compare_as_of_date": COMPARE_AS_OF_DATE}
    return shared_builds.get("crm_orders", vars, write_crm_with_order_customers)


def test_customers_without_a_valid_order_are_the_segment_no_purchase_yet(
    crm_orders_warehouse, rfm_warehouse
):
    """By default the customers of the customer file without a valid order (none, or only
    rejected ones) are kept as segment 0, 'No purchase yet': no order, never clustered, each
    profile and recommendation mart shows it, the centroids do not. The others are segmented
    exactly as the orders alone segment them (rfm_warehouse: the same orders and settings,
    the customer without a readable order rejected, as var customers_without_orders reject
    does)."""
    directory = crm_orders_warehouse.parent
    customers = pd.read_csv(directory / "crm_with_order_customers.csv", dtype=str)
    orders = pd.read_csv(directory / "orders.csv", dtype=str)
    amounts = pd.to_numeric(orders["Amount"], errors="coerce")
    buyers = set(orders.loc[amounts >= 0, "Customer ID"])
    prospects = set(customers["Customer Number"]) - buyers
    assert len(prospects) == len(customers) - ORDERS["Customer ID"].nunique()

    segments = query(crm_orders_warehouse, "select * from customer_segments")
    no_purchase = segments[segments["segment_id"] == 0]
    assert set(no_purchase["customer_id"]) == prospects
    assert (no_purchase["segment_name"] == "No purchase yet").all()
    assert (no_purchase[["frequency", "monetary"]] == 0).all().all()
    undefined = ["recency_days", "tenure_days", "avg_order_value", "distance_to_centroid"]
    assert no_purchase[undefined + ["second_nearest_segment_id"]].isna().all().all()
    assert not no_purchase["is_outlier"].any()
    assert query(crm_orders_warehouse, "select * from customer_rejections").empty
    # the unreadable order line stays in order_rejections, with its reason
    unreadable = query(
        crm_orders_warehouse,
        "select rejection_reason from order_rejections where raw_customer_id = 'K9999'",
    )
    assert unreadable["rejection_reason"].tolist() == ["missing amount"]

    columns = ["customer_id", "segment_id", "segment_name", "distance_to_centroid", *RFM]
    clustered = segments.loc[segments["segment_id"] != 0, columns]
    alone = query(rfm_warehouse, "select * from customer_segments")[columns]
    pd.testing.assert_frame_equal(
        clustered.sort_values("customer_id", ignore_index=True),
        alone.sort_values("customer_id", ignore_index=True),
    )

    size, share = len(prospects), len(prospects) / len(customers)
    centroids = query(crm_orders_warehouse, "select segment_id from segment_centroids")
    assert 0 not in set(centroids["segment_id"])
    profile = query(crm_orders_warehouse, "select * from segment_profiles where segment_id = 0")
    assert profile[["customer_count", "customer_share"]].values.tolist() == [[size, share]]
    features = query(
        crm_orders_warehouse, "select * from segment_feature_profiles where segment_id = 0"
    ).set_index("feature")
    assert sorted(features.index) == ["frequency", "monetary"]  # recency etc.: no value
    assert (features["mean_value"] == 0).all() and (features["customer_count"] == size).all()
    assert features["centroid_z"].isna().all() and features["feature_level"].isna().all()
    genders = query(
        crm_orders_warehouse, "select * from segment_category_profiles where segment_id = 0"
    )
    assert genders[["category", "customer_count"]].values.tolist() == [["Unknown", size]]
    play = query(
        crm_orders_warehouse, "select * from segment_recommendations where segment_id = 0"
    ).iloc[0]
    assert play["playbook_match"] == "frequency=None" and play["persona"].startswith("Prospects")
    assert (play["customer_count"], play["customer_share"]) == (size, share)
    # since var compare_as_of_date: the prospects were prospects then, and so were the
    # customers whose first valid order came after it; nobody is new
    moves = query(crm_orders_warehouse, "select * from segment_migrations")
    into_0 = moves[moves["to_segment_id"] == 0]
    assert into_0[["from_segment_id", "customer_count"]].values.tolist() == [[0, size]]
    dates = pd.to_datetime(orders["Order Date"], errors="coerce")
    first = dates[amounts >= 0].groupby(orders["Customer ID"]).min()
    first_after = (first > pd.Timestamp(COMPARE_AS_OF_DATE)).sum()
    assert first_after > 0
    assert moves.loc[moves["from_segment_id"] == 0, "customer_count"].sum() == size + first_after
    assert moves["from_segment_id"].notna().all()

    # insights.md and the heat map of centroid z-scores, which leaves the segment out, saying so
    marts = read_marts(crm_orders_warehouse)
    report = insights_markdown(marts, "crm")
    assert f"**{len(segments) - size} customers** were put into" in report
    assert f"**{size} customers** without a valid order form the segment" in report
    assert "### No purchase yet" in report
    heatmap = profile_heatmap_chart(marts, segment_selection()).to_dict()
    assert "No purchase yet" not in json.dumps(heatmap["datasets"])
    assert "No purchase yet is not clustered" in json.dumps(heatmap)


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
    # the first line again, every field equal: counted once (row 2 differs in its StockCode)
    assert reasons[13] == "the same line as row 1 (every field equal): counted once"
    assert reasons[14] == "price 'tbc' is not a number"
    assert set(reasons) == {6, 8, 9, 10, 11, 12, 13, 14}
    # the values as read, exactly
    row = rejected[rejected["source_row_number"] == 10].iloc[0]
    assert row[["raw_order_id", "raw_price", "raw_quantity"]].tolist() == ["536373", "about 3", "6"]
    assert row["raw_order_date"] == "12/7/2010 9:02"


def test_much_rejected_warns_naming_the_top_reasons(orders_and_customers):
    warehouse, _ = orders_and_customers
    summary = query(warehouse, "select * from intermediate.int_rejection_summary")
    summary = summary.set_index("input_rows")
    assert summary.loc["customer rows", ["row_count", "rejected_count"]].tolist() == [5, 2]
    assert summary.loc["order rows", ["row_count", "rejected_count"]].tolist() == [14, 8]
    lines = rejection_summary_lines(warehouse)
    assert lines[1] == (
        f"Rejected 8 of the 14 order rows of {warehouse.parent / 'orders.csv'} (57.1%): "
        "2 × price '…' is not a number (first: row 10); "
        "1 × a return or refund (amount -N): RFM counts purchases only (first: row 6); "
        "1 × missing customer id (first: row 8). That is more than max_rejected_share (5%); "
        "every row and its reason: customer_rejections, order_rejections."
    )
    # the warn-severity test fired (and the build passed), with the sentence dbt prints
    warning = query(
        warehouse,
        "select warning from dbt_test__audit.assert_rejected_share_is_at_most_max"
        " where input_rows = 'order rows'",
    )["warning"].tolist()
    assert warning == [
        f"Rejected 8 of the 14 order rows of {warehouse.parent / 'orders.csv'} (57.1%), more than "
        "var max_rejected_share (5.0%): 2 × price '…' is not a number (first: row 10); "
        "1 × a return or refund (amount -N): RFM counts purchases only (first: row 6); "
        "1 × missing customer id (first: row 8). Every row and its reason: customer_rejections, "
        "order_rejections."
    ]
    results = json.loads((warehouse.parent / "target" / "run_results.json").read_text())
    status = {r["unique_id"].split(".")[-1]: r["status"] for r in results["results"]}
    assert status["assert_rejected_share_is_at_most_max"] == "warn"
    assert status["assert_every_order_row_is_counted_or_rejected"] == "pass"
    assert status["assert_every_input_row_is_segmented_or_rejected"] == "pass"


def write_day_first_orders(directory, rows: int | None = None) -> str:
    """The bundled orders with their dates written day first (13/07/2024)."""
    orders = ORDERS.head(rows) if rows else ORDERS
    dates = pd.to_datetime(orders["Order Date"]).dt.strftime("%d/%m/%Y")
    path = directory / "day_first.csv"
    orders.assign(**{"Order Date": dates}).to_csv(path, index=False)
    return str(path)


def test_a_date_format_that_swaps_day_and_month_stops_the_build(tmp_path):
    """%m/%d/%Y on day-first dates used to read the dates with a day of 12 or less, swapped,
    and reject the rest; as_of_date years after the last order used to pass unnoticed."""
    vars = {
        "orders_path": write_day_first_orders(tmp_path),
        "features": RFM,
        "order_date_format": "%m/%d/%Y",
        "as_of_date": "2030-01-01",
    }
    result = run_dbt(tmp_path, vars, select="+int_order_rows")
    dates = pd.to_datetime(ORDERS["Order Date"])
    day_first = int((dates.dt.day > 12).sum())
    either_way = int(((dates.dt.day <= 12) & (dates.dt.day != dates.dt.month)).sum())
    assert result.returncode == 1
    assert (
        f"order_date_format '%m/%d/%Y' reads {len(ORDERS) - day_first} of the {len(ORDERS)} "
        f"order dates of {vars['orders_path']}, but {day_first} have a number above 12 where it "
        f"expects the month (e.g. '"
    ) in result.stdout
    assert (
        f"so the {either_way} dates it reads whose day and month are both 12 or less may have "
        "them swapped. The dates look like %d/%m/%Y: set --vars '{order_date_format: "
        '"%d/%m/%Y"}\'.'
    ) in result.stdout
    assert "Warning in test assert_as_of_date_is_within_90_days_of_the_latest_order" in (
        result.stdout
    )


def test_every_order_rejected_names_the_top_reasons_and_the_var_to_set(tmp_path):
    """ISO dates read with %d/%m/%Y: every order is rejected. This used to say the file "has
    no data rows (only a header, or nothing)"."""
    vars = {"orders_path": str(SAMPLE_ORDERS), "features": RFM, "order_date_format": "%d/%m/%Y"}
    result = run_dbt(tmp_path, vars, select="+int_rejection_summary +order_rejections")
    customers = ORDERS["Customer ID"].nunique()
    returns = int((ORDERS["Amount"] < 0).sum())
    assert result.returncode == 1
    for phrase in (
        f"No customer can be segmented. {customers} of the {customers} customer rows of "
        f"{SAMPLE_ORDERS} are rejected: {customers} × all N order rows rejected, the first (row "
        "N): order date '…' is not a date in the format %d/%m/%Y (it looks like %Y-%m-%d) "
        "(first: row 1).",
        f"{len(ORDERS)} of the {len(ORDERS)} order rows of {SAMPLE_ORDERS} are rejected: "
        f"{len(ORDERS) - returns} × order date '…' is not a date in the format %d/%m/%Y (it "
        "looks like %Y-%m-%d) (first: row 1); ",
        "Check var order_date_format.",
        # the test that holds back the marts names the first rejected row
        f"No customer can be segmented: all {customers} rows are rejected, the first is data row "
        "1 (all ",
    ):
        assert phrase in result.stdout, f"{phrase!r} not in:\n{result.stdout[-4000:]}"
    assert "no data rows" not in result.stdout
    # every customer id of the orders is a rejected customer row, none vanished
    customer_rows = query(
        tmp_path / "warehouse.duckdb", "select * from intermediate.int_customer_rows"
    )
    assert sorted(customer_rows["customer_id"]) == sorted(ORDERS["Customer ID"].unique())
    assert customer_rows["rejection_reason"].str.startswith("all ").all()


def test_an_orders_file_with_a_decimal_point_beside_a_european_customer_file(tmp_path):
    """A European CRM export (semicolons, 59,5) and orders from a shop system (12.50, and
    1,234.50 with a thousands comma): var orders_decimal_separator reads the orders their own
    way. (Before, the one var read both files: every order amount was not a number.) An
    amount the orders' separator does not read names that var as the one to check. The
    income's unit is its header's, k€ (it was the catalog's k$ whatever the header said)."""
    customers = write_csv(
        tmp_path / "crm.csv",
        "Customer ID;Annual Income (k€)\nA1;59,5\nA2;1.234,5\nA3;7\nA4;8\n",
    )
    orders = write_csv(
        tmp_path / "shop.csv",
        "Order ID,Customer ID,Order Date,Amount\n"
        'O1,A1,2024-01-02,12.50\nO2,A2,2024-01-03,"1,234.50"\nO3,A2,2024-01-04,"7,5"\n'
        "O4,A3,2024-01-05,3\nO5,A4,2024-01-06,4\n",
    )
    vars = {
        "customers_path": str(customers),
        "orders_path": str(orders),
        "features": ["annual_income", "monetary"],
        "decimal_separator": ",",
        "orders_decimal_separator": ".",
    }
    result = run_dbt(tmp_path, vars, "run", select="+int_rejection_summary +int_feature_scaling")
    assert result.returncode == 0, result.stdout[-4000:]
    warehouse = tmp_path / "warehouse.duckdb"
    customer_rows = query(
        warehouse,
        "select customer_id, annual_income, monetary from intermediate.int_customer_rows",
    )
    assert customer_rows.values.tolist() == [
        ["A1", 59.5, 12.5],
        ["A2", 1234.5, 1234.5],
        ["A3", 7, 3],
        ["A4", 8, 4],
    ]
    hints = query(
        warehouse,
        "select input_rows, top_reasons, vars_to_check from intermediate.int_rejection_summary"
        " where vars_to_check is not null",
    )
    assert hints.values.tolist() == [
        ["order rows", "1 × amount '…' is not a number (first: row 3)", "orders_decimal_separator"]
    ]
    units = query(
        warehouse, "select feature_name, feature_unit from intermediate.int_feature_scaling"
    )
    assert units.values.tolist() == [["annual_income", "k€"], ["monetary", ""]]


def test_a_shop_export_is_read_by_its_customers_email_and_its_orders_id(tmp_path):
    """Shopify's orders export: the order is its Name (#1001), on each of its lines (its Id,
    read as the customer id before, is on an order's first line only), the customer its Email,
    the date Created at. An order's total and status are on its first line only: its other
    lines are part of it, counted with it or not, never rejected for their missing amount. An
    amount in another currency than most (the currency column's, or a code written with the
    amount) is not added to them."""
    orders = write_csv(
        tmp_path / "orders_export.csv",
        "Name,Email,Financial Status,Created at,Total,Currency,Lineitem name,Id\n"
        "#1001,ana@example.com,paid,2024-01-02 10:00:00,12.50,USD,Mug,5100001\n"
        "#1002,ana@example.com,paid,2024-02-03 11:00:00,20.00,USD,Mug,5100002\n"
        "#1002,ana@example.com,,2024-02-03 11:00:00,,,Tea,\n"
        "#1003,bo@example.com,paid,2024-02-04 12:00:00,7.25,usd,Mug,5100003\n"
        "#1004,bo@example.com,refunded,2024-02-05 12:00:00,9.00,USD,Mug,5100004\n"
        "#1004,bo@example.com,,2024-02-05 12:00:00,,,Tea,\n"
        "#1005,cy@example.com,paid,2024-02-01 12:00:00,,USD,Mug,5100005\n"
        "#1006,dee@example.com,paid,2024-02-02 12:00:00,1500,JPY,Mug,5100006\n"
        "#1007,ed@example.com,paid,2024-02-02 12:00:00,30.00 EUR,,Mug,5100007\n",
    )
    vars = {"orders_path": str(orders), "features": RFM}
    result = run_dbt(tmp_path, vars, "run", select="+int_customer_order_features")
    assert result.returncode == 0, result.stdout[-4000:]
    rows = query(
        tmp_path / "warehouse.duckdb",
        "select customer_id, order_id, amount, rejection_reason from intermediate.int_order_rows"
        " order by source_row_number",
    )
    other_currency = (
        " is not the currency counted, USD: amounts in several currencies do not add up. Map"
        " converted columns (var orders_column_map: {amount: <converted amount>, currency: <its"
        " currency>}) or split the file"
    )
    assert rows.astype(object).where(rows.notna(), None).values.tolist() == [
        ["ana@example.com", "#1001", 12.5, None],
        ["ana@example.com", "#1002", 20.0, None],
        ["ana@example.com", "#1002", None, None],
        ["bo@example.com", "#1003", 7.25, None],
        [
            "bo@example.com",
            "#1004",
            9.0,
            "order status 'refunded': did not go through, not counted",
        ],
        [
            "bo@example.com",
            "#1004",
            None,
            "a line of order '#1004' without an amount of its own, whose amount line (row 5)"
            " is not counted",
        ],
        ["cy@example.com", "#1005", None, "missing amount"],
        ["dee@example.com", "#1006", 1500.0, "currency JPY" + other_currency],
        ["ed@example.com", "#1007", 30.0, "currency EUR" + other_currency],
    ]
    features = query(
        tmp_path / "warehouse.duckdb",
        "select customer_id, frequency, monetary from intermediate.int_customer_order_features"
        " order by customer_id",
    )
    assert features.values.tolist() == [["ana@example.com", 2, 32.5], ["bo@example.com", 1, 7.25]]


# A shop's large export: 50,000 customers with a sign-up date written day first, the id DUP on
# data rows 1 and 40,001, and 50,000 orders, every third one by the guest id 0 (WooCommerce's).
LARGE_EXPORT_ROWS = 50_000


@pytest.fixture(scope="module")
def large_export(tmp_path_factory):
    """The large export built once up to the customer rows and the warn test on order ids."""
    directory = tmp_path_factory.mktemp("large_export")
    count = LARGE_EXPORT_ROWS
    days = [f"{1 + row % 28:02d}/{1 + row % 12:02d}/2023" for row in range(count)]
    customers = pd.DataFrame(
        {
            "Customer ID": ["DUP", "0"] + [f"C{row:05d}" for row in range(2, count)],
            "Signup Date": days,
            "Spend": [f"{10 + row % 97}.50" for row in range(count)],
        }
    )
    customers.loc[40_000, ["Customer ID", "Spend"]] = ["DUP", "99999"]
    customers.to_csv(directory / "customers.csv", index=False)
    orders = pd.DataFrame(
        {
            "Order ID": [f"O{row:05d}" for row in range(count)],
            "Customer ID": [
                "0" if row % 3 == 0 else f"C{2 + row % (count - 2):05d}" for row in range(count)
            ],
            "Order Date": days,
            "Amount": "12.50",
        }
    )
    orders.to_csv(directory / "orders.csv", index=False)
    vars = {
        "customers_path": str(directory / "customers.csv"),
        "orders_path": str(directory / "orders.csv"),
        "features": ["signup_date", "spend"],
    }
    result = run_dbt(
        directory,
        vars,
        "build --indirect-selection cautious",
        select="+int_customer_rows +warn_customer_id_with_a_large_share_of_orders",
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return directory / "warehouse.duckdb", customers, orders, result


def test_rows_are_numbered_in_file_order_when_their_dates_are_read_by_their_column(large_export):
    """Dates read day or month first as their column shows join that finding to every row, and
    a DuckDB join does not keep the file's order: the rows are numbered as read, so a repeated
    id keeps its first row and every "row N" is the file's. (Out of order from 2,049 rows on,
    when the rows were numbered by where the join stored them.)"""
    warehouse, customers, orders, _ = large_export
    rows = query(
        warehouse,
        "select source_row_number, coalesce(raw_customer_id_if_different, customer_id) as id,"
        " rejection_reason from intermediate.int_customer_rows order by source_row_number",
    )
    assert rows["id"].tolist() == customers["Customer ID"].tolist()
    assert rows["source_row_number"].tolist() == list(range(1, LARGE_EXPORT_ROWS + 1))
    assert (
        rows["rejection_reason"]
        .iloc[40_000]
        .startswith("duplicate customer id 'DUP' with different values from row 1, which is kept")
    )
    order_ids = query(
        warehouse, "select order_id from intermediate.int_order_rows order by source_row_number"
    )
    assert order_ids["order_id"].tolist() == orders["Order ID"].tolist()


def test_a_guest_id_holding_many_orders_is_warned_about(large_export):
    """WooCommerce writes customer id 0 for every guest order: one customer of many people.
    The build warns naming it and the var that maps another column."""
    *_, result = large_export
    assert (
        "customer id '0' has 16667 of the counted orders (33%): a guest or placeholder id makes"
        " one customer of many. Map another column to customer_id (var orders_column_map"
    ) in result.stdout
