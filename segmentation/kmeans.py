"""The k search and the final K-means model.

search_k fits every k (on Linux in forked processes, one per core), scores each (inertia,
Calinski-Harabasz, Davies-Bouldin, bootstrap stability, silhouette on a bounded sample, the
elbow) and chooses k. fit_segments takes the chosen k's fit, or one started from the previous
training's centroids unless the search's is clearly better, and orders its segments by size;
segmentation.segment_ids gives them their ids. Every function takes plain arrays or frames
and knows no dbt, so it is tested alone.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import sys
import warnings
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import adjusted_rand_score, calinski_harabasz_score, davies_bouldin_score
from threadpoolctl import threadpool_limits

from segmentation.feature_space import FeatureSpace
from segmentation.k_rule import K_RULE, KRule

# scikit-learn's K-means runs one OpenMP thread per core by default. On 2-3 feature columns
# the threads cost more than they save, and they slow down badly when the machine is busy
# (BENCHMARKS.md); the fits run on one thread.
KMEANS_THREADS = 1

# A long build says which k it is on (model_io.progress sends these lines to the console).
log = logging.getLogger("segmentation")


class SegmentationError(ValueError):
    """A problem with the data or settings that the user can fix; the message says how."""


@dataclass(frozen=True)
class SearchSettings:
    k_min: int
    k_max: int
    forced_k: int | None
    random_state: int
    silhouette_sample_size: int
    # a k whose smallest segment holds less of the training customers is passed over
    min_segment_share: float = 0.0

    @classmethod
    def from_settings_row(cls, row: pd.Series) -> SearchSettings:
        """From the one row of int_segmentation_settings (k is null when chosen by search)."""
        return cls(
            k_min=int(row["k_min"]),
            k_max=int(row["k_max"]),
            forced_k=None if pd.isna(row["k"]) else int(row["k"]),
            random_state=int(row["random_state"]),
            silhouette_sample_size=int(row["silhouette_sample_size"]),
            min_segment_share=float(row["min_segment_share"]),
        )


def feature_matrix(features: pd.DataFrame, space: FeatureSpace | None = None) -> np.ndarray:
    """The customers as points of the feature space, rows sorted by their values.

    K-means' result depends on the order of its input rows; sorting by the values themselves
    makes the fit independent of the file's row order and of how ids are spelled.
    """
    space = space or FeatureSpace.from_tables(features, None)
    ordered = features.sort_values([*space.sort_columns, "customer_id"], kind="stable")
    matrix = space.matrix(ordered)
    if not np.isfinite(matrix).all():
        constant = [name for name in space.numeric if not np.isfinite(ordered[f"z_{name}"]).all()]
        raise SegmentationError(
            f"Feature(s) {', '.join(constant)} have the same value for every valid customer, "
            "so they cannot separate segments. Remove them from var 'features'."
        )
    return matrix


def fit_kmeans(matrix: np.ndarray, k: int, random_state: int) -> KMeans:
    """K-means with k-means++ starts, the k rule's restarts and a fixed seed: same data, same
    fit."""
    return KMeans(
        n_clusters=k, init="k-means++", n_init=K_RULE.restarts, random_state=random_state
    ).fit(matrix)


def k_values_to_try(customer_count: int, settings: SearchSettings) -> list[int]:
    """k_min..k_max (plus a forced k), limited to what the number of customers allows."""
    wanted = set(range(settings.k_min, settings.k_max + 1))
    if settings.forced_k is not None:
        wanted.add(settings.forced_k)
    # Silhouette and friends need at least two segments and fewer segments than customers.
    largest = customer_count - 1
    needed = settings.forced_k if settings.forced_k is not None else settings.k_min
    if needed > largest:
        raise SegmentationError(
            f"Only {customer_count} valid customer(s) to segment, too few for k = {needed}. "
            "Fix the rejected rows (see customer_rejections) or lower var 'k' / 'k_min'."
        )
    return sorted(k for k in wanted if k <= largest)


def evaluation_sample(matrix: np.ndarray, settings: SearchSettings) -> np.ndarray:
    """Row indices of the bounded, fixed-seed sample silhouette and stability are measured on."""
    if len(matrix) <= settings.silhouette_sample_size:
        return np.arange(len(matrix))
    rng = np.random.default_rng(settings.random_state)
    return np.sort(rng.choice(len(matrix), settings.silhouette_sample_size, replace=False))


def bootstrap_stability(matrix: np.ndarray, labels: np.ndarray, k: int, random_state: int) -> float:
    """Mean adjusted Rand index between the fit's labels and those of fits on resamples.

    Each resample draws len(matrix) rows with replacement; its model labels every row, and
    the agreement with the full fit is measured. 1 means the segments come back every time.
    """
    rng = np.random.default_rng(random_state)
    scores = []
    for _ in range(K_RULE.stability_resamples):
        resample = matrix[rng.integers(0, len(matrix), len(matrix))]
        with warnings.catch_warnings():
            # a resample of very few customers can hold fewer distinct points than k
            warnings.filterwarnings("ignore", category=ConvergenceWarning)
            model = KMeans(
                n_clusters=k,
                init="k-means++",
                n_init=K_RULE.stability_restarts,
                random_state=random_state,
            ).fit(resample)
        scores.append(adjusted_rand_score(labels, model.predict(matrix)))
    return float(np.mean(scores))


# Rows of the pairwise-distance matrix computed at a time by mean_silhouettes (memory: this
# many rows x the sample size x 8 bytes); more rows were no faster and made the silhouettes
# the build's peak memory on large files (BENCHMARKS.md).
DISTANCE_CHUNK_ROWS = 250


def mean_silhouettes(points: np.ndarray, labelings: Sequence[np.ndarray]) -> list[float]:
    """The mean silhouette of each labeling of the same points, as sklearn's silhouette_score.

    The pairwise distances are the expensive part and do not depend on the labels, so they are
    computed once, in chunks of rows, for all labelings (k) together: each point's summed
    distance to every cluster of every labeling is one product of the distance chunk with the
    labelings' one-hot matrices side by side. A point alone in its cluster scores 0; a
    labeling with one cluster gives nan.
    """
    onehots = [np.eye(labels.max() + 1)[labels] for labels in labelings]
    side_by_side = np.hstack(onehots)
    summed = np.empty((len(points), side_by_side.shape[1]))
    squared_norms = np.einsum("ij,ij->i", points, points)
    for start in range(0, len(points), DISTANCE_CHUNK_ROWS):
        stop = start + DISTANCE_CHUNK_ROWS
        # |x - y|^2 = |x|^2 + |y|^2 - 2 x.y, as scikit-learn computes Euclidean distances
        distances = points[start:stop] @ points.T
        distances *= -2
        distances += squared_norms[start:stop, None]
        distances += squared_norms[None, :]
        np.maximum(distances, 0, out=distances)
        np.sqrt(distances, out=distances)
        summed[start:stop] = distances @ side_by_side
    scores, offset = [], 0
    for labels, onehot in zip(labelings, onehots, strict=True):
        k = onehot.shape[1]
        scores.append(silhouette_from_sums(labels, onehot, summed[:, offset : offset + k]))
        offset += k
    return scores


def silhouette_from_sums(labels: np.ndarray, onehot: np.ndarray, summed: np.ndarray) -> float:
    """The mean silhouette from each point's summed distance to every cluster (n x k)."""
    sizes = onehot.sum(axis=0)
    if np.count_nonzero(sizes) < 2:
        return float("nan")
    rows = np.arange(len(labels))
    own_size = sizes[labels]
    # the mean distance to the other points of its own cluster, and to the nearest other one
    within = summed[rows, labels] / np.maximum(own_size - 1, 1)
    others = np.where(onehot.astype(bool) | (sizes == 0), np.inf, summed / np.maximum(sizes, 1))
    nearest_other = others.min(axis=1)
    silhouette = (nearest_other - within) / np.maximum(within, nearest_other)
    return float(np.mean(np.where(own_size > 1, silhouette, 0.0)))


