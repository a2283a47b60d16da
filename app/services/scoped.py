"""Loading one record of a workshop by an id a client sent: the one rule every lookup follows.

A phone or a console names rounds, ideas, comments … by id. The id is parsed strictly
(``app.numbers.record_id``), the row is read, and a row of another workshop answers exactly
as a missing one does, so nobody learns what other workshops hold.
"""
from __future__ import annotations

from typing import Any, Callable, TypeVar

from app.errors import NotFound
from app.extensions import db
from app.models import Round, Workshop
from app.numbers import record_id

T = TypeVar("T")


def own_workshop(row: Any) -> int:
    """The workshop of a row that has a ``workshop_id`` column."""
    return row.workshop_id


def round_workshop(row: Any) -> int:
    """The workshop of a row that belongs to a round (``round_id``): the round's workshop."""
    return db.session.get(Round, row.round_id).workshop_id


def get(workshop: Workshop, model: type[T], raw_id: Any, *, field: str, thing: Any, code: str, message: Any,
        workshop_of: Callable[[Any], int] = own_workshop) -> T:
    """The ``model`` row with id ``raw_id`` if it belongs to ``workshop``.

    Args:
        workshop: the workshop the caller acts in.
        model: the mapped class to load (``Round``, ``Idea`` …).
        raw_id: the id as the client sent it (a number or a string of digits).
        field: the payload field the id came in (``round_id``), for the ``bad_request`` message.
        thing: what the row is in the workshop's words (``_l("agenda item")``), for a bad id.
        code: the error code when there is no such row in this workshop (``unknown_round``).
        message: the (lazy) sentence for that error, whole: "That round does not exist in this
            workshop." (a sentence built around ``thing`` would not translate).
        workshop_of: gives the id of the workshop a loaded row belongs to (by default its own
            ``workshop_id``; ``round_workshop`` for rows that hang off a round).

    Raises:
        DomainError ``bad_request``: ``raw_id`` cannot be an id.
        NotFound ``code``: no such row, or it belongs to another workshop.
    """
    row = db.session.get(model, record_id(raw_id, field, thing))
    if row is None or workshop_of(row) != workshop.id:
        raise NotFound(code, message)
    return row
