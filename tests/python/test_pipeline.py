"""`dbt build` end to end: the marts a user gets from the sample and from the Mall file."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from conftest import (
    DEFAULT_FEATURE_CENTROIDS,
    MARTS,
    build_warehouse,
    copy_warehouse,
    query,
    run_dbt,
)
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler


def test_sample_build_fills_every_mart(sample_warehouse):
    counts = {table: len(query(sample_warehouse, f"select * from {table}")) for table in MARTS}
    assert counts["customer_segments"] == 200
    assert counts["customer_rejections"] == 0
    assert counts["segment_model_selection"] == 8  # k = 3..10 (k_min 3 by default)
    chosen_k = query(sample_warehouse, "select k from segment_model_selection where is_chosen")
    assert len(chosen_k) == 1
    k = int(chosen_k["k"].iloc[0])
    assert counts["segment_profiles"] == counts["segment_centroids"] == k
    assert counts["segment_recommendations"] == counts["segment_centroid_history"] == k
    # a first build: every customer is new, one migration per segment (from none), no change
    assert counts["segment_migrations"] == k and counts["customer_segment_changes"] == 0
    # long forms: 3 features per segment; 2 genders; 3 values and a gender per customer
    assert counts["segment_feature_profiles"] == 3 * k
    assert counts["segment_category_profiles"] == 2 * k
    assert counts["customer_feature_values"] == 200 * 4


def test_profiles_add_up_to_all_customers(sample_warehouse):
    totals = query(
        sample_warehouse,
        "select sum(customer_count) as customers, sum(customer_share) as share "
        "from segment_profiles",
    )
    assert totals["customers"].iloc[0] == 200
    assert totals["share"].iloc[0] == pytest.approx(1.0)


def test_every_customer_is_labelled_with_its_nearest_centroid(sample_warehouse):
    # Recompute the distance to every centroid from the stored scaling and centroids.
    distances = query(
        sample_warehouse,
        f"""
        with scaling as (
            select
                max(feature_mean) filter (feature_name = 'age') as age_mean,
                max(feature_stddev) filter (feature_name = 'age') as age_sd,
                max(feature_mean) filter (feature_name = 'annual_income') as income_mean,
                max(feature_stddev) filter (feature_name = 'annual_income') as income_sd,
                max(feature_mean) filter (feature_name = 'spending_score') as score_mean,
                max(feature_stddev) filter (feature_name = 'spending_score') as score_sd,
            from intermediate.int_feature_scaling
        )
        select
            customers.customer_id,
            customers.segment_id as labelled,
            centroids.segment_id as candidate,
            sqrt(
                pow((customers.age - age_mean) / age_sd - centroids.z_age, 2)
                + pow((customers.annual_income - income_mean) / income_sd
                    - centroids.z_annual_income, 2)
                + pow((customers.spending_score - score_mean) / score_sd
                    - centroids.z_spending_score, 2)
            ) as distance,
        from customer_segments as customers, ({DEFAULT_FEATURE_CENTROIDS}) as centroids, scaling
        """,
    )
    nearest = distances.loc[distances.groupby("customer_id")["distance"].idxmin()]
    assert (nearest["labelled"] == nearest["candidate"]).all()


def mall_silhouettes(mall_customers, columns: list[str]) -> pd.Series:
    """Silhouette per k as a data scientist gets it from scikit-learn on the same file."""
    frame = pd.read_csv(mall_customers)
    matrix = StandardScaler().fit_transform(frame[columns])
    return pd.Series(
        {
            k: silhouette_score(matrix, KMeans(k, n_init=10, random_state=0).fit_predict(matrix))
            for k in range(2, 11)
        }
    )


def test_mall_file_loads_as_is_and_peaks_at_six_segments(mall_warehouse, mall_customers):
    assert len(query(mall_warehouse, "select * from customer_segments")) == 200
    assert len(query(mall_warehouse, "select * from customer_rejections")) == 0
    selection = query(mall_warehouse, "select * from segment_model_selection order by k")
    chosen = selection[selection["is_chosen"]]
    assert chosen["k"].tolist() == [6]
    assert chosen["silhouette"].iloc[0] == pytest.approx(0.43, abs=0.01)
    reference = mall_silhouettes(
        mall_customers, ["Age", "Annual Income (k$)", "Spending Score (1-100)"]
    )
    assert int(reference.idxmax()) == 6
    ours = selection.set_index("k")["silhouette"]
    assert (ours - reference).abs().max() < 0.02


def test_mall_income_and_spending_give_the_five_familiar_groups(
    mall_income_spending_warehouse, mall_customers
):
    warehouse = mall_income_spending_warehouse
    chosen = query(warehouse, "select k, silhouette from segment_model_selection where is_chosen")
    assert chosen["k"].tolist() == [5]
    assert chosen["silhouette"].iloc[0] == pytest.approx(0.55, abs=0.01)
    reference = mall_silhouettes(mall_customers, ["Annual Income (k$)", "Spending Score (1-100)"])
    assert int(reference.idxmax()) == 5
    profiles = query(
        warehouse, "select segment_name, customer_count from segment_profiles order by segment_id"
    )
    assert dict(zip(profiles["segment_name"], profiles["customer_count"], strict=True)) == {
        "Mid income · Mid spending": 81,
        "High income · High spending": 39,
        "High income · Low spending": 35,
        "Low income · Low spending": 23,
        "Low income · High spending": 22,
    }


def test_high_income_low_spending_group_gets_a_win_back_strategy(mall_income_spending_warehouse):
    play = query(
        mall_income_spending_warehouse,
        "select persona, strategy, playbook_match from segment_recommendations "
        "where segment_name = 'High income · Low spending'",
    )
    assert play["playbook_match"].tolist() == ["annual_income=High; spending_score=Low"]
    assert "savers" in play["persona"].iloc[0].lower()
    assert "share of wallet" in play["strategy"].iloc[0].lower()


def test_two_builds_of_the_same_file_give_identical_labels(sample_warehouse, tmp_path):
    again = build_warehouse(tmp_path)
    sql = "select customer_id, segment_id, distance_to_centroid from customer_segments order by 1"
    pd.testing.assert_frame_equal(query(sample_warehouse, sql), query(again, sql))
    # and the same profiles, to the last digit (exact sums)
    sql = "select * from segment_feature_profiles order by segment_id, feature"
    pd.testing.assert_frame_equal(query(sample_warehouse, sql), query(again, sql))


def test_var_k_forces_the_number_of_segments(tmp_path):
    warehouse = build_warehouse(tmp_path, {"k": 4})
    chosen = query(
        warehouse, "select k, choice_reason from segment_model_selection where is_chosen"
    )
    assert chosen["k"].tolist() == [4]
    assert "var 'k'" in chosen["choice_reason"].iloc[0]
    assert query(warehouse, "select count(*) as n from segment_profiles")["n"].iloc[0] == 4


def test_docs_generate_works_before_the_first_build(tmp_path):
    # `dbt docs generate` compiles every model; on a new warehouse the sample seed is not
    # loaded yet, so nothing may need to describe it
    result = run_dbt(tmp_path, command="docs generate")
    assert result.returncode == 0, result.stdout[-3000:]
    assert (tmp_path / "target" / "catalog.json").exists()


@pytest.mark.parametrize(
    "tampering",
    [
        None,
        # a row lost
        "delete from customer_segments where source_row_number = 7",
        # a row counted twice and another lost: the count, first and last numbers still match
        "update customer_segments set source_row_number = 8 where source_row_number = 9",
    ],
    ids=["untouched", "row lost", "row twice, another lost"],
)
def test_accounting_test_catches_lost_and_doubled_rows(sample_warehouse, tmp_path, tampering):
    # The singular test that every input row is segmented or rejected exactly once, run on a
    # copy of a built warehouse that has been tampered with.
    copy_warehouse(sample_warehouse, tmp_path)
    if tampering:
        with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
            connection.execute(tampering)
    result = run_dbt(
        tmp_path, command="test", select="assert_every_input_row_is_segmented_or_rejected"
    )
    assert (result.returncode == 0) == (tampering is None), result.stdout[-3000:]


def test_dbt_unit_tests_pass(sample_warehouse, tmp_path):
    """The dbt unit tests (models/**/_*__unit_tests.yml), run once here rather than in every
    build of the suite (run_dbt leaves them out of `dbt build`), with a user's vars: each
    unit test pins the vars it needs (overrides: vars), so no var of a build fails one."""
    copy_warehouse(sample_warehouse, tmp_path)
    users_vars = {
        "feature_settings": {"age": {"label": "Years", "max": 60}, "annual_income": {"log": True}},
        "k": 5,
        "outlier_percentile": 0.5,
        "max_categories": 3,
        "min_category_share": 0.3,
        "retrain": False,
        "column_map": {"gender": "Gender"},
    }
    result = run_dbt(tmp_path, users_vars, command="test", select="test_type:unit")
    assert result.returncode == 0, result.stdout[-4000:]
    assert "22 unit tests" in result.stdout
