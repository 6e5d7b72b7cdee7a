"""Writes seeds/sample_customers.csv: the bundled, synthetic sample of 200 customers.

The customers are drawn from six personas (fixed seed, so the file is the same on every run),
so the demo segments mean something. None of them is a real person. Run from the repository
root: `python scripts/generate_sample_customers.py`.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 20261126
OUTPUT = Path(__file__).resolve().parent.parent / "seeds" / "sample_customers.csv"

# name: (share of customers, age range, income range in k$, spending score range, share female)
PERSONAS = {
    "young trend-seekers": (0.17, (18, 30), (18, 42), (60, 97), 0.60),
    "affluent big spenders": (0.17, (27, 42), (72, 135), (72, 97), 0.55),
    "affluent savers": (0.17, (35, 62), (72, 135), (4, 35), 0.45),
    "steady mainstream": (0.22, (26, 58), (42, 70), (38, 62), 0.55),
    "thrifty seniors": (0.14, (55, 72), (30, 60), (30, 55), 0.50),
    "budget-constrained": (0.13, (30, 65), (15, 38), (5, 38), 0.50),
}
CUSTOMER_COUNT = 200


def draw_customers(rng: np.random.Generator) -> list[dict[str, object]]:
    """Draws CUSTOMER_COUNT customers, persona by persona, then shuffles them."""
    names = list(PERSONAS)
    shares = np.array([PERSONAS[name][0] for name in names])
    counts = np.floor(shares / shares.sum() * CUSTOMER_COUNT).astype(int)
    counts[0] += CUSTOMER_COUNT - counts.sum()
    customers = []
    for name, count in zip(names, counts, strict=True):
        _, ages, incomes, scores, share_female = PERSONAS[name]
        for _ in range(count):
            customers.append(
                {
                    "gender": "Female" if rng.random() < share_female else "Male",
                    "age": int(rng.integers(ages[0], ages[1] + 1)),
                    "annual_income_k": int(rng.integers(incomes[0], incomes[1] + 1)),
                    "spending_score_1_100": int(rng.integers(scores[0], scores[1] + 1)),
                }
            )
    order = rng.permutation(len(customers))
    return [
        {"customer_id": f"C{position + 1:04d}", **customers[index]}
        for position, index in enumerate(order)
    ]


def main() -> None:
    customers = draw_customers(np.random.default_rng(SEED))
    with OUTPUT.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(customers[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(customers)
    print(f"wrote {len(customers)} synthetic customers to {OUTPUT}")


if __name__ == "__main__":
    main()
