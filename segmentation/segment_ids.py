"""Segment ids that stay put across retrains.

The first training numbers segments by size (1 = largest). A retrain matches its centroids to
the previous run's (optimal one-to-one assignment on centroid distance, in the current z-space)
and keeps the matched ids; a new segment farther than `max_distance` from the old one it was
assigned to (or left without one when k grew) is a different segment and gets a new id, never
one used before.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from segmentation.feature_space import FeatureSpace


def previous_centers_in_current_z(
    previous: pd.DataFrame | None, scaling: pd.DataFrame, space: FeatureSpace, features: str
) -> np.ndarray | None:
    """The previous training's centroids (one row per segment with `features` and `centroid`,
    the centroid in original units by dimension, as JSON) as points of this run's space
    (int_feature_scaling rows give the current scaling); None when there is no previous
    training or it clustered on other features (`features`: this run's, comma-separated)."""
    if previous is None or previous["features"].iloc[0] != features:
        return None
    centers = [json.loads(text) for text in previous["centroid"]]
    return space.from_original_units(centers, scaling)


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
    dimensions: list[str],
    previous_centers: np.ndarray | None,
    previous_ids: list[int],
    highest_id_used: int,
    max_distance: float,
) -> pd.DataFrame:
    """The new centroids (size order, one column per dimension) with segment_id and
    is_new_segment.

    With the previous run's centroids (same features, current z units) matched segments keep
    their ids; otherwise (first run, other features, ids reset) segments are numbered 1..k.
    """
    numbered = centroids.copy()
    if previous_centers is None:
        ids = list(range(1, len(numbered) + 1))
    else:
        ids = match_ids(
            centroids[dimensions].to_numpy(dtype=float),
            previous_centers,
            previous_ids,
            next_free_id=highest_id_used + 1,
            max_distance=max_distance,
        )
    numbered.insert(0, "segment_id", ids)
    numbered["is_new_segment"] = [segment_id not in set(previous_ids) for segment_id in ids]
    return numbered


def centroids_in_long_form(
    numbered: pd.DataFrame, space: FeatureSpace, scaling: pd.DataFrame
) -> pd.DataFrame:
    """One row per segment and dimension of the space: feature, category (null for a numeric
    feature), z_value, the value in original units (a category: its share of the segment),
    and the whole centroid in original units as JSON (`centroid`, what the history keeps)."""
    rows = []
    originals = space.to_original_units(numbered[space.dimension_names].to_numpy(), scaling)
    for (_, segment), original in zip(numbered.iterrows(), originals, strict=True):
        for (feature, category), name in zip(space.dimensions, space.dimension_names, strict=True):
            rows.append(
                {
                    "segment_id": int(segment["segment_id"]),
                    "size_rank": int(segment["size_rank"]),
                    "training_customer_count": int(segment["training_customer_count"]),
                    "is_new_segment": bool(segment["is_new_segment"]),
                    "feature": feature,
                    "category": category,
                    "z_value": float(segment[name]),
                    "original_value": original[name],
                    "centroid": json.dumps(original, sort_keys=True),
                }
            )
    # text even when every feature is numeric (all null): the warehouse types the column from
    # the first training, and a later one may add categorical features
    return pd.DataFrame(rows).astype({"category": "string"})
