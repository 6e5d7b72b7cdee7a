"""Segment ids that stay put across retrains.

The first training numbers segments by size (1 = largest). A retrain matches its centroids to
the previous run's (optimal one-to-one assignment on centroid distance, in the current z-space)
and keeps the matched ids; a new segment farther than `max_distance` from the old one it was
assigned to (or left without one when k grew) is a different segment and gets a new id, never
one used before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from segmentation.kmeans import feature_columns


def previous_centers_in_current_z(
    previous: pd.DataFrame | None, scaling: pd.DataFrame, features: list[str]
) -> np.ndarray | None:
    """The previous run's centroids (original units, one column per feature) as z-scores under
    this run's scaling (int_feature_scaling rows: feature_name, feature_mean, feature_stddev);
    None when there is no previous run or it clustered on other features."""
    if previous is None or previous["features"].iloc[0] != ",".join(features):
        return None
    by_feature = scaling.set_index("feature_name")
    return np.column_stack(
        [
            (previous[feature].to_numpy(dtype=float) - by_feature.loc[feature, "feature_mean"])
            / by_feature.loc[feature, "feature_stddev"]
            for feature in features
        ]
    )


def match_ids(
    centers: np.ndarray,
    previous_centers: np.ndarray,
    previous_ids: list[int],
    next_free_id: int,
    max_distance: float,
) -> list[int]:
    """An id for each new centroid (rows of `centers`, in size order): the matched previous
    centroid's id, else the next free id."""
    distances = np.linalg.norm(centers[:, None, :] - previous_centers[None, :, :], axis=2)
    rows, columns = linear_sum_assignment(distances)
    matched = {
        row: previous_ids[column]
        for row, column in zip(rows, columns, strict=True)
        if distances[row, column] <= max_distance
    }
    ids = []
    for row in range(len(centers)):
        if row not in matched:
            matched[row] = next_free_id
            next_free_id += 1
        ids.append(int(matched[row]))
    return ids


def number_segments(
    centroids: pd.DataFrame,
    previous_centers: np.ndarray | None,
    previous_ids: list[int],
    highest_id_used: int,
    max_distance: float,
) -> pd.DataFrame:
    """The new centroids (size order, z_* columns) with segment_id and is_new_segment.

    With the previous run's centroids (same features, current z units) matched segments keep
    their ids; otherwise (first run, other features, ids reset) segments are numbered 1..k.
    """
    numbered = centroids.copy()
    if previous_centers is None:
        ids = list(range(1, len(numbered) + 1))
    else:
        ids = match_ids(
            centroids[feature_columns(centroids)].to_numpy(),
            previous_centers,
            previous_ids,
            next_free_id=highest_id_used + 1,
            max_distance=max_distance,
        )
    numbered.insert(0, "segment_id", ids)
    numbered["is_new_segment"] = [segment_id not in set(previous_ids) for segment_id in ids]
    return numbered
