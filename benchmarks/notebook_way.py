"""The notebook way: what a data scientist would do by hand, as the benchmark's baseline.

pandas reads the whole file, StandardScaler scales age, income and spending score, one
K-means with k = 6 (10 restarts, random_state 42) is fitted on every customer, and the labels
are written to Parquet. No k selection, no validation, no profiles: the minimal job.

With --elbow, first the elbow loop of the notebook the project grew from (the usual Mall
Customers analysis): K-means with k-means++ for every k in 1..10 on every customer, its inertia
kept to pick k by eye, then the final fit.

    python benchmarks/notebook_way.py customers.csv labels.parquet [--elbow]
"""

from __future__ import annotations

import sys

import pandas as pd
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

FEATURES = ["Age", "Annual Income (k$)", "Spending Score (1-100)"]


def main(source: str, output: str, elbow: bool = False) -> None:
    customers = pd.read_csv(source)
    scaled = StandardScaler().fit_transform(customers[FEATURES])
    if elbow:
        inertia = [
            KMeans(n_clusters=k, init="k-means++", random_state=42).fit(scaled).inertia_
            for k in range(1, 11)
        ]
        print("inertia by k:", [round(value) for value in inertia])
    labels = KMeans(n_clusters=6, n_init=10, random_state=42).fit_predict(scaled)
    pd.DataFrame({"CustomerID": customers["CustomerID"], "segment": labels}).to_parquet(output)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], elbow="--elbow" in sys.argv[3:])
