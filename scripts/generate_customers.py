"""Writes N synthetic customers to a CSV or Parquet file, for benchmarks at any scale.

The customers are drawn from the six personas of `generate_sample_customers.py` (the bundled
sample's generator) with a fixed seed, so the same N, format and seed give the same file on
every run. The header is the public Mall Customers one:
`CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)`; ids are the integers 1..N.
Rows are drawn and written in chunks of at most 1,000,000, so memory stays bounded at 10^8.

    python scripts/generate_customers.py 1000000 /tmp/customers_1e6.csv
    python scripts/generate_customers.py 100000000 /tmp/customers_1e8.parquet --format parquet
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

CHUNK_ROWS = 1_000_000
DEFAULT_SEED = 7
COLUMNS = ["CustomerID", "Gender", "Age", "Annual Income (k$)", "Spending Score (1-100)"]
SCHEMA = pa.schema(
    [
        ("CustomerID", pa.int64()),
        ("Gender", pa.string()),
        ("Age", pa.int64()),
        ("Annual Income (k$)", pa.int64()),
        ("Spending Score (1-100)", pa.int64()),
    ]
)


def load_personas() -> dict[str, tuple]:
    """The PERSONAS of scripts/generate_sample_customers.py (scripts/ is not a package)."""
    path = Path(__file__).resolve().parent / "generate_sample_customers.py"
    spec = importlib.util.spec_from_file_location("generate_sample_customers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PERSONAS


PERSONAS = load_personas()


def chunk_sizes(total: int, chunk_rows: int | None = None) -> list[int]:
    """Splits total rows into chunks of at most chunk_rows (default CHUNK_ROWS)."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    full, rest = divmod(total, chunk_rows)
    return [chunk_rows] * full + ([rest] if rest else [])


def draw_chunk(rng: np.random.Generator, first_id: int, size: int) -> pa.Table:
    """Draws `size` customers with ids first_id.., each from a persona picked by its share."""
    names = list(PERSONAS)
    shares = np.array([PERSONAS[name][0] for name in names], dtype=float)
    persona = rng.choice(len(names), size=size, p=shares / shares.sum())
    age = np.empty(size, dtype=np.int64)
    income = np.empty(size, dtype=np.int64)
    score = np.empty(size, dtype=np.int64)
    female = np.empty(size, dtype=bool)
    for index, name in enumerate(names):
        _, ages, incomes, scores, share_female = PERSONAS[name]
        rows = np.flatnonzero(persona == index)
        count = rows.size
        age[rows] = rng.integers(ages[0], ages[1] + 1, size=count)
        income[rows] = rng.integers(incomes[0], incomes[1] + 1, size=count)
        score[rows] = rng.integers(scores[0], scores[1] + 1, size=count)
        female[rows] = rng.random(count) < share_female
    gender = np.where(female, "Female", "Male")
    ids = np.arange(first_id, first_id + size, dtype=np.int64)
    return pa.Table.from_arrays(
        [pa.array(ids), pa.array(gender), pa.array(age), pa.array(income), pa.array(score)],
        schema=SCHEMA,
    )


def write_customers(
    count: int, output: Path, file_format: str = "csv", seed: int = DEFAULT_SEED
) -> None:
    """Writes `count` customers to `output` as CSV or Parquet, chunk by chunk."""
    if count < 1:
        raise ValueError("the number of customers must be at least 1")
    output.parent.mkdir(parents=True, exist_ok=True)
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"unknown format {file_format!r}: use csv or parquet")
    rng = np.random.default_rng(seed)
    if file_format == "parquet":
        with pq.ParquetWriter(str(output), SCHEMA, compression="zstd") as writer:
            write_chunks(writer, rng, count)
        return
    with output.open("wb") as handle:
        # The header unquoted, as in the public file; pyarrow would quote it.
        handle.write((",".join(COLUMNS) + "\n").encode())
        options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
        with pa_csv.CSVWriter(handle, SCHEMA, write_options=options) as writer:
            write_chunks(writer, rng, count)


def write_chunks(writer, rng: np.random.Generator, count: int) -> None:
    """Draws and writes the customers 1..count, at most CHUNK_ROWS at a time."""
    first_id = 1
    for size in chunk_sizes(count):
        writer.write_table(draw_chunk(rng, first_id, size))
        first_id += size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of customers (N)")
    parser.add_argument("output", type=Path, help="file to write")
    parser.add_argument("--format", choices=["csv", "parquet"], default=None)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    file_format = args.format or ("parquet" if args.output.suffix == ".parquet" else "csv")
    write_customers(args.count, args.output, file_format, args.seed)
    print(f"wrote {args.count} synthetic customers to {args.output} ({file_format})")


if __name__ == "__main__":
    main()
