"""Client operation ids: a submission re-sent after a lost acknowledgement is applied once."""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import bindparam, select

from app.errors import DomainError
from app.extensions import db
from app.models import ClientOp, Participant

_OP_ID = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")


def check_op_id(op_id: Any) -> str:
    """``op_id`` if it looks like a client-generated id (8–64 letters, digits, - or _)."""
    if not isinstance(op_id, str) or not _OP_ID.match(op_id):
        raise DomainError("bad_op_id", "The submission has no valid id; reload the page and try again.")
    return op_id


_PREVIOUS = select(ClientOp.kind, ClientOp.response).where(
    ClientOp.participant_id == bindparam("pid"), ClientOp.op_id == bindparam("op_id")
)


def previous(participant: Participant, op_id: str) -> Any:
    """The operation ``op_id`` of ``participant`` if it was already applied: a row with its
    ``kind`` and ``response``, or None."""
    return db.session.connection().execute(_PREVIOUS, {"pid": participant.id, "op_id": op_id}).first()


def record(participant: Participant, op_id: str, kind: str, response: dict) -> None:
    """Remember that ``op_id`` was applied; the UNIQUE constraint refuses a concurrent twin."""
    db.session.connection().execute(ClientOp.__table__.insert().values(participant_id=participant.id, op_id=op_id, kind=kind, response=response))
