"""Fitting K-means, scoring each k, choosing k, and numbering segments.

Every function takes plain arrays or frames, so it is tested without dbt; the dbt Python
models only fetch their inputs, call these, and return the frames.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

# Restarts per fit. With 10, k-means sometimes stops in a poorer local optimum whose silhouette
# happens to be higher (Mall data, k = 8: inertia 105.4, silhouette 0.432, against 103.8 and
# 0.409 with more restarts) and that misleads the choice of k; 30 finds the better optimum.
N_INIT = 30


class SegmentationError(ValueError):
    """A problem with the data or settings that the user can fix; the message says how."""


@dataclass(frozen=True)
class SearchSettings:
    k_min: int
    k_max: int
    forced_k: int | None
    random_state: int
    silhouette_sample_size: int

    @classmethod
    def from_settings_row(cls, row: pd.Series) -> SearchSettings:
        """From the one row of int_segmentation_settings (k is null when chosen by search)."""
        return cls(
            k_min=int(row["k_min"]),
            k_max=int(row["k_max"]),
            forced_k=None if pd.isna(row["k"]) else int(row["k"]),
            random_state=int(row["random_state"]),
            silhouette_sample_size=int(row["silhouette_sample_size"]),
        )


def feature_columns(features: pd.DataFrame) -> list[str]:
    """The standardized feature columns (z_<feature>) of a feature frame."""
    return [column for column in features.columns if column.startswith("z_")]


def feature_matrix(features: pd.DataFrame) -> np.ndarray:
    """The z_* columns as a float matrix, rows sorted by their values.

    K-means' result depends on the order of its input rows; sorting by the values themselves
    makes the fit independent of the file's row order and of how ids are spelled.
    """
    columns = feature_columns(features)
    ordered = features.sort_values([*columns, "customer_id"], kind="stable")
    matrix = ordered[columns].to_numpy(dtype=float)
    if not np.isfinite(matrix).all():
        constant = [c.removeprefix("z_") for c in columns if not np.isfinite(ordered[c]).all()]
        raise SegmentationError(
            f"Feature(s) {', '.join(constant)} have the same value for every valid customer, "
            "so they cannot separate segments. Remove them from var 'features'."
        )
    return matrix


def fit_kmeans(matrix: np.ndarray, k: int, random_state: int) -> KMeans:
    """K-means with k-means++ starts, N_INIT restarts and a fixed seed: same data, same fit."""
    return KMeans(n_clusters=k, init="k-means++", n_init=N_INIT, random_state=random_state).fit(
        matrix
    )


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


def score_k(matrix: np.ndarray, k: int, settings: SearchSettings) -> dict[str, float]:
    """Inertia, silhouette, Calinski-Harabasz and Davies-Bouldin of the k-means fit for k."""
    labels = fit_kmeans(matrix, k, settings.random_state)
    sample_size = min(len(matrix), settings.silhouette_sample_size)
    return {
        "k": k,
        "inertia": float(labels.inertia_),
        # Silhouette is quadratic in n: on a fixed-seed sample once the data is large.
        "silhouette": float(
            silhouette_score(
                matrix,
                labels.labels_,
                sample_size=sample_size if sample_size < len(matrix) else None,
                random_state=settings.random_state,
            )
        ),
        "calinski_harabasz": float(calinski_harabasz_score(matrix, labels.labels_)),
        "davies_bouldin": float(davies_bouldin_score(matrix, labels.labels_)),
        "silhouette_sample_size": sample_size,
    }


def choose_k(metrics: pd.DataFrame, forced_k: int | None) -> tuple[int, str]:
    """The k to use and one sentence on why: var k if set, else the highest silhouette."""
    best = metrics.sort_values(["silhouette", "k"], ascending=[False, True]).iloc[0]
    best_k, best_silhouette = int(best["k"]), best["silhouette"]
    k_range = f"{int(metrics['k'].min())}..{int(metrics['k'].max())}"
    if forced_k is not None:
        forced_silhouette = metrics.loc[metrics["k"] == forced_k, "silhouette"].iloc[0]
        return forced_k, (
            f"k = {forced_k} was set with var 'k' (silhouette {forced_silhouette:.2f}); "
            f"the highest silhouette in {k_range} is k = {best_k} ({best_silhouette:.2f})."
        )
    return best_k, f"highest silhouette ({best_silhouette:.2f}) among k in {k_range}."


def search_k(features: pd.DataFrame, settings: SearchSettings) -> pd.DataFrame:
    """One row per k tried with its metrics; exactly one row has is_chosen."""
    matrix = feature_matrix(features)
    metrics = pd.DataFrame(
        [score_k(matrix, k, settings) for k in k_values_to_try(len(matrix), settings)]
    )
    chosen_k, reason = choose_k(metrics, settings.forced_k)
    metrics["is_chosen"] = metrics["k"] == chosen_k
    metrics["choice_reason"] = np.where(metrics["is_chosen"], reason, None)
    metrics["training_customer_count"] = len(matrix)
    return metrics


def segment_order(centers: np.ndarray, sizes: Sequence[int]) -> list[int]:
    """K-means label numbers in segment-id order: largest first, ties by centroid position."""
    return sorted(range(len(sizes)), key=lambda label: (-sizes[label], tuple(centers[label])))


def fit_segments(features: pd.DataFrame, k: int, random_state: int) -> pd.DataFrame:
    """The chosen model's centroids (z units), one row per segment, numbered 1..k."""
    matrix = feature_matrix(features)
    model = fit_kmeans(matrix, k, random_state)
    sizes = np.bincount(model.labels_, minlength=k)
    columns = feature_columns(features)
    rows = []
    for segment_id, label in enumerate(segment_order(model.cluster_centers_, sizes), start=1):
        center = dict(zip(columns, model.cluster_centers_[label], strict=True))
        rows.append(
            {"segment_id": segment_id, "training_customer_count": int(sizes[label]), **center}
        )
    return pd.DataFrame(rows)
