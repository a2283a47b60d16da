import csv
import io
import json

from app.extensions import db
from app.services import ballots, ideas, participants, rounds, workshops
from tests.support.jobs import download


def _voted_workshop(app, owner_id):
    with app.app_context():
        from app.models import User

        w = workshops.create_workshop(db.session.get(User, owner_id), title="Export <b>test</b>", language="en")
        people = [participants.join(w, name=f"P{i}") for i in range(3)]
        b = rounds.add_round(w, kind="brainstorm", title="Ideas")
        rounds.open_round(b)
        titles = ["=HYPERLINK(\"http://x\")", "Plain idea 😀", "שלום עולם", "*bold* | pipe [link](http://x)"]
        made = [ideas.submit_idea(people[0], b, op_id=f"op-exp-{i:04d}", title=t, details="d" * 1000).idea for i, t in enumerate(titles)]
        d = rounds.add_round(w, kind="dot_vote", title="Dots", settings={"source_round_id": b.id, "budget": 5, "cap": 3})
        rounds.open_round(d)
        for n, (p, i, c) in enumerate([(people[0], 0, 3), (people[1], 0, 2), (people[1], 1, 2), (people[2], 2, 2), (people[2], 3, 1)]):
            ballots.cast(p, d, op_id=f"op-expd-{n:04d}", payload={"idea_id": made[i].id, "count": c}, action="cast_dots")
        rounds.close_round(d)
        db.session.commit()
        return w.code, d.id, b.id, [m.id for m in made]


def test_round_csv_and_json(app, facilitator):
    code, dot_id, brainstorm_id, ids = _voted_workshop(app, facilitator.user["id"])
    response = facilitator.get(f"/f/{code}/rounds/{dot_id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Rank", "Tied", "Idea no.", "Idea", "Score"]
    body = [(r[0], r[1], r[3], r[4]) for r in rows[1:]]
    # 5 dots, then 2, 2 (tied at 2=), then 1; the formula is neutralised.
    assert body == [
        ("1", "", "'=HYPERLINK(\"http://x\")", "5"),
        ("2", "yes", "Plain idea 😀", "2"),
        ("2", "yes", "שלום עולם", "2"),
        ("4", "", "*bold* | pipe [link](http://x)", "1"),
    ]
    data = json.loads(facilitator.get(f"/f/{code}/rounds/{dot_id}/export.json").data)
    assert data["result"]["method"] == "dots" and data["result"]["ballots"] == 3
    assert [s["idea_id"] for s in data["result"]["standings"]] == [ids[0], ids[1], ids[2], ids[3]]
    assert "5 dots" in data["result"]["method_card"]
    # A brainstorm has no ranked result to export.
    none = facilitator.get(f"/f/{code}/rounds/{brainstorm_id}/export.csv")
    assert none.status_code == 409 and "no stored result" in none.get_data(as_text=True)
    assert facilitator.get(f"/f/{code}/rounds/{dot_id}/export.exe").status_code == 404


def test_markdown_summary_escapes_user_text(app, facilitator, job_worker):
    code, *_ = _voted_workshop(app, facilitator.user["id"])
    md = download(facilitator, f"/f/{code}/export.md").get_data(as_text=True)
    assert md.startswith("# Export \\<b\\>test\\</b\\>")
    assert "| 2= | Plain idea 😀 | 2 |" in md
    assert "\\*bold\\* \\| pipe \\[link\\](http://x)" in md
    assert "Each participant had 5 dots" in md


def test_empty_workshop_exports(app, facilitator, make_workshop, job_worker):
    code = make_workshop(facilitator.user["id"], title="Empty")
    md = download(facilitator, f"/f/{code}/export.md")
    assert md.status_code == 200 and md.get_data(as_text=True).startswith("# Empty")
