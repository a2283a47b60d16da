"""Shared result types, ballot errors and competition ranking.

Everything in this package is pure: functions take plain Python values and
return frozen dataclasses, so the same code serves live tallies, stored
snapshots and exports without touching a database or a web request.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .messages import Gettext, Message, Ngettext, render

__all__ = [
    "BallotError",
    "OPTION_KEYS",
    "OPTION_LIST",
    "OPTION_LISTS",
    "OPTION_MATRIX",
    "Result",
    "Standing",
    "competition_ranks",
]

#: Scores are rounded to this many decimals before ranking so that two sums
#: that differ only by floating-point noise (e.g. from a different summation
#: order) can never be split into different ranks.
SCORE_DECIMALS = 9

# Where a method's ``explanation`` holds option ids. Each method declares its
# fields as ``{field: shape}`` (``OPTION_FIELDS`` in ``app.voting.registry``),
# so code that renames options (a backup restored with new ids) follows the
# declaration instead of knowing every method. A shape is one of these names,
# or ``[{field: shape, ...}]``: a list of objects, each with those fields.

#: ``{option: value}``: an object keyed by option ids.
OPTION_KEYS = "option_keys"
#: ``{option: {option: value}}``: an object keyed by option ids, each value one too.
OPTION_MATRIX = "option_matrix"
#: ``[option, ...]``: a list of option ids.
OPTION_LIST = "option_list"
#: ``{name: [option, ...]}``: an object whose values are lists of option ids.
OPTION_LISTS = "option_lists"


class BallotError(ValueError):
    """A ballot (or a tie-break decision) that cannot be accepted.

    The exception carries a stable machine code for the app and tests, and a
    sentence for the participant: marked for translation (``N_`` / ``Nn_``)
    with its parameters apart, so the app shows it in the reader's language
    (``translated``); ``message`` is the English text.

    Attributes:
        code: Machine-readable reason, e.g. ``"unknown_idea"``, ``"over_budget"``,
            ``"over_cap"``, ``"duplicate_idea"``, ``"negative"``,
            ``"incomplete_ranking"``, ``"out_of_scale"``, ``"bad_value"``,
            ``"bad_ballot"`` or ``"bad_tie_break"``.
        template: The marked sentence (a (singular, plural) pair for a plural one).
        params: Its placeholders' values (``num`` chooses a plural form).
        message: The sentence in English, e.g. ``"You have used all 5 of your dots."``
    """

    def __init__(self, code: str, message: Message, **params: Any) -> None:
        """Create the error.

        Args:
            code: Machine-readable reason code.
            message: The marked sentence for the participant.
            **params: Values of its ``%(name)s`` placeholders.
        """
        self.code = code
        self.template = message
        self.params = params
        self.message = render(message, params)
        # Code and text go to ValueError so that pickling (e.g. across worker processes)
        # can rebuild the exception from ``args``; the attributes above come back with it.
        super().__init__(code, self.message)

    def __str__(self) -> str:
        """Return the participant-facing message (in English)."""
        return self.message

    def translated(self, gettext: Gettext, ngettext: Ngettext) -> Any:
        """The sentence translated by ``gettext`` / ``ngettext`` (the app passes Flask-Babel's,
        or their lazy forms to translate it where it is read)."""
        return render(self.template, self.params, gettext, ngettext)


@dataclass(frozen=True)
class Standing:
    """One option's place in a result.

    Attributes:
        option: The option (idea) id, exactly as passed in ``options``.
        rank: Competition rank: 1 + the number of options with a strictly
            better score (scores 10, 7, 7, 3 give ranks 1, 2, 2, 4).
        score: The method's score for the option, rounded to 9 decimals.
        tied: True when at least one other option shares this rank.
        extra: Method-specific per-option numbers (mean/median/count for
            score voting, wins/losses for pairwise, ...).
    """

    option: Hashable
    rank: int
    score: float
    tied: bool
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    """The outcome of one counting method applied to a set of ballots.

    Attributes:
        method: Registry name of the method, e.g. ``"dots"`` or ``"borda"``.
        standings: One :class:`Standing` per option, in rank order. Within a
            tie, options keep the order in which they were passed.
        ballots: Number of ballots counted (comparisons, for ``"pairwise"``).
        params: Parameters used (budget, cap, scale, ...).
        explanation: JSON-serialisable, method-specific detail (Borda points,
            pairwise matrix, IRV rounds, ...). Dict keys in here are usually
            option ids.
        tie_break: What tie-break was applied with :func:`break_ties`, if any.
    """

    method: str
    standings: tuple[Standing, ...]
    ballots: int
    params: Mapping[str, Any]
    explanation: Mapping[str, Any]
    tie_break: Mapping[str, Any] | None = None

    @property
    def ranking(self) -> list:
        """Options in rank order (tied options in the order they were passed)."""
        return [s.option for s in self.standings]

    def to_dict(self) -> dict:
        """Return a JSON-safe dict of the result for storage and export.

        Option ids are kept as given wherever they are *values* (so int ids
        stay ints in ``standings``, ``ranking``-like lists and ``tie_break``).
        JSON objects only allow string keys, so every dict key inside
        ``explanation`` (these are mostly option ids, e.g. ``{7: 12}`` for
        Borda points) is converted with ``str()``: ``{"7": 12}``. This is the
        only place where keys change type. Tuples become lists.

        Returns:
            A dict that ``json.dumps`` accepts without a custom encoder.
        """
        return {
            "method": self.method,
            "standings": [
                {
                    "option": _json_value(s.option),
                    "rank": s.rank,
                    "score": s.score,
                    "tied": s.tied,
                    "extra": _json_value(s.extra),
                }
                for s in self.standings
            ],
            "ballots": self.ballots,
            "params": _json_value(self.params),
            "explanation": _json_value(self.explanation, stringify_keys=True),
            "tie_break": None if self.tie_break is None else _json_value(self.tie_break),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Result:
        """Rebuild a result from :meth:`to_dict` output (e.g. a stored snapshot).

        Standings, params and tie-break information come back unchanged
        (option ids that were tuples come back as tuples, since lists are not
        hashable). ``explanation`` keeps the string keys it was stored with,
        so ``Result.from_dict(r.to_dict()).to_dict() == r.to_dict()``.

        Args:
            d: A dict as produced by :meth:`to_dict`, possibly after a JSON
                round trip.

        Returns:
            The reconstructed result.
        """
        standings = tuple(
            Standing(
                option=_hashable(s["option"]),
                rank=int(s["rank"]),
                score=float(s["score"]),
                tied=bool(s["tied"]),
                extra=dict(s.get("extra") or {}),
            )
            for s in d["standings"]
        )
        tie_break = d.get("tie_break")
        return cls(
            method=str(d["method"]),
            standings=standings,
            ballots=int(d["ballots"]),
            params=dict(d.get("params") or {}),
            explanation=dict(d.get("explanation") or {}),
            tie_break=None if tie_break is None else dict(tie_break),
        )


def competition_ranks(
    scores: Mapping[Hashable, float],
    options: Sequence[Hashable],
    *,
    higher_is_better: bool = True,
    extra: Mapping[Hashable, Mapping] | None = None,
) -> tuple[Standing, ...]:
    """Turn scores into standings with competition ("1, 2, 2, 4") ranking.

    Scores are rounded to 9 decimals first so floating-point noise cannot
    split a tie. Each option's rank is 1 + the number of options with a
    strictly better rounded score, and ``tied`` is set on every option that
    shares its rank. Within a tie, options keep the order of ``options``.

    Options listed in ``options`` but missing from ``scores`` are "unscored"
    (e.g. nobody rated them): they come after every scored option, share one
    rank, and get a score of 0.0.

    Args:
        scores: Score per option. Every key must appear in ``options``.
        options: All options, in the order used to list tied options.
        higher_is_better: False when a lower score is better (e.g. costs).
        extra: Optional per-option ``Standing.extra`` mappings.

    Returns:
        Standings in rank order.

    Raises:
        ValueError: On duplicate options, scores for unknown options, or
            non-finite scores.
    """
    opts = option_list(options)
    known = set(opts)
    unknown = [k for k in scores if k not in known]
    if unknown:
        raise ValueError(f"scores given for options not in options: {unknown!r}")
    extra = extra or {}

    scored: list[tuple[float, int, Hashable]] = []
    unscored: list[Hashable] = []
    for i, option in enumerate(opts):
        if option in scores:
            value = float(scores[option])
            if not math.isfinite(value):
                raise ValueError(f"score for {option!r} is not finite")
            # "+ 0.0" turns -0.0 into 0.0 so it serialises like its equal.
            scored.append((round(value, SCORE_DECIMALS) + 0.0, i, option))
        else:
            unscored.append(option)

    sign = -1.0 if higher_is_better else 1.0
    scored.sort(key=lambda t: (sign * t[0], t[1]))
    group_sizes = Counter(t[0] for t in scored)

    standings: list[Standing] = []
    rank = 0
    previous: float | None = None
    for position, (value, _, option) in enumerate(scored):
        if value != previous:
            # Everything before this position is strictly better.
            rank = position + 1
            previous = value
        standings.append(
            Standing(
                option=option,
                rank=rank,
                score=value,
                tied=group_sizes[value] > 1,
                extra=dict(extra.get(option, {})),
            )
        )
    last_rank = len(scored) + 1
    for option in unscored:
        standings.append(
            Standing(
                option=option,
                rank=last_rank,
                score=0.0,
                tied=len(unscored) > 1,
                extra=dict(extra.get(option, {})),
            )
        )
    return tuple(standings)


# --------------------------------------------------------------------------
# Helpers shared by the method modules (not part of the public API).
# --------------------------------------------------------------------------


def option_list(options: Iterable[Hashable]) -> list[Hashable]:
    """Return options as a list, rejecting duplicates and unhashable ids.

    Args:
        options: The options of a vote.

    Returns:
        The options as a new list, in the given order.

    Raises:
        ValueError: If an option appears twice.
        TypeError: If an option is not hashable.
    """
    opts = list(options)
    if len(set(opts)) != len(opts):
        seen: set = set()
        dupes = [o for o in opts if o in seen or seen.add(o)]
        raise ValueError(f"duplicate options: {dupes!r}")
    return opts


def option_set(options: Collection[Hashable]) -> Collection[Hashable]:
    """Return a container with fast membership tests for ``options``."""
    # Sets, frozensets and dict views already hash; lists would make every
    # membership test linear in the number of ideas.
    if isinstance(options, (set, frozenset, Mapping)):
        return options
    return frozenset(options)


def is_int(value: Any) -> bool:
    """True for real integers; bools are rejected even though bool is an int."""
    return isinstance(value, int) and not isinstance(value, bool)


def _json_value(value: Any, *, stringify_keys: bool = False) -> Any:
    """Convert nested mappings/sequences to JSON-safe dicts and lists."""
    if isinstance(value, Mapping):
        return {
            (str(k) if stringify_keys and not isinstance(k, str) else k): _json_value(
                v, stringify_keys=stringify_keys
            )
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_json_value(v, stringify_keys=stringify_keys) for v in value]
    if isinstance(value, (set, frozenset)):
        # Sets have no order; sort by repr so snapshots are reproducible.
        return [_json_value(v, stringify_keys=stringify_keys) for v in sorted(value, key=repr)]
    return value


def _hashable(value: Any) -> Hashable:
    """Undo the tuple -> list conversion of ``to_dict`` for option ids."""
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value
