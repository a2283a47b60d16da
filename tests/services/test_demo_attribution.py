"""The golden test of attribution on the 2019 demo: no organisation that sent fewer than k
people is named anywhere a file or a screen shows the workshop, and every file says it is demo
data. The demo's ideas and comments belong to its groups, with no invented author."""
from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from app import transaction
from app.demo import content, load_demo, load_fixture
from app.exports import ROUND_WRITERS, WORKSHOP_WRITERS
from app.exports.document import build, plain_text
from app.rounds import kind_of
from app.services import reporting
from tests.support.report_data import docx_text

#: Organisations the demo's own typed texts name (the agenda's speakers, the organisers, a
#: worksheet's plan, the report's written sections: the ministry that commissioned the plan):
#: those texts are the organisers', not an attribution, so they are left out of the search
#: below. The list is closed: a new one turning up fails the test.
NAMED_BY_THE_DAYS_TEXTS = {"Brønnøysundregistrene", "Kreftforeningen", "Helsedirektoratet", "NordForsk",
                           "Helse- og omsorgsdepartementet"}


@pytest.fixture(scope="module")
def demo_files(app):
    """The demo loaded once, with everything it is shown as: each file's text and each screen's payloads."""
    from app.extensions import db

    with app.app_context():
        w = transaction.run(load_demo)
        report = reporting.workshop_report(w, parts=("ballots",))
        texts = {
            "pdf": plain_text(build(report)),  # the PDF and the DOCX are written from the same blocks
            "docx": docx_text(WORKSHOP_WRITERS["docx"](report).content),
            "md": WORKSHOP_WRITERS["md"](report).content.decode("utf-8").replace("\\", ""),
        }
        book = load_workbook(io.BytesIO(WORKSHOP_WRITERS["xlsx"](report).content))
        texts["xlsx"] = "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
                                  if c.value is not None)
        screens = []
        for round_ in w.rounds:
            data = reporting.round_report(round_)
            if data.get("result"):
                texts[f"csv {round_.title}"] = ROUND_WRITERS["csv"](data, w.language).content.decode("utf-8-sig")
            texts[f"round json {round_.title}"] = ROUND_WRITERS["json"](data, w.language).content.decode("utf-8")
            kind = kind_of(round_)
            screens += [kind.display_payload(round_), kind.facilitator_payload(round_),
                        kind.participant_payload(round_, w.participants[0])]
        texts["screens"] = json.dumps(screens, ensure_ascii=False)
        facts = {
            "k": w.attribution_min,
            "is_demo": w.is_demo,
            "notice": report["workshop"]["demo_notice"],
            "description": w.description,
            "idea_authors": [i.participant_id for r in w.rounds for i in r.ideas],
            "groups": {g.name for g in w.groups},
            "idea_labels": [i["attribution"] for i in report["ideas"]],
            "quote_labels": [c["attribution"] for r in report["rounds"] for item in r.get("items") or []
                             for c in item["comments"]],
            "about": [[c.value for c in row] for row in book["Om workshopen" if "Om workshopen" in book.sheetnames
                                                              else book.sheetnames[0]].iter_rows(max_row=2)],
            "report": report,
        }
        db.session.rollback()
        yield texts, facts


def test_no_small_organisation_is_named_anywhere(demo_files):
    texts, facts = demo_files
    fixture = load_fixture()
    small = {o["name"] for o in fixture["organisations"] if o["participants"] < facts["k"]}
    assert facts["k"] == 3 and len(small) == 38
    typed = " ".join([json.dumps(fixture["agenda"], ensure_ascii=False), *fixture["organisers"],
                      *(t for _, t, _ in content.COMMENTS), *(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)  # a table field's rows
                            for sheet in content.WORKSHEETS for v in sheet.values()),
                      json.dumps(content.REPORT, ensure_ascii=False)])
    assert {name for name in small if name in typed} == NAMED_BY_THE_DAYS_TEXTS
    for where, text in texts.items():
        named = {name for name in small - NAMED_BY_THE_DAYS_TEXTS if name in text}
        assert not named, (where, named)
    # The four the day's texts name are never given as where an idea, a comment or a person came from.
    report = facts["report"]
    origins = [{k: v for k, v in x.items() if k in ("attribution", "author", "group")}
               for x in report["ideas"] + [i for r in report["rounds"] for i in r.get("ideas") or []]
               + [c for r in report["rounds"] for item in r.get("items") or [] for c in item["comments"]]]
    given = json.dumps([origins, report["organisations"], report["participants"], report["groups"]], ensure_ascii=False)
    assert not {name for name in small if name in given}
    assert [o["name"] for o in report["organisations"] if not o.get("other")] == ["DNV GL", "Norges forskningsråd"]


def test_the_demos_ideas_and_comments_are_the_groups(demo_files):
    _, facts = demo_files
    assert facts["idea_authors"] and set(facts["idea_authors"]) == {None}
    assert facts["idea_labels"] and set(facts["idea_labels"]) <= facts["groups"]
    assert facts["quote_labels"] and set(facts["quote_labels"]) <= facts["groups"]
    brainstorm = next(r for r in facts["report"]["rounds"] if r.get("ideas") is not None and not r["votes"])
    assert brainstorm["participation"]["groups_with_ideas"] == brainstorm["participation"]["groups"] == 6
    assert "Ideene ble registrert fra 6 av 6 grupper." in plain_text(build(facts["report"]))


def test_the_demos_files_say_they_are_demo_data(demo_files):
    texts, facts = demo_files
    notice = facts["notice"]
    assert facts["is_demo"] and notice.startswith("Demodata:") and "generert" in notice
    assert facts["report"]["workshop"]["is_demo"] is True
    assert "Demodata i Tavle" not in facts["description"] and "Demodata" not in facts["description"]
    assert texts["md"].splitlines()[0] == f"*{notice}*"
    assert facts["about"][1][0] == notice  # the workbook's first sheet, under the title
    assert notice not in texts["csv Prioritering med prikker"]  # a CSV stays plain rows


def test_a_real_workshop_carries_no_demo_notice(make):
    w = make.workshop("Real", language="en")
    report = reporting.workshop_report(w)
    assert report["workshop"]["is_demo"] is False and report["workshop"]["demo_notice"] is None
    md = WORKSHOP_WRITERS["md"](report).content.decode("utf-8")
    assert md.startswith("# Real")
