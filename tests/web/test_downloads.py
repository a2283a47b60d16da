"""Downloads and backup import: routes, CLI, the golden demo report, and the JSON round trip."""
from __future__ import annotations

import copy
import io
import json
import random
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from app import transaction
from app.errors import DomainError
from app.extensions import db
from app.models import Participant, User, Workshop
from app.services import (
    agenda,
    backup,
    ballots,
    comments,
    curation,
    ideas,
    participants,
    reporting,
    roster,
    rounds,
    surveys,
    worksheets,
    workshops,
)
from tests.support.jobs import download, follow
from tests.support.pdf import pdf_objects
from tests.support.report_data import HOSTILE, check_valid
from tests.support.web import csrf_token

# Downloads and imports are jobs: a real worker process builds them while the test polls.
pytestmark = pytest.mark.usefixtures("job_worker")

FORMATS = {"docx": "wordprocessingml", "pdf": "application/pdf", "xlsx": "spreadsheetml", "json": "application/json",
           "md": "text/markdown"}
SECTORS = ["health_service"] * 3 + ["industry"] * 3 + ["research"] * 3


def docx_doc(content: bytes):
    return Document(io.BytesIO(content))


def docx_all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def table_rows(doc, header: list[str]) -> list[list[str]]:
    """The body rows of the first table whose header row is ``header``."""
    for table in doc.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows and rows[0] == header:
            return rows[1:]
    raise AssertionError(f"no table with header {header}")


def load_demo(app, facilitator) -> str:
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        w = db.session.query(Workshop).one()
        assert w.owner_id == facilitator.user["id"]
        return w.code


def comparable(doc: dict) -> dict:
    """A backup without the one thing a restored copy changes: its join code."""
    doc = copy.deepcopy(doc)
    doc["workshop"].pop("code")
    return doc


# --- the golden test: the 2019 demo as the document organisers send out -------------------------
def test_golden_demo_report(app, facilitator):
    from pathlib import Path

    fixture = json.loads((Path(__file__).resolve().parents[2] / "app" / "demo" / "workshop-2019.json").read_text(encoding="utf-8"))
    published = [i["title"] for i in sorted(fixture["ranked_ideas"], key=lambda i: i["rank"])]
    code = load_demo(app, facilitator)
    response = download(facilitator, f"/f/{code}/export.docx")
    assert response.status_code == 200 and "wordprocessingml" in response.mimetype
    assert f'filename="{code}-report.docx"' in response.headers["Content-Disposition"]
    doc = docx_doc(response.data)
    text = docx_all_text(doc)
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]

    # Title page: title, date in Norwegian, organisers.
    assert ("Title", fixture["title"]) in paragraphs
    assert ("Tavle Lead", "31. januar 2019") in paragraphs
    assert all(org in text for org in fixture["organisers"])
    # The final ranked list (the ranking's chapter): the eight ideas in the published order.
    final = table_rows(doc, ["Plass", "Idé", "Poeng"])
    assert [row[1] for row in final] == published
    assert [row[0] for row in final] == [str(n) for n in range(1, 9)]
    # Every chapter uses Word's heading styles (navigation pane, table of contents).
    h1 = [t for s, t in paragraphs if s == "Heading 1"]
    assert h1[0] == "1 Sammendrag" and h1[-3:] == ["Vedlegg 1: Program", "Vedlegg 2: Deltakerliste", "Vedlegg 3: Metode"]
    assert any(t.endswith("Prioritering med prikker") for t in h1)
    # The worked-out ideas under their three field headings (Heading 3), top three in order.
    fields = [f["nb"] for f in fixture["worked_out_fields"]]
    assert fields == ["Utfordring", "Idé", "Første steg – hvem bidrar med hva?"]
    h3 = [t for s, t in paragraphs if s == "Heading 3"]
    assert [t for t in h3 if t in fields] == fields * 3
    h2 = [t for s, t in paragraphs if s == "Heading 2"]
    for idea in published[:3]:
        assert any(t.endswith(idea) for t in h2), idea
    # Every agenda item; the organisations that sent at least three people by name, the others
    # counted per sector (an organisation of one or two would name its people).
    for item in fixture["agenda"]:
        assert item["title"] in text, item["title"]
    orgs = table_rows(doc, ["Organisasjon", "Sektor", "Deltakere"])
    named = sorted(o["name"] for o in fixture["organisations"] if o["participants"] >= 3)
    assert [row[0] for row in orgs if not row[0][0].isdigit()] == named == ["DNV GL", "Norges forskningsråd"]
    assert sum(int(row[2]) for row in orgs) == 53
    small_industry = [o for o in fixture["organisations"] if o["sector"] == "industry" and o["participants"] < 3]
    assert [f"{len(small_industry)} andre organisasjoner", "Næringsliv", str(sum(o["participants"] for o in small_industry))] in orgs
    for org in fixture["organisations"]:
        if org["participants"] < 3 and org["name"] not in ("Kreftforeningen", "Brønnøysundregistrene", "Helsedirektoratet",
                                                           "NordForsk", "Helse- og omsorgsdepartementet"):
            assert org["name"] not in text, org["name"]  # (those five are named by the organisers' own texts)
    # Starred comments per measure; the survey.
    from app.demo import content

    for _, comment, starred in content.COMMENTS:
        assert (comment in text) == starred, comment
    for measure in fixture["measures_discussed"]:
        assert any(t.endswith(measure) for t in h2), measure
    assert "20 svar." in text and content.SURVEY["questions"][0]["text"] in text
    # The demo hides names: none in the report (participants joined anonymously anyway).
    assert "Anonymous" not in text
    # The method card, participation and a chart for each vote.
    assert "Hver deltaker hadde 5 prikker, høyst 3 på én idé." in text
    assert "53 av 53 deltakere stemte (100\u00a0%)." in text  # Babel: a no-break space before %
    assert sum(1 for s, _ in paragraphs if s == "Caption") >= 2


