"""The fitting functions the dbt Python models call, on small arrays."""

from __future__ import annotations

import json
from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import silhouette_score

from segmentation.feature_space import FeatureSpace
from segmentation.k_rule import K_RULE
from segmentation.kmeans import (
    SearchSettings,
    SegmentationError,
    choose_k,
    fit_segments,
    kneedle_knee,
    mean_silhouettes,
    search_k,
    segment_order,
)
from segmentation.segment_ids import centroids_in_long_form, match_ids, number_segments

SETTINGS = SearchSettings(
    k_min=2, k_max=5, forced_k=None, random_state=0, silhouette_sample_size=500
)


def three_blobs(sizes=(60, 40, 20), seed=1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    centers = [(-4.0, 0.0), (4.0, 0.0), (0.0, 6.0)]
    points = np.vstack(
        [
            rng.normal(center, 0.5, size=(size, 2))
            for center, size in zip(centers, sizes, strict=True)
        ]
    )
    return pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(len(points))],
            "z_a": points[:, 0],
            "z_b": points[:, 1],
        }
    )


def test_search_finds_three_blobs_and_marks_one_choice():
    selection = search_k(three_blobs(), SETTINGS)
    assert selection["k"].tolist() == [2, 3, 4, 5]
    assert selection["is_chosen"].sum() == 1
    chosen = selection[selection["is_chosen"]].iloc[0]
    assert chosen["k"] == 3
    assert chosen["choice_reason"].startswith("highest silhouette")
    assert selection["choice_reason"].isna().sum() == 3


def test_forced_k_wins_and_the_reason_says_so():
    settings = SearchSettings(2, 5, forced_k=4, random_state=0, silhouette_sample_size=500)
    selection = search_k(three_blobs(), settings)
    chosen = selection[selection["is_chosen"]].iloc[0]
    assert chosen["k"] == 4
    assert "var 'k'" in chosen["choice_reason"] and "k = 3" in chosen["choice_reason"]


def final_centroids(customers: pd.DataFrame, k: int, random_state: int = 0, **kwargs):
    """The k search forced to k, then the final model from it (as the two dbt models do)."""
    settings = SearchSettings(
        k, k, forced_k=k, random_state=random_state, silhouette_sample_size=500
    )
    selection = search_k(customers, settings, kwargs.get("space"))
    return fit_segments(customers, selection, random_state, **kwargs)


def test_segments_are_ranked_largest_first():
    centroids = final_centroids(three_blobs(sizes=(20, 60, 40)), 3)
    assert centroids["size_rank"].tolist() == [1, 2, 3]
    assert centroids["training_customer_count"].tolist() == [60, 40, 20]
    assert centroids.loc[0, "a"] == pytest.approx(4.0, abs=0.3)


def test_the_final_model_is_the_searched_fit_of_the_chosen_k():
    customers = three_blobs()
    selection = search_k(customers, SETTINGS)
    chosen = selection[selection["is_chosen"]].iloc[0]
    centroids = fit_segments(customers, selection, random_state=0)
    searched = np.array(json.loads(chosen["cluster_centers"]))
    assert len(centroids) == chosen["k"]
    got = np.sort(centroids[["a", "b"]].to_numpy(), axis=0)
    np.testing.assert_allclose(got, np.sort(searched, axis=0))


def test_row_order_and_ids_do_not_change_the_fit():
    customers = three_blobs()
    shuffled = customers.sample(frac=1.0, random_state=3)
    shuffled["customer_id"] = shuffled["customer_id"].str.replace("c", "id-00")
    pd.testing.assert_frame_equal(final_centroids(customers, 3), final_centroids(shuffled, 3))


def test_equal_sizes_are_ordered_by_centroid():
    centers = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 5.0]])
    assert segment_order(centers, [10, 10, 30]) == [2, 1, 0]


def test_too_few_customers_for_k_min_says_what_to_do():
    with pytest.raises(SegmentationError, match="too few for k = 2"):
        search_k(three_blobs(sizes=(1, 1, 0)).head(2), SETTINGS)


def test_constant_feature_is_named():
    customers = three_blobs()
    customers["z_b"] = np.nan  # what SQL gives for a zero standard deviation
    with pytest.raises(SegmentationError, match="b have the same value"):
        search_k(customers, SETTINGS)


def test_choose_k_prefers_the_smaller_k_on_equal_silhouette():
    metrics = pd.DataFrame(
        {"k": [2, 3, 4], "silhouette": [0.5, 0.5, 0.4], "stability": [0.9, 0.9, 0.9]}
    )
    assert choose_k(metrics, None)[0] == 2


def test_choose_k_skips_unstable_k_and_says_why():
    threshold = K_RULE.stability_threshold
    stabilities = [threshold + 0.01, threshold - 0.01, threshold]
    metrics = pd.DataFrame(
        {"k": [2, 3, 4], "silhouette": [0.4, 0.6, 0.5], "stability": stabilities}
    )
    k, reason = choose_k(metrics, None)
    assert k == 4
    assert reason == (
        f"highest silhouette (0.50) among k in 2..4 with stability ≥ {threshold} "
        f"(its stability: {threshold:.2f})."
    )