def score_k(matrix: np.ndarray, sample: np.ndarray, model: KMeans, random_state: int) -> dict:
    """The metrics of the fit for k except silhouette: inertia, CH, DB, bootstrap stability, the
    share of the customers in its smallest segment, and the fitted centers (JSON), which the
    final model reuses instead of fitting k again."""
    k = model.n_clusters
    sizes = np.bincount(model.labels_, minlength=k)
    return {
        "k": k,
        "inertia": float(model.inertia_),
        "smallest_segment_share": float(sizes.min() / len(matrix)),
        "calinski_harabasz": float(calinski_harabasz_score(matrix, model.labels_)),
        "davies_bouldin": float(davies_bouldin_score(matrix, model.labels_)),
        "stability": bootstrap_stability(matrix[sample], model.labels_[sample], k, random_state),
        "silhouette_sample_size": len(sample),
        "cluster_centers": json.dumps(model.cluster_centers_.tolist()),
    }


def elbow_k(metrics: pd.DataFrame) -> int | None:
    """The knee of the inertia curve, or None when the curve has no clear knee."""
    if len(metrics) < 3:
        return None
    ordered = metrics.sort_values("k")
    return kneedle_knee(ordered["k"].to_numpy(float), ordered["inertia"].to_numpy(float))


def kneedle_knee(x: np.ndarray, y: np.ndarray, sensitivity: float = 1.0) -> int | None:
    """The knee of a convex, decreasing curve by the Kneedle method (Satopaa et al. 2011),
    as the kneed library finds it offline (KneeLocator(curve="convex",
    direction="decreasing")), without importing it: kneed brings scipy.signal, whose import
    slowed every build's start. tests/python/test_kmeans.py checks both agree.

    The curve is normalized to [0, 1] and flipped into a concave, increasing one; on its
    difference from the diagonal, the knee is the first local maximum after which the curve
    drops below that maximum less `sensitivity` times the mean step of x, before a local
    minimum comes.
    """
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    x_normalized = (x - x.min()) / np.ptp(x)
    y_normalized = (y - y.min()) / np.ptp(y)
    difference = (y_normalized.max() - y_normalized) - x_normalized
    before = np.r_[difference[0], difference[:-1]]
    after = np.r_[difference[1:], difference[-1]]
    maxima = np.flatnonzero((difference >= before) & (difference >= after))
    minima = np.flatnonzero((difference <= before) & (difference <= after))
    if maxima.size == 0:
        return None
    thresholds = difference[maxima] - sensitivity * np.abs(np.diff(x_normalized).mean())
    threshold, threshold_index, maxima_seen, detecting = 0.0, 0, 0, True
    for i in range(maxima[0], len(x) - 1):
        if i in maxima:
            threshold, threshold_index = thresholds[maxima_seen], i
            maxima_seen += 1
            detecting = True
        if i in minima:
            threshold = 0.0
            detecting = False
        if detecting and difference[i + 1] < threshold:
            return int(x[threshold_index])
    return None


