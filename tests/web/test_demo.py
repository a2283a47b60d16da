import json
from pathlib import Path

from app.extensions import db
from app.models import Participant, Workshop

FIXTURE = Path(__file__).resolve().parents[2] / "app" / "demo" / "workshop-2019.json"


def test_demo_reproduces_the_published_order(app):
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    published = [i["title"] for i in sorted(fixture["ranked_ideas"], key=lambda i: i["rank"])]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["demo", "--if-missing"])
    assert "already loaded" in again.output
    with app.app_context():
        w = db.session.query(Workshop).one()
        assert db.session.query(Participant).filter_by(workshop_id=w.id).count() == sum(o["participants"] for o in fixture["organisations"]) == 53
        assert {p.organisation for p in w.participants} == {o["name"] for o in fixture["organisations"]}
        brainstorm, dot_vote, rank = w.rounds
        assert [i.title for i in brainstorm.ideas] == published
        for round_ in (dot_vote, rank):
            data = round_.latest_result.data
            assert [data["titles"][str(s["option"])] for s in data["standings"]] == published
            assert [s["rank"] for s in data["standings"]] == list(range(1, 9))
            assert data["ballots"] == 53
