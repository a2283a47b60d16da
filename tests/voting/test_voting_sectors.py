"""Sector breakdowns, support and consensus."""

from __future__ import annotations

import json
import math

import pytest

from app.voting import by_sector, consensus, supporters_from_ballots

OPTS = [1, 2, 3]


def test_by_sector_suppresses_small_sectors() -> None:
    ballots = [
        ("public", {1: 3}),
        ("public", {1: 1, 2: 2}),
        ("public", {3: 3}),
        ("business", {2: 3}),
        ("business", {2: 1, 3: 2}),
    ]
    out = by_sector(ballots, OPTS, "dots", budget=3, cap=3)
    assert out["min_cell"] == 3
    assert list(out["sectors"]) == ["business", "public"]  # sorted, not arrival order
    assert out["sectors"]["business"] == {"suppressed": True, "voters": 2}
    public = out["sectors"]["public"]
    assert public["method"] == "dots"
    assert public["ballots"] == 3
    assert [(s["option"], s["score"]) for s in public["standings"]] == [(1, 4.0), (3, 3.0), (2, 2.0)]
    json.dumps(out)  # JSON-safe


def test_by_sector_min_cell_and_validation() -> None:
    ballots = [("a", [1, 2, 3]), ("a", [2, 1, 3])]
    out = by_sector(ballots, OPTS, "borda", min_cell=2)
    assert "suppressed" not in out["sectors"]["a"]
    with pytest.raises(ValueError):
        by_sector(ballots, OPTS, "nope")
    with pytest.raises(ValueError):
        by_sector(ballots, OPTS, "borda", min_cell=0)


def test_by_sector_pairwise_counts_voters_not_comparisons() -> None:
    ballots = [
        ("x", [(1, 2), (1, 3), (2, 3)]),
        ("x", [(1, 2), (3, 2)]),
        ("y", [(2, 1), (2, 3), (3, 1), (2, 1)]),
    ]
    out = by_sector(ballots, OPTS, "pairwise", min_cell=2)
    assert out["sectors"]["y"] == {"suppressed": True, "voters": 1}
    assert out["sectors"]["x"]["ballots"] == 5
    assert out["sectors"]["x"]["standings"][0]["option"] == 1


def test_supporters_from_ballots() -> None:
    assert supporters_from_ballots("dots", {1: 2, 2: 0, 3: 1}) == {1, 3}
    assert supporters_from_ballots("points", {1: 0, 2: 100}) == {2}
    assert supporters_from_ballots("score", {1: 3, 2: 2, 3: 5}) == {1, 3}
    assert supporters_from_ballots("score", {1: 5, 2: 6}, scale_min=0, scale_max=10) == {1, 2}
    assert supporters_from_ballots("score", {1: 4}, scale_min=0, scale_max=10) == set()
    assert supporters_from_ballots("impact_effort", {1: (4, 5), 2: (2, 1)}) == {1}
    assert supporters_from_ballots("borda", [3, 1, 2, 4]) == {3, 1}
    assert supporters_from_ballots("schulze", [3, 1, 2]) == {3, 1}  # middle of 3 counts
    assert supporters_from_ballots("irv", [2], n_options=4) == {2}
    assert supporters_from_ballots("irv", [2, 3, 1], n_options=4) == {2, 3}
    assert supporters_from_ballots("pairwise", (1, 2)) == {1}
    assert supporters_from_ballots("pairwise", [(1, 2), (3, 2), (1, 3)]) == {1, 3}
    with pytest.raises(ValueError):
        supporters_from_ballots("approval", {1: 1})


def test_consensus_hand_worked() -> None:
    support = {
        "public": {1: (3, 4), 2: (4, 4)},  # rates (3+1)/6 = 2/3 and 5/6
        "business": {1: (1, 3), 2: (0, 3)},  # rates 2/5 and 1/5
        "tiny": {1: (0, 2), 2: (2, 2)},  # below min_cell: ignored
    }
    out = consensus(support, [1, 2, 3])
    assert out[1]["sectors_counted"] == 2
    assert out[1]["consensus"] == pytest.approx(math.sqrt(2 / 3 * 2 / 5))
    assert out[1]["min_rate"] == pytest.approx(0.4)
    assert out[2]["consensus"] == pytest.approx(math.sqrt(5 / 6 * 1 / 5))
    assert out[3] == {"consensus": None, "sectors_counted": 0, "min_rate": None}
    # Broad support beats support concentrated in one sector.
    assert out[1]["consensus"] > out[2]["consensus"]


def test_consensus_is_comparable_across_sector_counts() -> None:
    one = consensus({"a": {1: (3, 4)}}, [1])[1]["consensus"]
    three = consensus({s: {1: (3, 4)} for s in "abc"}, [1])[1]["consensus"]
    assert one == pytest.approx(three) == pytest.approx(4 / 6)


def test_consensus_alpha_and_validation() -> None:
    assert consensus({"a": {1: (0, 3)}}, [1], alpha=0)[1]["consensus"] == 0.0
    assert consensus({"a": {1: (3, 3)}}, [1], alpha=0)[1]["consensus"] == 1.0
    with pytest.raises(ValueError):
        consensus({"a": {1: (4, 3)}}, [1])
    with pytest.raises(ValueError):
        consensus({"a": {1: (1, 3)}}, [1], alpha=-1)
