"""Customer files as people have them: header variants, encodings' quirks, bad rows."""

from __future__ import annotations

import duckdb
import pandas as pd
from conftest import build_warehouse, query, run_dbt, sample_customers, write_csv
from sklearn.metrics import adjusted_rand_score

# The bundled synthetic sample with the public Mall Customers file's header: what these tests
# vary, and what the build of the sample (sample_warehouse) is compared with.
CUSTOMERS = sample_customers()
LABELS_SQL = "select source_row_number, segment_id from customer_segments order by 1"


def messy_copy() -> str:
    """The customer file as copies in the wild have it, every quirk at once (numeric ids,
    zero-padded)."""
    lines = [
        '\ufeff"CustomerID" ,Genre, Age ,Annual Income (k$),Spending Score (1-100),Email,Store'
    ]
    for row in CUSTOMERS.itertuples(index=False):
        customer_id, gender, age, income, score = row
        number = int(customer_id.removeprefix("C"))
        lines.append(
            f'{number:05d},  {gender} ,"{age}", "{income}" ,{score} ,c{number}@example.com,North'
        )
    return "\r\n".join(lines) + "\r\n"


def test_messy_copy_loads_without_editing_and_gives_the_same_segments(sample_warehouse, tmp_path):
    path = write_csv(tmp_path / "customers messy.csv", messy_copy())
    warehouse = build_warehouse(tmp_path / "build", {"customers_path": str(path)})
    assert len(query(warehouse, "select * from customer_rejections")) == 0
    customers = query(warehouse, "select * from customer_segments order by source_row_number")
    assert customers["customer_id"].iloc[0] == "00001"  # text, zero padding kept
    assert set(customers["gender"]) == {"Male", "Female"}
    clean = query(sample_warehouse, LABELS_SQL)
    # Same partition of customers (ids are zero-padded, so the fit sees another id order).
    assert adjusted_rand_score(clean["segment_id"], customers["segment_id"]) == 1.0


def test_snake_case_parquet_copy_gives_the_same_labels(sample_warehouse, tmp_path):
    frame = CUSTOMERS.rename(
        columns={
            "CustomerID": "customer_id",
            "Gender": "gender",
            "Age": "age",
            "Annual Income (k$)": "annual_income_k",
            "Spending Score (1-100)": "spending_score_1_100",
        }
    )
    path = tmp_path / "customers.parquet"
    frame.to_parquet(path)
    warehouse = build_warehouse(tmp_path / "build", {"customers_path": str(path)})
    pd.testing.assert_frame_equal(query(sample_warehouse, LABELS_SQL), query(warehouse, LABELS_SQL))


def test_shuffled_rows_keep_every_customers_segment(sample_warehouse, tmp_path):
    path = tmp_path / "shuffled.csv"
    CUSTOMERS.sample(frac=1.0, random_state=7).to_csv(path, index=False)
    warehouse = build_warehouse(tmp_path / "build", {"customers_path": str(path)})
    sql = "select customer_id, segment_id, segment_name from customer_segments order by 1"
    pd.testing.assert_frame_equal(query(sample_warehouse, sql), query(warehouse, sql))


def test_a_table_already_in_the_warehouse_gives_the_same_labels(sample_warehouse, tmp_path):
    """var customers_table: the customers as a typed table of the warehouse, not a file."""
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        connection.execute("create schema crm")
        connection.register("sample", CUSTOMERS)
        connection.execute(
            'create table crm.customers as select "CustomerID" as customer_id, "Gender" as sex, '
            'cast("Age" as integer) as age, cast("Annual Income (k$)" as double) as income_k, '
            '"Spending Score (1-100)" as spending_score from sample'
        )
    result = run_dbt(tmp_path, {"customers_table": "crm.customers"})
    assert result.returncode == 0, result.stdout[-4000:]
    warehouse = tmp_path / "warehouse.duckdb"
    pd.testing.assert_frame_equal(query(sample_warehouse, LABELS_SQL), query(warehouse, LABELS_SQL))
    columns = query(
        warehouse, "select column_name, file_header from staging.stg_customer_file_columns"
    )
    assert dict(zip(columns["column_name"], columns["file_header"], strict=True))["gender"] == "sex"


def test_a_missing_table_is_named_with_the_fix(tmp_path):
    result = run_dbt(tmp_path, {"customers_table": "crm.no_such_table"})
    assert result.returncode != 0
    assert "customers_table 'crm.no_such_table' is not a table of the warehouse" in result.stdout


def test_column_map_maps_headers_no_alias_knows(tmp_path):
    frame = CUSTOMERS.rename(
        columns={
            "CustomerID": "Client Number",
            "Gender": "Sex",
            "Age": "Years Old",
            "Annual Income (k$)": "Income kUSD",
            "Spending Score (1-100)": "Loyalty Points",
        }
    )
    path = tmp_path / "crm.csv"
    frame.to_csv(path, index=False)
    column_map = {
        "customer_id": "Client Number",
        "age": "Years Old",
        "annual_income": "income kusd",  # matched without regard to case
        "spending_score": "Loyalty Points",
    }
    warehouse = build_warehouse(
        tmp_path / "build", {"customers_path": str(path), "column_map": column_map}
    )
    customers = query(warehouse, "select * from customer_segments")
    assert len(customers) == 200
    assert set(customers["gender"]) == {"Male", "Female"}  # 'Sex' is a known alias


