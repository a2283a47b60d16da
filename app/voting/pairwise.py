"""Pairwise comparison ("this or that") counted with a Bradley–Terry model.

Participants see two ideas and pick one; a skip is simply not sent. The
Bradley–Terry model gives each idea a strength g so that idea i beats idea j
with probability g_i / (g_i + g_j). Strengths are fitted with the MM
algorithm of Hunter (2004, "MM algorithms for generalized Bradley–Terry
models", Annals of Statistics 32(1)).

Plain maximum likelihood breaks down in small workshops: an idea that won
every comparison would get infinite strength. Each compared idea therefore
also gets half a virtual win and half a virtual loss against a virtual
opponent of fixed strength 1 (an "average" idea). This keeps every strength
finite and positive, pulls ideas with few comparisons gently towards the
middle, and anchors the scale. The resulting posterior is strictly concave
in the log-strengths, so its maximum exists and is unique.

Plain MM converges very slowly when the data are one-sided (participants
agreeing on the order make the strengths very spread out), so every
iteration also tries a Newton step on the (concave) log-posterior and keeps
whichever of the two gets higher. This changes only how fast the unique
optimum is reached, not the answer: the MM update on its own already
guarantees that each iteration climbs towards it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence

from .core import OPTION_MATRIX, BallotError, Result, competition_ranks, option_list, option_set
from .messages import N_

__all__ = ["PRIOR_WINS", "pairwise", "validate_comparison"]

#: Virtual wins (and, equally, virtual losses) per idea against the virtual
#: average opponent.
PRIOR_WINS = 0.5

#: The fit has converged when one MM update moves no log-strength by more
#: than this (i.e. no strength changes by more than ~1e-12, relative).
_TOLERANCE = 1e-12

PAIRWISE_RULE = (
    "Strengths follow the Bradley-Terry model (idea a beats idea b with probability "
    "g[a] / (g[a] + g[b])), fitted with the MM algorithm. Every compared idea also "
    "gets half a virtual win and half a virtual loss against an average idea of "
    "strength 1, so an idea that was never beaten still gets a finite strength. The "
    "score is the strength divided by the sum over all compared ideas. Ideas that "
    "were never compared rank last, tied."
)


#: Where the explanation holds option ids: ``wins`` (winner -> loser -> times), see ``core.OPTION_MATRIX``.
PAIRWISE_OPTION_FIELDS = {"wins": OPTION_MATRIX}


def validate_comparison(comparison: Sequence, options: Collection) -> tuple:
    """Check one comparison.

    Args:
        comparison: A ``(winner, loser)`` pair.
        options: The options of the vote.

    Returns:
        The comparison as a ``(winner, loser)`` tuple.

    Raises:
        BallotError: ``bad_ballot`` (not a pair), ``unknown_idea`` or
            ``duplicate_idea`` (an idea compared with itself).
    """
    if isinstance(comparison, (str, bytes)) or not isinstance(comparison, Sequence) or len(comparison) != 2:
        raise BallotError("bad_ballot", N_("A comparison should name the idea you picked and the other idea."))
    winner, loser = comparison
    known = option_set(options)
    if winner not in known or loser not in known:
        raise BallotError("unknown_idea", N_("One of the ideas in this comparison is not part of this vote."))
    if winner == loser:
        raise BallotError("duplicate_idea", N_("An idea cannot be compared with itself."))
    return (winner, loser)


def _sigmoid(x: float) -> float:
    """Logistic function that cannot overflow for large ``|x|``."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _log_add_exp(a: float, b: float) -> float:
    """``log(exp(a) + exp(b))`` without overflow."""
    high, low = (a, b) if a >= b else (b, a)
    return high + math.log1p(math.exp(low - high))


