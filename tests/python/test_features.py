"""Segmenting on any attributes: numeric columns of a CRM export by their normalized headers,
categorical columns one-hot encoded, and per-feature settings (labels, ranges, log)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import (
    CRM_FEATURES,
    SAMPLE_CRM,
    build_warehouse,
    copy_warehouse,
    load_script,
    query,
    run_dbt,
)
from sklearn.metrics import adjusted_rand_score

CRM = pd.read_csv(SAMPLE_CRM, dtype=str)


def planted_groups() -> pd.DataFrame:
    """The group each customer of the bundled CRM export was drawn from."""
    generator = load_script("generate_sample_crm")
    customers = pd.DataFrame(generator.draw_customers(np.random.default_rng(generator.SEED)))
    return customers[["Customer Number", "group"]].rename(
        columns={"Customer Number": "customer_id"}
    )


def shown_categories(values: pd.Series) -> dict[str, int]:
    """Each category's customers as the build counts them: a value's spellings in any letter
    case are one category, shown in its most frequent spelling (the first in text order among
    equally frequent ones)."""
    counts = values.str.strip().value_counts()
    return {
        group[group == group.max()].index.min(): int(group.sum())
        for _, group in counts.groupby(counts.index.str.lower())
    }


def agreement_with_planted_groups(warehouse) -> float:
    labels = query(warehouse, "select customer_id, segment_id from customer_segments")
    merged = labels.merge(planted_groups(), on="customer_id")
    assert len(merged) == len(CRM)
    return adjusted_rand_score(merged["group"], merged["segment_id"])


def test_crm_columns_by_their_headers_find_the_planted_groups(crm_categorical_warehouse):
    """The CRM export on three columns of its own by their headers (and its loyalty tier, a
    build shared with the test below)."""
    warehouse = crm_categorical_warehouse
    assert len(query(warehouse, "select * from customer_rejections")) == 0
    assert agreement_with_planted_groups(warehouse) > 0.95
    chosen = query(warehouse, "select k from segment_model_selection where is_chosen")
    assert chosen["k"].tolist() == [4]


def test_labels_and_units_come_from_the_headers(crm_categorical_warehouse):
    warehouse = crm_categorical_warehouse
    features = query(
        warehouse,
        "select distinct feature, feature_label, feature_unit, feature_position "
        "from segment_feature_profiles order by feature_position",
    )
    assert features[["feature", "feature_label", "feature_unit"]].values.tolist() == [
        ["tenure_months", "Tenure", "months"],
        ["visits_per_month", "Visits per month", ""],
        ["avg_basket_eur", "Avg basket", "EUR"],
    ]
    # each name says the levels in the labels' words; a name too long drops Mid levels first
    levels = query(
        warehouse,
        "select segment_name, feature_level from segment_feature_profiles"
        " where feature = 'tenure_months'",
    )
    assert all("avg basket" in name for name in levels["segment_name"])
    assert all("tenure" in name for name, level in levels.values.tolist() if level != "Mid")
    # the file's other columns (email, channel, notes) are not attributes of the customers
    values = query(
        warehouse,
        "select feature, count(*) as n from customer_feature_values "
        "where category is null group by 1",
    )
    assert dict(values.values) == {name: len(CRM) for name in CRM_FEATURES}


def test_a_categorical_column_refines_the_segments_without_taking_over(crm_categorical_warehouse):
    warehouse = crm_categorical_warehouse
    # 'Gold', 'GOLD' and 'Gold ' are one category, shown as the file writes it most: Gold
    levels = query(warehouse, "select * from intermediate.int_category_levels order by category")
    assert levels["category"].tolist() == ["Bronze", "Gold", "Silver"]
    shares = levels["category_share"].to_numpy()
    # the documented weight: categorical_weight (0.5) / sqrt(1 - sum of squared shares)
    np.testing.assert_allclose(levels["feature_weight"], 0.5 / np.sqrt(1 - (shares**2).sum()))
    # the planted groups are still the segments (the tier does not split them further)
    assert agreement_with_planted_groups(warehouse) > 0.95
    profiles = query(
        warehouse,
        "select segment_id, sum(category_share) as total from segment_category_profiles "
        "where feature = 'loyalty_tier' group by 1",
    )
    np.testing.assert_allclose(profiles["total"], 1.0)
    tiers = query(
        warehouse,
        "select category, customer_count from segment_category_profiles "
        "where feature = 'loyalty_tier'",
    )
    expected = shown_categories(CRM["Loyalty tier"])
    assert tiers.groupby("category")["customer_count"].sum().to_dict() == expected
    settings = query(warehouse, "select * from intermediate.int_segmentation_settings").iloc[0]
    assert settings["categorical_features"] == "loyalty_tier"


LONG_LABEL = "Visits per month, counted over the last twelve months of store and app visits"
LONG_STORE = "x" * 10_000  # one 10 KB value, once


def write_tuned_input(directory):
    """The CRM export with two bad values, and settings for its features: a label and unit,
    a maximum, a log transform, at most two categories of its loyalty tier, a label of 80
    characters. Two columns more: a credit Score (300-850) the alias `score` would read as
    the spending score (mapped away), and a store with two big categories and a long tail of
    one-customer codes, one of them 10 KB long."""
    frame = CRM.copy()
    frame.loc[3, "Tenure (months)"] = "abc"
    frame.loc[5, "Tenure (months)"] = "700"
    frame["Score"] = [str(300 + (i * 37) % 551) for i in range(len(frame))]
    frame["Store"] = ["north" if i % 2 else "south" for i in range(len(frame))]
    frame.loc[frame.index[::20], "Store"] = [f"code-{i}" for i in range(len(frame.index[::20]))]
    frame.loc[20, "Store"] = LONG_STORE
    path = directory / "crm.csv"
    frame.to_csv(path, index=False)
    return {"customers_path": str(path)}


@pytest.fixture(scope="module")
def tuned_build(shared_builds):
    vars = {
        "features": CRM_FEATURES,
        "categorical_features": ["loyalty_tier", "store"],
        "max_categories": 2,
        "column_map": {"spending_score": None},
        "feature_settings": {
            "tenure_months": {"max": 600},
            "avg_basket_eur": {"log": True, "label": "Basket", "unit": "€"},
            "visits_per_month": {"label": LONG_LABEL},
        },
    }
    warehouse = shared_builds.get("crm_tuned", vars, write_tuned_input)
    return warehouse, pd.read_csv(warehouse.parent / "crm.csv", dtype=str)


def test_values_outside_the_settings_are_rejected_naming_the_column(tuned_build):
    warehouse, frame = tuned_build
    rejected = query(warehouse, "select * from customer_rejections order by source_row_number")
    reasons = dict(zip(rejected["source_row_number"], rejected["rejection_reason"], strict=True))
    assert reasons == {
        4: "tenure_months (Tenure (months)) 'abc' is not a number",
        6: "tenure_months (Tenure (months)) 700 is above 600",
    }
    assert rejected["raw_customer_id"].tolist() == frame.loc[[3, 5], "Customer Number"].tolist()
    segmented = query(warehouse, "select count(*) as n from customer_segments")
    assert segmented["n"].iloc[0] == len(frame) - 2


def test_a_log_feature_is_clustered_on_its_log_and_reported_in_its_units(tuned_build):
    warehouse, _ = tuned_build
    scaling = query(warehouse, "select * from intermediate.int_feature_scaling").set_index(
        "feature_name"
    )
    assert scaling.loc["avg_basket_eur", "feature_transform"] == "log"
    assert scaling.loc["avg_basket_eur", ["feature_label", "feature_unit"]].tolist() == [
        "Basket",
        "€",
    ]
    baskets = query(
        warehouse,
        "select avg_basket_eur from intermediate.int_customer_features",
    )["avg_basket_eur"]
    assert scaling.loc["avg_basket_eur", "feature_mean"] == pytest.approx(np.log1p(baskets).mean())
    settings = query(warehouse, "select * from intermediate.int_segmentation_settings").iloc[0]
    assert settings["log_features"] == "avg_basket_eur"
    # centroids and profiles are in euros again, not in logs
    profiles = query(
        warehouse,
        "select * from segment_feature_profiles where feature = 'avg_basket_eur'",
    )
    assert (profiles["centroid_value"] > 10).all()
    assert (profiles["mean_value"] > 10).all()


def test_scoring_a_stored_model_takes_its_features_and_transforms_and_refuses_other_vars(
    tuned_build, tmp_path
):
    """retrain false scores as the model was trained: its features, categorical feature and
    log basket, with only the file and the range var (tenure max 600); a var that contradicts
    the stored model, or its range left out, stops the run naming both."""
    warehouse, _ = tuned_build
    trained = query(warehouse, "select customer_id, segment_id from customer_segments")
    copy_warehouse(warehouse, tmp_path)
    file_only = {"customers_path": str(warehouse.parent / "crm.csv"), "retrain": False}
    # the check stops the run where the features are scaled: nothing downstream is needed
    until_scaled = "+int_training_customers"
    range_left_out = run_dbt(tmp_path, file_only, "run", select=until_scaled)
    assert range_left_out.returncode != 0
    assert (
        "this run accepts tenure_months values with min none, max none, whole false (var "
        "feature_settings, or the attribute catalog), but the stored model was trained with "
        "min none, max 600, whole false" in range_left_out.stdout
    )
    scoring = {**file_only, "feature_settings": {"tenure_months": {"max": 600}}}
    scored = query(
        build_warehouse(tmp_path, scoring), "select customer_id, segment_id from customer_segments"
    )
    pd.testing.assert_frame_equal(
        trained.sort_values("customer_id").reset_index(drop=True),
        scored.sort_values("customer_id").reset_index(drop=True),
    )
    other_features = run_dbt(
        tmp_path, {**scoring, "features": CRM_FEATURES[:2]}, "run", select=until_scaled
    )
    assert other_features.returncode != 0
    assert (
        f"var 'features' asks for [{', '.join(CRM_FEATURES[:2])}], but the stored model was "
        f"trained on [{', '.join(CRM_FEATURES)}]" in other_features.stdout
    )
    other_transform = run_dbt(
        tmp_path,
        {
            **scoring,
            "feature_settings": {"tenure_months": {"max": 600}, "avg_basket_eur": {"log": False}},
        },
        "run",
        select=until_scaled,
    )
    assert other_transform.returncode != 0
    assert (
        "var 'feature_settings' gives avg_basket_eur log: false, but the stored model was "
        "trained with transform log" in other_transform.stdout
    )


def test_max_categories_keeps_the_most_frequent_and_pools_the_rest(tuned_build):
    warehouse, frame = tuned_build
    levels = query(
        warehouse,
        "select category, customer_count from intermediate.int_category_levels"
        " where feature_name = 'loyalty_tier'",
    )
    valid = frame.drop(index=[3, 5])  # the two rejected rows
    counts = pd.Series(shown_categories(valid["Loyalty tier"])).sort_values(ascending=False)
    assert dict(levels.values) == {
        counts.index[0]: counts.iloc[0],
        counts.index[1]: counts.iloc[1],
        "(other)": counts.iloc[2:].sum(),
    }


def test_rare_categories_pool_and_many_values_warn(tuned_build):
    """Store: the long tail of one-customer codes (under min_category_share, 1%) and the
    10 KB value pool into (other); a column with more distinct values than max_categories
    warns with its count (kept in the test's table); no name or label outgrows 60
    characters."""
    warehouse, frame = tuned_build
    levels = query(
        warehouse,
        "select category, customer_count from intermediate.int_category_levels"
        " where feature_name = 'store'",
    )
    valid = frame.drop(index=[3, 5])
    tail = (~valid["Store"].isin(["north", "south"])).sum()
    assert dict(levels.values) == {
        "north": (valid["Store"] == "north").sum(),
        "south": (valid["Store"] == "south").sum(),
        "(other)": tail,
    }
    warnings = query(
        warehouse,
        "select feature_name, distinct_value_count, warning"
        " from dbt_test__audit.warn_categorical_features_with_many_values order by feature_name",
    )
    assert warnings["feature_name"].tolist() == ["loyalty_tier", "store"]
    assert warnings["distinct_value_count"].tolist() == [3, 2 + tail]
    warning = warnings["warning"].iloc[1]
    assert f"has {2 + tail} distinct values, more than var max_categories (2)" in warning
    names = query(warehouse, "select segment_name from segment_centroids")["segment_name"]
    assert names.str.replace(r" #\d+$", "", regex=True).str.len().max() <= 60
    label = query(
        warehouse,
        "select feature_label from intermediate.int_feature_scaling"
        " where feature_name = 'visits_per_month'",
    )["feature_label"].iloc[0]
    assert label == "Visits per month, counted over the last twelve months of…"


def test_a_built_in_attribute_mapped_to_null_is_not_read(tuned_build):
    """column_map {spending_score: null}: the credit Score is not the spending score, so it
    is neither read, range-checked nor warned about."""
    warehouse, _ = tuned_build
    segments = query(warehouse, "select spending_score from customer_segments")
    assert segments["spending_score"].isna().all()
    warnings = query(warehouse, "select * from dbt_test__audit.warn_attribute_values_ignored")
    assert len(warnings) == 0


# A telecom and e-commerce export's headers: camelCase, run together, with units and without;
# its Signup Date, a date feature, as dates and as timestamps, unrelated to the groups.
EXPORT_GROUPS = {  # planted group: (MonthlyCharges, TotalCharges, orders, revenue, discount %)
    "Spain": (20, 200, 2, 100, 5),
    "France": (70, 3000, 10, 900, 15),
    "Germany": (100, 6000, 25, 2500, 30),
}
# each group's country in the spellings a hand-kept column has
EXPORT_SPELLINGS = {
    "Spain": ["Spain"] * 12 + ["spain"] * 5 + ["SPAIN "] * 3,
    "France": ["France"] * 18 + ["france"] * 2,
    "Germany": ["germany"] * 11 + ["Germany"] * 9,
}


def signup_date(row: int) -> str:
    """A date over two years, every third one a timestamp (its time of day is ignored)."""
    signup = pd.Timestamp("2023-01-01") + pd.Timedelta(days=row * 53 % 700)
    return str(signup + pd.Timedelta(minutes=601)) if row % 3 else f"{signup:%Y-%m-%d}"


def write_export(directory):
    rows = []
    for group, (monthly, total, orders, revenue, discount) in EXPORT_GROUPS.items():
        for i, country in enumerate(EXPORT_SPELLINGS[group]):
            jitter = 1 + (i % 5 - 2) / 50
            rows.append(
                {
                    "customerID": f"{group[:2].upper()}-{i:03d}",
                    "MonthlyCharges": f"{monthly * jitter:.2f}",
                    "TotalCharges": f"{total * jitter:.2f}",
                    "Orders (12m)": str(round(orders * jitter)),
                    "Revenue (12m) EUR": f"{revenue * jitter:.2f}",
                    # R's make.names joins words with dots
                    "Avg.Discount %": f"{discount * jitter:.1f}",
                    "Country": country,
                    "Signup Date": signup_date(len(rows)),
                }
            )
    frame = pd.DataFrame(rows)
    frame.loc[3, "TotalCharges"] = ""  # a new customer's blank total, as in the telecom file
    frame.loc[7, "MonthlyCharges"] = "abc"
    frame.loc[11, "Signup Date"] = "03/04/2023"  # day/month or month/day: no other date tells
    path = directory / "export.csv"
    frame.to_csv(path, index=False)
    return {"customers_path": str(path)}


@pytest.fixture(scope="module")
def export_warehouse(shared_builds):
    """The export on its numbers and country: features as a user writes them, `monthlycharges`
    (the header run together, as before) and `TotalCharges` (read as total_charges)."""
    vars = {
        "features": [
            "monthlycharges",
            "TotalCharges",
            "orders_12m",
            "revenue_12m_eur",
            "avg_discount",
            "Signup Date",
        ],
        "categorical_features": ["Country"],
        "k": 3,
    }
    warehouse = shared_builds.get("headers_and_units", vars, write_export)
    return warehouse, pd.read_csv(warehouse.parent / "export.csv", dtype=str, keep_default_na=False)


def test_labels_and_names_read_like_the_headers(export_warehouse):
    """camelCase headers read as words; a unit only from a unit-like token; the user's capitals
    kept in labels and categories, whose spellings pool case-insensitively and show the most
    frequent one; rejection reasons name the feature and its header."""
    warehouse, frame = export_warehouse
    features = query(
        warehouse,
        "select feature_name, feature_label, feature_unit from intermediate.int_feature_scaling "
        "order by feature_position",
    )
    assert features.values.tolist() == [
        ["monthlycharges", "Monthly charges", ""],
        ["total_charges", "Total charges", ""],
        ["orders_12m", "Orders (12m)", ""],
        ["revenue_12m_eur", "Revenue (12m)", "EUR"],
        ["avg_discount", "Avg Discount", "%"],
        ["signup_date", "Days since signup date", "days"],
    ]
    rejected = query(warehouse, "select * from customer_rejections order by source_row_number")
    assert rejected["rejection_reason"].tolist() == [
        "missing total_charges (TotalCharges, a feature column)",
        "monthlycharges 'abc' is not a number",  # the header reads the same
        "signup_date (Signup Date) '03/04/2023' reads as day/month or as month/day, and no date "
        "of the column has a day above 12 to tell: set var order_date_format, e.g. %d/%m/%Y or "
        "%m/%d/%Y",
    ]
    expected = shown_categories(frame.drop(index=[3, 7, 11])["Country"])
    assert set(expected) == {"Spain", "France", "germany"}
    levels = query(
        warehouse,
        "select category, customer_count from intermediate.int_category_levels"
        " where feature_name = 'country'",
    )
    assert dict(levels.values) == expected
    segments = query(warehouse, "select country, segment_name from customer_segments")
    assert set(segments["country"]) == set(expected)
    # names read the labels: 'Low monthly charges', never 'monthlycharges'
    names = query(warehouse, "select segment_name from segment_centroids")["segment_name"]
    assert any("monthly charges" in name for name in names)
    assert not any("monthlycharges" in name or "totalcharges" in name for name in names)


def test_a_date_feature_is_clustered_as_the_days_to_the_as_of_date(export_warehouse):
    """`Signup Date` (dates and timestamps) named in var features: each customer's days from
    its signup to the day after the latest signup, in customer_segments and
    customer_feature_values; the date as read is kept in customer_rejections."""
    warehouse, frame = export_warehouse
    signups = pd.to_datetime(frame["Signup Date"], format="ISO8601", errors="coerce")
    assert signups.isna().tolist() == [i == 11 for i in range(len(frame))]
    as_of = signups.max().normalize() + pd.Timedelta(days=1)
    expected = dict(zip(frame["customerID"], (as_of - signups.dt.normalize()).dt.days, strict=True))
    segments = query(warehouse, "select customer_id, signup_date from customer_segments")
    assert len(segments) == len(frame) - 3
    assert {c: expected[c] for c in segments["customer_id"]} == dict(segments.values)
    values = query(
        warehouse,
        "select customer_id, feature_value from customer_feature_values"
        " where feature = 'signup_date'",
    )
    assert dict(values.values) == dict(segments.values)
    rejected = query(warehouse, "select raw_signup_date from customer_rejections")
    assert "03/04/2023" in rejected["raw_signup_date"].tolist()


def test_a_date_format_that_swaps_a_date_features_day_and_month_stops_the_build(tmp_path):
    """Day-first `Member Since` dates read with `order_date_format: %m/%d/%Y`: the build stops
    before anything is trained, as for order dates, with the counts and the format to set."""
    dates = [pd.Timestamp("2023-01-01") + pd.Timedelta(days=i * 11) for i in range(40)]
    frame = pd.DataFrame(
        {
            "Customer ID": [f"C{i:02d}" for i in range(40)],
            "Member Since": [f"{date:%d/%m/%Y}" for date in dates],
            "Spend (EUR)": [str(10 + i * 7 % 90) for i in range(40)],
        }
    )
    path = tmp_path / "members.csv"
    frame.to_csv(path, index=False)
    vars = {
        "customers_path": str(path),
        "features": ["member_since", "spend_eur"],
        "order_date_format": "%m/%d/%Y",
    }
    # the staged rows and the check only: no training (what warn_attribute_values_ignored, run
    # with the staged rows, reads of the columns is built too)
    select = "+int_customer_rows stg_customer_file_columns"
    result = run_dbt(
        tmp_path, vars, select=f"{select} assert_order_dates_are_read_in_one_day_month_order"
    )
    day_first = sum(date.day > 12 for date in dates)
    either_way = sum(date.day <= 12 and date.day != date.month for date in dates)
    assert result.returncode == 1
    assert (
        f"order_date_format '%m/%d/%Y' reads {40 - day_first} of the 40 member_since dates of "
        f"{path}, but {day_first} have a number above 12 where it expects the month"
    ) in result.stdout
    assert (
        f"so the {either_way} dates it reads whose day and month are both 12 or less may have "
        "them swapped. The dates look like %d/%m/%Y"
    ) in result.stdout
