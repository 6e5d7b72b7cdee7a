"""The k rule's settings live in segmentation/k_rule.py alone: the docs name them and never
repeat their values, so changing one is one edit in one file and no doc can drift."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from conftest import PROJECT_ROOT

from segmentation.k_rule import KRule

# What users and dbt docs read. BENCHMARKS.md and benchmarks/results/ are left out: they record
# what was measured, with the settings of the time.
DOC_PATTERNS = [
    "*.md",
    "docs/**/*.md",
    "models/**/*.md",
    "models/**/*.yml",
    "python_models/**/*.yml",
    "seeds/**/*.yml",
]
MEASUREMENT_RECORDS = {"BENCHMARKS.md"}
# How a doc would restate each setting's value (a figure where the setting's name belongs).
RESTATEMENTS = {
    "restarts": r"\b\d+\s+restarts\b",
    "stability_resamples": r"\b\d+\s+(?:bootstrap\s+)?resamples\b",
    "stability_restarts": r"\b\d+\s+restarts\b",
    "stability_threshold": r"\bstability\b[^.]{0,25}?(?:at least|≥|>=|reache[sd])\s*\d[\d.]*",
}


def docs() -> list[Path]:
    found = {path for pattern in DOC_PATTERNS for path in PROJECT_ROOT.glob(pattern)}
    return sorted(path for path in found if path.name not in MEASUREMENT_RECORDS)


def test_every_setting_of_the_k_rule_is_guarded_in_the_docs():
    assert set(RESTATEMENTS) == {field.name for field in fields(KRule)}


def test_the_docs_name_the_k_rule_settings_instead_of_repeating_their_values():
    restated = [
        f"{path.relative_to(PROJECT_ROOT)}:{text[: match.start()].count(chr(10)) + 1}: "
        f"{match.group(0)!r} ({setting})"
        for path in docs()
        for text in [path.read_text()]
        for setting, pattern in RESTATEMENTS.items()
        for match in re.finditer(pattern, text)
    ]
    assert not restated, (
        "Name the setting of segmentation/k_rule.py instead of its value, so that changing it "
        f"stays one edit: {restated}"
    )


def test_the_docs_point_to_the_k_rule_and_name_only_its_settings():
    texts = {path: path.read_text() for path in docs()}
    assert any("segmentation/k_rule.py" in text for text in texts.values())
    named = {name for text in texts.values() for name in re.findall(r"\bstability_\w+", text)}
    assert named <= {field.name for field in fields(KRule)}, named
