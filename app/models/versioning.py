"""Keeps ``Workshop.ideas_version`` in step with the ideas a vote may name.

Any flush that adds, changes or deletes an idea, or stores a round's result (which chooses
the ideas a later round votes on), bumps the workshop's number in the same transaction. A
vote reads that number in its one joined read and reuses the ideas it read before while the
number is unchanged, in every process (``app.rounds.base.VotingKind.option_refs``).
Writes that bypass the ORM bump it themselves with ``bump_ideas_version``.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.models.result import RoundResult
from app.models.round import Idea, Round
from app.models.workshop import Workshop

_WORKSHOP = Workshop.__table__


def bump_ideas_version(session: Session, workshop_ids: Iterable[int]) -> None:
    """Add one to the ideas version of each of ``workshop_ids`` (in the session's transaction)."""
    ids = sorted({w for w in workshop_ids if w is not None})
    if ids:
        session.connection().execute(
            _WORKSHOP.update().where(_WORKSHOP.c.id.in_(ids)).values(ideas_version=_WORKSHOP.c.ideas_version + 1))
        # A workshop this session holds reads its new number on next use, not the one it loaded.
        for workshop_id in ids:
            loaded = session.identity_map.get(session.identity_key(Workshop, workshop_id))
            if loaded is not None:
                session.expire(loaded, ["ideas_version"])


def _workshop_of(session: Session, obj) -> int | None:
    with session.no_autoflush:  # attributes expired by a commit load here; the round usually is in the identity map
        round_ = obj.round
        if round_ is None and obj.round_id is not None:
            round_ = session.get(Round, obj.round_id)
    return round_.workshop_id if round_ is not None else None


@event.listens_for(Session, "before_flush")
def _bump_on_idea_changes(session: Session, flush_context, instances) -> None:
    changed = [obj for obj in (*session.new, *session.dirty, *session.deleted) if isinstance(obj, (Idea, RoundResult))]
    if changed:
        bump_ideas_version(session, (_workshop_of(session, obj) for obj in changed))