def test_choose_k_without_any_stable_k_falls_back_and_warns():
    threshold = K_RULE.stability_threshold
    metrics = pd.DataFrame(
        {"k": [2, 3], "silhouette": [0.4, 0.6], "stability": [threshold - 0.2, threshold - 0.1]}
    )
    k, reason = choose_k(metrics, None)
    assert k == 3
    assert f"no k reached stability {threshold}" in reason and "tentative" in reason


def test_choose_k_holds_the_k_to_the_threshold_of_the_rule_it_is_given():
    metrics = pd.DataFrame({"k": [2, 3], "silhouette": [0.4, 0.6], "stability": [0.95, 0.85]})
    assert choose_k(metrics, None, replace(K_RULE, stability_threshold=0.9))[0] == 2
    assert choose_k(metrics, None, replace(K_RULE, stability_threshold=0.85))[0] == 3


def test_stability_is_high_for_clear_blobs_and_reported_per_k():
    selection = search_k(three_blobs(), SETTINGS)
    assert selection.loc[selection["k"] == 3, "stability"].iloc[0] > 0.95


def test_warm_start_keeps_the_previous_optimum_and_ids_follow_it():
    customers = three_blobs()
    first = final_centroids(customers, 3)
    previous_centers = first[["a", "b"]].to_numpy()
    again = final_centroids(customers, 3, random_state=1, warm_start=previous_centers)
    np.testing.assert_allclose(again[["a", "b"]].to_numpy(), previous_centers, atol=1e-9)
    numbered = number_segments(again, ["a", "b"], previous_centers, [4, 2, 9], 9, 1.0)
    assert numbered["segment_id"].tolist() == [4, 2, 9]
    assert not numbered["is_new_segment"].any()


