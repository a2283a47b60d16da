"""Pure vote counting for Tavle.

This package turns ballots into ranked, explained results. It uses only the
Python standard library and does no I/O, so it can be tested in isolation
and reused for live tallies, stored snapshots and exports alike.

Conventions shared by every method:

* Option (idea) ids are any hashable values; in the app they are ints.
* Ties are explicit and never broken silently: competition ranking gives
  scores 10, 7, 7, 3 the ranks 1, 2, 2, 4, with ``tied=True`` on both 2s.
  Tied options are listed in the order of ``options`` as passed.
  :func:`break_ties` applies an explicit, recorded tie-break rule.
* Results do not depend on ballot order; scores are rounded to 9 decimals
  before ranking so floating-point noise cannot split a tie.
* Invalid ballots raise :class:`BallotError` with a machine ``code`` and a
  sentence for the participant, marked for translation with its parameters
  apart (``app.voting.messages``): the app shows it in the reader's language.
"""

from .allocation import allocation_result, dot_vote, points_vote, validate_dots, validate_points
from .cards import method_card
from .core import OPTION_KEYS, OPTION_LIST, OPTION_LISTS, OPTION_MATRIX, BallotError, Result, Standing, competition_ranks
from .pairwise import pairwise, validate_comparison
from .ranking import borda, instant_runoff, schulze, validate_ranking
from .rating import impact_effort, score_vote, validate_impact_effort, validate_scores
from .registry import METHODS, OPTION_FIELDS
from .sectors import by_sector, consensus, supporters_from_ballots
from .ties import break_ties
from .words import word_count

__all__ = [
    "METHODS",
    "OPTION_FIELDS",
    "OPTION_KEYS",
    "OPTION_LIST",
    "OPTION_LISTS",
    "OPTION_MATRIX",
    "BallotError",
    "Result",
    "Standing",
    "borda",
    "break_ties",
    "by_sector",
    "competition_ranks",
    "consensus",
    "allocation_result",
    "dot_vote",
    "impact_effort",
    "instant_runoff",
    "method_card",
    "pairwise",
    "points_vote",
    "schulze",
    "score_vote",
    "supporters_from_ballots",
    "validate_comparison",
    "validate_dots",
    "validate_impact_effort",
    "validate_points",
    "validate_ranking",
    "validate_scores",
    "word_count",
]
