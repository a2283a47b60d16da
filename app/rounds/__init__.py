"""Round kinds, registered by name: a new kind is one module and one line here."""
from __future__ import annotations

from app.rounds.base import KINDS_REF, RoundKind, VotingKind
from app.rounds.brainstorm import Brainstorm
from app.rounds.dots import DotVote, Points
from app.rounds.form import Setting, SettingsBlock, layout
from app.rounds.pairwise import Pairwise
from app.rounds.rank import RANK_METHODS, Rank
from app.rounds.rating import ImpactEffort, Score
from app.rounds.word_cloud import WordCloud
from app.rounds.work import CommentRound, WorksheetRound

KINDS: dict[str, RoundKind] = {
    kind.name: kind
    for kind in (
        Brainstorm(), DotVote(), Rank(), Score(), Points(), Pairwise(), ImpactEffort(), CommentRound(), WorksheetRound(), WordCloud(),
    )
}
KINDS_REF.update(KINDS)

#: The vote event that sends a whole ballot, which every voting kind takes.
WHOLE_BALLOT = "submit_ballot"
WHOLE_BALLOT_DOC = "Send a whole ballot at once (the only way to vote in an anonymous round)."

#: The round form's settings blocks, in form order, each with the names of the kinds using it.
SETTINGS_LAYOUT: list[tuple[SettingsBlock, str]] = layout(KINDS.values())

__all__ = ["KINDS", "RANK_METHODS", "SETTINGS_LAYOUT", "RoundKind", "Setting", "SettingsBlock", "VotingKind", "kind_of",
           "round_settings", "vote_events"]


def kind_of(round_) -> RoundKind:
    """The ``RoundKind`` implementing ``round_``."""
    return KINDS[round_.kind]


def round_settings() -> list[Setting]:
    """Every setting of the round form, in form order."""
    return [setting for block, _ in SETTINGS_LAYOUT for setting in block.settings]


def vote_events() -> dict[str, str]:
    """Every vote event participants send, with what it does: each voting kind's ``action``
    (registry order), then ``submit_ballot``."""
    events: dict[str, str] = {}
    for kind in KINDS.values():
        if kind.votes and kind.action:
            if kind.action in events or kind.action == WHOLE_BALLOT:
                raise ValueError(f"Two round kinds use the vote event “{kind.action}”.")
            events[kind.action] = kind.action_doc
    events[WHOLE_BALLOT] = WHOLE_BALLOT_DOC
    return events