def share_text(share: float) -> str:
    """A share as a percentage; under 0.1% reads '<0.1%', never '0.0%'."""
    return "<0.1%" if 0 < share < 0.001 else f"{share:.1%}"


def choose_k(
    metrics: pd.DataFrame,
    forced_k: int | None,
    rule: KRule = K_RULE,
    min_segment_share: float = 0.0,
) -> tuple[int, str]:
    """The k to use and one sentence on why (and one on the k passed over).

    The rule: var k when set; else, among the k whose smallest segment holds at least
    min_segment_share of the customers (all k when none does), the highest silhouette among
    the k whose stability is at least rule.stability_threshold; else, when no k is that
    stable, the highest silhouette overall. Ties go to the smaller k.
    """
    by_silhouette = metrics.sort_values(["silhouette", "k"], ascending=[False, True])
    best = by_silhouette.iloc[0]
    k_range = f"{int(metrics['k'].min())}..{int(metrics['k'].max())}"
    smallest = by_silhouette.get("smallest_segment_share", pd.Series(1.0, by_silhouette.index))
    too_small = smallest < min_segment_share
    under = f"under min_segment_share ({share_text(min_segment_share)} of the customers)"
    if forced_k is not None:
        forced = metrics.loc[metrics["k"] == forced_k].iloc[0]
        small = f" Its smallest segment holds {share_text(smallest[forced.name])}, {under}."
        return forced_k, (
            f"k = {forced_k} was set with var 'k' (silhouette {forced['silhouette']:.2f}, "
            f"stability {forced['stability']:.2f}); without it the rule would look at "
            f"k in {k_range}, where the highest silhouette is k = {int(best['k'])} "
            f"({best['silhouette']:.2f}).{small if too_small[forced.name] else ''}"
        )
    if too_small.all():
        k, reason = _rule_choice(by_silhouette, k_range, rule)
        return k, f"{reason} Every k gives a segment {under}, so none was passed over for it."
    k, reason = _rule_choice(by_silhouette[~too_small], k_range, rule)
    if not too_small.any():
        return k, reason
    passed_over = ", ".join(
        f"k = {int(row.k)} ({share_text(smallest[index])})"
        for index, row in by_silhouette[too_small].sort_values("k").iterrows()
    )
    return k, f"{reason} Passed over for a segment {under}: {passed_over}."


