"""Segment names and the playbook as marketing reads them."""

from __future__ import annotations

import csv

from conftest import MALL_CUSTOMERS, PROJECT_ROOT, build_warehouse, query

PLAYBOOK = list(csv.DictReader((PROJECT_ROOT / "seeds" / "segment_playbook.csv").open()))
DEFAULT_PLAY = next(
    row for row in PLAYBOOK if row["income_level"] == row["spending_level"] == "Any"
)


def test_every_segment_gets_the_playbook_row_of_its_levels(sample_warehouse):
    plays = query(
        sample_warehouse,
        "select centroids.annual_income_level, centroids.spending_score_level, "
        "recommendations.persona, recommendations.playbook_match "
        "from segment_recommendations as recommendations "
        "inner join segment_centroids as centroids using (segment_id)",
    )
    by_levels = {(row["income_level"], row["spending_level"]): row["persona"] for row in PLAYBOOK}
    for play in plays.itertuples():
        assert play.playbook_match == "income and spending level"
        assert play.persona == by_levels[(play.annual_income_level, play.spending_score_level)]


def test_segment_without_a_playbook_match_gets_the_default_play(tmp_path):
    # Without income as a feature no segment has an income level, so no playbook row matches.
    warehouse = build_warehouse(
        tmp_path,
        {"customers_path": str(MALL_CUSTOMERS), "features": ["age", "spending_score"], "k": 3},
    )
    plays = query(warehouse, "select * from segment_recommendations order by segment_id")
    assert len(plays) == 3
    assert set(plays["playbook_match"]) == {"default"}
    assert set(plays["persona"]) == {DEFAULT_PLAY["persona"]}
    assert set(plays["strategy"]) == {DEFAULT_PLAY["strategy"]}
    # Names use only what was clustered on: spending level and age band.
    for name in plays["segment_name"]:
        assert "income" not in name and "spending" in name
