"""How close the build's sample-trained model is to K-means fitted on every customer.

Runs `dbt build` on a synthetic file of N customers (default 1,000,000; k fixed so both sides
have the same number of segments) into a temporary warehouse, then fits scikit-learn's K-means
with the same settings (k-means++, 30 restarts, random_state 42) on the z-scores of every
valid customer, and compares the two:

- silhouette of both labelings on the same 10,000 customers (fixed seed);
- segment sizes: the build's customer_segments against the full fit's labels, segments paired
  by their centroids (optimal assignment);
- centroid distance (z units), inertia over all customers, and the adjusted Rand index.

    python benchmarks/sample_vs_full.py --customers 1000000 --k 6 > sample_vs_full.md
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from segmentation.k_rule import K_RULE  # noqa: E402
from segmentation.kmeans import mean_silhouettes  # noqa: E402

GENERATOR = ROOT / "scripts" / "generate_customers.py"
DBT = Path(sys.executable).parent / "dbt"


def build(customers: Path, k: int, work: Path) -> tuple[Path, float]:
    """`dbt build` of customers into work/w.duckdb; returns the warehouse and seconds taken."""
    env = {**os.environ, "SEGMENTS_DB_PATH": str(work / "w.duckdb")}
    command = [
        str(DBT),
        "build",
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--vars",
        json.dumps({"customers_path": str(customers), "k": k}),
    ]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stdout[-4000:])
    return work / "w.duckdb", time.perf_counter() - started


def compare(warehouse: Path, k: int, random_state: int) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    z_columns = [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_name = 'int_customer_features' and column_name like 'z\\_%' escape '\\'"
        ).fetchall()
    ]
    columns = ", ".join(f"features.{column}" for column in z_columns)
    rows = con.execute(
        f"select {columns}, segments.segment_id from intermediate.int_customer_features "
        "as features join customer_segments as segments using (customer_id) "
        "order by features.source_row_number"
    ).fetchnumpy()
    points = np.column_stack([rows[column] for column in z_columns])
    build_labels = rows["segment_id"].astype(int)
    centroids = con.execute(
        f"select segment_id, {', '.join(z_columns)} from intermediate.int_trained_centroids "
        "order by segment_id"
    ).fetchnumpy()
    build_ids = centroids["segment_id"].astype(int)
    build_centers = np.column_stack([centroids[column] for column in z_columns])
    training_count = con.execute(
        "select count(*) from intermediate.int_training_customers"
    ).fetchone()[0]

    started = time.perf_counter()
    full = KMeans(n_clusters=k, n_init=K_RULE.restarts, random_state=random_state).fit(points)
    full_seconds = time.perf_counter() - started

    # pair each build segment with the full fit's cluster whose centroid is nearest overall
    cost = np.linalg.norm(build_centers[:, None, :] - full.cluster_centers_[None, :, :], axis=2)
    build_rows, full_rows = linear_sum_assignment(cost)
    full_label_of = dict(zip(build_ids[build_rows], full_rows, strict=True))

    rng = np.random.default_rng(random_state)
    evaluation = np.sort(rng.choice(len(points), min(10_000, len(points)), replace=False))
    build_index = np.searchsorted(build_ids, build_labels)
    silhouettes = mean_silhouettes(
        points[evaluation], [build_index[evaluation], full.labels_[evaluation]]
    )
    inertia_build = float(((points - build_centers[build_index]) ** 2).sum())
    paired_labels = np.array([full_label_of[label] for label in build_labels])

    lines = [
        f"N = {len(points):,} valid customers, k = {k}; the build trained on {training_count:,} "
        f"(var training_sample_size); the full fit (`KMeans(n_clusters={k}, "
        f"n_init={K_RULE.restarts}, random_state={random_state})` on every customer) took "
        f"{full_seconds:.1f} s.",
        "",
        "| measure | build (sample-trained, scored in SQL) | full-data fit |",
        "|---|---:|---:|",
        f"| silhouette (same {len(evaluation):,} customers) | {silhouettes[0]:.4f} "
        f"| {silhouettes[1]:.4f} |",
        f"| inertia over all customers | {inertia_build:,.0f} | {full.inertia_:,.0f} |",
        "",
        f"Agreement of the two labelings (adjusted Rand index): "
        f"{adjusted_rand_score(build_labels, full.labels_):.4f}; "
        f"customers labelled differently: "
        f"{np.mean(paired_labels != full.labels_):.2%}.",
        "",
        "| build segment | customers (build) | customers (full fit) | share difference "
        "| centroid distance (z) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for build_row, full_row in sorted(zip(build_rows, full_rows, strict=True)):
        segment = build_ids[build_row]
        build_count = int((build_labels == segment).sum())
        full_count = int((full.labels_ == full_row).sum())
        lines.append(
            f"| {segment} | {build_count:,} | {full_count:,} "
            f"| {(build_count - full_count) / len(points):+.3%} | {cost[build_row, full_row]:.4f} |"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--k", type=int, default=6)
    parser.add_argument("--random-state", type=int, default=42)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "segbench")
    args = parser.parse_args(argv)
    path = args.data_dir / f"customers_{args.customers}.csv"
    if not path.exists():
        args.data_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(GENERATOR), str(args.customers), str(path)], check=True)
    with tempfile.TemporaryDirectory(prefix="sample-vs-full-") as tmp:
        warehouse, seconds = build(path, args.k, Path(tmp))
        print(f"`dbt build` with k = {args.k}: {seconds:.1f} s.\n")
        print("\n".join(compare(warehouse, args.k, args.random_state)))


if __name__ == "__main__":
    main()