def with_tiers(customers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """three_blobs with a categorical feature (column tier_category) and its levels."""
    customers = customers.assign(
        tier_category=[
            "gold" if b > 3 else ("silver" if a > 0 else "bronze")
            for a, b in zip(customers["z_a"], customers["z_b"], strict=True)
        ]
    )
    shares = customers["tier_category"].value_counts(normalize=True)
    levels = pd.DataFrame(
        {
            "feature_name": "tier",
            "feature_position": 3,
            "category": shares.index,
            "category_rank": range(1, len(shares) + 1),
            "category_share": shares.to_numpy(),
            "feature_weight": 0.5 / np.sqrt(1 - (shares**2).sum()),
        }
    )
    return customers, levels


def test_categories_are_one_hot_columns_centred_and_weighted():
    customers, levels = with_tiers(three_blobs())
    space = FeatureSpace.from_tables(customers, levels)
    assert space.dimension_names == ["a", "b", "tier=bronze", "tier=gold", "tier=silver"][:2] + [
        f"tier={category}" for category in levels["category"]
    ]
    matrix = space.matrix(customers)
    onehot = matrix[:, 2:]
    np.testing.assert_allclose(onehot.mean(axis=0), 0, atol=1e-12)  # centred on the shares
    # the columns of one categorical feature carry the variance categorical_weight^2 = 0.25
    assert onehot.var(axis=0).sum() == pytest.approx(0.25)


def test_centroids_go_to_original_units_and_back():
    customers, levels = with_tiers(three_blobs())
    space = FeatureSpace.from_tables(customers, levels)
    scaling = pd.DataFrame(
        {
            "feature_name": ["a", "b"],
            "feature_mean": [10.0, 100.0],
            "feature_stddev": [2.0, 50.0],
            "feature_transform": ["none", "log"],
        }
    )
    centroids = final_centroids(customers, 3, space=space)
    numbered = number_segments(centroids, space.dimension_names, None, [], 0, 1.0)
    long = centroids_in_long_form(numbered, space, scaling)
    assert len(long) == 3 * len(space.dimension_names)
    shares = long[long["category"].notna()].groupby("segment_id")["original_value"].sum()
    np.testing.assert_allclose(shares, 1.0)  # a segment's category shares add up to 1
    centers = [json.loads(text) for text in long.drop_duplicates("segment_id")["centroid"]]
    back = space.from_original_units(centers, scaling)
    np.testing.assert_allclose(back, numbered[space.dimension_names].to_numpy(), atol=1e-9)


def test_numeric_only_centroids_store_category_as_text_for_a_later_categorical_training():
    """The warehouse types int_kmeans_centroids from its first training: one on numbers only
    (category all null) must still store category as text, or a later training that adds
    categorical features cannot append its rows."""
    customers, levels = with_tiers(three_blobs())
    space = FeatureSpace.from_tables(customers.drop(columns="tier_category"), levels.iloc[:0])
    scaling = pd.DataFrame(
        {
            "feature_name": ["a", "b"],
            "feature_mean": [0.0, 0.0],
            "feature_stddev": [1.0, 1.0],
            "feature_transform": ["none", "none"],
        }
    )
    centroids = final_centroids(customers, 3, space=space)
    numbered = number_segments(centroids, space.dimension_names, None, [], 0, 1.0)
    long = centroids_in_long_form(numbered, space, scaling)
    assert long["category"].isna().all()
    typed = duckdb.connect().execute("select typeof(category) as t from long limit 1").fetchone()
    assert typed == ("VARCHAR",)


def test_matching_keeps_ids_and_gives_unmatched_segments_new_ones():
    previous_centers = np.array([[0.0, 0.0], [5.0, 5.0]])
    centers = np.array([[5.1, 4.9], [0.1, 0.0], [-6.0, 3.0]])  # size order; the third is new
    assert match_ids(centers, previous_centers, [7, 3], next_free_id=9, max_distance=1.0) == [
        3,
        7,
        9,
    ]


def test_segment_that_moved_too_far_gets_a_new_id():
    previous_centers = np.array([[0.0, 0.0], [5.0, 5.0]])
    centers = np.array([[0.2, 0.0], [8.0, 5.0]])
    assert match_ids(centers, previous_centers, [1, 2], next_free_id=3, max_distance=1.0) == [1, 3]


def test_silhouettes_of_all_k_at_once_equal_scikit_learns():
    """One pass over the pairwise distances for every labeling gives sklearn's numbers, with
    singleton clusters scoring 0, labels that skip a number, and more rows than one chunk."""
    rng = np.random.default_rng(3)
    points = rng.normal(size=(2500, 3))
    labelings = [
        rng.integers(0, 2, len(points)),
        rng.integers(0, 7, len(points)),
        np.r_[0, np.full(len(points) - 1, 2)],  # a singleton, and label 1 unused
    ]
    expected = [silhouette_score(points, labels) for labels in labelings]
    assert mean_silhouettes(points, labelings) == pytest.approx(expected, abs=1e-9)
    assert np.isnan(mean_silhouettes(points, [np.zeros(len(points), dtype=int)])[0])


def test_the_elbow_is_where_the_kneed_library_finds_it():
    """kneedle_knee is kneed's KneeLocator (convex, decreasing, offline) without its scipy
    import: the same knee, or none, on random elbow-shaped and noisy curves."""
    from kneed import KneeLocator

    rng = np.random.default_rng(0)
    for _ in range(2000):
        k = np.arange(2, 2 + rng.integers(3, 14)).astype(float)
        y = 1000 * rng.uniform(0.5, 3) * np.exp(-rng.uniform(0.05, 1.5) * (k - 2))
        y += rng.uniform(0, 500) * (k.max() - k) / len(k) + rng.normal(0, 60, len(k))
        if rng.random() < 0.7:
            y = np.sort(y)[::-1]
        expected = KneeLocator(k, y, curve="convex", direction="decreasing").knee
        assert kneedle_knee(k, y) == (None if expected is None else int(expected)), (k, y)


def test_choose_k_passes_over_a_k_with_a_tiny_segment_and_says_so():
    metrics = pd.DataFrame(
        {
            "k": [3, 4, 5],
            "silhouette": [0.5, 0.7, 0.6],
            "stability": [0.9, 0.9, 0.9],
            "smallest_segment_share": [0.2, 0.0004, 0.008],
        }
    )
    assert choose_k(metrics, None)[0] == 4  # unconstrained, the tiny segment would win
    k, reason = choose_k(metrics, None, min_segment_share=0.01)
    assert k == 3
    assert reason.endswith(
        " Passed over for a segment under min_segment_share (1.0% of the customers): "
        "k = 4 (<0.1%), k = 5 (0.8%)."
    )
    # every k with a tiny segment: none is passed over, and the reason says so
    k, reason = choose_k(metrics.iloc[1:], None, min_segment_share=0.01)
    assert k == 4 and reason.endswith("so none was passed over for it.")
    # a fixed k wins, and its tiny segment is named
    k, reason = choose_k(metrics, 4, min_segment_share=0.01)
    assert k == 4 and reason.startswith("k = 4 was set with var 'k'")
    assert reason.endswith(
        "Its smallest segment holds <0.1%, under min_segment_share (1.0% of the customers)."
    )


def test_the_search_passes_over_a_k_that_isolates_a_few_extreme_customers():
    customers = three_blobs(sizes=(150, 100, 50))
    extreme = pd.DataFrame({"customer_id": ["x1", "x2"], "z_a": [12.0, 12.2], "z_b": [0.0, -0.1]})
    customers = pd.concat([customers, extreme], ignore_index=True)
    settings = replace(SETTINGS, k_min=3, k_max=5, min_segment_share=0.01)
    selection = search_k(customers, settings).set_index("k")
    # k = 4 gives the two extreme customers a segment of their own (2 of 302), and the rule
    # alone would take it: the highest silhouette, stable
    assert selection.loc[4, "smallest_segment_share"] == pytest.approx(2 / 302)
    assert selection["silhouette"].idxmax() == 4
    assert selection.loc[4, "stability"] >= K_RULE.stability_threshold
    assert selection["is_chosen"].tolist() == [True, False, False]
    assert selection.loc[3, "choice_reason"].endswith(
        "Passed over for a segment under min_segment_share (1.0% of the customers): "
        "k = 4 (0.7%), k = 5 (0.7%)."
    )
