"""Writes samples/sample_orders.csv: a bundled, synthetic orders export for RFM segmentation.

300 customers drawn from six buying patterns (fixed seed, so the file is the same on every
run), one line per order: `Order ID,Customer ID,Order Date,Amount`, over the two years up to
2026-06-30. About 2% of the lines are returns (a negative amount, as shops export refunds),
which the build lists in order_rejections. No real person or shop is in it. Run from the
repository root: `python scripts/generate_sample_orders.py`.

    ./run build --vars '{orders_path: samples/sample_orders.csv,
                         features: [recency_days, frequency, monetary]}'
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

SEED = 20261203
OUTPUT = Path(__file__).resolve().parent.parent / "samples" / "sample_orders.csv"
LAST_DAY = date(2026, 6, 30)
HISTORY_DAYS = 730
RETURN_SHARE = 0.02

# name: (customers, days since the last order, orders, mean amount per order)
PATTERNS = {
    "champions": (40, (1, 30), (15, 30), (120, 220)),
    "loyal regulars": (60, (5, 60), (8, 16), (40, 80)),
    "new customers": (50, (1, 45), (1, 2), (30, 90)),
    "at risk": (45, (150, 300), (8, 18), (50, 110)),
    "hibernating": (65, (300, 700), (1, 3), (20, 50)),
    "lapsed big spenders": (40, (200, 450), (2, 5), (300, 600)),
}


def draw_orders(rng: np.random.Generator) -> list[tuple[str, str, str, str]]:
    """Every order line of every customer, sorted by date (as an export from a shop would be)."""
    lines = []
    customer_number = 0
    for customers, recency, orders, amount in PATTERNS.values():
        for _ in range(customers):
            customer_number += 1
            customer_id = f"K{customer_number:04d}"
            last = LAST_DAY - timedelta(days=int(rng.integers(recency[0], recency[1] + 1)))
            count = int(rng.integers(orders[0], orders[1] + 1))
            span = min(HISTORY_DAYS - (LAST_DAY - last).days, 60 + 40 * count)
            days_before = np.sort(rng.integers(0, max(span, 1), size=count - 1))
            mean_amount = rng.uniform(*amount)
            for offset in [0, *days_before.tolist()]:
                ordered = last - timedelta(days=int(offset))
                value = max(rng.normal(mean_amount, mean_amount / 4), 5.0)
                lines.append((ordered, customer_id, round(value, 2)))
    lines.sort(key=lambda line: (line[0], line[1]))
    rows = []
    for number, (ordered, customer_id, value) in enumerate(lines, start=1):
        rows.append((f"SO{number:06d}", customer_id, ordered.isoformat(), f"{value:.2f}"))
        if rng.random() < RETURN_SHARE:
            returned = ordered + timedelta(days=int(rng.integers(2, 20)))
            if returned <= LAST_DAY:
                rows.append(
                    (f"SO{number:06d}-R", customer_id, returned.isoformat(), f"{-value:.2f}")
                )
    return rows


def main() -> None:
    rows = draw_orders(np.random.default_rng(SEED))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["Order ID", "Customer ID", "Order Date", "Amount"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} synthetic order lines to {OUTPUT}")


if __name__ == "__main__":
    main()
