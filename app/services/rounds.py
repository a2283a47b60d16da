"""Adding, opening, closing and reopening rounds; a closed round stores its result."""
from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy import select

from app.clock import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.models import Ballot, Round, RoundResult, RoundState, Workshop
from app.rounds import KINDS, kind_of

TITLE_MAX = 200


def get_round(workshop: Workshop, round_id: Any) -> Round:
    """Round ``round_id`` of ``workshop``; a round of another workshop is not found."""
    try:
        rid = int(round_id)
    except (TypeError, ValueError):
        rid = None
    round_ = next((r for r in workshop.rounds if r.id == rid), None)
    if round_ is None:
        raise NotFound("unknown_round", "That round does not exist in this workshop.")
    return round_


def add_round(workshop: Workshop, *, kind: str, title: str, settings: Mapping[str, Any] | None = None) -> Round:
    """Add a draft round of ``kind`` at the end of the workshop's list.

    Raises:
        DomainError: unknown kind, missing or over-long title, or settings the kind refuses.
    """
    if kind not in KINDS:
        raise DomainError("bad_kind", "Choose a kind of round from the list.")
    title = (title or "").strip()
    if not title:
        raise DomainError("title_required", "Give the round a title.")
    if len(title) > TITLE_MAX:
        raise DomainError("title_too_long", f"The title can be at most {TITLE_MAX} characters.")
    position = max((r.position for r in workshop.rounds), default=0) + 1
    round_ = Round(workshop=workshop, kind=kind, title=title, position=position, settings={})
    merged = {**KINDS[kind].default_settings(), **(settings or {})}
    round_.settings = KINDS[kind].clean_settings(round_, merged)
    db.session.add(round_)
    db.session.flush()
    return round_


def open_round(round_: Round) -> list[Round]:
    """Open ``round_``, closing the round that was open; returns every round whose state changed.

    One round is open at a time, so a facilitator moving on does not have to close the last
    round first: it is closed and its result stored as if they had.
    """
    changed = []
    current = round_.workshop.open_round
    if current is not None and current.id != round_.id:
        # Closed first: a rank round opened straight after its dot vote needs that result.
        # If this round then cannot open, the caller's rollback reopens the other.
        close_round(current)
        changed.append(current)
    kind_of(round_).check_can_open(round_)
    round_.open(utcnow())
    changed.append(round_)
    return changed


def close_round(round_: Round) -> RoundResult | None:
    """Close ``round_`` and store its result snapshot (for voting rounds)."""
    round_.close(utcnow())
    return store_result(round_)


def ballots_of(round_: Round) -> list[Any]:
    """The stored ballot contents of ``round_``, in no particular order."""
    return list(db.session.scalars(select(Ballot.content).where(Ballot.round_id == round_.id)))


def compute_result(round_: Round):
    """The ``voting.Result`` of the round's current ballots, or None for a round that does not vote."""
    kind = kind_of(round_)
    if not kind.votes:
        return None
    return kind.tally(round_, kind.options(round_), ballots_of(round_))


def store_result(round_: Round) -> RoundResult | None:
    """Snapshot the round's result; earlier snapshots are kept."""
    result = compute_result(round_)
    if result is None:
        return None
    titles = {i.id: i.title for i in kind_of(round_).options(round_)}
    data = result.to_dict()
    data["titles"] = {str(k): v for k, v in titles.items()}
    data["closed_at"] = round_.closed_at.isoformat() if round_.closed_at else None
    snapshot = RoundResult(round=round_, method=result.method, ballots=result.ballots, data=data)
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def set_revealed(round_: Round, revealed: bool) -> Round:
    """Show or hide the round's results on phones and the projector."""
    round_.results_revealed = bool(revealed)
    return round_


def is_open(round_: Round) -> bool:
    return round_.state is RoundState.OPEN
