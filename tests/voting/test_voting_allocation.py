"""Dot voting and points allocation: hand-worked examples and validation."""

from __future__ import annotations

import pytest

from app.voting import BallotError, dot_vote, points_vote, validate_dots, validate_points

OPTS = [1, 2, 3, 4]


def test_dot_vote_hand_worked() -> None:
    ballots = [{1: 3, 2: 2}, {1: 2, 3: 3}, {2: 3, 4: 2}, {4: 0, 3: 1}]
    result = dot_vote(ballots, OPTS, budget=5, cap=3)
    assert result.method == "dots"
    assert result.ballots == 4
    assert result.params == {"budget": 5, "cap": 3}
    assert [(s.option, s.rank, s.score, s.tied) for s in result.standings] == [
        (1, 1, 5.0, True),
        (2, 1, 5.0, True),
        (3, 3, 4.0, False),
        (4, 4, 2.0, False),
    ]
    assert result.explanation["dots"] == {1: 5, 2: 5, 3: 4, 4: 2}
    # The zero on the last ballot is not a vote for option 4.
    assert result.explanation["voters"] == {1: 2, 2: 2, 3: 2, 4: 1}
    assert result.explanation["total_dots"] == 16
    assert result.standings[0].extra == {"dots": 5, "voters": 2}


def test_dot_vote_competition_ranks_10_7_7_3() -> None:
    ballots = [{1: 5}, {1: 5}, {2: 5}, {3: 5}, {2: 2, 3: 2}, {4: 3}]
    result = dot_vote(ballots, OPTS, budget=5, cap=5)
    assert [s.score for s in result.standings] == [10, 7, 7, 3]
    assert [s.rank for s in result.standings] == [1, 2, 2, 4]
    assert [s.tied for s in result.standings] == [False, True, True, False]


def test_dot_vote_no_ballots() -> None:
    result = dot_vote([], OPTS, budget=5, cap=3)
    assert result.ballots == 0
    assert all(s.rank == 1 and s.tied for s in result.standings)


def test_validate_dots_drops_zeros() -> None:
    assert validate_dots({1: 0, 2: 3, 3: 2}, OPTS, budget=5, cap=3) == {2: 3, 3: 2}


@pytest.mark.parametrize(
    ("ballot", "code", "text"),
    [
        ({9: 1}, "unknown_idea", "not part of this vote"),
        ({1: -1}, "negative", "negative"),
        ({1: 4}, "over_cap", "at most 3 dots on one idea"),
        ({1: 3, 2: 3}, "over_budget", "You have used all 5 of your dots."),
        ({1: 1.5}, "bad_value", "whole number"),
        ({1: True}, "bad_value", "whole number"),
        ([1, 2], "bad_ballot", "dots"),
    ],
)
def test_validate_dots_errors(ballot: object, code: str, text: str) -> None:
    with pytest.raises(BallotError) as info:
        validate_dots(ballot, OPTS, budget=5, cap=3)  # type: ignore[arg-type]
    assert info.value.code == code
    assert text in info.value.message


def test_cap_of_one_uses_singular() -> None:
    with pytest.raises(BallotError) as info:
        validate_dots({1: 2}, OPTS, budget=5, cap=1)
    assert info.value.message == "You can put at most 1 dot on one idea."


def test_dot_vote_rejects_any_bad_ballot() -> None:
    with pytest.raises(BallotError) as info:
        dot_vote([{1: 2}, {1: 6}], OPTS, budget=5, cap=3)
    assert info.value.code == "over_cap"


def test_bad_configuration_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        validate_dots({}, OPTS, budget=-1, cap=3)
    with pytest.raises(ValueError):
        validate_dots({}, OPTS, budget=5, cap=0)


def test_points_vote_hand_worked() -> None:
    ballots = [{1: 50, 2: 50}, {1: 20, 3: 80, 4: 0}, {2: 70}]
    result = points_vote(ballots, OPTS)
    assert result.params == {"budget": 100}
    assert [(s.option, s.score, s.rank) for s in result.standings] == [
        (2, 120.0, 1),
        (3, 80.0, 2),
        (1, 70.0, 3),
        (4, 0.0, 4),
    ]
    assert result.explanation["points"] == {1: 70, 2: 120, 3: 80, 4: 0}
    assert result.explanation["voters"] == {1: 2, 2: 2, 3: 1, 4: 0}


def test_points_have_no_cap_but_a_budget() -> None:
    assert validate_points({1: 100}, OPTS) == {1: 100}
    with pytest.raises(BallotError) as info:
        validate_points({1: 60, 2: 50}, OPTS)
    assert info.value.code == "over_budget"
    assert "100 points" in info.value.message
    with pytest.raises(BallotError) as info:
        validate_points({1: -5}, OPTS, budget=10)
    assert info.value.code == "negative"
