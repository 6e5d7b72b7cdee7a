"""The notebook way: what a data scientist would do by hand, as the benchmark's baseline.

pandas reads the whole file, StandardScaler scales age, income and spending score, one
K-means with k = 6 (10 restarts, random_state 42) is fitted on every customer, and the labels
are written to Parquet. No k selection, no validation, no profiles: the minimal job.

    python benchmarks/notebook_way.py customers.csv labels.parquet
"""

from __future__ import annotations

import sys

import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

FEATURES = ["Age", "Annual Income (k$)", "Spending Score (1-100)"]


def main(source: str, output: str) -> None:
    customers = pd.read_csv(source)
    scaled = StandardScaler().fit_transform(customers[FEATURES])
    labels = KMeans(n_clusters=6, n_init=10, random_state=42).fit_predict(scaled)
    pd.DataFrame({"CustomerID": customers["CustomerID"], "segment": labels}).to_parquet(output)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
