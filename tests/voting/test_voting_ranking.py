"""Borda, Schulze and instant runoff: hand-worked elections and validation."""

from __future__ import annotations

import pytest

from app.voting import BallotError, borda, instant_runoff, schulze, validate_ranking

# Wikipedia, "Schulze method", worked example: 45 voters, 5 candidates.
WIKIPEDIA_PROFILE = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]
WIKIPEDIA_D = {
    "A": {"B": 20, "C": 26, "D": 30, "E": 22},
    "B": {"A": 25, "C": 16, "D": 33, "E": 18},
    "C": {"A": 19, "B": 29, "D": 17, "E": 24},
    "D": {"A": 15, "B": 12, "C": 28, "E": 14},
    "E": {"A": 23, "B": 27, "C": 21, "D": 31},
}
WIKIPEDIA_P = {
    "A": {"B": 28, "C": 28, "D": 30, "E": 24},
    "B": {"A": 25, "C": 28, "D": 33, "E": 24},
    "C": {"A": 25, "B": 29, "D": 29, "E": 24},
    "D": {"A": 25, "B": 28, "C": 28, "E": 24},
    "E": {"A": 25, "B": 28, "C": 28, "D": 31},
}


def _expand(profile: list[tuple[int, str]]) -> list[list[str]]:
    return [list(order) for count, order in profile for _ in range(count)]


# ------------------------------------------------------------------ validation


def test_validate_ranking_ok() -> None:
    assert validate_ranking([3, 1, 2], [1, 2, 3]) == (3, 1, 2)
    assert validate_ranking([3], [1, 2, 3], partial=True) == (3,)
    assert validate_ranking([], [1, 2, 3], partial=True) == ()


@pytest.mark.parametrize(
    ("order", "partial", "code"),
    [
        ([1, 9], True, "unknown_idea"),
        ([1, 1], True, "duplicate_idea"),
        ([1, 2], False, "incomplete_ranking"),
        ("12", True, "bad_ballot"),
        ({1: 1}, True, "bad_ballot"),
        ({1, 2}, True, "bad_ballot"),
    ],
)
def test_validate_ranking_errors(order: object, partial: bool, code: str) -> None:
    with pytest.raises(BallotError) as info:
        validate_ranking(order, [1, 2, 3], partial=partial)  # type: ignore[arg-type]
    assert info.value.code == code
    if code == "incomplete_ranking":
        assert info.value.message == "Please rank all 3 ideas."


def test_methods_validate_partial_flag() -> None:
    for method in (borda, schulze, instant_runoff):
        with pytest.raises(BallotError) as info:
            method([[1, 2]], [1, 2, 3], partial=False)
        assert info.value.code == "incomplete_ranking"


# ----------------------------------------------------------------------- Borda


def test_borda_complete_ballots() -> None:
    ballots = [["A", "B", "C"], ["A", "C", "B"], ["B", "C", "A"], ["C", "B", "A"]]
    # A: 2+2+0+0 = 4, B: 1+0+2+1 = 4, C: 0+1+1+2 = 4: a three-way tie.
    result = borda(ballots, ["A", "B", "C"])
    assert [s.rank for s in result.standings] == [1, 1, 1]
    result = borda([*ballots, ["B", "A", "C"]], ["A", "B", "C"])
    assert result.explanation["points"] == {"A": 5, "B": 6, "C": 4}
    assert result.ranking == ["B", "A", "C"]
    assert result.explanation["position_points"] == [2, 1, 0]


def test_borda_partial_ballot_averaged_rule() -> None:
    # 4 ideas: ranked ideas get 3, 2; the two unranked share 1 + 0 equally.
    result = borda([["A", "B"]], ["A", "B", "C", "D"])
    assert result.explanation["points"] == {"A": 3, "B": 2, "C": 0.5, "D": 0.5}
    assert [(s.option, s.rank, s.tied) for s in result.standings] == [
        ("A", 1, False),
        ("B", 2, False),
        ("C", 3, True),
        ("D", 3, True),
    ]
    rule = result.explanation["rule"]
    assert "share the remaining points equally" in rule
    assert "averaged" in rule
    assert "averaged rule" in borda.__doc__  # type: ignore[operator]


def test_borda_partial_ballots_hand_out_the_same_total() -> None:
    opts = ["A", "B", "C", "D", "E"]
    for ballot in (["A"], ["A", "B"], ["C", "A", "E"], [], ["E", "D", "C", "B", "A"]):
        points = borda([ballot], opts).explanation["points"]
        assert sum(points.values()) == 10  # 4 + 3 + 2 + 1 + 0


def test_borda_mixed_partial_ballots() -> None:
    ballots = [["A", "B", "C", "D"], ["D"], ["C", "A"]]
    # ballot 1: A3 B2 C1 D0; ballot 2: D3, others (2+1+0)/3 = 1 each;
    # ballot 3: C3 A2, B and D (1+0)/2 = 0.5 each.
    points = borda(ballots, ["A", "B", "C", "D"]).explanation["points"]
    assert points == {"A": 6, "B": 3.5, "C": 5, "D": 3.5}


# --------------------------------------------------------------------- Schulze