def _rule_choice(candidates: pd.DataFrame, k_range: str, rule: KRule) -> tuple[int, str]:
    """The rule on the candidate k (sorted by silhouette, best first)."""
    best = candidates.iloc[0]
    stable = candidates[candidates["stability"] >= rule.stability_threshold]
    if stable.empty:
        return int(best["k"]), (
            f"highest silhouette ({best['silhouette']:.2f}) among k in {k_range}; no k reached "
            f"stability {rule.stability_threshold} (best {candidates['stability'].max():.2f}), "
            "so treat these segments as tentative."
        )
    chosen = stable.iloc[0]
    return int(chosen["k"]), (
        f"highest silhouette ({chosen['silhouette']:.2f}) among k in {k_range} with stability "
        f"≥ {rule.stability_threshold} (its stability: {chosen['stability']:.2f})."
    )


# The k search fits the k side by side in processes forked from the dbt process (nothing is
# imported again), one per core, faster than in one process (BENCHMARKS.md). Fork is safe on
# Linux; elsewhere (macOS' system libraries do not survive a fork) the k are fitted one after
# another.
FORK_WORKERS = sys.platform.startswith("linux")


def search_k(
    features: pd.DataFrame, settings: SearchSettings, space: FeatureSpace | None = None
) -> pd.DataFrame:
    """One row per k tried with its metrics; exactly one row has is_chosen."""
    matrix = feature_matrix(features, space)
    sample = evaluation_sample(matrix, settings)
    ks = k_values_to_try(len(matrix), settings)
    for k in ks:
        log.info("k search: fitting k = %d on %d customers", k, len(matrix))
    fits = fit_every_k(matrix, sample, ks, settings.random_state)
    rows = [row for row, _ in fits]
    sample_labels = [labels for _, labels in fits]
    log.info("k search: silhouette of every k on %d customers", len(sample))
    metrics = pd.DataFrame(rows)
    metrics["silhouette"] = mean_silhouettes(matrix[sample], sample_labels)
    chosen_k, reason = choose_k(
        metrics, settings.forced_k, min_segment_share=settings.min_segment_share
    )
    metrics["is_chosen"] = metrics["k"] == chosen_k
    metrics["choice_reason"] = np.where(metrics["is_chosen"], reason, None)
    metrics["is_elbow"] = metrics["k"] == elbow_k(metrics)
    metrics["training_customer_count"] = len(matrix)
    return metrics


def fit_every_k(
    matrix: np.ndarray, sample: np.ndarray, ks: list[int], random_state: int
) -> list[tuple[dict, np.ndarray]]:
    """(score_k's row, the labels of the evaluation sample) of each k, in the order of ks.

    Each fit is seeded on its own, so the result is the same in one process or in several:
    the k are fitted in processes forked from this one, the largest first (they take longest),
    each on one thread (KMEANS_THREADS), as in one process.
    """
    if not FORK_WORKERS or len(ks) < 2 or (os.cpu_count() or 1) < 2:
        return [fit_and_score(matrix, sample, k, random_state) for k in ks]
    workers = min(os.cpu_count(), len(ks))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {
            k: pool.submit(fit_and_score, matrix, sample, k, random_state)
            for k in sorted(ks, reverse=True)
        }
        return [futures[k].result() for k in ks]


