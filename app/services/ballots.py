"""Casting and changing ballots in voting rounds."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import select

from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.models import Ballot, Participant, Round
from app.rounds import kind_of
from app.services import ops


@dataclass
class Cast:
    """What a vote did: the participant's ballot now, and whether the op id was seen before."""

    round: Round
    content: Any
    replayed: bool


def current_ballot(participant: Participant, round_: Round) -> Ballot | None:
    """The participant's ballot in ``round_``, if any."""
    return db.session.scalar(
        select(Ballot).where(Ballot.round_id == round_.id, Ballot.participant_id == participant.id)
    )


def cast(participant: Participant, round_: Round, *, op_id: str, payload: Mapping[str, Any], action: str) -> Cast:
    """Apply a participant's vote (``cast_dots``, ``submit_ranking``) to their ballot, once per ``op_id``.

    The round's kind turns the payload and the current ballot into the new ballot and checks
    it (budget, cap, a complete ranking). The ballot row is versioned, so two tabs voting at
    once cannot both pass the budget check on the same old ballot: the loser is retried by
    ``app.transaction.run`` on fresh data and refused if it no longer fits.

    Raises:
        NotFound: the round is not of the participant's workshop.
        Conflict: the round is closed, or the budget or cap is used up.
        DomainError: the payload names an idea outside the round or is malformed.
    """
    op_id = ops.check_op_id(op_id)
    prior = ops.previous(participant, op_id)
    if prior is not None:
        ballot = current_ballot(participant, round_)
        return Cast(round_, kind_of(round_).ballot_payload(ballot.content if ballot else None), True)
    if round_.workshop_id != participant.workshop_id:
        raise NotFound("unknown_round", "That round does not exist in this workshop.")
    kind = kind_of(round_)
    if not kind.votes:
        raise DomainError("not_a_vote", f"“{round_.title}” does not take votes.")
    expected = {"dot_vote": "cast_dots", "rank": "submit_ranking"}.get(round_.kind)
    if expected and action != expected:
        raise DomainError("wrong_action", f"“{round_.title}” takes {expected.replace('_', ' ')}, not {action.replace('_', ' ')}.")
    if not round_.is_open:
        raise Conflict("round_closed", f"“{round_.title}” is closed: your vote was not counted.")
    ballot = current_ballot(participant, round_)
    content = kind.apply(round_, kind.options(round_), ballot.content if ballot else kind.empty_ballot(), payload)
    if ballot is None:
        ballot = Ballot(round_id=round_.id, participant_id=participant.id, content=content)
        db.session.add(ballot)
    else:
        ballot.content = content
    db.session.flush()
    ops.record(participant, op_id, action, {"round_id": round_.id})
    return Cast(round_, kind.ballot_payload(content), False)
