"""Segment names and the playbook as marketing reads them."""

from __future__ import annotations

import csv

from conftest import PROJECT_ROOT, build_warehouse, query

PLAYBOOK = list(csv.DictReader((PROJECT_ROOT / "seeds" / "segment_playbook.csv").open()))
DEFAULT_PLAY = next(row for row in PLAYBOOK if not row["levels"])


def conditions(levels: str) -> dict[str, str]:
    """'annual_income=High; spending_score=Low' as {feature: level}."""
    pairs = [condition.split("=") for condition in levels.replace(" ", "").split(";") if condition]
    return {feature: level for feature, level in pairs}


def test_every_segment_gets_the_most_specific_play_its_levels_allow(sample_warehouse):
    levels = query(
        sample_warehouse,
        "select segment_id, feature, feature_level from segment_feature_profiles "
        "where feature_level is not null",
    )
    plays = query(sample_warehouse, "select * from segment_recommendations order by segment_id")
    for play in plays.itertuples():
        segment = dict(
            levels[levels["segment_id"] == play.segment_id][["feature", "feature_level"]].values
        )
        matching = [
            row
            for row in PLAYBOOK
            if row["levels"] and conditions(row["levels"]).items() <= segment.items()
        ]
        best = max(matching, key=lambda row: (len(conditions(row["levels"])), -int(row["play_id"])))
        assert play.persona == best["persona"]
        assert play.playbook_match == best["levels"]


def test_segment_without_a_playbook_match_gets_the_default_play(tmp_path):
    # Age alone has no play: no play names it, and it measures no role (spend, frequency, ...).
    warehouse = build_warehouse(tmp_path, {"features": ["age"], "k": 3})
    plays = query(warehouse, "select * from segment_recommendations order by segment_id")
    assert len(plays) == 3
    assert set(plays["playbook_match"]) == {"default"}
    assert set(plays["persona"]) == {DEFAULT_PLAY["persona"]}
    assert set(plays["strategy"]) == {DEFAULT_PLAY["strategy"]}
    # Names use only what was clustered on: the age band.
    for name in plays["segment_name"]:
        assert "income" not in name and "spending" not in name and name[-1] in "s+0"


def test_a_files_own_features_get_the_plays_on_what_they_measure(crm_warehouse):
    """The CRM export's columns are in no play, but their names say what they measure
    (avg_basket_eur: spend, visits_per_month: frequency, tenure_months: tenure): each segment
    gets the most specific play on those roles that its levels allow."""
    roles = {
        "avg_basket_eur": "role:spend",
        "visits_per_month": "role:frequency",
        "tenure_months": "role:tenure",
    }
    levels = query(
        crm_warehouse,
        "select segment_id, feature, feature_level from segment_feature_profiles "
        "where feature_level is not null",
    )
    plays = query(crm_warehouse, "select * from segment_recommendations order by segment_id")
    role_plays = [row for row in PLAYBOOK if row["levels"].startswith("role:")]
    for play in plays.itertuples():
        segment = {
            roles[feature]: level
            for feature, level in levels[levels["segment_id"] == play.segment_id][
                ["feature", "feature_level"]
            ].values
        }
        matching = [
            row for row in role_plays if conditions(row["levels"]).items() <= segment.items()
        ]
        best = max(matching, key=lambda row: (len(conditions(row["levels"])), -int(row["play_id"])))
        assert (play.persona, play.playbook_match) == (best["persona"], best["levels"])
