"""The space K-means works in: standardized numeric features and weighted one-hot categories.

The numeric features arrive standardized from SQL (columns z_<feature>). Each categorical
feature arrives as its category (column <feature>_category) with, in int_category_levels, the
share of every category and the feature's weight: its one-hot columns are centred on the shares
and multiplied by the weight, so that together they carry the variance of one numeric feature.
A dimension of the space is (feature, None) for a numeric feature, (feature, category) for a
category; its name, as centroids are stored, is "feature" or "feature=category".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class CategoricalFeature:
    name: str
    categories: tuple[str, ...]  # in category_rank order
    shares: tuple[float, ...]
    weight: float


@dataclass(frozen=True)
class FeatureSpace:
    numeric: tuple[str, ...]
    categorical: tuple[CategoricalFeature, ...] = ()

    @classmethod
    def from_tables(cls, customers: pd.DataFrame, levels: pd.DataFrame | None) -> FeatureSpace:
        """The numeric features of a feature frame (its z_ columns) and the categorical ones of
        int_category_levels (feature_name, feature_position, category, category_rank,
        category_share, feature_weight)."""
        numeric = tuple(column.removeprefix("z_") for column in numeric_columns(customers))
        categorical = []
        if levels is not None and not levels.empty:
            ordered = levels.sort_values(["feature_position", "category_rank"])
            for name, rows in ordered.groupby("feature_name", sort=False):
                categorical.append(
                    CategoricalFeature(
                        name=str(name),
                        categories=tuple(rows["category"].astype(str)),
                        shares=tuple(rows["category_share"].astype(float)),
                        weight=float(rows["feature_weight"].iloc[0]),
                    )
                )
        return cls(numeric=numeric, categorical=tuple(categorical))

    @property
    def dimensions(self) -> list[tuple[str, str | None]]:
        """(feature, category) of each column of the matrix, in order."""
        return [(name, None) for name in self.numeric] + [
            (feature.name, category)
            for feature in self.categorical
            for category in feature.categories
        ]

    @property
    def dimension_names(self) -> list[str]:
        return [dimension_name(*dimension) for dimension in self.dimensions]

    @property
    def sort_columns(self) -> list[str]:
        """The frame's columns that hold the matrix, for a row order fixed by the values."""
        return [f"z_{name}" for name in self.numeric] + [
            f"{feature.name}_category" for feature in self.categorical
        ]

    def matrix(self, frame: pd.DataFrame) -> np.ndarray:
        """The frame's rows as points of the space (rows in the frame's order)."""
        blocks = [frame[[f"z_{name}" for name in self.numeric]].to_numpy(dtype=float)]
        for feature in self.categorical:
            values = frame[f"{feature.name}_category"].astype(str).to_numpy()
            onehot = values[:, None] == np.array(feature.categories)[None, :]
            blocks.append((onehot - np.array(feature.shares)[None, :]) * feature.weight)
        return np.hstack(blocks) if blocks else np.empty((len(frame), 0))

    def to_original_units(self, centers: np.ndarray, scaling: pd.DataFrame) -> list[dict]:
        """Each center (a row of z values) in original units, by dimension name: a numeric
        feature's value (back from ln(1 + value) for a log feature), a category's share of
        the segment. scaling: int_feature_scaling rows."""
        by_feature = scaling.set_index("feature_name")
        result = []
        for center in np.atleast_2d(centers):
            values = {}
            for (feature, category), z in zip(self.dimensions, center, strict=True):
                if category is None:
                    row = by_feature.loc[feature]
                    value = z * row["feature_stddev"] + row["feature_mean"]
                    if row["feature_transform"] == "log":
                        value = float(np.expm1(value))
                    values[feature] = float(value)
                else:
                    values[dimension_name(feature, category)] = float(
                        z / self._categorical(feature).weight + self._share(feature, category)
                    )
            result.append(values)
        return result

    def from_original_units(self, centers: list[dict], scaling: pd.DataFrame) -> np.ndarray | None:
        """Centers in original units (as to_original_units gives them) as z values of this
        space; None when a center lacks one of its dimensions (another feature set)."""
        by_feature = scaling.set_index("feature_name")
        rows = []
        for center in centers:
            row = []
            for feature, category in self.dimensions:
                value = center.get(dimension_name(feature, category))
                if value is None or pd.isna(value):
                    return None
                if category is None:
                    scale = by_feature.loc[feature]
                    if scale["feature_transform"] == "log":
                        value = float(np.log1p(value))
                    row.append((value - scale["feature_mean"]) / scale["feature_stddev"])
                else:
                    feature_def = self._categorical(feature)
                    row.append((value - self._share(feature, category)) * feature_def.weight)
            rows.append(row)
        return np.array(rows, dtype=float)

    def _categorical(self, name: str) -> CategoricalFeature:
        return next(feature for feature in self.categorical if feature.name == name)

    def _share(self, name: str, category: str) -> float:
        feature = self._categorical(name)
        return feature.shares[feature.categories.index(category)]


def dimension_name(feature: str, category: str | None) -> str:
    return feature if category is None else f"{feature}={category}"


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """The standardized numeric feature columns (z_<feature>) of a feature frame."""
    return [column for column in frame.columns if column.startswith("z_")]