def test_demo_pdf_and_html_say_the_same(app, facilitator):
    from app.exports.pdf_writer import html

    code = load_demo(app, facilitator)
    response = download(facilitator, f"/f/{code}/export.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    with app.app_context():
        page = html(reporting.workshop_report(workshops.by_code(code)))
    assert "Digitalt pakkeforløp for persontilpasset medisin" in page and "Vedlegg 2: Deltakerliste" in page
    assert "Side" in page and "counter(pages)" in page  # page numbers


# --- permissions, formats, the downloads page -------------------------------------------------
def test_downloads_are_for_the_workshops_facilitator_only(app, facilitator, make_user, login, make_workshop, client):
    code = make_workshop(facilitator.user["id"], title="Mine")
    other = login(app.test_client(), make_user())
    for fmt in FORMATS:
        assert other.get(f"/f/{code}/export.{fmt}").status_code == 403
        anonymous = client.get(f"/f/{code}/export.{fmt}")
        assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert other.get(f"/f/{code}/exports").status_code == 403
    assert facilitator.get(f"/f/{code}/export.exe").status_code == 404


def test_every_format_downloads_for_an_empty_workshop(app, facilitator, make_workshop):
    code = make_workshop(facilitator.user["id"], title="Empty <b>one</b>", language="en")
    for fmt, mime in FORMATS.items():
        response = download(facilitator, f"/f/{code}/export.{fmt}")
        assert response.status_code == 200, (fmt, response.data[:300])
        assert mime in response.mimetype
        check_valid(fmt, response.data)


def test_exports_page_lists_every_download(app, facilitator, make_workshop):
    code = make_workshop(facilitator.user["id"], title="Listed")
    html = facilitator.get(f"/f/{code}/exports").get_data(as_text=True)
    for fmt in FORMATS:
        assert f'href="/f/{code}/export.{fmt}"' in html
    assert "Report (Word)" in html and "Backup (JSON)" in html and "/f/import" in html


def test_the_archive_pdf_has_its_own_address_and_label(app, facilitator, make_workshop):
    code = make_workshop(facilitator.user["id"], title="Arkiv", language="nb")
    page = facilitator.get(f"/f/{code}/exports").get_data(as_text=True)
    assert f'href="/f/{code}/export-archive.pdf"' in page and "Report (PDF archive, PDF/A)" in page
    response = download(facilitator, f"/f/{code}/export-archive.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f'filename="{code}-report-archive.pdf"' in response.headers["Content-Disposition"]
    assert b'pdfaid:part="2"' in pdf_objects(response.data)
    # The format's name in the general address leads to the archive's own.
    moved = facilitator.get(f"/f/{code}/export.pdfa")
    assert moved.status_code in (301, 308) and moved.headers["Location"].endswith(f"/f/{code}/export-archive.pdf")
    result = app.test_cli_runner().invoke(args=["workshop", "export", code, "--format", "pdfa", "-o", "-"])
    assert result.exit_code == 0 and b'pdfaid:part="2"' in pdf_objects(result.stdout_bytes)


def test_pdf_unavailable_gives_501_with_a_message(app, facilitator, make_workshop, monkeypatch):
    from app.exports import pdf_writer

    def missing():
        raise pdf_writer.ExportUnavailable("PDF export needs WeasyPrint, which is not installed on this server.")

    monkeypatch.setattr(pdf_writer, "weasyprint_module", missing)
    code = make_workshop(facilitator.user["id"], title="No PDF")
    response = download(facilitator, f"/f/{code}/export.pdf")
    assert response.status_code == 501
    assert "PDF export needs WeasyPrint" in response.get_data(as_text=True)
    page = facilitator.get(f"/f/{code}/exports").get_data(as_text=True)
    assert "PDF export needs WeasyPrint" in page and f'href="/f/{code}/export.pdf"' not in page
    assert f'href="/f/{code}/export-archive.pdf"' not in page
    assert download(facilitator, f"/f/{code}/export-archive.pdf").status_code == 501
    result = app.test_cli_runner().invoke(args=["workshop", "export", code, "--format", "pdf"])
    assert result.exit_code != 0 and "PDF export needs WeasyPrint" in result.output


# --- a workshop with every kind of round, for the backup --------------------------------------
class Voter:
    def __init__(self):
        self.n = 0

    def __call__(self, person, round_, action, **payload):
        self.n += 1
        return ballots.cast(person, round_, op_id=f"op-dl-{self.n:06d}", payload=payload, action=action)


def filler(owner):
    """Rows in another workshop, so this test's ids are far from the small numbers of counts and ranks."""
    from app.models import Group, Idea, Round

    other = workshops.create_workshop(owner, title="Filler")
    db.session.add_all([Participant(workshop=other, name=f"F{i}") for i in range(300)])
    db.session.add_all([Group(workshop=other, name=f"G{i}") for i in range(200)])
    rounds_ = [Round(workshop=other, kind="brainstorm", title=f"R{i}", position=i, settings={}) for i in range(150)]
    db.session.add_all(rounds_)
    db.session.flush()
    db.session.add_all([Idea(round_id=rounds_[0].id, title=f"I{i}") for i in range(600)])
    db.session.flush()


def full_workshop(owner) -> Workshop:
    """Every round kind and counting method, ties broken both ways, anonymous and group rounds, the day around them."""
    vote = Voter()
    w = workshops.create_workshop(owner, title="Every method =1+1 <b>", language="en", show_names=True)
    w.organisers = ["Org A", "Org B"]
    people = [participants.join(w, name=f"Person {i}", organisation=f"Org {'ABC'[i % 3]}", sector=s)
              for i, s in enumerate(SECTORS)]
    roster.assign_groups(w, 2, rng=random.Random(3))
    g1 = [p for p in people if p.group_id == w.groups[0].id]
    g2 = [p for p in people if p.group_id == w.groups[1].id]
    b = rounds.add_round(w, kind="brainstorm", title="Ideas")
    rounds.open_round(b)
    authors = [g1[0], g1[1], g2[0], g2[1], g1[2]]
    made = [ideas.submit_idea(a, b, op_id=f"op-dl-idea-{n:04d}", title=t, details=f"Details {n} 😀").idea
            for n, (a, t) in enumerate(zip(authors, ["Alpha", "Beta", "Gamma", "Delta", "Alpha again"]))]
    curation.set_theme(made[0], "Data")
    ids = [i.id for i in made[:4]]

    def open_(kind, title, **settings):
        r = rounds.add_round(w, kind=kind, title=title, settings={"source_round_id": b.id, **settings})
        rounds.open_round(r)
        return r

    d = open_("dot_vote", "Dots", budget=3, cap=3)
    for n, p in enumerate(people):
        vote(p, d, "cast_dots", idea_id=ids[n % 4], count=2)
        vote(p, d, "cast_dots", idea_id=ids[(n + 1) % 4], count=1)
    vote(people[8], d, "cast_dots", idea_id=made[4].id, count=0)
    vote(people[7], d, "cast_dots", idea_id=made[4].id, count=0)
    curation.merge(w, made[0].id, [made[4].id])  # after the votes: they count for the idea merged into
    rounds.close_round(d)
    pts = open_("points", "Points", budget=10)
    for n, p in enumerate(people[:5]):
        vote(p, pts, "allocate_points", idea_id=ids[n % 4], points=6)
        vote(p, pts, "allocate_points", idea_id=ids[(n + 2) % 4], points=4)
    rounds.close_round(pts)
    for method in ("borda", "schulze", "irv"):
        r = rounds.add_round(w, kind="rank", title=f"Rank {method}", settings={"source_round_id": d.id, "top_k": 4, "method": method})
        rounds.open_round(r)
        for n, p in enumerate(people):
            order = ids[n % 4:] + ids[: n % 4]
            vote(p, r, "submit_ranking", order=order)
        rounds.close_round(r)
    rank_round = r
    sc = open_("score", "Stars, facilitator decides", scale_min=1, scale_max=5, tie_break="facilitator")
    for p in people[:3]:
        vote(p, sc, "rate_idea", idea_id=ids[0], value=4)
        vote(p, sc, "rate_idea", idea_id=ids[1], value=4)
    rounds.close_round(sc)
    rounds.decide_tie(sc, [ids[1], ids[0]])
    sp = rounds.add_round(w, kind="score", title="Stars, earlier round decides",
                          settings={"source_round_id": d.id, "tie_break": "prior_round"})
    rounds.open_round(sp)
    for p in people[:2]:
        vote(p, sp, "rate_idea", idea_id=ids[2], value=3)
        vote(p, sp, "rate_idea", idea_id=ids[3], value=3)
    rounds.close_round(sp)
    ie = open_("impact_effort", "Impact and effort")
    for n, p in enumerate(people[:4]):
        vote(p, ie, "rate_impact_effort", idea_id=ids[n % 4], impact=5 - n % 3, effort=1 + n % 2)
    rounds.close_round(ie)
    pw = open_("pairwise", "Pairs")
    for n, p in enumerate(people):
        vote(p, pw, "compare_pair", winner=ids[n % 4], loser=ids[(n + 1) % 4])
        vote(p, pw, "compare_pair", winner=ids[(n + 2) % 4], loser=ids[(n + 3) % 4])
    rounds.close_round(pw)
    an = open_("dot_vote", "Secret dots", anonymous=True, budget=2, cap=2)
    for n, p in enumerate(people):
        vote(p, an, "submit_ballot", ballot={str(ids[n % 4]): 2})
    rounds.close_round(an)
    pg = open_("dot_vote", "Group dots", per_group=True, group_top_n=1, budget=2, cap=2)
    for p in people:
        own = [i for i in made[:4] if i.group_id == p.group_id]
        vote(p, pg, "cast_dots", idea_id=own[0].id, count=2)
    rounds.close_round(pg)
    rounds.add_round(w, kind="dot_vote", title="Never opened", settings={"source_round_id": b.id})
    cm = rounds.add_round(w, kind="comment", title="Measures", settings={"items": ["Measure 1", "Measure 2 <i>"]})
    rounds.open_round(cm)
    for n, p in enumerate(people[:4]):
        c, _ = comments.submit_comment(p, cm, op_id=f"op-dl-c-{n:04d}", item_index=n % 2, text=f"Comment {n} {HOSTILE[n]}")
        comments.set_flags(c, starred=n < 2, hidden=n == 3)
    rounds.close_round(cm)
    ws = rounds.add_round(w, kind="worksheet", title="Work", settings={"source_round_id": rank_round.id, "top_k": 2})
    rounds.open_round(ws)
    for sheet in worksheets.ensure_worksheets(ws):
        for field in sheet.fields:
            if field.key == "first_steps":  # a table: actor, contribution, when
                worksheets.edit_field(sheet, field.key, None, 0, editor="Person 1",
                                      rows=[["Org A", f"Pilot {HOSTILE[0]}", "2026"], ["Org B", "Data", "Later"]])
            else:
                worksheets.edit_field(sheet, field.key, f"{field.key} text\nline 2", 0, editor="Person 1")
    rounds.close_round(ws)
    agenda.add_item(w, start="09:00", duration=30, title="Welcome", who="Org A")
    item = agenda.add_item(w, start="09:30", duration=60, title="Vote", round_id=d.id)
    agenda.set_now(w, item.id)
    for anonymous in (True, False):
        s = surveys.create_survey(w, title=f"Survey {'anon' if anonymous else 'named'}", anonymous=anonymous)
        q1 = surveys.add_question(s, kind="scale", text="Useful?", required=True)
        q2 = surveys.add_question(s, kind="multi", text="Next?", choices=["More", "Less", "=Same"])
        q3 = surveys.add_question(s, kind="text", text="Else?")
        q4 = surveys.add_question(s, kind="single", text="One?", choices=["x", "y"])
        s.open()
        for n, p in enumerate(people[:4]):
            surveys.submit_response(p, s, {str(q1.id): 1 + n, str(q2.id): ["More", "=Same"][: 1 + n % 2],
                                          str(q3.id): f"Answer {n} {HOSTILE[6]}", str(q4.id): "x"},
                                    op_id=f"op-dl-s{int(anonymous)}-{n:04d}")
        s.close()
    db.session.flush()
    return w


def walk_numbers(value, path=""):
    """Every (path, int or digit-string) in a JSON value: dict keys and values alike."""
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str) and k.isdigit():
                yield f"{path}.{k}", int(k)
            yield from walk_numbers(v, f"{path}.{k}")
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from walk_numbers(v, f"{path}[{n}]")
    elif isinstance(value, int) and not isinstance(value, bool):
        yield path, value


def test_backup_round_trip_with_every_method(ctx):
    owner = User(email="o@example.org", name="O", password_hash="x")
    db.session.add(owner)
    db.session.flush()
    filler(owner)
    w = full_workshop(owner)
    db.session.commit()
    first = backup.dump(w)
    text = json.dumps(first)
    # No database id of a row is left in the document: every reference is a local key.
    leaks = [(p, v) for p, v in walk_numbers(first) if v >= 150 and not p.endswith((".iterations", ".budget"))]
    assert not leaks, leaks[:10]
    assert '"i1"' in text and '"p1"' in text and '"g1"' in text and '"r1"' in text
    copy_ = transaction.run(lambda: backup.restore(json.loads(text), owner))
    assert copy_.code != w.code and copy_.owner_id == owner.id
    second = backup.dump(copy_)
    assert comparable(second) == comparable(first)
    # The copy works: its results read the same, and a recount of its ballots gives the same standings.
    original = reporting.workshop_report(w)
    restored = reporting.workshop_report(copy_)
    for a, b in zip(original["rounds"], restored["rounds"]):
        if a.get("result"):
            assert [s["title"] for s in a["result"]["standings"]] == [s["title"] for s in b["result"]["standings"]]
    for r_old, r_new in zip(w.rounds, copy_.rounds):
        if r_old.latest_result is not None and not r_old.results[-1].data.get("tie_break"):
            titles = lambda r, res: [r.latest_result.data["titles"][str(s.option)] for s in res.standings]  # noqa: E731
            assert titles(r_new, rounds.compute_result(r_new)) == titles(r_old, rounds.compute_result(r_old))


@pytest.mark.parametrize("mutate, code, words", [
    (lambda d: d.update(format="something-else"), "backup_not_tavle", "not a Tavle workshop backup"),
    (lambda d: d.update(version=99), "backup_version", "version 99"),
    (lambda d: d["workshop"].update(title=""), "bad_backup", "workshop.title"),
    (lambda d: d["workshop"].update(title="x" * 201), "bad_backup", "at most 200"),
    (lambda d: d["workshop"].update(language="de"), "bad_backup", "workshop.language"),
    (lambda d: d["workshop"].update(date="31.01.2019"), "bad_backup", "workshop.date"),
    (lambda d: d.update(participants="everyone"), "bad_backup", "participants: expected a list"),
    (lambda d: d["participants"][0].update(sector="pirates"), "bad_backup", "participants[p1].sector"),
    (lambda d: d["participants"][0].update(name=5), "bad_backup", "participants[p1].name"),
    (lambda d: d["participants"][1].update(key="p1"), "bad_backup", "unique key"),
    (lambda d: d["ideas"][0].update(round="r999"), "bad_backup", "no round “r999”"),
    (lambda d: d["ideas"][0].update(details="d" * 1001), "bad_backup", "ideas[i1].details"),
    (lambda d: d["rounds"][0].update(kind="séance"), "bad_backup", "unknown kind"),
    (lambda d: d["rounds"][1]["ballots"][0].update(content={"i1": "lots"}), "bad_backup", "not a ballot"),
    (lambda d: d["rounds"][1]["ballots"][0].update(content={"i1": 3, "i2": 3, "i3": 3}), "bad_backup", "cannot be counted"),
    (lambda d: d["rounds"][1]["ballots"][0].update(participant="p999"), "bad_backup", "no participant “p999”"),
    (lambda d: d["rounds"][1]["results"][0]["data"]["standings"][0].update(option="i999"), "bad_backup", "no idea “i999”"),
    (lambda d: d["rounds"][1]["results"][0].update(method="coin_toss"), "bad_backup", "counting method"),
    (lambda d: d["rounds"][1]["settings"].update(budget="many"), "bad_backup", "rounds[r2].settings"),
    (lambda d: d["surveys"][0]["responses"][0]["answers"].update(q1="very"), "bad_backup", "scale question"),
    (lambda d: d.update(ideas=[{"key": f"i{n}"} for n in range(20_001)]), "backup_too_large", "at most 20000"),
])
def test_broken_backups_are_refused_with_a_reason(ctx, mutate, code, words):
    owner = User(email="o2@example.org", name="O", password_hash="x")
    db.session.add(owner)
    w = full_workshop(owner)
    db.session.commit()
    doc = json.loads(json.dumps(backup.dump(w)))
    assert doc["rounds"][1]["title"] == "Dots" and doc["rounds"][1]["ballots"]
    mutate(doc)
    before = db.session.query(Workshop).count()
    with pytest.raises(DomainError) as exc:
        transaction.run(lambda: backup.restore(doc, owner))
    assert exc.value.code == code and words in exc.value.message, exc.value.message
    assert db.session.query(Workshop).count() == before  # nothing half-restored


@pytest.mark.parametrize("raw, code", [
    (b"", "backup_not_json"),
    (b"\xff\xfe\x00garbage", "backup_not_json"),
    (b"{not json", "backup_not_json"),
    (b"[1, 2, 3]", "backup_not_tavle"),
    (b'{"format": "tavle-workshop", "version": 1}', "bad_backup"),
    (b'{"format": "tavle-workshop", "version": "1", "workshop": {}}', "backup_version"),
    (b"[" * 100_000, "backup_not_json"),
])
def test_files_that_are_not_backups(raw, code):
    with pytest.raises(DomainError) as exc:
        doc = backup.parse(raw)
        backup.check_header(doc)
        if not isinstance(doc.get("workshop"), dict) or not doc["workshop"]:
            raise backup.BadBackup("workshop: empty")
    assert exc.value.code == code


# --- import over HTTP and on the command line ---------------------------------------------------
def test_round_trip_through_download_and_upload(app, facilitator):
    code = load_demo(app, facilitator)
    first = download(facilitator, f"/f/{code}/export.json")
    assert first.status_code == 200 and first.mimetype == "application/json"
    assert f'filename="{code}-backup.json"' in first.headers["Content-Disposition"]
    token = csrf_token(facilitator, "/f/import")
    response = facilitator.post("/f/import", data={"csrf_token": token, "file": (io.BytesIO(first.data), "backup.json")},
                                content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    job_url = response.headers["Location"]
    assert re.search(r"/f/jobs/[0-9a-f]{32}$", job_url)
    status = follow(facilitator, job_url)
    assert status.status_code == 200 and status.get_json()["status"] == "done", status.get_json()
    new_code = status.get_json()["outcome"]["code"]
    assert new_code != code
    # The job's page, once done, opens the copy's console with what happened.
    page = facilitator.get(job_url)
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/f/{new_code}")
    assert f"Participants join the copy with code {new_code}" in facilitator.get(page.headers["Location"]).get_data(as_text=True)
    second = download(facilitator, f"/f/{new_code}/export.json")
    assert comparable(json.loads(second.data)) == comparable(json.loads(first.data))
    # The copy's report reads the same as the original's.
    a = docx_all_text(docx_doc(download(facilitator, f"/f/{code}/export.docx").data))
    b = docx_all_text(docx_doc(download(facilitator, f"/f/{new_code}/export.docx").data))
    assert a == b


def test_upload_refuses_a_broken_file_and_needs_csrf(app, facilitator):
    page = facilitator.get("/f/import")
    assert page.status_code == 200 and 'type="file"' in page.get_data(as_text=True)
    token = csrf_token(facilitator, "/f/import")
    bad = facilitator.post("/f/import", data={"csrf_token": token, "file": (io.BytesIO(b'{"format": "x"}'), "x.json")},
                           content_type="multipart/form-data")
    assert bad.status_code == 302
    status = follow(facilitator, bad.headers["Location"])
    assert status.status_code == 400 and status.get_json()["error"]["code"] == "backup_not_tavle"
    page = facilitator.get(bad.headers["Location"])
    assert page.status_code == 400 and "not a Tavle workshop backup" in page.get_data(as_text=True)
    missing = facilitator.post("/f/import", data={"csrf_token": token}, content_type="multipart/form-data")
    assert missing.status_code == 400 and "Choose the backup file." in missing.get_data(as_text=True)
    no_csrf = facilitator.post("/f/import", data={"file": (io.BytesIO(b"{}"), "x.json")}, content_type="multipart/form-data")
    assert no_csrf.status_code == 400
    with app.app_context():
        assert db.session.query(Workshop).count() == 0


def test_cli_export_every_format_and_import(app, facilitator, make_user, tmp_path):
    code = load_demo(app, facilitator)
    runner = app.test_cli_runner()
    for fmt in FORMATS:
        out = tmp_path / f"demo.{fmt}"
        result = runner.invoke(args=["workshop", "export", code, "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert f"Wrote {out}" in result.output
        check_valid(fmt, out.read_bytes())
    md = runner.invoke(args=["workshop", "export", code, "--format", "md", "-o", "-"])
    # The demo says so on its first line, then the title.
    assert md.exit_code == 0 and md.output.startswith("*Demodata: ")
    assert md.output.splitlines()[2].startswith("# Næringsrettet innsats")
    missing = runner.invoke(args=["workshop", "export", "NOPE99", "--format", "md"])
    assert missing.exit_code != 0 and "There is no workshop with that code" in missing.output

    other = make_user(email="second@example.org")
    result = runner.invoke(args=["workshop", "import", str(tmp_path / "demo.json"), "--owner", "Second@example.org"])
    assert result.exit_code == 0, result.output
    new_code = re.search(r"code ([A-Z0-9]+)", result.output).group(1)
    with app.app_context():
        copy_ = workshops.by_code(new_code)
        assert copy_.owner_id == other["id"] and copy_.title.startswith("Næringsrettet")
        assert comparable(backup.dump(copy_)) == comparable(json.loads((tmp_path / "demo.json").read_bytes()))
    nobody = runner.invoke(args=["workshop", "import", str(tmp_path / "demo.json"), "--owner", "ghost@example.org"])
    assert nobody.exit_code != 0 and "no facilitator" in nobody.output
    (tmp_path / "broken.json").write_text('{"format": "tavle-workshop", "version": 2}')
    broken = runner.invoke(args=["workshop", "import", str(tmp_path / "broken.json")])
    assert broken.exit_code != 0 and "version 2" in broken.output


# --- anonymised ballots and hostile content through the app --------------------------------------
def test_workbook_ballots_are_anonymised(app, facilitator):
    with app.app_context():
        owner = db.session.get(User, facilitator.user["id"])
        w = full_workshop(owner)
        db.session.commit()
        code = w.code
        participant_ids = {p.id for p in w.participants}
    first = download(facilitator, f"/f/{code}/export.xlsx")
    assert first.status_code == 200
    wb = load_workbook(io.BytesIO(first.data))
    sheet = wb["Ballots"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows
    header = [c.value for c in sheet[1]]
    assert header == ["Round", "Voter", "Idea no.", "Idea", "Value", "Note"]
    every = " ".join(str(v) for row in rows for v in row)
    assert "Person" not in every and "Org" not in every  # no names or organisations
    by_round: dict[str, set] = {}
    for row in rows:
        by_round.setdefault(row[0], set()).add(row[1])
    # Voter numbers run 1..n in each round (9 voters in the dot vote), secret ballots included.
    assert by_round["Dots"] == set(range(1, 10)) and by_round["Secret dots"] == set(range(1, 10))
    # Deterministic: the same numbers in a second download.
    again = load_workbook(io.BytesIO(download(facilitator, f"/f/{code}/export.xlsx").data))["Ballots"]
    assert [[c.value for c in row] for row in again.iter_rows(min_row=2)] == rows
    # And not the participant ids in disguise.
    with app.app_context():
        w = workshops.by_code(code)
        dots = next(r for r in w.rounds if r.title == "Dots")
        numbers = reporting.voter_numbers(dots, sorted(participant_ids))
        assert sorted(numbers.values()) == list(range(1, 10))
        assert [numbers[p] for p in sorted(participant_ids)] != list(range(1, 10))
    names = {c.value for c in wb["Participants"]["A"][1:]}
    assert "Person 0" in names  # this workshop shows names: the participants sheet has them


def test_hostile_workshop_downloads_in_every_format(app, facilitator):
    with app.app_context():
        owner = db.session.get(User, facilitator.user["id"])
        w = workshops.create_workshop(owner, title="<script>alert(1)</script> {{ 7*7 }} =1+1", language="nb")
        people = [participants.join(w, name=n, organisation=o) for n, o in zip(HOSTILE[:3], HOSTILE[3:6])]
        b = rounds.add_round(w, kind="brainstorm", title="[link](javascript:alert(1)) | # x")
        rounds.open_round(b)
        # Text as participants can send it (PostgreSQL refuses NUL characters; the writers' own tests cover them).
        for n, title in enumerate(h.replace("\x00", "") for h in HOSTILE):
            ideas.submit_idea(people[n % 3], b, op_id=f"op-hx-{n:05d}", title=title[:120] or "x",
                              details=("😀 שלום <b>x</b> =1 " * 60)[:1000])
        d = rounds.add_round(w, kind="dot_vote", title="Nobody voted", settings={"source_round_id": b.id})
        rounds.open_round(d)
        rounds.close_round(d)
        db.session.commit()
        code = w.code
    for fmt in FORMATS:
        response = download(facilitator, f"/f/{code}/export.{fmt}")
        assert response.status_code == 200, fmt
        check_valid(fmt, response.data)
    xlsx = load_workbook(io.BytesIO(download(facilitator, f"/f/{code}/export.xlsx").data))
    titles = [c.value for c in xlsx["Ideer"]["C"][1:]]
    assert HOSTILE[0] in titles and HOSTILE[1] in titles
    md = download(facilitator, f"/f/{code}/export.md").get_data(as_text=True)
    assert "<script>" not in md
    doc = docx_doc(download(facilitator, f"/f/{code}/export.docx").data)
    assert doc.paragraphs and "<script>alert(1)</script> {{ 7*7 }} =1+1" in docx_all_text(doc)
