"""Explicit tie-breaking with break_ties."""

from __future__ import annotations

import json

import pytest

from app.voting import BallotError, Result, break_ties, dot_vote

OPTS = ["A", "B", "C", "D", "E", "F"]


def _tied_result() -> Result:
    # Scores: A 10, B 7, C 7, D 7, E 3, F 3  ->  ranks 1, 2=, 2=, 2=, 5=, 5=
    ballots = [{"A": 5}, {"A": 5}, {"B": 5}, {"C": 5}, {"D": 5}, {"B": 2, "C": 2, "D": 2}, {"E": 3}, {"F": 3}]
    result = dot_vote(ballots, OPTS, budget=6, cap=5)
    assert [(s.option, s.rank) for s in result.standings] == [
        ("A", 1), ("B", 2), ("C", 2), ("D", 2), ("E", 5), ("F", 5)
    ]
    return result


def test_rule_none_returns_result_unchanged() -> None:
    result = _tied_result()
    assert break_ties(result, rule="none") is result


def test_prior_round_orders_tied_options() -> None:
    result = _tied_result()
    broken = break_ties(result, rule="prior_round", prior=["F", "D", "Z", "B", "C", "E", "A"])
    assert [(s.option, s.rank, s.tied) for s in broken.standings] == [
        ("A", 1, False),
        ("D", 2, False),
        ("B", 3, False),
        ("C", 4, False),
        ("F", 5, False),
        ("E", 6, False),
    ]
    # Scores are untouched: they still show the options were level.
    assert [s.score for s in broken.standings] == [s.score for s in result.standings]
    assert broken.tie_break == {
        "rule": "prior_round",
        "groups": [["B", "C", "D"], ["E", "F"]],
        "order": ["D", "B", "C", "F", "E"],
    }
    assert result.tie_break is None  # the original is not modified


def test_prior_round_leaves_absent_options_tied_at_end_of_group() -> None:
    result = _tied_result()
    broken = break_ties(result, rule="prior_round", prior=["C"])
    assert [(s.option, s.rank, s.tied) for s in broken.standings] == [
        ("A", 1, False),
        ("C", 2, False),
        ("B", 3, True),
        ("D", 3, True),
        ("E", 5, True),  # nothing known about E and F: still tied
        ("F", 5, True),
    ]
    assert broken.tie_break["groups"] == [["B", "C", "D"]]


def test_facilitator_decision() -> None:
    result = _tied_result()
    broken = break_ties(result, rule="facilitator", decision=["F", "E"])
    assert [(s.option, s.rank, s.tied) for s in broken.standings][4:] == [("F", 5, False), ("E", 6, False)]
    assert [(s.option, s.rank, s.tied) for s in broken.standings][1:4] == [
        ("B", 2, True), ("C", 2, True), ("D", 2, True)
    ]
    assert broken.tie_break == {"rule": "facilitator", "groups": [["E", "F"]], "order": ["F", "E"]}
    both = break_ties(result, rule="facilitator", decision=["E", "C", "D", "F", "B"])
    assert [s.rank for s in both.standings] == [1, 2, 3, 4, 5, 6]
    assert both.ranking == ["A", "C", "D", "B", "E", "F"]
    assert both.tie_break["order"] == ["C", "D", "B", "E", "F"]


@pytest.mark.parametrize(
    "decision",
    [
        ["C", "B"],  # only part of a tie group
        ["A", "B", "C", "D"],  # includes an untied option
        ["E", "F", "E"],  # repeats
        ["E", "F", "Z"],  # unknown option
        [],
    ],
)
def test_facilitator_rejects_bad_decisions(decision: list[str]) -> None:
    with pytest.raises(BallotError) as info:
        break_ties(_tied_result(), rule="facilitator", decision=decision)
    assert info.value.code == "bad_tie_break"


def test_bad_rule_and_missing_inputs() -> None:
    result = _tied_result()
    for kwargs in ({"rule": "coin_flip"}, {"rule": "prior_round"}, {"rule": "facilitator"}):
        with pytest.raises(BallotError) as info:
            break_ties(result, **kwargs)  # type: ignore[arg-type]
        assert info.value.code == "bad_tie_break"


def test_tie_break_survives_export_and_chaining() -> None:
    result = _tied_result()
    once = break_ties(result, rule="facilitator", decision=["F", "E"])
    twice = break_ties(once, rule="prior_round", prior=["D", "C", "B"])
    assert twice.ranking == ["A", "D", "C", "B", "F", "E"]
    assert twice.tie_break["previous"] == once.tie_break
    data = json.loads(json.dumps(twice.to_dict()))
    assert data["tie_break"]["rule"] == "prior_round"
    assert Result.from_dict(data).tie_break == twice.tie_break
