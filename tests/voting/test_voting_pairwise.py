"""Pairwise comparison with Bradley–Terry: examples and the fitted optimum."""

from __future__ import annotations

import math

import pytest

from app.voting import BallotError, pairwise
from app.voting.pairwise import _Model, validate_comparison


def _stationarity_gap(result, comparisons, options) -> float:
    """Largest violation of the optimality condition of the prior-smoothed model.

    At the optimum, for every compared option i:
    (W_i + 0.5) / g_i == sum_j n_ij / (g_i + g_j) + 1 / (g_i + 1).
    """
    g = {s.option: s.extra["strength"] for s in result.standings if s.extra["strength"] is not None}
    wins = {o: 0 for o in g}
    games: dict = {}
    for w, l in comparisons:
        wins[w] += 1
        games[(w, l)] = games.get((w, l), 0) + 1
        games[(l, w)] = games.get((l, w), 0) + 1
    gap = 0.0
    for i in g:
        lhs = (wins[i] + 0.5) / g[i]
        rhs = sum(n / (g[i] + g[j]) for (a, j), n in games.items() if a == i) + 1 / (g[i] + 1)
        gap = max(gap, abs(lhs - rhs) / rhs)
    return gap


def test_pairwise_hand_worked_order() -> None:
    comparisons = [("A", "B")] * 3 + [("B", "C")] * 3 + [("A", "C"), ("C", "A"), ("B", "A")]
    opts = ["A", "B", "C", "D"]
    result = pairwise(comparisons, opts)
    assert result.ranking == ["A", "B", "C", "D"]
    assert [s.rank for s in result.standings] == [1, 2, 3, 4]
    scores = [s.score for s in result.standings]
    assert sum(scores[:3]) == pytest.approx(1.0)
    assert scores[3] == 0.0  # D was never compared
    a = result.standings[0].extra
    assert (a["wins"], a["losses"], a["comparisons"]) == (4, 2, 6)
    assert result.standings[3].extra == {"wins": 0, "losses": 0, "comparisons": 0, "strength": None}
    assert result.explanation["wins"] == {"A": {"B": 3, "C": 1}, "B": {"C": 3, "A": 1}, "C": {"A": 1}}
    assert result.explanation["converged"] is True
    assert result.explanation["prior_wins"] == 0.5
    assert _stationarity_gap(result, comparisons, opts) < 1e-7  # strengths in extra are rounded to 9 decimals


def test_pairwise_unbeaten_option_stays_finite() -> None:
    comparisons = [("A", "B")] * 5
    result = pairwise(comparisons, ["A", "B"])
    a, b = result.standings
    assert a.option == "A" and a.rank == 1
    # Symmetric data => strengths g and 1/g around the virtual opponent.
    assert a.extra["strength"] * b.extra["strength"] == pytest.approx(1.0)
    assert 0.5 < a.score < 1.0
    assert _stationarity_gap(result, comparisons, ["A", "B"]) < 1e-7  # strengths in extra are rounded to 9 decimals


def test_pairwise_balanced_record_is_a_tie() -> None:
    result = pairwise([("A", "B"), ("B", "A"), ("C", "A"), ("A", "C"), ("B", "C"), ("C", "B")], ["A", "B", "C"])
    assert all(s.rank == 1 and s.tied for s in result.standings)
    assert [s.score for s in result.standings] == pytest.approx([1 / 3] * 3)


def test_pairwise_untouched_options_tie_last() -> None:
    result = pairwise([("B", "A")], ["A", "B", "C", "D"])
    assert [(s.option, s.rank, s.tied) for s in result.standings] == [
        ("B", 1, False),
        ("A", 2, False),
        ("C", 3, True),
        ("D", 3, True),
    ]


def test_pairwise_no_comparisons() -> None:
    result = pairwise([], ["A", "B"])
    assert result.ballots == 0
    assert result.explanation["iterations"] == 0
    assert all(s.rank == 1 and s.tied for s in result.standings)


@pytest.mark.parametrize(
    ("comparison", "code"),
    [(("A", "Z"), "unknown_idea"), (("A", "A"), "duplicate_idea"), (("A",), "bad_ballot"), ("AB", "bad_ballot")],
)
def test_validate_comparison_errors(comparison: object, code: str) -> None:
    with pytest.raises(BallotError) as info:
        validate_comparison(comparison, ["A", "B"])  # type: ignore[arg-type]
    assert info.value.code == code
    with pytest.raises(BallotError):
        pairwise([comparison], ["A", "B"])  # type: ignore[list-item]


def test_iterations_must_be_positive() -> None:
    with pytest.raises(ValueError):
        pairwise([("A", "B")], ["A", "B"], iterations=0)


def test_mm_update_is_hunters_update_with_a_fixed_point_at_the_optimum() -> None:
    # A beats B twice, B beats C once, C beats A once: k = 3 compared ideas.
    comparisons = [("A", "B"), ("A", "B"), ("B", "C"), ("C", "A")]
    model = _Model(
        won=[2, 1, 1],
        neighbours=[[(1, 2), (2, 1)], [(0, 2), (2, 1)], [(0, 1), (1, 1)]],
        games=[(0, 1, 2), (1, 2, 1), (2, 0, 1)],
    )
    # From equal strengths (g = 1): g_A <- (2 + 0.5) / (2/2 + 1/2 + 1/2) = 1.25.
    first = model.mm_update([0.0, 0.0, 0.0])
    assert math.exp(first[0]) == pytest.approx(1.25)
    assert math.exp(first[1]) == pytest.approx(1.5 / 2.0)
    assert model.log_posterior(first) > model.log_posterior([0.0, 0.0, 0.0])
    # Plain MM, iterated long enough, reaches the same optimum as the fit.
    theta = [0.0, 0.0, 0.0]
    for _ in range(5000):
        theta = model.mm_update(theta)
    result = pairwise(comparisons, ["A", "B", "C"])
    fitted = [math.log(s.extra["strength"]) for s in sorted(result.standings, key=lambda s: s.option)]
    assert theta == pytest.approx(fitted, abs=1e-8)
    assert model.mm_update(theta) == pytest.approx(theta, abs=1e-12)
