"""Writes samples/crm_customers.csv: a bundled, synthetic CRM export with attributes of its own.

400 customers drawn from four planted groups (fixed seed, so the file is the same on every
run), with the columns a CRM export has: `Customer Number`, `Tenure (months)`,
`Visits per month`, `Avg basket (EUR)`, `Loyalty tier` and columns segmentation should not use
(`Email`, `Signup Channel`, `Notes`). No real person is in it. Run from the repository root:
`python scripts/generate_sample_crm.py`.

    ./run build --vars '{customers_path: samples/crm_customers.csv,
                         features: [tenure_months, visits_per_month, avg_basket_eur],
                         categorical_features: [loyalty_tier]}'
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 20261204
OUTPUT = Path(__file__).resolve().parent.parent / "samples" / "crm_customers.csv"
HEADER = [
    "Customer Number",
    "Tenure (months)",
    "Visits per month",
    "Avg basket (EUR)",
    "Loyalty tier",
    "Email",
    "Signup Channel",
    "Notes",
]

# name: (customers, tenure months, visits a month, basket EUR, tier weights: Bronze, Silver, Gold)
GROUPS = {
    "new browsers": (120, (1, 10), (0.5, 2.0), (15, 40), (0.85, 0.15, 0.0)),
    "steady regulars": (110, (24, 60), (4.0, 8.0), (35, 60), (0.2, 0.6, 0.2)),
    "premium loyalists": (80, (48, 120), (6.0, 12.0), (90, 160), (0.0, 0.2, 0.8)),
    "occasional big baskets": (90, (12, 48), (0.5, 2.0), (110, 200), (0.4, 0.4, 0.2)),
}
TIERS = ("Bronze", "Silver", "Gold")


def draw_customers(rng: np.random.Generator) -> list[dict[str, object]]:
    """Every customer with its planted group (the `group` key, not written to the file)."""
    customers = []
    for name, (count, tenure, visits, basket, tier_weights) in GROUPS.items():
        for _ in range(count):
            customers.append(
                {
                    "group": name,
                    "Tenure (months)": int(rng.integers(tenure[0], tenure[1] + 1)),
                    "Visits per month": round(float(rng.uniform(*visits)), 1),
                    "Avg basket (EUR)": round(float(rng.uniform(*basket)), 2),
                    # as CRMs export them: inconsistent case and stray spaces
                    "Loyalty tier": str(rng.choice(TIERS, p=tier_weights))
                    + str(rng.choice(["", " "], p=[0.9, 0.1])),
                    "Signup Channel": str(rng.choice(["web", "store", "app"])),
                }
            )
    order = rng.permutation(len(customers))
    shuffled = [customers[i] for i in order]
    for number, customer in enumerate(shuffled, start=1):
        customer["Customer Number"] = f"CRM-{number:05d}"
        customer["Email"] = f"customer{number}@example.com"
        customer["Notes"] = "" if number % 7 else "called back; prefers email"
        if number % 11 == 0:
            customer["Loyalty tier"] = str(customer["Loyalty tier"]).upper()
    return shuffled


def main() -> None:
    customers = draw_customers(np.random.default_rng(SEED))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=HEADER, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(customers)
    print(f"wrote {len(customers)} synthetic CRM customers to {OUTPUT}")


if __name__ == "__main__":
    main()
