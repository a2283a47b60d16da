"""Statements sent straight to the driver (app/statements.py) behave as SQLAlchemy's own:
the column types' processing both ways, SQLAlchemy's exceptions, the statement listeners."""
from __future__ import annotations

from datetime import timezone

import pytest
from sqlalchemy import bindparam, event, select
from sqlalchemy.exc import IntegrityError

from app.clock import utcnow
from app.extensions import db
from app.models import Ballot, ClientOp, Round, RoundState
from app.statements import Prepared

_INSERT = Prepared(ClientOp.__table__.insert().values(
    participant_id=bindparam("pid"), op_id=bindparam("op"), kind=bindparam("kind"), response=bindparam("response"),
    created_at=bindparam("now")))
_READ = Prepared(select(ClientOp.op_id, ClientOp.response, ClientOp.created_at).where(ClientOp.participant_id == bindparam("pid")))
_ROUND = Prepared(select(Round.id, Round.state, Round.settings).where(Round.id == bindparam("rid")))


def test_values_round_trip_through_the_column_types(make):
    w = make.workshop()
    p = make.participants(w, 1)[0]
    now = utcnow()
    assert _INSERT.run({"pid": p.id, "op": "op-prepared-1", "kind": "cast_dots", "response": {"round_id": 7, "ok": [1, "å"]},
                        "now": now}) == 1
    row = _READ.first({"pid": p.id})
    assert row.op_id == "op-prepared-1" and row.response == {"round_id": 7, "ok": [1, "å"]}
    assert row.created_at == now and row.created_at.tzinfo is not None
    # What the ORM reads back from the same row agrees.
    op = db.session.scalars(select(ClientOp).where(ClientOp.participant_id == p.id)).one()
    assert op.response == row.response and op.created_at.astimezone(timezone.utc) == now
    assert _READ.rows({"pid": p.id + 1000}) == [] and _READ.first({"pid": p.id + 1000}) is None
    db.session.rollback()


def test_enums_and_json_settings_come_back_as_python(make):
    w = make.workshop()
    b = make.round(w, "brainstorm", "Ideas")
    r = make.round(w, "dot_vote", "Dots", source=b)
    row = _ROUND.first({"rid": r.id})
    assert row.state is RoundState.DRAFT and row.settings == r.settings and row.settings["budget"] == 5
    db.session.rollback()


def test_a_unique_constraint_raises_sqlalchemys_integrity_error(make):
    w = make.workshop()
    p = make.participants(w, 1)[0]
    values = {"pid": p.id, "op": "op-prepared-twice", "kind": "cast_dots", "response": {}, "now": utcnow()}
    _INSERT.run(values)
    with pytest.raises(IntegrityError):
        _INSERT.run(values)
    db.session.rollback()
    assert db.session.scalar(select(ClientOp.id).where(ClientOp.op_id == "op-prepared-twice")) is None


def test_statement_listeners_see_them(app, make):
    w = make.workshop()
    pid = make.participants(w, 1)[0].id
    seen = []
    engine = db.engine

    def listener(_conn, _cursor, statement, *_rest):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        _READ.rows({"pid": pid})
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(seen) == 1 and seen[0].startswith("SELECT client_op.op_id")
    db.session.rollback()


def test_a_write_reports_the_rows_it_changed(make):
    w = make.workshop()
    people = make.participants(w, 1)
    b = make.round(w, "brainstorm", "Ideas", open_=True)
    idea = make.ideas(b, people, ["A"])[0]
    d = make.round(w, "dot_vote", "Dots", open_=True, source=b)
    make.dots(people[0], d, idea, 1)
    ballot = db.session.scalars(select(Ballot).where(Ballot.round_id == d.id)).one()
    table = Ballot.__table__
    where = (table.c.id == bindparam("bid"), table.c.version == bindparam("v"))
    update = Prepared(table.update().where(*where).values(version=bindparam("nv"), updated_at=bindparam("now")))
    assert update.run({"bid": ballot.id, "v": ballot.version + 5, "nv": 9, "now": utcnow()}) == 0
    assert update.run({"bid": ballot.id, "v": ballot.version, "nv": 9, "now": utcnow()}) == 1
    # A write that leaves a Python-side default (updated_at's onupdate) to SQLAlchemy is refused.
    with pytest.raises(ValueError, match="updated_at"):
        Prepared(table.update().where(*where).values(version=bindparam("nv"))).run({"bid": ballot.id, "v": 9, "nv": 10})
    db.session.rollback()
