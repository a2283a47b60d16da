"""Migrating down and up again keeps every row, on SQLite too.

SQLite alters a table in batch mode by copying it and dropping the old one; with foreign keys
enforced, that DROP deleted every child row with ON DELETE CASCADE (a round's ideas, ballots
and results). Migrations run with enforcement off.
"""
from __future__ import annotations

from sqlalchemy import text

from app import transaction
from app.extensions import db
from app.services import ballots, ideas, participants, rounds, workshops
from tests.conftest import ROOT

TABLES = ("workshop", "participant", "round", "idea", "ballot", "round_result", "client_op")


def counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in TABLES}


def test_down_and_up_again_keeps_ideas_ballots_and_results(app):
    from flask_migrate import downgrade, upgrade

    migrations = str(ROOT / "migrations")
    with app.app_context():
        workshop = transaction.run(lambda: workshops.create_workshop(None, title="Kept"))
        people = [transaction.run(lambda n=n: participants.join(workshop, name=f"P{n}", sector="industry")) for n in range(3)]
        brainstorm = transaction.run(lambda: rounds.add_round(workshop, kind="brainstorm", title="Ideas"))
        transaction.run(lambda: rounds.open_round(brainstorm))
        made = [transaction.run(lambda p=p: ideas.submit_idea(p, brainstorm, op_id=f"op-keep-idea-{p.id}", title=f"Idea {p.id}")).idea
                for p in people]
        dots = transaction.run(lambda: rounds.add_round(workshop, kind="dot_vote", title="Dots",
                                                        settings={"source_round_id": brainstorm.id}))
        transaction.run(lambda: rounds.open_round(dots))
        for p in people:
            transaction.run(lambda p=p: ballots.cast(p, rounds.round_ref(workshop.id, dots.id), op_id=f"op-keep-dot-{p.id}",
                                                     payload={"idea_id": made[0].id, "count": 2}, action="cast_dots"))
        transaction.run(lambda: rounds.close_round(dots))
        before = counts()
        assert before["ballot"] == 3 and before["idea"] == 3 and before["round_result"] == 1
        db.session.remove()
        try:
            downgrade(directory=migrations, revision="0006")
            assert counts() == before
        finally:
            upgrade(directory=migrations)
        assert counts() == before
