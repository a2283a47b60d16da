"""Breakdowns by stakeholder sector, support and cross-sector consensus.

Small groups are suppressed (``min_cell``) so a result can never reveal how
one or two identifiable people voted.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

from .core import is_int
from .registry import METHODS

__all__ = ["by_sector", "consensus", "supporters_from_ballots"]

_RANKING_METHODS = frozenset({"borda", "schulze", "irv"})


def _check_min_cell(min_cell: int) -> None:
    """Reject a suppression threshold that would not protect anyone."""
    if not is_int(min_cell) or min_cell < 1:
        raise ValueError(f"min_cell must be an integer >= 1, got {min_cell!r}")


def _is_pair_list(ballot: Any) -> bool:
    """True if ``ballot`` is a list of comparisons rather than one comparison."""
    return (
        isinstance(ballot, (list, tuple))
        and len(ballot) > 0
        and all(isinstance(c, (list, tuple)) and len(c) == 2 for c in ballot)
    )


def _comparisons(ballot: Any) -> list:
    """Normalise a pairwise ballot to a list of ``(winner, loser)`` pairs.

    A ballot is either one ``(winner, loser)`` pair or a sequence of them; a
    sequence whose items are all 2-item lists/tuples is read as the latter.
    """
    if _is_pair_list(ballot):
        return list(ballot)
    if isinstance(ballot, (list, tuple)) and len(ballot) == 0:
        return []
    return [ballot]


def supporters_from_ballots(
    method: str,
    ballot: Any,
    *,
    scale_min: int = 1,
    scale_max: int = 5,
    n_options: int | None = None,
) -> set:
    """Return the options that a single ballot "supports".

    Support is a yes/no reading of a ballot used for consensus measures:

    * ``"dots"`` / ``"points"``: options given more than 0.
    * ``"score"``: options rated at or above the scale midpoint
      ``(scale_min + scale_max) / 2``.
    * ``"impact_effort"``: options whose impact is at or above the midpoint.
    * ``"borda"`` / ``"schulze"`` / ``"irv"``: options ranked in the top half,
      i.e. the first ceil(n / 2) places, where n is ``n_options`` (pass it
      for partial ballots) or else the ballot's length. With an odd n the
      middle place counts as top half.
    * ``"pairwise"``: the winner of the comparison. The ballot may be one
      ``(winner, loser)`` pair or a sequence of such pairs.
    * ``"word_count"``: every word the ballot names.

    Args:
        method: Registry name of the method.
        ballot: One participant's ballot in that method's format.
        scale_min: Lowest rating (score and impact/effort only).
        scale_max: Highest rating (score and impact/effort only).
        n_options: Number of options in the vote (ranking methods only).

    Returns:
        The set of supported options.

    Raises:
        ValueError: For an unknown method.
    """
    if method in ("dots", "points"):
        return {o for o, v in ballot.items() if v > 0}
    if method == "score":
        midpoint = (scale_min + scale_max) / 2
        return {o for o, v in ballot.items() if v >= midpoint}
    if method == "impact_effort":
        midpoint = (scale_min + scale_max) / 2
        return {o for o, (impact, _effort) in ballot.items() if impact >= midpoint}
    if method in _RANKING_METHODS:
        n = len(ballot) if n_options is None else n_options
        top = math.ceil(n / 2)
        return set(list(ballot)[:top])
    if method == "pairwise":
        return {winner for winner, _loser in _comparisons(ballot)}
    if method == "word_count":
        return set(ballot)
    raise ValueError(f"unknown voting method: {method!r}")


def by_sector(
    ballots_with_sector: Iterable[tuple[str, Any]],
    options: Sequence,
    method: str,
    *,
    min_cell: int = 3,
    **params: Any,
) -> dict:
    """Run a method separately for each stakeholder sector.

    Each item is ``(sector, ballot)`` for one voter. For ``"pairwise"`` the
    ballot is that voter's list of ``(winner, loser)`` comparisons (a single
    pair is accepted too), so the suppression threshold counts people, not
    comparisons. A sector with fewer than ``min_cell`` voters is suppressed:
    only the fact that it is suppressed and its voter count are returned, no
    scores, so small groups cannot be singled out.

    Args:
        ballots_with_sector: ``(sector, ballot)`` pairs.
        options: All options, in display order.
        method: Registry name of the method (see ``METHODS``).
        min_cell: Smallest sector that is shown.
        **params: Passed on to the method (e.g. ``budget``, ``cap``).

    Returns:
        ``{"sectors": {sector: Result.to_dict() or {"suppressed": True,
        "voters": n}}, "min_cell": min_cell}``, sectors sorted by name so the
        output does not depend on ballot order.

    Raises:
        ValueError: For an unknown method or a bad ``min_cell``.
        BallotError: If a ballot is invalid.
    """
    _check_min_cell(min_cell)
    if method not in METHODS:
        raise ValueError(f"unknown voting method: {method!r}")
    count = METHODS[method]
    grouped: dict[str, list] = {}
    for sector, ballot in ballots_with_sector:
        grouped.setdefault(sector, []).append(ballot)

    sectors: dict[str, dict] = {}
    for sector in sorted(grouped, key=str):
        ballots = grouped[sector]
        if len(ballots) < min_cell:
            sectors[sector] = {"suppressed": True, "voters": len(ballots)}
            continue
        if method == "pairwise":
            ballots = [c for b in ballots for c in _comparisons(b)]
        sectors[sector] = count(ballots, options, **params).to_dict()
    return {"sectors": sectors, "min_cell": min_cell}


def consensus(
    support: Mapping[str, Mapping[Hashable, tuple[int, int]]],
    options: Sequence,
    *,
    min_cell: int = 3,
    alpha: float = 1.0,
) -> dict:
    """Measure how evenly support for each option is spread across sectors.

    For an option, each sector with at least ``min_cell`` voters contributes
    its smoothed support rate ``(s + alpha) / (n + 2 * alpha)`` (s supporters
    out of n voters; the smoothing keeps a sector of 3 people who all agree
    from counting as certainty). The consensus is the geometric mean of these
    rates over the k sectors counted, i.e. their product raised to 1/k.
    Taking the k-th root keeps the number on the 0..1 scale of a support
    rate, so workshops with different numbers of sectors can be compared; the
    geometric mean is pulled down sharply by any sector that does not
    support the option, which is what a consensus measure should do.

    Sectors below ``min_cell`` are left out (as in :func:`by_sector`), and so
    is a sector that has no entry for the option.

    Args:
        support: ``support[sector][option] = (supporters, voters in sector)``,
            e.g. counted with :func:`supporters_from_ballots`.
        options: All options.
        min_cell: Smallest sector that is counted.
        alpha: Smoothing pseudo-count (>= 0); 1.0 is Laplace smoothing.

    Returns:
        ``{option: {"consensus": float | None, "sectors_counted": k,
        "min_rate": float | None}}`` where ``min_rate`` is the lowest smoothed
        rate among the counted sectors; both are ``None`` when k is 0.
        Numbers are rounded to 9 decimals.

    Raises:
        ValueError: For negative ``alpha``, a bad ``min_cell`` or an
            impossible cell (supporters < 0 or > voters).
    """
    _check_min_cell(min_cell)
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha!r}")
    out: dict[Hashable, dict[str, Any]] = {}
    sector_names = sorted(support, key=str)
    for option in options:
        rates: list[float] = []
        for sector in sector_names:
            cell = support[sector].get(option)
            if cell is None:
                continue
            supporters, voters = cell
            if not (is_int(supporters) and is_int(voters)) or not 0 <= supporters <= voters:
                raise ValueError(f"bad support cell for {option!r} in {sector!r}: {cell!r}")
            if voters < min_cell:
                continue
            rates.append((supporters + alpha) / (voters + 2 * alpha))
        if not rates:
            out[option] = {"consensus": None, "sectors_counted": 0, "min_rate": None}
            continue
        if min(rates) == 0.0:
            value = 0.0  # only possible with alpha == 0; log(0) is undefined
        else:
            # Mean of logs avoids underflow of a long product; fsum keeps it
            # independent of sector order.
            value = math.exp(math.fsum(math.log(r) for r in rates) / len(rates))
        out[option] = {
            "consensus": round(value, 9),
            "sectors_counted": len(rates),
            "min_rate": round(min(rates), 9),
        }
    return out
