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
        by_kind = {r.kind: r for r in w.rounds}
        brainstorm, dot_vote, rank = by_kind["brainstorm"], by_kind["dot_vote"], by_kind["rank"]
        assert [i.title for i in brainstorm.ideas] == published
        for round_ in (dot_vote, rank):
            data = round_.latest_result.data
            assert [data["titles"][str(s["option"])] for s in data["standings"]] == published
            assert [s["rank"] for s in data["standings"]] == list(range(1, 9))
            assert data["ballots"] == 53


def test_demo_holds_the_whole_day(app):
    from collections import Counter

    from app.services import agenda, comments, surveys, worksheets

    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        w = db.session.query(Workshop).one()
        assert w.organisers == fixture["organisers"]
        assert [i.title for i in agenda.items(w)] == [a["title"] for a in fixture["agenda"]]
        assert len(w.groups) == 6
        for g in w.groups:
            sectors = Counter(p.sector for p in g.members)
            assert sectors["health_service"] and sectors["industry"]
        by_kind = {r.kind: r for r in w.rounds}
        measures = by_kind["comment"]
        assert measures.settings["items"] == fixture["measures_discussed"]
        assert sum(c.starred for c in comments.comments_of(measures)) == 3
        sheets = worksheets.sheets_payload(by_kind["worksheet"])
        top3 = [i["title"] for i in sorted(fixture["ranked_ideas"], key=lambda i: i["rank"])[:3]]
        assert [s["idea"] for s in sheets] == top3
        assert [f["label"] for f in sheets[0]["fields"]] == [f["nb"] for f in fixture["worked_out_fields"]]
        assert all(f["text"] for s in sheets for f in s["fields"])
        [survey] = surveys.surveys_of(w)
        assert surveys.summary(survey)["respondents"] == fixture["survey"]["respondents"] == 20
