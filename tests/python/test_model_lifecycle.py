"""Choosing k with evidence, segment ids that stay put, scoring without retraining, and who
moved between segments from one build to the next (with the drift alerts)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import build_warehouse, copy_warehouse, query, run_dbt, sample_customers

from segmentation.k_rule import K_RULE

# The bundled synthetic sample with the public Mall Customers file's header.
CUSTOMERS = sample_customers()
IDS_SQL = "select customer_id, segment_id from customer_segments order by customer_id"
DRIFT_TESTS = [
    "drift_segment_shares",
    "drift_segment_centroids",
    "drift_segments_appeared_or_vanished",
    "drift_customers_changing_segment",
]
MIGRATION_KEY = ["from_segment_id", "to_segment_id"]


def existing_only(after: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """The rows of `after` whose customers were already in `before`, indexed like `before`."""
    return after[after["customer_id"].isin(before["customer_id"])].reset_index(drop=True)


def centroids_in_z(warehouse) -> pd.DataFrame:
    """Each segment's centroid in z units, one column per feature, in segment id order."""
    centroids = query(
        warehouse,
        "select segment_id, feature, centroid_z from segment_feature_profiles "
        "where is_clustering_feature",
    )
    return centroids.pivot(index="segment_id", columns="feature", values="centroid_z").sort_index()


def new_customers(count: int, first_id: int = 1001) -> pd.DataFrame:
    """Customers who look like existing ones (a fixed-seed draw of rows, ages nudged by 1)."""
    drawn = CUSTOMERS.sample(count, random_state=11).copy()
    drawn["CustomerID"] = [f"N{number}" for number in range(first_id, first_id + count)]
    drawn["Age"] = drawn["Age"] + 1
    return drawn


def dbt_statuses(warehouse) -> dict[str, str]:
    """The status of each node of the last dbt command on the warehouse (run_results.json)."""
    results = json.loads((warehouse.parent / "target" / "run_results.json").read_text())
    return {result["unique_id"].split(".")[-1]: result["status"] for result in results["results"]}


def printed_alerts(output: str) -> list[tuple[str, str, str]]:
    """The drift alerts a build printed (macros/test_warnings.sql): (WARN or FAIL, test, the
    alert's sentence), in the order printed."""
    return re.findall(r"^\S+\s+(WARN|FAIL) (drift_\w+): (.*)$", output, flags=re.MULTILINE)


