"""Casting and changing ballots in voting rounds, named or anonymous."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, and_, bindparam, select, text
from sqlalchemy.orm.exc import StaleDataError

from app import transaction
from app.clock import utcnow
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.models import Ballot, ClientOp, Participant, Round, Voter, Workshop
from app.models.base import UTCDateTime
from app.rounds import kind_of
from app.services import ops, secrecy
from app.statements import Prepared

#: The event that sends a whole ballot at once (the only one anonymous rounds take).
WHOLE = "submit_ballot"
#: A round of another workshop, as a participant is told of it.
UNKNOWN_ROUND = _l("That round does not exist in this workshop.")


_BALLOT = select(Ballot.id, Ballot.content, Ballot.version).where(
    Ballot.round_id == bindparam("rid"), Ballot.participant_id == bindparam("pid")
)


_TABLE = Ballot.__table__
# Built once and sent straight to the driver, as every click runs one of them (the version
# check is the ORM's, done by hand; an insert names every value, defaults included).
_INSERT_BALLOT = Prepared(_TABLE.insert().values(
    round_id=bindparam("round_id"), participant_id=bindparam("participant_id"), content=bindparam("content"),
    version=bindparam("version"), updated_at=bindparam("now"),
))
_UPDATE_BALLOT = Prepared(
    _TABLE.update()
    .where(_TABLE.c.id == bindparam("b_id"), _TABLE.c.version == bindparam("b_version"))
    .values(content=bindparam("new_content"), version=bindparam("new_version"), updated_at=bindparam("now"))
)


# The same writes as one statement each, ballot and op record together, for a vote whose
# statements each commit by themselves (``transaction.run(single_statements=True)`` on
# PostgreSQL): the op id is recorded only if the ballot was written, and a changed version or
# a repeated op id writes neither. Casts: parameters in a SELECT list have no type of their own.
_OP_FROM_BALLOT = """
INSERT INTO client_op (participant_id, op_id, kind, response, created_at)
SELECT :participant_id, :op_id, :kind, CAST(:response AS JSON), CAST(:now AS TIMESTAMP WITH TIME ZONE) FROM b"""
_OP_TYPES = (bindparam("response", type_=JSON), bindparam("now", type_=UTCDateTime()))
_INSERT_BALLOT_AND_OP = Prepared(text(
    "WITH b AS (INSERT INTO ballot (round_id, participant_id, content, version, updated_at)"
    " VALUES (:round_id, :participant_id, CAST(:content AS JSON), 1, CAST(:now AS TIMESTAMP WITH TIME ZONE))"
    " RETURNING id)" + _OP_FROM_BALLOT).bindparams(bindparam("content", type_=JSON), *_OP_TYPES))
_UPDATE_BALLOT_AND_OP = Prepared(text(
    "WITH b AS (UPDATE ballot SET content = CAST(:new_content AS JSON), version = :new_version,"
    " updated_at = CAST(:now AS TIMESTAMP WITH TIME ZONE) WHERE id = :b_id AND version = :b_version RETURNING id)"
    + _OP_FROM_BALLOT).bindparams(bindparam("new_content", type_=JSON), *_OP_TYPES))


_P, _R, _B, _OP, _W = Participant.__table__, Round.__table__, _TABLE, ClientOp.__table__, Workshop.__table__
# Everything one vote reads before it writes, in one statement: the participant (which also
# carries the token version the connection checks), the round if it is of the participant's
# workshop, the participant's ballot in it, and the op id if it was applied before.
_VOTE_READ = Prepared(
    select(
        _P.c.id, _P.c.workshop_id, _P.c.group_id, _P.c.sector, _P.c.token_version,
        _R.c.id.label("r_id"), _R.c.kind.label("r_kind"), _R.c.title.label("r_title"),
        _R.c.state.label("r_state"), _R.c.settings.label("r_settings"),
        _B.c.id.label("b_id"), _B.c.content.label("b_content"), _B.c.version.label("b_version"),
        _OP.c.kind.label("op_kind"), _OP.c.response.label("op_response"),
        _W.c.ideas_version,
    )
    .select_from(_P)
    .join(_W, _W.c.id == _P.c.workshop_id)
    .outerjoin(_R, and_(_R.c.id == bindparam("rid"), _R.c.workshop_id == _P.c.workshop_id))
    .outerjoin(_B, and_(_B.c.round_id == _R.c.id, _B.c.participant_id == _P.c.id))
    .outerjoin(_OP, and_(_OP.c.participant_id == _P.c.id, _OP.c.op_id == bindparam("op_id")))
    .where(_P.c.id == bindparam("pid"))
)


@dataclass
class VoteRead:
    """What ``read_vote`` found: ``participant`` (a plain row, or None when there is no such
    participant), ``round`` (None when it is not a round of the participant's workshop), the
    participant's named ``ballot`` row in it and the ``prior`` application of the op id."""

    participant: Any
    round: Any
    ballot: Any
    prior: Any


class _BallotRow(NamedTuple):
    """The participant's ballot, from the joined read."""

    id: int
    content: Any
    version: int


class _PriorOp(NamedTuple):
    """The op id's earlier application, from the joined read."""

    kind: str
    response: Any


def read_vote(participant_id: int, round_id: int, op_id: str) -> VoteRead:
    """One indexed read for a vote (see ``_VOTE_READ``); run it inside the vote's transaction,
    so a retried vote reads its ballot afresh."""
    from app.services.rounds import RoundRef

    row = _VOTE_READ.first({"pid": participant_id, "rid": round_id, "op_id": op_id})
    if row is None:
        return VoteRead(None, None, None, None)
    round_ = None if row.r_id is None else RoundRef(
        row.r_id, row.workshop_id, row.r_kind, row.r_title, row.r_state, dict(row.r_settings or {}), row.ideas_version)
    ballot = None if row.b_id is None else _BallotRow(row.b_id, row.b_content, row.b_version)
    prior = None if row.op_kind is None else _PriorOp(row.op_kind, row.op_response)
    return VoteRead(row, round_, ballot, prior)


@dataclass
class Cast:
    """What a vote did: the participant's ballot now, and whether the op id was seen before.

    In an anonymous round the ballot is not sent back (``content`` is None, ``voted`` True).
    """

    round: Round
    content: Any
    replayed: bool
    voted: bool = True


def current_ballot(participant: Participant, round_: Round) -> Ballot | None:
    """The participant's named ballot in ``round_``, if any."""
    return db.session.scalar(
        select(Ballot).where(Ballot.round_id == round_.id, Ballot.participant_id == participant.id)
    )


def has_voted(participant: Participant, round_: Round) -> bool:
    """Whether ``participant`` has cast a ballot in ``round_`` (either kind of round)."""
    model = Voter if round_.settings.get("anonymous") else Ballot
    return db.session.scalar(
        select(model.participant_id).where(model.round_id == round_.id, model.participant_id == participant.id)
    ) is not None


def own_ballot(participant: Participant, round_: Round) -> Any:
    """The ballot a participant sees on their phone (None in anonymous rounds)."""
    kind = kind_of(round_)
    if round_.settings.get("anonymous"):
        return None
    ballot = current_ballot(participant, round_)
    return kind.ballot_payload(ballot.content if ballot else None)


def cast(participant: Participant, round_: Round, *, op_id: str, payload: Mapping[str, Any], action: str,
         read: VoteRead | None = None) -> Cast:
    """Apply a participant's vote to their ballot, once per ``op_id``.

    ``action`` is the round kind's own event (``cast_dots``, ``submit_ranking``, ``rate_idea``,
    ``allocate_points``, ``compare_pair``, ``rate_impact_effort``), which changes one part of
    the ballot, or ``submit_ballot`` with the whole ballot in ``payload['ballot']``.

    Named ballots are one versioned row per participant, so two tabs voting at once cannot
    both pass a budget check on the same old ballot: the loser is retried by
    ``app.transaction.run`` on fresh data and refused if it no longer fits. Anonymous rounds
    take one whole ballot per participant, final once sent: the voter list (who has voted)
    and the ballots (what was voted) are written to separate tables by
    ``app.services.secrecy``, and the op id is remembered only as a keyed hash, so a re-sent
    secret ballot is answered as a replay without any row naming its sender.

    ``read`` is what ``read_vote`` found for this vote in the same transaction (the op id's
    prior application and the ballot), so neither is read again.

    Raises:
        NotFound: the round is not of the participant's workshop (or None: ``read_vote`` found
            none there).
        Conflict: the round is closed, the budget or cap is used up, an anonymous ballot
            was already cast, or ``op_id`` already named another submission (``op_id_reused``:
            another kind of vote, or a vote in another round).
        DomainError: the payload names an idea outside the round or is malformed.
    """
    if round_ is None or round_.workshop_id != participant.workshop_id:
        raise NotFound("unknown_round", UNKNOWN_ROUND)
    op_id = ops.check_op_id(op_id)
    anonymous = bool(round_.settings.get("anonymous"))
    # An id that already named an ordinary submission names a different one when this round
    # is anonymous (its ballots keep no op row), or when it was given for another round.
    if read is None:
        prior = ops.previous(participant, op_id, action)
    else:
        prior = read.prior
        if prior is not None and prior.kind != action:
            raise ops.reused()
    if prior is not None and (anonymous or prior.response.get("round_id") != round_.id):
        raise ops.reused()
    if secrecy.applied(participant, op_id) if anonymous else prior is not None:
        return Cast(round_, own_ballot(participant, round_), True)
    kind = kind_of(round_)
    if not kind.votes:
        raise DomainError("not_a_vote", _l("“%(title)s” does not take votes.", title=round_.title))
    if action != WHOLE and action != kind.action:
        # The events' names are the protocol's words (``give_dots``), shown as words.
        raise DomainError("wrong_action", _l("“%(title)s” takes %(expected)s, not %(action)s.", title=round_.title,
                                             expected=(kind.action or WHOLE).replace("_", " "),
                                             action=action.replace("_", " ")))
    if anonymous and action != WHOLE:
        raise DomainError("anonymous_round", _l("This vote is anonymous: send your whole ballot at once with “Submit”."))
    if not round_.is_open:
        raise Conflict("round_closed", _l("“%(title)s” is closed: your vote was not counted.", title=round_.title))
    options = kind.option_refs(round_, participant)
    if round_.settings.get("per_group") and participant.group_id is None:
        raise Conflict("no_group", _l("This vote is held in groups and you are not in one yet. Ask the facilitator."))
    if (anonymous or kind.writes_beside_ballot) and transaction.single_statements():
        raise transaction.NeedsTransaction()  # several writes that must stand or fall together
    if anonymous:
        content = kind.clean_whole(round_, options, payload.get("ballot"))
        if has_voted(participant, round_):
            raise Conflict("already_voted", _l("You have already voted in this anonymous round; a secret ballot cannot be changed."))
        secrecy.add_secret_ballot(round_, participant, content)
        secrecy.record(participant, op_id)
        return Cast(round_, None, False)
    # Read and written as plain rows: the ORM's bookkeeping cost more than the SQL itself on
    # the path every click takes. The version check is the ORM's own, done by hand.
    row = read.ballot if read is not None else (
        db.session.connection().execute(_BALLOT, {"rid": round_.id, "pid": participant.id}).first())
    current = row.content if row is not None else kind.empty_ballot()
    if action == WHOLE:
        content = kind.clean_whole(round_, options, payload.get("ballot"))
    else:
        content = kind.apply(round_, options, current, payload)
    now = utcnow()
    if transaction.single_statements():
        op = {"participant_id": participant.id, "op_id": op_id, "kind": action, "response": {"round_id": round_.id},
              "now": now}
        if row is None:
            written = _INSERT_BALLOT_AND_OP.run({**op, "round_id": round_.id, "content": content})
        else:
            written = _UPDATE_BALLOT_AND_OP.run({**op, "b_id": row.id, "b_version": row.version,
                                                 "new_content": content, "new_version": row.version + 1})
        if written != 1:
            raise StaleDataError("the ballot changed since it was read")
        return Cast(round_, kind.ballot_payload(content), False)
    if row is None:
        # A concurrent first ballot of the same participant fails the UNIQUE constraint and
        # ``transaction.run`` retries on the row the other one wrote.
        _INSERT_BALLOT.run({"round_id": round_.id, "participant_id": participant.id, "content": content, "version": 1,
                            "now": now})
    else:
        written = _UPDATE_BALLOT.run({
            "b_id": row.id, "b_version": row.version, "new_content": content, "new_version": row.version + 1,
            "now": now,
        })
        if written != 1:
            raise StaleDataError("the ballot changed since it was read")
    ops.record(participant, op_id, action, {"round_id": round_.id})
    return Cast(round_, kind.ballot_payload(content), False)
