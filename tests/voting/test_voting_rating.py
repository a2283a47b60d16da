"""Score voting and impact/effort: hand-worked examples and validation."""

from __future__ import annotations

import pytest

from app.voting import BallotError, impact_effort, score_vote, validate_impact_effort, validate_scores

OPTS = ["A", "B", "C", "D"]


def test_score_vote_hand_worked() -> None:
    ballots = [{"A": 5, "B": 3}, {"A": 4, "B": 3, "C": 2}, {"A": 3, "C": 2}, {}]
    result = score_vote(ballots, OPTS)
    assert result.ballots == 4
    assert result.params == {"scale_min": 1, "scale_max": 5}
    assert [(s.option, s.rank, s.score, s.tied) for s in result.standings] == [
        ("A", 1, 4.0, False),
        ("B", 2, 3.0, False),
        ("C", 3, 2.0, False),
        ("D", 4, 0.0, False),  # nobody rated D: last, with no invented mean
    ]
    a = result.standings[0].extra
    assert a["mean"] == 4.0 and a["median"] == 4.0 and a["count"] == 3
    assert a["min"] == 3 and a["max"] == 5
    assert a["stdev"] == pytest.approx((2 / 3) ** 0.5)
    assert result.standings[3].extra == {
        "mean": None,
        "median": None,
        "count": 0,
        "stdev": None,
        "min": None,
        "max": None,
    }
    assert result.explanation["histogram"]["A"] == {3: 1, 4: 1, 5: 1}
    assert result.explanation["histogram"]["D"] == {}


def test_score_vote_unrated_options_tie_last() -> None:
    result = score_vote([{"B": 1}], OPTS)
    assert [(s.option, s.rank, s.tied) for s in result.standings] == [
        ("B", 1, False),
        ("A", 2, True),
        ("C", 2, True),
        ("D", 2, True),
    ]


def test_score_vote_median_of_even_count() -> None:
    result = score_vote([{"A": 1}, {"A": 4}], OPTS)
    assert result.standings[0].extra["median"] == 2.5


@pytest.mark.parametrize(
    ("ballot", "code"),
    [({"Z": 3}, "unknown_idea"), ({"A": 6}, "out_of_scale"), ({"A": 0}, "out_of_scale"), ({"A": 2.5}, "bad_value")],
)
def test_validate_scores_errors(ballot: dict, code: str) -> None:
    with pytest.raises(BallotError) as info:
        validate_scores(ballot, OPTS)
    assert info.value.code == code
    if code == "out_of_scale":
        assert info.value.message == "Ratings go from 1 to 5."


def test_custom_scale() -> None:
    assert validate_scores({"A": -2}, OPTS, scale_min=-2, scale_max=2) == {"A": -2}
    with pytest.raises(ValueError):
        validate_scores({}, OPTS, scale_min=3, scale_max=3)


def test_impact_effort_quadrants() -> None:
    ballots = [
        {"A": (5, 1), "B": (5, 5), "C": (1, 1), "D": (1, 5)},
        {"A": (4, 2), "B": (4, 4), "C": (2, 2), "D": (2, 4)},
    ]
    result = impact_effort(ballots, OPTS)
    quadrant = {s.option: s.extra["quadrant"] for s in result.standings}
    assert quadrant == {"A": "quick_win", "B": "major_project", "C": "fill_in", "D": "thankless"}
    assert result.explanation["midpoint"] == 3.0
    assert result.explanation["quadrants"] == {
        "quick_win": ["A"],
        "major_project": ["B"],
        "fill_in": ["C"],
        "thankless": ["D"],
    }
    # Rank by mean impact - mean effort: A +3, B 0, C 0, D -3.
    assert [(s.option, s.rank, s.score) for s in result.standings] == [
        ("A", 1, 3.0),
        ("B", 2, 0.0),
        ("C", 2, 0.0),
        ("D", 4, -3.0),
    ]
    assert result.standings[0].extra == {"mean_impact": 4.5, "mean_effort": 1.5, "count": 2, "quadrant": "quick_win"}


def test_impact_effort_midpoint_counts_as_low_and_unrated_last() -> None:
    result = impact_effort([{"A": (3, 3)}, {"B": (4, 3)}], OPTS)
    by_option = {s.option: s for s in result.standings}
    assert by_option["A"].extra["quadrant"] == "fill_in"
    assert by_option["B"].extra["quadrant"] == "quick_win"
    assert by_option["C"].extra["quadrant"] is None
    assert result.ranking == ["B", "A", "C", "D"]
    assert by_option["C"].rank == by_option["D"].rank == 3


@pytest.mark.parametrize(
    ("ballot", "code"),
    [({"Z": (1, 1)}, "unknown_idea"), ({"A": (6, 1)}, "out_of_scale"), ({"A": 3}, "bad_value"), ({"A": (1,)}, "bad_value")],
)
def test_validate_impact_effort_errors(ballot: dict, code: str) -> None:
    with pytest.raises(BallotError) as info:
        validate_impact_effort(ballot, OPTS)
    assert info.value.code == code
