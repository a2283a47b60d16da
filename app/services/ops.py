"""Client operation ids: a submission re-sent after a lost acknowledgement is applied once."""
from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from app.clock import utcnow
from app.errors import Conflict, DomainError
from app.extensions import db
from app.models import ClientOp, Participant
from app.statements import Prepared

_OP_ID = re.compile(r"^[A-Za-z0-9_\-]{8,64}$")


def check_op_id(op_id: Any) -> str:
    """``op_id`` if it looks like a client-generated id (8–64 letters, digits, - or _)."""
    if not isinstance(op_id, str) or not _OP_ID.match(op_id):
        raise DomainError("bad_op_id", _l("The submission has no valid id; reload the page and try again."))
    return op_id


_PREVIOUS = select(ClientOp.kind, ClientOp.response).where(
    ClientOp.participant_id == bindparam("pid"), ClientOp.op_id == bindparam("op_id")
)


def previous(participant: Participant, op_id: str, kind: str) -> Any:
    """The operation ``op_id`` of ``participant`` if it was already applied: a row with its ``kind``
    and ``response``, or None.

    A client makes a fresh id for every submission and re-sends the same one only for the
    same submission, so an id already applied by another kind of submission is a client
    fault (a colliding id); replaying the old answer would misreport it, applying it would
    break the UNIQUE constraint.

    Raises:
        Conflict ``op_id_reused``: ``op_id`` was applied by a ``kind`` other than this one.
    """
    op = db.session.connection().execute(_PREVIOUS, {"pid": participant.id, "op_id": op_id}).first()
    if op is not None and op.kind != kind:
        raise reused()
    return op


def reused() -> Conflict:
    """The refusal of an op id that already named a different submission."""
    return Conflict("op_id_reused", _l("This submission carries the id of an earlier, different one, so it was not saved. "
                                       "Reload the page and try again."))


_RECORD = Prepared(ClientOp.__table__.insert().values(
    participant_id=bindparam("participant_id"), op_id=bindparam("op_id"), kind=bindparam("kind"),
    response=bindparam("response"), created_at=bindparam("now"),
))


def record(participant: Participant, op_id: str, kind: str, response: dict) -> None:
    """Remember that ``op_id`` was applied; the UNIQUE constraint refuses a concurrent twin."""
    # One statement built once and sent straight to the driver: every vote runs it.
    _RECORD.run({"participant_id": participant.id, "op_id": op_id, "kind": kind, "response": response, "now": utcnow()})