class _Model:
    """Aggregated comparisons of the compared ideas, indexed 0..k-1.

    Attributes:
        won: Wins per idea.
        neighbours: Per idea, ``(other idea, comparisons between them)`` for
            every idea it met, in option order so sums run in a fixed order.
        games: ``(winner, loser, count)`` for every non-zero cell.
    """

    def __init__(
        self,
        won: list[int],
        neighbours: list[list[tuple[int, int]]],
        games: list[tuple[int, int, int]],
    ) -> None:
        """Store the aggregated data (see the class attributes)."""
        self.won = won
        self.neighbours = neighbours
        self.games = games

    def mm_update(self, theta: list[float]) -> list[float]:
        """Hunter's MM update of every strength at once, on the log scale."""
        g = [math.exp(t) for t in theta]
        new = []
        for i, g_i in enumerate(g):
            # The last term is the virtual game against the opponent of strength 1.
            denominator = sum(n_ij / (g_i + g[j]) for j, n_ij in self.neighbours[i]) + 1.0 / (g_i + 1.0)
            new.append(math.log((self.won[i] + PRIOR_WINS) / denominator))
        return new

    def newton_direction(self, theta: list[float]) -> tuple[list[float], list[float]]:
        """Return (gradient, Newton direction) of the log-posterior at theta.

        The negative Hessian is symmetric positive definite (the prior adds a
        positive amount to every diagonal entry of a weighted graph
        Laplacian), so a Cholesky solve always works in exact arithmetic.
        """
        k = len(theta)
        gradient = [0.0] * k
        neg_hessian = [[0.0] * k for _ in range(k)]
        for i in range(k):
            prior_p = _sigmoid(theta[i])
            gradient[i] = self.won[i] + PRIOR_WINS - 2 * PRIOR_WINS * prior_p
            row = neg_hessian[i]
            row[i] = 2 * PRIOR_WINS * prior_p * (1.0 - prior_p)
            for j, n_ij in self.neighbours[i]:
                p_ij = _sigmoid(theta[i] - theta[j])
                gradient[i] -= n_ij * p_ij
                curvature = n_ij * p_ij * (1.0 - p_ij)
                row[i] += curvature
                row[j] -= curvature
        return gradient, _cholesky_solve(neg_hessian, gradient)

    def log_posterior(self, theta: list[float]) -> float:
        """Log-posterior up to a constant."""
        total = 0.0
        for i, j, count in self.games:
            total += count * (theta[i] - _log_add_exp(theta[i], theta[j]))
        for t in theta:
            total += PRIOR_WINS * t - 2 * PRIOR_WINS * _log_add_exp(t, 0.0)
        return total


