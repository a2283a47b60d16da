"""Round kinds, registered by name: a new kind is one module and one line here."""
from __future__ import annotations

from app.rounds.base import KINDS_REF, RoundKind, VotingKind
from app.rounds.brainstorm import Brainstorm
from app.rounds.dots import DotVote, Points
from app.rounds.pairwise import Pairwise
from app.rounds.rank import RANK_METHODS, Rank
from app.rounds.rating import ImpactEffort, Score
from app.rounds.work import CommentRound, WorksheetRound

KINDS: dict[str, RoundKind] = {
    kind.name: kind
    for kind in (
        Brainstorm(), DotVote(), Rank(), Score(), Points(), Pairwise(), ImpactEffort(), CommentRound(), WorksheetRound(),
    )
}
KINDS_REF.update(KINDS)

__all__ = ["KINDS", "RANK_METHODS", "RoundKind", "VotingKind", "kind_of"]


def kind_of(round_) -> RoundKind:
    """The ``RoundKind`` implementing ``round_``."""
    return KINDS[round_.kind]
