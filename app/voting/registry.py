"""Registry of counting methods by the names stored with a vote, and where their explanations name options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .allocation import DOTS_OPTION_FIELDS, POINTS_OPTION_FIELDS, dot_vote, points_vote
from .core import Result
from .pairwise import PAIRWISE_OPTION_FIELDS, pairwise
from .ranking import BORDA_OPTION_FIELDS, IRV_OPTION_FIELDS, SCHULZE_OPTION_FIELDS, borda, instant_runoff, schulze
from .rating import IMPACT_EFFORT_OPTION_FIELDS, SCORE_OPTION_FIELDS, impact_effort, score_vote
from .words import WORD_COUNT_OPTION_FIELDS, word_count

__all__ = ["METHODS", "OPTION_FIELDS"]

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
    "word_count": word_count,
}

#: Method name -> the fields of its ``explanation`` that hold option ids, each with its
#: shape (``{field: shape}``; the shapes are ``OPTION_KEYS`` and its kin in ``app.voting.core``).
#: A field not listed holds no option id. Declared beside each method, collected here.
OPTION_FIELDS: dict[str, dict[str, Any]] = {
    "dots": DOTS_OPTION_FIELDS,
    "borda": BORDA_OPTION_FIELDS,
    "schulze": SCHULZE_OPTION_FIELDS,
    "irv": IRV_OPTION_FIELDS,
    "score": SCORE_OPTION_FIELDS,
    "points": POINTS_OPTION_FIELDS,
    "pairwise": PAIRWISE_OPTION_FIELDS,
    "impact_effort": IMPACT_EFFORT_OPTION_FIELDS,
    "word_count": WORD_COUNT_OPTION_FIELDS,
}