def test_schulze_wikipedia_example() -> None:
    result = schulze(_expand(WIKIPEDIA_PROFILE), list("ABCDE"))
    assert result.ballots == 45
    assert result.explanation["d"] == WIKIPEDIA_D
    assert result.explanation["p"] == WIKIPEDIA_P
    assert result.explanation["winners"] == ["E"]
    assert result.ranking == ["E", "A", "C", "B", "D"]
    assert [s.score for s in result.standings] == [4, 3, 2, 1, 0]
    assert [s.rank for s in result.standings] == [1, 2, 3, 4, 5]
    assert result.standings[0].extra == {"beats": 4, "beaten_by": 0, "winner": True}


def test_schulze_condorcet_cycle_is_a_tie() -> None:
    ballots = [["A", "B", "C"], ["B", "C", "A"], ["C", "A", "B"]]
    result = schulze(ballots, ["A", "B", "C"])
    assert all(s.rank == 1 and s.tied for s in result.standings)
    assert result.explanation["winners"] == ["A", "B", "C"]


def test_schulze_equal_pairwise_counts_give_no_link() -> None:
    # d[A][B] == d[B][A]: neither direction is a defeat, so there is no link.
    result = schulze([["A", "B", "C"], ["B", "A", "C"]], ["A", "B", "C"])
    p = result.explanation["p"]
    assert p["A"]["B"] == p["B"]["A"] == 0
    assert p["A"]["C"] == p["B"]["C"] == 2
    assert [(s.option, s.rank, s.tied) for s in result.standings] == [("A", 1, True), ("B", 1, True), ("C", 3, False)]


def test_schulze_partial_unranked_below_ranked() -> None:
    # Each ballot ranks one idea; it is above the two unranked ideas.
    result = schulze([["A"], ["A"], ["B"]], ["A", "B", "C"])
    d = result.explanation["d"]
    assert d["A"] == {"B": 2, "C": 2}
    assert d["B"] == {"A": 1, "C": 1}
    assert d["C"] == {"A": 0, "B": 0}
    assert result.ranking == ["A", "B", "C"]


# --------------------------------------------------------------- instant runoff


def test_irv_elimination_tie() -> None:
    ballots = [["A"]] * 4 + [["B"]] * 3 + [["C", "B"], ["D", "B"]]
    result = instant_runoff(ballots, ["A", "B", "C", "D"])
    rounds = result.explanation["rounds"]
    assert rounds[0] == {"counts": {"A": 4, "B": 3, "C": 1, "D": 1}, "eliminated": ["C", "D"], "exhausted": 0}
    assert rounds[1] == {"counts": {"A": 4, "B": 5}, "eliminated": ["A"], "exhausted": 0}
    assert len(rounds) == 2
    assert [(s.option, s.rank, s.tied) for s in result.standings] == [
        ("B", 1, False),
        ("A", 2, False),
        ("C", 3, True),
        ("D", 3, True),
    ]
    assert result.standings[2].extra == {"eliminated_in_round": 1, "last_votes": 1}
    assert result.standings[0].extra == {"eliminated_in_round": None, "last_votes": 5}
    assert "eliminated together" in result.explanation["rule"]


def test_irv_tie_that_would_eliminate_everyone_is_a_shared_win() -> None:
    ballots = [["A", "C"], ["A"], ["B"], ["B", "A"], ["C", "B"]]
    result = instant_runoff(ballots, ["A", "B", "C"])
    rounds = result.explanation["rounds"]
    assert rounds[0]["eliminated"] == ["C"]
    # C's ballot moves to B: A 2, B 3 -> A out, B wins.
    assert result.ranking == ["B", "A", "C"]
    even = instant_runoff([["A", "B"], ["B", "A"]], ["A", "B"])
    assert even.explanation["rounds"] == [{"counts": {"A": 1, "B": 1}, "eliminated": [], "exhausted": 0}]
    assert [(s.rank, s.tied) for s in even.standings] == [(1, True), (1, True)]


def test_irv_exhausted_ballots_and_zero_vote_options() -> None:
    ballots = [["A"], ["A"], ["B", "C"], ["C"], ["C"]]
    result = instant_runoff(ballots, ["A", "B", "C", "D"])
    rounds = result.explanation["rounds"]
    # D has no first choices, so it is eliminated in round 1 on its own.
    assert rounds[0]["eliminated"] == ["D"]
    assert rounds[1] == {"counts": {"A": 2, "B": 1, "C": 2}, "eliminated": ["B"], "exhausted": 0}
    assert rounds[2] == {"counts": {"A": 2, "C": 3}, "eliminated": ["A"], "exhausted": 0}
    assert result.ranking == ["C", "A", "B", "D"]
    exhausting = instant_runoff([["A"], ["A"], ["B"], ["C", "B"], ["C"]], ["A", "B", "C"])
    # B (1) is eliminated; its ballot has nothing left and is exhausted.
    assert exhausting.explanation["rounds"][1]["exhausted"] == 1


def test_irv_majority_winner_is_first() -> None:
    ballots = [["A", "B", "C"]] * 3 + [["B", "C", "A"]] * 2
    assert instant_runoff(ballots, ["A", "B", "C"]).ranking[0] == "A"