def test_missing_required_column_stops_the_build_naming_it_and_the_fix(tmp_path):
    path = tmp_path / "no_score.csv"
    CUSTOMERS.drop(columns=["Spending Score (1-100)"]).to_csv(path, index=False)
    result = run_dbt(tmp_path, {"customers_path": str(path)})
    assert result.returncode != 0
    assert "has no column for 'spending_score'" in result.stdout
    assert "column_map" in result.stdout
    assert "Annual Income (k$)" in result.stdout  # lists the headers it found


def test_missing_file_is_named(tmp_path):
    result = run_dbt(tmp_path, {"customers_path": str(tmp_path / "nope.csv")})
    assert result.returncode != 0
    assert "matches no file" in result.stdout


def test_bad_rows_are_kept_with_a_reason_and_nothing_is_lost(tmp_path):
    rows = [
        "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)",
        *[f"{i},Female,{20 + i},{30 + i},{40 + i}" for i in range(1, 31)],
        ",Male,30,50,50",  # missing id
        "40,Male,abc,50,50",  # text in a numeric column
        "41,Male,30,NaN,50",  # NaN
        "42,Male,30,inf,50",  # inf
        "43,Male,30,50,150",  # out of range
        "44,Male,-5,50,50",  # negative age
        "45,Male,30.5,50,50",  # not a whole age
        "46,Male,30,,50",  # missing feature value
        "5,Female,25,35,45",  # exact duplicate of row 5
        "6,Male,60,90,10",  # conflicting duplicate of row 6
        "47,M,33,1e12,50",  # absurd magnitude
        "48,f,33,60,50",  # lower-case gender code: usable
        "49,,33,61,52",  # blank gender: usable, Unknown
        "50,Male,33,9000,50",  # a valid outlier: a segment of its own at every k
    ]
    path = write_csv(tmp_path / "dirty.csv", "\n".join(rows) + "\n")
    vars = {"customers_path": str(path), "min_segment_share": 0.05}
    warehouse = build_warehouse(tmp_path / "build", vars)
    segmented = query(warehouse, "select * from customer_segments")
    rejected = query(warehouse, "select * from customer_rejections order by source_row_number")
    assert len(segmented) + len(rejected) == len(rows) - 1
    reasons = dict(
        zip(
            rejected["raw_customer_id"].fillna("(blank)"), rejected["rejection_reason"], strict=True
        )
    )
    assert reasons["(blank)"] == "missing customer id"
    assert reasons["40"] == "age 'abc' is not a number"
    # NaN, as pandas and R write a missing number, is missing
    assert reasons["41"] == "missing annual_income (Annual Income (k$), a feature column)"
    assert reasons["42"] == "annual_income (Annual Income (k$)) 'inf' is not a number"
    assert reasons["43"] == "spending_score (Spending Score (1-100)) 150 is outside 0 to 100"
    assert reasons["44"] == "age -5 is outside 0 to 120"
    assert reasons["45"] == "age 30.5 is not a whole number"
    # the feature as var features names it, and the header it comes from
    assert reasons["46"] == "missing annual_income (Annual Income (k$), a feature column)"
    assert reasons["47"] == (
        "annual_income (Annual Income (k$)) 1e12 is outside 0 to 10000 k$, the built-in "
        "annual_income's range: for a column in other units, give it a name of your own "
        "(var column_map) and list that in var features"
    )
    assert "same values as row 5" in reasons["5"]
    assert "different values from row 6" in reasons["6"]
    genders = dict(zip(segmented["customer_id"], segmented["gender"], strict=True))
    assert genders["48"] == "Female"
    assert genders["49"] == "Unknown"
    # the outlier's segment of one (1 of the 33 valid customers, under 5%) is kept, with a
    # warning that says why and what to do
    (warning,) = query(
        warehouse, "select warning from dbt_test__audit.warn_segments_under_min_segment_share"
    )["warning"]
    outlier_segment = segmented.set_index("customer_id").loc["50", "segment_id"]
    assert warning.startswith(f"segment {outlier_segment} '")
    assert "holds 1 of the training customers (3.03%), under var min_segment_share (5.0%)" in (
        warning
    )
    assert warning.endswith(
        "from the mean on annual_income: outliers of a skewed feature? Cluster on its log "
        "(var feature_settings: {annual_income: {log: true}}) or give it a max"
    )
    # the same outlier skews annual_income (and only it): the build says how to log it
    (skewed,) = query(
        warehouse, "select warning from dbt_test__audit.warn_skewed_features_clustered_as_is"
    )["warning"]
    assert skewed.startswith("feature 'annual_income' is heavily right-skewed (skewness ")
    assert skewed.endswith("--vars '{feature_settings: {annual_income: {log: true}}}'")
    assert rejected.iloc[0]["source_row_number"] == 31  # the first bad row is data row 31
