"""Round kinds, registered by name: a new kind is one module and one line here."""
from __future__ import annotations

from app.rounds.base import RoundKind
from app.rounds.brainstorm import Brainstorm
from app.rounds.dots import DotVote
from app.rounds.rank import Rank

KINDS: dict[str, RoundKind] = {kind.name: kind for kind in (Brainstorm(), DotVote(), Rank())}


def kind_of(round_) -> RoundKind:
    """The ``RoundKind`` implementing ``round_``."""
    return KINDS[round_.kind]
