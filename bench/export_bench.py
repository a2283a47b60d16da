"""How long exporting a large workshop takes, in every format, and how big the files are.

Run from the repository root::

    .venv/bin/python bench/export_bench.py [--participants 500] [--ideas 300] [--votes 20000] [--database-url URL]

Builds a workshop in a fresh database (SQLite in a temporary folder unless a URL is given):
500 participants in 8 cross-sector groups, a brainstorm of 300 ideas with 300-character
details, and 20,000 votes: a dot vote (5 dots each), a rating of the top 25 ideas by everyone
and a ranking of the top 10 (ballots written straight into the table; results counted and
stored by the services on close). Around it: an agenda, a comment round, worksheets for the top
three and a 300-response survey. Then it times building the report data once per format, each
writer, the Report page's preview (report data and HTML, no PDF) and restoring the JSON backup,
and prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TAVLE_ENV", "testing")
os.environ.setdefault("MPLBACKEND", "Agg")

SECTORS = ["health_service", "government", "industry", "research", "funder", "patient_org", "professional"]


def build(args, rng: random.Random):
    from app.extensions import db
    from app.models import Ballot, Comment, Idea, Participant, SurveyRespondent, SurveyResponse
    from app.services import agenda, roster, rounds, surveys, worksheets, workshops

    w = workshops.create_workshop(None, title="Benchmark workshop with a long title about personalised medicine",
                                  language="nb", show_names=False)
    w.organisers = ["Org A", "Org B", "Org C"]
    people = [Participant(workshop=w, name=f"P{i}", organisation=f"Organisation {i % 60}", sector=rng.choice(SECTORS))
              for i in range(args.participants)]
    db.session.add_all(people)
    db.session.flush()
    roster.assign_groups(w, 8, rng=rng)
    b = rounds.add_round(w, kind="brainstorm", title="Ideas")
    rounds.open_round(b)
    details = "Details of the idea, written at some length so the tables wrap as they would on the day. " * 4
    made = [Idea(round=b, participant_id=people[i % len(people)].id, title=f"Idea {i}: a title of moderate length",
                 details=details[:300], group_id=people[i % len(people)].group_id, theme=f"Theme {i % 7}")
            for i in range(args.ideas)]
    db.session.add_all(made)
    db.session.flush()
    weights = [1 / (k + 1) ** 0.8 for k in range(args.ideas)]
    votes = 0

    d = rounds.add_round(w, kind="dot_vote", title="Dots", settings={"source_round_id": b.id, "budget": 5, "cap": 3})
    rounds.open_round(d)
    for p in people:
        content: dict[str, int] = {}
        while sum(content.values()) < 5:
            idea = rng.choices(made, weights=weights)[0]
            if content.get(str(idea.id), 0) < 3:
                content[str(idea.id)] = content.get(str(idea.id), 0) + 1
        votes += 5
        db.session.add(Ballot(round_id=d.id, participant_id=p.id, content=content))
    db.session.flush()
    rounds.close_round(d)

    rated = 25
    s = rounds.add_round(w, kind="score", title="Rating of the top ideas",
                         settings={"source_round_id": d.id, "top_k": rated, "scale_min": 1, "scale_max": 5})
    rounds.open_round(s)
    options = [o.id for o in __import__("app.rounds", fromlist=["kind_of"]).kind_of(s).options(s)]
    for p in people:
        db.session.add(Ballot(round_id=s.id, participant_id=p.id, content={str(o): rng.randint(1, 5) for o in options}))
        votes += len(options)
    db.session.flush()
    rounds.close_round(s)

    per_ballot = max(1, (args.votes - votes) // len(people))
    r = rounds.add_round(w, kind="rank", title="Ranking", settings={"source_round_id": d.id, "top_k": per_ballot})
    rounds.open_round(r)
    options = [o.id for o in __import__("app.rounds", fromlist=["kind_of"]).kind_of(r).options(r)]
    for p in people:
        order = sorted(options, key=lambda o: rng.random() + options.index(o) * 0.1)
        db.session.add(Ballot(round_id=r.id, participant_id=p.id, content=order))
        votes += len(order)
    db.session.flush()
    rounds.close_round(r)

    c = rounds.add_round(w, kind="comment", title="Measures", settings={"items": [f"Measure {i}" for i in range(6)]})
    rounds.open_round(c)
    db.session.add_all([Comment(round_id=c.id, item_index=i % 6, participant_id=people[i].id, text=f"Comment {i} " * 8,
                                starred=i % 15 == 0) for i in range(200)])
    rounds.close_round(c)
    ws = rounds.add_round(w, kind="worksheet", title="Worked out", settings={"source_round_id": r.id, "top_k": 3})
    rounds.open_round(ws)
    for sheet in worksheets.ensure_worksheets(ws):
        for field in sheet.fields:
            field.text, field.version = "A paragraph of worked-out text. " * 20, 1
    rounds.close_round(ws)
    for i in range(10):
        agenda.add_item(w, start=f"{9 + i // 2:02d}:{(i % 2) * 30:02d}", duration=30, title=f"Agenda item {i}", who="Org A")
    survey = surveys.create_survey(w, title="Evaluation")
    q1 = surveys.add_question(survey, kind="scale", text="Useful?")
    q2 = surveys.add_question(survey, kind="multi", text="Next?", choices=["More", "Less", "Same"])
    q3 = surveys.add_question(survey, kind="text", text="Else?")
    survey.open()
    for p in people[:300]:
        db.session.add(SurveyRespondent(survey_id=survey.id, participant_id=p.id))
        db.session.add(SurveyResponse(id=uuid.uuid4().hex, survey_id=survey.id, answers={
            str(q1.id): rng.randint(1, 5), str(q2.id): ["More"], str(q3.id): "Fine."}))
    survey.close()
    db.session.commit()
    return w, votes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--ideas", type=int, default=300)
    parser.add_argument("--votes", type=int, default=20_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from app import create_app, transaction
    from app.exports import PARTS, WORKSHOP_WRITERS, ExportUnavailable
    from app.extensions import db
    from app.services import backup, reporting

    drop = None
    if args.database_url and args.database_url.startswith("postgres"):
        from tests.support.db import postgres_session_db

        url, drop = postgres_session_db(args.database_url)
    else:
        url = args.database_url or "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    out: dict = {"participants": args.participants, "ideas": args.ideas, "database": url.split(":")[0]}
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))
        t = time.perf_counter()
        w, votes = build(args, random.Random(7))
        out["votes"] = votes
        out["build_s"] = round(time.perf_counter() - t, 2)
        formats: dict = {}
        backup_bytes = b""
        for fmt in ("docx", "pdf", "xlsx", "json", "md"):
            db.session.expire_all()
            t = time.perf_counter()
            report = reporting.workshop_report(w, parts=PARTS.get(fmt, ()))
            report_s = time.perf_counter() - t
            t = time.perf_counter()
            try:
                export = WORKSHOP_WRITERS[fmt](report)
            except ExportUnavailable as exc:
                formats[fmt] = {"error": str(exc)}
                continue
            write_s = time.perf_counter() - t
            formats[fmt] = {"report_s": round(report_s, 3), "write_s": round(write_s, 3),
                            "total_s": round(report_s + write_s, 3), "bytes": len(export.content)}
            if fmt == "json":
                backup_bytes = export.content
        out["formats"] = formats
        # The Report page's preview: the report data and the PDF writer's HTML, without the PDF.
        from app.exports.pdf_writer import preview_html

        db.session.expire_all()
        t = time.perf_counter()
        report = reporting.workshop_report(w)
        report_s = time.perf_counter() - t
        t = time.perf_counter()
        page = preview_html(report)
        html_s = time.perf_counter() - t
        out["preview"] = {"report_s": round(report_s, 3), "html_s": round(html_s, 3),
                          "total_s": round(report_s + html_s, 3), "bytes": len(page.encode("utf-8"))}
        t = time.perf_counter()
        doc = backup.parse(backup_bytes)
        copy_ = transaction.run(lambda: backup.restore(doc, None))
        out["import_json_s"] = round(time.perf_counter() - t, 2)
        out["import_same"] = {k: v for k, v in backup.dump(copy_).items() if k != "workshop"} == \
            {k: v for k, v in doc.items() if k != "workshop"}
        db.session.remove()
        db.engine.dispose()
    if drop:
        drop()
    out["python"] = sys.version.split()[0]
    out["platform"] = platform.platform()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