def _cholesky_solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Solve ``a x = b`` for a symmetric positive definite matrix ``a``.

    Raises:
        ValueError: If ``a`` is not numerically positive definite.
    """
    k = len(b)
    lower = [[0.0] * k for _ in range(k)]
    for i in range(k):
        row_i = lower[i]
        for j in range(i + 1):
            row_j = lower[j]
            partial = a[i][j] - sum(row_i[m] * row_j[m] for m in range(j))
            if i == j:
                if partial <= 0.0:
                    raise ValueError("matrix is not positive definite")
                row_i[i] = math.sqrt(partial)
            else:
                row_i[j] = partial / row_j[j]
    y = [0.0] * k
    for i in range(k):
        y[i] = (b[i] - sum(lower[i][m] * y[m] for m in range(i))) / lower[i][i]
    x = [0.0] * k
    for i in range(k - 1, -1, -1):
        x[i] = (y[i] - sum(lower[m][i] * x[m] for m in range(i + 1, k))) / lower[i][i]
    return x


def _max_change(a: list[float], b: list[float]) -> float:
    """Largest absolute difference between two vectors."""
    return max(abs(x - y) for x, y in zip(a, b))


def _fit(model: _Model, k: int, iterations: int) -> tuple[list[float], int, bool]:
    """Maximise the posterior; return log-strengths, iterations used, converged.

    Each iteration computes Hunter's MM update and a Newton step (with
    backtracking) and keeps whichever reaches the higher posterior. The MM
    update alone already guarantees that every iteration climbs towards the
    unique optimum; the Newton step only makes the last stretch fast, which
    matters for one-sided data where plain MM needs thousands of updates.
    """
    theta = [0.0] * k
    current = model.log_posterior(theta)
    for used in range(1, iterations + 1):
        best = model.mm_update(theta)
        best_value = model.log_posterior(best)
        newton_step: list[float] | None = None
        try:
            gradient, direction = model.newton_direction(theta)
            newton_step = direction
            slope = sum(g * d for g, d in zip(gradient, direction))
            step = 1.0
            for _ in range(40):
                trial = [t + step * d for t, d in zip(theta, direction)]
                value = model.log_posterior(trial)
                if value >= current + 1e-4 * step * slope:
                    if value > best_value:
                        best, best_value = trial, value
                    break
                step /= 2
        except (OverflowError, ValueError, ZeroDivisionError):
            pass  # fall back to the MM update for this iteration
        if newton_step is not None and max(map(abs, newton_step)) < _TOLERANCE:
            # Newton's step estimates the remaining distance to the optimum.
            return [t + d for t, d in zip(theta, newton_step)], used, True
        if _max_change(best, theta) < _TOLERANCE:
            return best, used, True
        theta, current = best, best_value
    return theta, iterations, False


def pairwise(comparisons: Iterable[Sequence], options: Sequence, *, iterations: int = 200) -> Result:
    """Count pairwise comparisons with a Bradley–Terry model.

    Strengths are fitted with Hunter's MM update, applied to all ideas at
    once from the previous iterate::

        g_i <- (W_i + 0.5) / (sum_j n_ij / (g_i + g_j) + 1 / (g_i + 1))

    where W_i is i's number of wins, n_ij the number of comparisons between
    i and j, and the 0.5 and the last term are the virtual half win and half
    loss against an opponent of strength 1 (see the module docstring). Each
    iteration also tries a Newton step and keeps it when it reaches a higher
    posterior, which makes one-sided data converge in a few iterations. The
    fit maximises the posterior, which always exists and is unique. At most
    ``iterations`` iterations are made; fitting stops earlier once the
    strengths move by less than about 1e-12 (relative), and
    ``explanation["converged"]`` says whether that happened.

    Args:
        comparisons: ``(winner, loser)`` pairs.
        options: All options, in display order (orders ties).
        iterations: Maximum number of iterations.

    Returns:
        A result with score = strength normalised so the compared options sum
        to 1. Options never compared rank last, tied, with score 0.0.
        ``extra`` has ``wins``, ``losses``, ``comparisons`` and ``strength``
        (relative to the virtual average opponent, ``None`` if never
        compared). ``explanation`` has ``rule``, ``wins`` ({winner: {loser:
        count}}), ``iterations`` (used), ``converged`` and
        ``prior_wins``.

    Raises:
        BallotError: If any comparison is invalid.
        ValueError: If ``iterations`` is not a positive integer.
    """
    if not isinstance(iterations, int) or isinstance(iterations, bool) or iterations < 1:
        raise ValueError(f"iterations must be a positive integer, got {iterations!r}")
    opts = option_list(options)
    n = len(opts)
    index = {o: i for i, o in enumerate(opts)}
    known = frozenset(opts)

    wins = [[0] * n for _ in range(n)]
    total = 0
    for comparison in comparisons:
        winner, loser = validate_comparison(comparison, known)
        wins[index[winner]][index[loser]] += 1
        total += 1

    won = [sum(row) for row in wins]
    lost = [sum(wins[j][i] for j in range(n)) for i in range(n)]
    # Only ideas that took part are fitted; the others have no data at all.
    compared = [i for i in range(n) if won[i] + lost[i] > 0]
    position = {i: p for p, i in enumerate(compared)}
    model = _Model(
        won=[won[i] for i in compared],
        neighbours=[
            [(position[j], wins[i][j] + wins[j][i]) for j in compared if wins[i][j] + wins[j][i]]
            for i in compared
        ],
        games=[(position[i], position[j], wins[i][j]) for i in compared for j in compared if wins[i][j]],
    )
    if compared:
        theta, used, converged = _fit(model, len(compared), iterations)
    else:
        theta, used, converged = [], 0, True

    g = {i: math.exp(t) for i, t in zip(compared, theta)}
    strength_sum = sum(g.values())
    scores = {opts[i]: g[i] / strength_sum for i in compared}
    extra = {
        o: {
            "wins": won[i],
            "losses": lost[i],
            "comparisons": won[i] + lost[i],
            "strength": round(g[i], 9) if i in g else None,
        }
        for i, o in enumerate(opts)
    }
    return Result(
        method="pairwise",
        standings=competition_ranks(scores, opts, extra=extra),
        ballots=total,
        params={"iterations": iterations},
        explanation={
            "rule": PAIRWISE_RULE,
            "wins": {
                opts[i]: {opts[j]: wins[i][j] for j in range(n) if wins[i][j]}
                for i in range(n)
                if won[i]
            },
            "iterations": used,
            "converged": converged,
            "prior_wins": PRIOR_WINS,
        },
    )
