"""Registry of counting methods by the names stored with a vote."""

from __future__ import annotations

from collections.abc import Callable

from .allocation import dot_vote, points_vote
from .core import Result
from .pairwise import pairwise
from .ranking import borda, instant_runoff, schulze
from .rating import impact_effort, score_vote

__all__ = ["METHODS"]

#: Method name -> counting function. Every function is called as
#: ``METHODS[name](ballots, options, **params)`` and returns a
#: :class:`~app.voting.core.Result` whose ``method`` is that name.
METHODS: dict[str, Callable[..., Result]] = {
    "dots": dot_vote,
    "borda": borda,
    "schulze": schulze,
    "irv": instant_runoff,
    "score": score_vote,
    "points": points_vote,
    "pairwise": pairwise,
    "impact_effort": impact_effort,
}