def expected_migrations(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """segment_migrations' counts computed in pandas from the two builds' customer_segments."""
    both = before.merge(after, on="customer_id", how="outer", suffixes=("_from", "_to"))
    both = both.rename(
        columns={"segment_id_from": "from_segment_id", "segment_id_to": "to_segment_id"}
    )
    counts = both.groupby(MIGRATION_KEY, dropna=False).size().rename("customer_count")
    return counts.reset_index().astype("Int64").sort_values(MIGRATION_KEY, ignore_index=True)


def migrations(warehouse) -> pd.DataFrame:
    rows = query(
        warehouse, "select from_segment_id, to_segment_id, customer_count from segment_migrations"
    )
    return rows.astype("Int64").sort_values(MIGRATION_KEY, ignore_index=True)


def write_sample_customers(directory: Path) -> dict:
    CUSTOMERS.to_csv(directory / "customers.csv", index=False)
    return {"customers_path": str(directory / "customers.csv")}


@pytest.fixture
def built_with_k6(shared_builds, tmp_path) -> Path:
    """The first build of the tests that build again: the sample as a customer file, k fixed
    at 6 (on the changed data the rule might pick another k, which is not the point here);
    built once, copied into tmp_path."""
    warehouse = shared_builds.get("sample_file_k6", {"k": 6}, write_sample_customers)
    return copy_warehouse(warehouse, tmp_path)


def test_every_k_has_every_metric_and_the_choice_follows_the_rule(mall_warehouse):
    selection = query(mall_warehouse, "select * from segment_model_selection order by k")
    assert selection["k"].tolist() == list(range(3, 11))  # k_min is 3 by default
    metrics = ["inertia", "silhouette", "calinski_harabasz", "davies_bouldin", "stability"]
    assert selection[metrics].notna().all().all()
    assert selection["stability"].between(-1, 1).all()
    assert selection["is_elbow"].sum() <= 1
    # The documented rule: highest silhouette among k with stability >= the threshold, whose
    # smallest segment holds at least min_segment_share (0.01) of the customers.
    stable = selection[
        (selection["stability"] >= K_RULE.stability_threshold)
        & (selection["smallest_segment_share"] >= 0.01)
    ]
    expected_k = int(stable.sort_values(["silhouette", "k"], ascending=[False, True])["k"].iloc[0])
    chosen = selection[selection["is_chosen"]].iloc[0]
    assert chosen["k"] == expected_k == 6
    assert chosen["choice_reason"] == (
        f"highest silhouette ({chosen['silhouette']:.2f}) among k in 3..10 with stability "
        f"≥ {K_RULE.stability_threshold} (its stability: {chosen['stability']:.2f})."
    )
    assert selection["choice_reason"].notna().sum() == 1


def test_each_customer_knows_its_second_nearest_segment_and_margin(sample_warehouse):
    customers = query(sample_warehouse, "select * from customer_segments")
    assert (customers["second_nearest_segment_id"] != customers["segment_id"]).all()
    assert (customers["distance_to_second_centroid"] >= customers["distance_to_centroid"]).all()
    margin = customers["distance_to_second_centroid"] - customers["distance_to_centroid"]
    np.testing.assert_allclose(customers["assignment_margin"], margin)
    # At the 95th percentile per segment, about 5% of customers are flagged.
    assert 0 < customers["is_outlier"].sum() <= 0.08 * len(customers)
    thresholds = customers.groupby("segment_id")["distance_to_centroid"].quantile(0.95)
    expected = customers["distance_to_centroid"] > customers["segment_id"].map(thresholds)
    assert (customers["is_outlier"] == expected).all()


def test_shuffled_file_with_new_customers_keeps_every_existing_id(built_with_k6, tmp_path):
    warehouse = built_with_k6
    before = query(warehouse, IDS_SQL)
    # The first build: every customer is new (from no segment), none changed.
    pd.testing.assert_frame_equal(migrations(warehouse), expected_migrations(before[:0], before))
    assert query(warehouse, "select * from customer_segment_changes").empty

    path = tmp_path / "customers.csv"
    grown = pd.concat([CUSTOMERS, new_customers(5)]).sample(frac=1.0, random_state=5)
    grown.to_csv(path, index=False)
    rebuild = run_dbt(tmp_path, {"customers_path": str(path), "k": 6}, artifacts=True)
    assert rebuild.returncode == 0, rebuild.stdout[-6000:]
    after = query(warehouse, IDS_SQL)
    assert len(after) == 205
    pd.testing.assert_frame_equal(before, existing_only(after, before))
    # The same customers again, reordered, and five new ones: nobody moved, the history grew by
    # the new customers alone, and no drift alert fired.
    pd.testing.assert_frame_equal(migrations(warehouse), expected_migrations(before, after))
    assert query(warehouse, "select * from customer_segment_changes").empty
    history = query(
        warehouse, "select count(*) as n from intermediate.int_customer_segment_history"
    )
    assert history["n"].iloc[0] == 205
    statuses = dbt_statuses(warehouse)
    assert [statuses[name] for name in DRIFT_TESTS] == ["pass"] * 4
    assert statuses["assert_segment_migrations_add_up"] == "pass"
    assert printed_alerts(rebuild.stdout) == []


def test_retrain_on_changed_data_keeps_ids_by_matching_and_keeps_history(built_with_k6, tmp_path):
    warehouse = built_with_k6
    first = query(warehouse, "select * from segment_centroids order by segment_id")
    first_z = centroids_in_z(warehouse)

    # A month later: 20 customers gone, 15 new, and everyone's spending score moved a little.
    path = tmp_path / "customers.csv"
    changed = pd.concat([CUSTOMERS.iloc[20:], new_customers(15)])
    rng = np.random.default_rng(3)
    changed["Spending Score (1-100)"] = np.clip(
        changed["Spending Score (1-100)"] + rng.integers(-3, 4, len(changed)), 1, 100
    )
    changed.to_csv(path, index=False)
    build_warehouse(tmp_path, {"customers_path": str(path), "k": 6})
    second = query(warehouse, "select * from segment_centroids order by segment_id")
    second_z = centroids_in_z(warehouse)

    assert second["segment_id"].tolist() == first["segment_id"].tolist()
    assert not second["is_new_segment"].any()
    # Each segment kept the id of the old segment it is nearest to (z units).
    distances = np.linalg.norm(
        second_z.to_numpy()[:, None, :] - first_z.to_numpy()[None, :, :], axis=2
    )
    nearest_old_ids = first["segment_id"].to_numpy()[distances.argmin(axis=1)]
    assert nearest_old_ids.tolist() == second["segment_id"].tolist()

    history = query(
        warehouse,
        "select trained_at, segment_id, customer_count from segment_centroid_history "
        "order by trained_at, segment_id",
    )
    assert history["trained_at"].nunique() == 2
    sizes = history.pivot(index="segment_id", columns="trained_at", values="customer_count")
    assert sizes.sum().tolist() == [200, 195]


def test_a_planted_shift_gives_its_migrations_and_every_drift_alert(sample_warehouse, tmp_path):
    """On the sample's build: 20 customers gone, 15 new, and 60 moved to where no segment was
    (old, rich, big spenders). The migrations are those of the two builds' customer_segments,
    and each drift test warns (the build passes), its rows naming the segment and the figures,
    and the build's output says each row in a WARN line (the rebuild of the shuffled-file test
    prints none)."""
    warehouse = copy_warehouse(sample_warehouse, tmp_path)
    before = query(warehouse, IDS_SQL)
    k = len(query(warehouse, "select segment_id from segment_centroids"))
    shifted = pd.concat([CUSTOMERS.iloc[20:], new_customers(15)]).reset_index(drop=True)
    shifted.loc[:59, ["Age", "Annual Income (k$)", "Spending Score (1-100)"]] = [70, 150, 95]
    path = tmp_path / "shifted.csv"
    shifted.to_csv(path, index=False)
    build = run_dbt(tmp_path, {"customers_path": str(path), "k": k}, artifacts=True)
    assert build.returncode == 0, build.stdout[-6000:]
    after = query(warehouse, IDS_SQL)

    expected = expected_migrations(before, after)
    pd.testing.assert_frame_equal(migrations(warehouse), expected)
    assert expected["customer_count"].sum() == 215  # 180 returning, 20 gone, 15 new
    both = before.merge(after, on="customer_id", suffixes=("_from", "_to"))
    moved = both[both["segment_id_from"] != both["segment_id_to"]]
    changes = query(warehouse, "select * from customer_segment_changes order by customer_id")
    assert changes["customer_id"].tolist() == sorted(moved["customer_id"])
    assert (changes["from_segmented_at"] < changes["to_segmented_at"]).all()
    # the history grew by what changed: the moved, the new and the gone customers
    history = query(
        warehouse,
        "select count(*) as n, count(distinct valid_from) as builds"
        " from intermediate.int_customer_segment_history",
    )
    assert history.values.tolist() == [[200 + len(moved) + 15 + 20, 2]]

    statuses = dbt_statuses(warehouse)
    assert [statuses[name] for name in DRIFT_TESTS] == ["warn"] * 4
    changed_share = query(
        warehouse, "select * from dbt_test__audit.drift_customers_changing_segment"
    )
    assert changed_share[["changed_count", "returning_count"]].values.tolist() == [
        [len(moved), 180]
    ]
    assert f"{len(moved)} of 180 returning customers" in changed_share["warning"].iloc[0]
    shares = query(warehouse, "select * from dbt_test__audit.drift_segment_shares")
    assert (shares["share_change"].abs() > 0.05).all()
    named = query(
        warehouse, "select warning from dbt_test__audit.drift_segments_appeared_or_vanished"
    )
    names = query(warehouse, "select segment_id, segment_name from segment_centroids")
    appeared = names[~names["segment_id"].isin(before["segment_id"])]
    assert not appeared.empty
    for segment_id, name in appeared.itertuples(index=False):
        assert f"segment {segment_id} ({name}) appeared" in " ".join(named["warning"])

    # dbt's output of the build: a WARN line per alert, each with the segment and the figures
    printed = printed_alerts(build.stdout)
    stored = [
        ("WARN", name, warning)
        for name in sorted(DRIFT_TESTS)
        for warning in sorted(
            query(warehouse, f"select warning from dbt_test__audit.{name}")["warning"]
        )
    ]
    assert printed == stored
    before_shares = before["segment_id"].value_counts(normalize=True)
    after_shares = after["segment_id"].value_counts(normalize=True)
    kept = names[names["segment_id"].isin(before["segment_id"])]
    assert [line for _, test, line in printed if test == "drift_segment_shares"] == sorted(
        f"segment {segment_id} ({name}) holds {100 * after_shares[segment_id]:.1f}% of the "
        f"customers, against {100 * before_shares[segment_id]:.1f}% at the previous training: "
        "more than var drift_max_share_change (0.05) apart"
        for segment_id, name in kept.itertuples(index=False)
        if abs(after_shares[segment_id] - before_shares[segment_id]) > 0.05
    )
    for segment_id, name in appeared.itertuples(index=False):
        line = (
            f"segment {segment_id} ({name}) appeared since the previous training, with "
            f"{100 * after_shares[segment_id]:.1f}% of the customers"
        )
        assert ("WARN", "drift_segments_appeared_or_vanished", line) in printed
    assert any(
        test == "drift_customers_changing_segment"
        and line.startswith(f"{len(moved)} of 180 returning customers")
        for _, test, line in printed
    )


def published_tables(warehouse) -> dict[str, pd.DataFrame]:
    """Every mart (schema main), the stored model that scoring without retraining reads and
    the customers' segment history, rows sorted."""
    names = query(
        warehouse,
        "select table_schema || '.' || table_name as name from information_schema.tables "
        "where table_schema = 'main' or table_name in ('int_feature_scaling', "
        "'int_category_levels', 'int_kmeans_centroids', 'int_kmeans_model_selection', "
        "'int_trained_centroids', 'int_model_inputs', 'int_customer_segment_history', "
        "'int_segmentation_runs') order by name",
    )["name"]
    return {name: query(warehouse, f"select * from {name} order by all") for name in names}


def test_scoring_only_run_keeps_labels_and_labels_new_customers(tmp_path):
    path = tmp_path / "customers.csv"
    CUSTOMERS.to_csv(path, index=False)
    warehouse = build_warehouse(tmp_path, {"customers_path": str(path)})
    before = query(warehouse, IDS_SQL)
    centroids_before = query(warehouse, "select * from segment_centroids order by segment_id")

    # A build that fails half-way changes no mart and no stored table: on a file with other
    # customers, one rejected, a categorical column blank everywhere stops it in
    # int_category_levels, after dbt has rebuilt customer_rejections and int_feature_scaling
    # (which do not depend on it).
    tables = published_tables(warehouse)
    blank_region = tmp_path / "blank_region.csv"
    failing = pd.concat([CUSTOMERS.iloc[20:], new_customers(1).assign(Age="abc")])
    failing.assign(Region="").to_csv(blank_region, index=False)
    failed = run_dbt(
        tmp_path, {"customers_path": str(blank_region), "categorical_features": ["region"]}
    )
    assert failed.returncode != 0 and "int_category_levels" in failed.stdout
    assert "as the last successful build left it" in failed.stdout
    after_failure = published_tables(warehouse)
    assert list(after_failure) == list(tables)
    for name, rows in tables.items():
        pd.testing.assert_frame_equal(after_failure[name], rows, obj=name)

    # Many new customers, all young big spenders: a retrain would move the model.
    newcomers = new_customers(60)
    newcomers["Age"], newcomers["Spending Score (1-100)"] = 22, 95
    pd.concat([CUSTOMERS, newcomers]).to_csv(path, index=False)
    build_warehouse(tmp_path, {"customers_path": str(path), "retrain": False})

    after = query(warehouse, IDS_SQL)
    assert len(after) == 260
    pd.testing.assert_frame_equal(before, existing_only(after, before))
    pd.testing.assert_frame_equal(
        centroids_before, query(warehouse, "select * from segment_centroids order by segment_id")
    )
    runs = query(warehouse, "select count(distinct run_id) as runs from segment_centroid_history")
    assert runs["runs"].iloc[0] == 1
    # The incremental models' writes leave no table behind beside the marts.
    stray = query(
        warehouse,
        "select table_name from information_schema.tables where table_name like '%dbt_tmp%'",
    )
    assert stray.empty, stray


def test_scoring_only_without_a_trained_model_says_what_to_do(tmp_path):
    result = run_dbt(tmp_path, {"retrain": False})
    assert result.returncode != 0
    assert "has no trained model" in result.stdout
    assert "retrain true" in result.stdout
