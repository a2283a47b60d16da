"""The writers tell a round by the parts of its data, and name kinds from the report: no kind's name in them."""
import io

import pytest
from openpyxl import load_workbook

from app.exports.document import build, plain_text
from app.exports.writers import workshop_markdown
from app.exports.xlsx_writer import workshop_xlsx
from tests.support.report_data import sample_report

#: The writers translate with the app's gettext catalogs: each test runs in an application context.
pytestmark = pytest.mark.usefixtures("ctx")


def renamed(report: dict, kind: str) -> dict:
    """``report`` with every round of ``kind`` given a kind name no writer knows."""
    for rnd in report["rounds"]:
        if rnd["kind"] == kind:
            rnd["kind"] = "kind_unknown_to_writers"
    for rnd in report.get("ballots") or []:
        if rnd["kind"] == kind:
            rnd["kind"] = "kind_unknown_to_writers"
    return report


def test_a_round_is_told_by_what_it_holds_not_by_its_kind_name():
    for kind in ("brainstorm", "dot_vote", "comment", "worksheet"):
        for lang in ("en", "nb"):
            before = plain_text(build(sample_report(lang)))
            after = plain_text(build(renamed(sample_report(lang), kind)))
            # Only the line naming the kind may change (the report gives no name for the new one).
            changed = [line for line in after.splitlines() if line not in before.splitlines()]
            assert all("kind_unknown_to_writers" in line or "Brainstorm" in line or "Dot vote" in line
                       or "Comments on items" in line or "Work out top ideas" in line for line in changed), (kind, changed)
            assert len(after.splitlines()) == len(before.splitlines()), kind
        md_before = workshop_markdown(sample_report("en")).content
        assert workshop_markdown(renamed(sample_report("en"), kind)).content == md_before, kind


def test_kind_names_come_from_the_report_in_the_language_of_the_file():
    report = sample_report("nb")
    report["kind_names"] = {"dot_vote": "Prikker på lapper"}  # written in the workshop's language
    text = plain_text(build(report))
    assert "Prikker på lapper · Bygger på: Ideas" in text
    assert "prikker på lapper" in text  # the summary lists the kinds in lower case
    # A kind the report does not name is called by its label.
    assert "Comments on items" in text
    wb = load_workbook(io.BytesIO(workshop_xlsx(report).content))
    result_sheet = next(ws for ws in wb.worksheets if ws.title.startswith("Resultat"))
    assert result_sheet["A2"].value.startswith("Prikker på lapper · ")


def test_a_ballot_note_gets_the_label_its_round_names():
    report = sample_report("en")
    report["ballots"][0]["ballots"][0]["rows"][0]["note"] = "Genomics Norway"
    rows = lambda r: [[c.value for c in row] for row in load_workbook(io.BytesIO(workshop_xlsx(r).content))["Ballots"].iter_rows()]  # noqa: E731
    assert rows(report)[1][5] == "Genomics Norway"
    report["ballots"][0]["note_label"] = "beats"
    assert rows(report)[1][5] == "beats Genomics Norway"
