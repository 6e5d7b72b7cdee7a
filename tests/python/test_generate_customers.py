"""scripts/generate_customers.py: the synthetic customer files of the benchmarks (no dbt)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import load_script

HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)"


generator = load_script("generate_customers")


def test_same_seed_writes_the_same_file(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    generator.write_customers(2_500, first, "csv", seed=7)
    generator.write_customers(2_500, second, "csv", seed=7)
    assert first.read_bytes() == second.read_bytes()
    generator.write_customers(2_500, second, "csv", seed=8)
    assert first.read_bytes() != second.read_bytes()


def test_csv_has_the_mall_customers_header_ids_and_persona_ranges(tmp_path):
    path = tmp_path / "customers.csv"
    generator.write_customers(5_000, path, "csv")
    assert path.read_text().splitlines()[0] == HEADER
    customers = pd.read_csv(path)
    assert customers["CustomerID"].tolist() == list(range(1, 5_001))
    assert set(customers["Gender"]) == {"Female", "Male"}
    personas = generator.PERSONAS.values()
    for column, position in [("Age", 1), ("Annual Income (k$)", 2), ("Spending Score (1-100)", 3)]:
        low = min(persona[position][0] for persona in personas)
        high = max(persona[position][1] for persona in personas)
        assert customers[column].between(low, high).all()


def test_chunks_cover_every_row_once(tmp_path, monkeypatch):
    assert generator.chunk_sizes(2_500_000) == [1_000_000, 1_000_000, 500_000]
    assert generator.chunk_sizes(1_000_000) == [1_000_000]
    monkeypatch.setattr(generator, "CHUNK_ROWS", 300)
    path = tmp_path / "customers.parquet"
    generator.write_customers(1_000, path, "parquet")
    customers = pd.read_parquet(path)
    assert list(customers.columns) == HEADER.split(",")
    assert customers["CustomerID"].tolist() == list(range(1, 1_001))


def test_personas_come_from_the_sample_generator():
    sample = load_script("generate_sample_customers")
    assert generator.PERSONAS == sample.PERSONAS


def test_rejects_an_empty_file_or_unknown_format(tmp_path):
    with pytest.raises(ValueError):
        generator.write_customers(0, tmp_path / "x.csv")
    with pytest.raises(ValueError):
        generator.write_customers(10, tmp_path / "x.json", "json")