@threadpool_limits.wrap(limits=KMEANS_THREADS)
def fit_and_score(
    matrix: np.ndarray, sample: np.ndarray, k: int, random_state: int
) -> tuple[dict, np.ndarray]:
    model = fit_kmeans(matrix, k, random_state)
    return score_k(matrix, sample, model, random_state), model.labels_[sample]


def segment_order(centers: np.ndarray, sizes: Sequence[int]) -> list[int]:
    """K-means label numbers in segment-id order: largest first, ties by centroid position."""
    return sorted(range(len(sizes)), key=lambda label: (-sizes[label], tuple(centers[label])))


# A retrain keeps the warm-started model unless a fresh fit is better by more than this share
# of inertia: stable segments are worth a little compactness, not a lot.
WARM_START_TOLERANCE = 0.01


def inertia(matrix: np.ndarray, centers: np.ndarray) -> float:
    """Sum of squared distances from each point to its nearest center."""
    return float(squared_distances(matrix, centers).min(axis=1).sum())


def squared_distances(matrix: np.ndarray, centers: np.ndarray) -> np.ndarray:
    return ((matrix[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)


def final_centers(
    matrix: np.ndarray,
    searched_centers: np.ndarray,
    random_state: int,
    warm_start: np.ndarray | None = None,
) -> np.ndarray:
    """The final model's centers for k: the k search's fit of the chosen k. With the previous
    run's centroids (z units, k rows) K-means also starts from them, and that fit is kept
    unless the search's inertia is clearly lower, so small changes in the data do not
    reshuffle segments between equally good local optima. Either is run on to a fixed point
    of K-means (no label changes), so a rebuild of the same data, which starts from it, ends
    exactly where the previous build did: same centroids, same labels."""
    k = len(searched_centers)
    centers = searched_centers
    if warm_start is not None and warm_start.shape == searched_centers.shape:
        warm = KMeans(n_clusters=k, init=warm_start, n_init=1, random_state=random_state).fit(
            matrix
        )
        if warm.inertia_ <= inertia(matrix, searched_centers) * (1 + WARM_START_TOLERANCE):
            centers = warm.cluster_centers_
    # tol 0: stop only when no label changes (the search's fits stop at a small tolerance)
    return (
        KMeans(n_clusters=k, init=centers, n_init=1, tol=0, random_state=random_state)
        .fit(matrix)
        .cluster_centers_
    )


@threadpool_limits.wrap(limits=KMEANS_THREADS)
def fit_segments(
    features: pd.DataFrame,
    selection: pd.DataFrame,
    random_state: int,
    space: FeatureSpace | None = None,
    warm_start: np.ndarray | None = None,
) -> pd.DataFrame:
    """The chosen model's centroids (z units), one row per segment, largest first, with
    size_rank (1 = largest) and the training customers nearest to each (its size).

    `selection` is the k search's result: the chosen row's centers are the model (no second
    fit). Segment ids are given by segmentation.segment_ids, which keeps the ids of a previous
    run's matching segments.
    """
    space = space or FeatureSpace.from_tables(features, None)
    matrix = feature_matrix(features, space)
    chosen = selection.loc[selection["is_chosen"].astype(bool)].iloc[0]
    searched = np.array(json.loads(chosen["cluster_centers"]), dtype=float)
    log.info("final model: k = %d on %d customers", len(searched), len(matrix))
    centers = final_centers(matrix, searched, random_state, warm_start)
    labels = squared_distances(matrix, centers).argmin(axis=1)
    sizes = np.bincount(labels, minlength=len(centers))
    rows = []
    for size_rank, label in enumerate(segment_order(centers, sizes), start=1):
        rows.append(
            {
                "size_rank": size_rank,
                "training_customer_count": int(sizes[label]),
                **dict(zip(space.dimension_names, centers[label], strict=True)),
            }
        )
    return pd.DataFrame(rows)
