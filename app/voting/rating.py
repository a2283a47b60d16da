"""Rating methods: score voting and impact/effort rating.

Participants rate ideas on an integer scale and may leave ideas unrated.
Means are computed with ``math.fsum`` and spreads with ``statistics`` (which
sums exactly), so the numbers do not depend on the order of ballots.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any

from .core import OPTION_KEYS, OPTION_LISTS, BallotError, Result, competition_ranks, is_int, option_list, option_set
from .messages import N_

__all__ = [
    "QUADRANTS",
    "impact_effort",
    "score_vote",
    "validate_impact_effort",
    "validate_scores",
]

#: Quadrant names in a fixed order (used for ``explanation["quadrants"]``).
QUADRANTS = ("quick_win", "major_project", "fill_in", "thankless")

#: Where each rating method's explanation holds option ids (see ``core.OPTION_KEYS``):
#: the histogram of ratings per option; the options in each quadrant.
SCORE_OPTION_FIELDS = {"histogram": OPTION_KEYS}
IMPACT_EFFORT_OPTION_FIELDS = {"quadrants": OPTION_LISTS}


def _check_scale(scale_min: int, scale_max: int) -> None:
    """Reject a malformed scale (a configuration error, not a ballot error)."""
    if not (is_int(scale_min) and is_int(scale_max)) or scale_min >= scale_max:
        raise ValueError(f"scale must be integers with min < max, got {scale_min!r}..{scale_max!r}")


def _check_rating(value: Any, scale_min: int, scale_max: int) -> None:
    """Raise a participant-facing error for a rating outside the scale."""
    if not is_int(value):
        raise BallotError("bad_value", N_("Please give each rating as a whole number."))
    if not scale_min <= value <= scale_max:
        raise BallotError("out_of_scale", N_("Ratings go from %(low)s to %(high)s."), low=scale_min, high=scale_max)


def validate_scores(ballot: Mapping, options: Collection, *, scale_min: int = 1, scale_max: int = 5) -> dict:
    """Check one score ballot.

    Args:
        ballot: Maps option -> rating (an int within the scale). Unrated
            options are simply left out.
        options: The options of the vote.
        scale_min: Lowest allowed rating.
        scale_max: Highest allowed rating.

    Returns:
        The ballot as a new dict.

    Raises:
        BallotError: ``bad_ballot``, ``unknown_idea``, ``bad_value`` or
            ``out_of_scale``.
    """
    _check_scale(scale_min, scale_max)
    if not isinstance(ballot, Mapping):
        raise BallotError("bad_ballot", N_("This ballot should give a rating to each idea."))
    known = option_set(options)
    for option, value in ballot.items():
        if option not in known:
            raise BallotError("unknown_idea", N_("One of the ideas on this ballot is not part of this vote."))
        _check_rating(value, scale_min, scale_max)
    return dict(ballot)


def validate_impact_effort(
    ballot: Mapping, options: Collection, *, scale_min: int = 1, scale_max: int = 5
) -> dict:
    """Check one impact/effort ballot.

    Args:
        ballot: Maps option -> (impact, effort), both ints within the scale.
        options: The options of the vote.
        scale_min: Lowest allowed rating.
        scale_max: Highest allowed rating.

    Returns:
        A new dict mapping option -> (impact, effort) tuples.

    Raises:
        BallotError: ``bad_ballot``, ``unknown_idea``, ``bad_value`` or
            ``out_of_scale``.
    """
    _check_scale(scale_min, scale_max)
    if not isinstance(ballot, Mapping):
        raise BallotError("bad_ballot", N_("This ballot should rate the impact and effort of each idea."))
    known = option_set(options)
    cleaned = {}
    for option, pair in ballot.items():
        if option not in known:
            raise BallotError("unknown_idea", N_("One of the ideas on this ballot is not part of this vote."))
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise BallotError("bad_value", N_("Please rate both the impact and the effort of each idea."))
        impact, effort = pair
        _check_rating(impact, scale_min, scale_max)
        _check_rating(effort, scale_min, scale_max)
        cleaned[option] = (impact, effort)
    return cleaned


def _mean(values: list[int]) -> float:
    """Order-independent mean (``fsum`` is exactly rounded)."""
    return math.fsum(values) / len(values)


def score_vote(
    ballots: Iterable[Mapping], options: Sequence, *, scale_min: int = 1, scale_max: int = 5
) -> Result:
    """Count score (rating) ballots, ranking options by mean rating.

    Options that nobody rated cannot have a mean; they are ranked last, tied
    with each other, with score 0.0 and ``None`` statistics, rather than being
    given an invented rating.

    Args:
        ballots: Each maps option -> rating within ``scale_min..scale_max``.
        options: All options, in display order (orders ties).
        scale_min: Lowest allowed rating.
        scale_max: Highest allowed rating.

    Returns:
        A result with score = mean rating. ``extra`` has ``mean``,
        ``median``, ``count``, ``stdev`` (population), ``min`` and ``max``.
        ``explanation["histogram"]`` maps option -> {rating: count} (only
        ratings that were given).

    Raises:
        BallotError: If any ballot is invalid.
    """
    opts = option_list(options)
    known = frozenset(opts)
    ratings: dict[Hashable, list[int]] = {o: [] for o in opts}
    total = 0
    for ballot in ballots:
        for option, value in validate_scores(ballot, known, scale_min=scale_min, scale_max=scale_max).items():
            ratings[option].append(value)
        total += 1

    scores: dict[Hashable, float] = {}
    extra: dict[Hashable, dict[str, Any]] = {}
    histogram: dict[Hashable, dict[int, int]] = {}
    for option in opts:
        values = sorted(ratings[option])
        histogram[option] = dict(sorted(Counter(values).items()))
        if not values:
            extra[option] = {"mean": None, "median": None, "count": 0, "stdev": None, "min": None, "max": None}
            continue
        mean = _mean(values)
        scores[option] = mean
        extra[option] = {
            "mean": round(mean, 9),
            "median": float(statistics.median(values)),
            "count": len(values),
            "stdev": round(statistics.pstdev(values), 9),
            "min": values[0],
            "max": values[-1],
        }
    return Result(
        method="score",
        standings=competition_ranks(scores, opts, extra=extra),
        ballots=total,
        params={"scale_min": scale_min, "scale_max": scale_max},
        explanation={"histogram": histogram, "scale": [scale_min, scale_max]},
    )


def _quadrant(mean_impact: float, mean_effort: float, midpoint: float) -> str:
    """Classify by the midpoint; a mean exactly on the midpoint counts as low."""
    high_impact = mean_impact > midpoint
    high_effort = mean_effort > midpoint
    if high_impact:
        return "major_project" if high_effort else "quick_win"
    return "thankless" if high_effort else "fill_in"


def impact_effort(
    ballots: Iterable[Mapping], options: Sequence, *, scale_min: int = 1, scale_max: int = 5
) -> Result:
    """Count impact/effort ballots.

    Each option gets its mean impact and mean effort. It is placed in a
    quadrant by comparing both means with the scale midpoint
    ``(scale_min + scale_max) / 2``: high impact and low effort is a
    ``quick_win``, high/high a ``major_project``, low/low a ``fill_in`` and
    low impact with high effort ``thankless``. A mean exactly on the midpoint
    counts as low. Options are ranked by mean impact minus mean effort;
    options nobody rated rank last, tied, with quadrant ``None``.

    Args:
        ballots: Each maps option -> (impact, effort).
        options: All options, in display order (orders ties).
        scale_min: Lowest allowed rating.
        scale_max: Highest allowed rating.

    Returns:
        A result with score = mean impact - mean effort. ``extra`` has
        ``mean_impact``, ``mean_effort``, ``count`` and ``quadrant``;
        ``explanation`` has ``midpoint`` and ``quadrants``
        ({quadrant: [options]}).

    Raises:
        BallotError: If any ballot is invalid.
    """
    opts = option_list(options)
    known = frozenset(opts)
    impacts: dict[Hashable, list[int]] = {o: [] for o in opts}
    efforts: dict[Hashable, list[int]] = {o: [] for o in opts}
    total = 0
    for ballot in ballots:
        cleaned = validate_impact_effort(ballot, known, scale_min=scale_min, scale_max=scale_max)
        for option, (impact, effort) in cleaned.items():
            impacts[option].append(impact)
            efforts[option].append(effort)
        total += 1

    midpoint = (scale_min + scale_max) / 2
    scores: dict[Hashable, float] = {}
    extra: dict[Hashable, dict[str, Any]] = {}
    quadrants: dict[str, list] = {q: [] for q in QUADRANTS}
    for option in opts:
        if not impacts[option]:
            extra[option] = {"mean_impact": None, "mean_effort": None, "count": 0, "quadrant": None}
            continue
        mean_impact = _mean(impacts[option])
        mean_effort = _mean(efforts[option])
        quadrant = _quadrant(mean_impact, mean_effort, midpoint)
        quadrants[quadrant].append(option)
        scores[option] = mean_impact - mean_effort
        extra[option] = {
            "mean_impact": round(mean_impact, 9),
            "mean_effort": round(mean_effort, 9),
            "count": len(impacts[option]),
            "quadrant": quadrant,
        }
    return Result(
        method="impact_effort",
        standings=competition_ranks(scores, opts, extra=extra),
        ballots=total,
        params={"scale_min": scale_min, "scale_max": scale_max},
        explanation={"midpoint": midpoint, "quadrants": quadrants},
    )
