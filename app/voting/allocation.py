"""Dot voting and points allocation.

Both methods let a participant spread a fixed budget over the ideas; dot
voting additionally caps how much can go on a single idea. The score of an
idea is simply the total it received, so the tallies are exact integers and
cannot depend on the order in which ballots arrive.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .core import (
    OPTION_KEYS,
    BallotError,
    Result,
    competition_ranks,
    is_int,
    option_list,
    option_set,
)
from .messages import N_, Message, Nn_

__all__ = ["allocation_result", "dot_vote", "points_vote", "validate_dots", "validate_points"]


def _check_limit(name: str, value: int, minimum: int) -> None:
    """Reject a bad configuration value (a programming error, not a ballot error)."""
    if not is_int(value) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


@dataclass(frozen=True)
class _Refusals:
    """What a ballot of one allocation method is told when it is refused (its unit named)."""

    shape: str
    whole: str
    negative: str
    over_budget: Message


_DOTS = _Refusals(
    shape=N_("This ballot should give a number of dots to each idea."),
    whole=N_("Please give each idea a whole number of dots."),
    negative=N_("You cannot give an idea a negative number of dots."),
    over_budget=Nn_("You have used your %(num)s dot.", "You have used all %(num)s of your dots."),
)
_POINTS = _Refusals(
    shape=N_("This ballot should give a number of points to each idea."),
    whole=N_("Please give each idea a whole number of points."),
    negative=N_("You cannot give an idea a negative number of points."),
    over_budget=Nn_("You have %(num)s point to share out, and this ballot uses %(total)s.",
                    "You have %(num)s points to share out, and this ballot uses %(total)s."),
)
_OVER_CAP = Nn_("You can put at most %(num)s dot on one idea.", "You can put at most %(num)s dots on one idea.")
_UNKNOWN = N_("One of the ideas on this ballot is not part of this vote.")


def _validate_allocation(
    ballot: Mapping,
    options: Collection,
    *,
    budget: int,
    cap: int | None,
    refusals: _Refusals,
) -> dict:
    """Shared validation for dots and points; see the public wrappers."""
    if not isinstance(ballot, Mapping):
        raise BallotError("bad_ballot", refusals.shape)
    known = option_set(options)
    cleaned: dict = {}
    total = 0
    for option, amount in ballot.items():
        if option not in known:
            raise BallotError("unknown_idea", _UNKNOWN)
        if not is_int(amount):
            raise BallotError("bad_value", refusals.whole)
        if amount < 0:
            raise BallotError("negative", refusals.negative)
        if cap is not None and amount > cap:
            raise BallotError("over_cap", _OVER_CAP, num=cap)
        total += amount
        # Zeros are allowed on input (sliders at 0) but carry no vote.
        if amount:
            cleaned[option] = amount
    if total > budget:
        raise BallotError("over_budget", refusals.over_budget, num=budget, total=total)
    return cleaned


def validate_dots(ballot: Mapping, options: Collection, *, budget: int, cap: int) -> dict:
    """Check one dot-voting ballot and return it without zero entries.

    Args:
        ballot: Maps option -> number of dots (an int >= 0). Zeros are allowed
            and dropped.
        options: The options of the vote.
        budget: Dots each participant may place in total.
        cap: Most dots allowed on one option.

    Returns:
        A new dict with only the options that received at least one dot.

    Raises:
        BallotError: ``unknown_idea``, ``bad_value`` (not a whole number),
            ``negative``, ``over_cap`` or ``over_budget``; messages name the
            limit, e.g. "You have used all 5 of your dots."
        ValueError: If ``budget`` or ``cap`` is not a sensible integer.
    """
    _check_limit("budget", budget, 0)
    _check_limit("cap", cap, 1)
    return _validate_allocation(ballot, options, budget=budget, cap=cap, refusals=_DOTS)


def validate_points(ballot: Mapping, options: Collection, *, budget: int = 100) -> dict:
    """Check one points-allocation ballot and return it without zero entries.

    Args:
        ballot: Maps option -> points (an int >= 0); zeros are dropped.
        options: The options of the vote.
        budget: Points each participant may share out in total.

    Returns:
        A new dict with only the options that received points.

    Raises:
        BallotError: ``unknown_idea``, ``bad_value``, ``negative`` or
            ``over_budget``.
        ValueError: If ``budget`` is not an integer >= 0.
    """
    _check_limit("budget", budget, 0)
    return _validate_allocation(ballot, options, budget=budget, cap=None, refusals=_POINTS)


def _tally(
    method: str,
    cleaned: list[dict],
    opts: Sequence[Hashable],
    params: dict,
    unit: str,
) -> Result:
    """Sum validated allocations into a result (shared by dots and points)."""
    totals = {o: 0 for o in opts}
    voters = {o: 0 for o in opts}
    for ballot in cleaned:
        for option, amount in ballot.items():
            totals[option] += amount
            voters[option] += 1
    return allocation_result(method, totals, voters, len(cleaned), opts, params, unit)


def allocation_result(
    method: str,
    totals: Mapping[Hashable, int],
    voters: Mapping[Hashable, int],
    ballots: int,
    opts: Sequence[Hashable],
    params: dict,
    unit: str,
) -> Result:
    """The result of allocations already summed: ``totals`` and ``voters`` (ballots giving it
    more than zero) per option, over ``ballots`` non-empty ballots. What ``dot_vote`` and
    ``points_vote`` give for ballots with those sums; a caller that sums elsewhere (a
    database over ballots validated when they were cast) gets the same result without
    reading every ballot. Options missing from the sums have none."""
    totals = {o: totals.get(o, 0) for o in opts}
    voters = {o: voters.get(o, 0) for o in opts}
    extra = {o: {unit: totals[o], "voters": voters[o]} for o in opts}
    return Result(
        method=method,
        standings=competition_ranks(totals, opts, extra=extra),
        ballots=ballots,
        params=params,
        explanation={
            unit: dict(totals),
            "voters": dict(voters),
            f"total_{unit}": sum(totals.values()),
        },
    )


#: Where a dot vote's explanation holds option ids (see ``core.OPTION_KEYS``).
DOTS_OPTION_FIELDS = {"dots": OPTION_KEYS, "voters": OPTION_KEYS}
#: Where a points allocation's explanation holds option ids.
POINTS_OPTION_FIELDS = {"points": OPTION_KEYS, "voters": OPTION_KEYS}


def dot_vote(ballots: Iterable[Mapping], options: Sequence, *, budget: int, cap: int) -> Result:
    """Count dot-voting ballots.

    Every ballot is validated with :func:`validate_dots`; one bad ballot
    raises rather than being skipped, so a tally never silently drops votes.

    Args:
        ballots: Each maps option -> dots.
        options: All options, in display order (used to order ties).
        budget: Dots per participant.
        cap: Most dots per option on one ballot.

    Returns:
        A result whose score is the total number of dots. ``extra`` and
        ``explanation`` hold per-option ``dots`` and ``voters`` (participants
        who gave the option at least one dot), plus ``total_dots``.

    Raises:
        BallotError: If any ballot is invalid.
    """
    opts = option_list(options)
    known = frozenset(opts)
    cleaned = [validate_dots(b, known, budget=budget, cap=cap) for b in ballots]
    return _tally("dots", cleaned, opts, {"budget": budget, "cap": cap}, "dots")


def points_vote(ballots: Iterable[Mapping], options: Sequence, *, budget: int = 100) -> Result:
    """Count points-allocation ballots (like dots, but without a per-idea cap).

    Args:
        ballots: Each maps option -> points, at most ``budget`` in total.
        options: All options, in display order.
        budget: Points per participant.

    Returns:
        A result whose score is the total number of points, with per-option
        ``points`` and ``voters`` in ``extra`` and ``explanation``.

    Raises:
        BallotError: If any ballot is invalid.
    """
    opts = option_list(options)
    known = frozenset(opts)
    cleaned = [validate_points(b, known, budget=budget) for b in ballots]
    return _tally("points", cleaned, opts, {"budget": budget}, "points")
