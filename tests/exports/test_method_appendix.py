"""The method appendix: each vote's rule, parameters and tie rule told once; shared places marked
wherever places are shown (the other rules' comparison and the sectors included); the robustness
of the final list; and the worked-out ideas' first steps as a table, from the phone to the files."""
from __future__ import annotations

import copy
import io
import json
import random

import pytest
from openpyxl import load_workbook

from app import transaction
from app.errors import Conflict, DomainError
from app.exports.document import build, plain_text
from app.exports.writers import workshop_markdown
from app.exports.xlsx_writer import workshop_xlsx
from app.extensions import db
from app.models import Workshop
from app.services import backup, reporting, robustness, roster, rounds, worksheets
from tests.support.report_data import sample_report

pytestmark = pytest.mark.usefixtures("ctx")

PARAMS_HEADER = "Field | Value"
TIE_SENTENCE = "= marks a shared place"


def chapters(blocks: list[dict]) -> dict[str, str]:
    """The report's text by chapter (each level-1 heading's text up to the next one)."""
    out, title, lines = {}, None, []
    for block in blocks:
        if block["type"] == "heading" and block["level"] == 1:
            if title is not None:
                out[title] = plain_text(lines)
            title, lines = block["text"], []
        elif title is not None:
            lines.append(block)
    out[title] = plain_text(lines)
    return out


def tables_after(blocks: list[dict], heading: str) -> list[dict]:
    """The tables between the heading ``heading`` and the next heading of its level or above."""
    at = next(n for n, b in enumerate(blocks) if b["type"] == "heading" and b["text"] == heading)
    level = blocks[at]["level"]
    found = []
    for b in blocks[at + 1:]:
        if b["type"] == "heading" and b["level"] <= level:
            break
        if b["type"] == "table":
            found.append(b)
    return found


def two_votes(lang: str = "en") -> dict:
    """The sample report with a second vote (a ranking over the dot vote)."""
    report = sample_report(lang)
    rank = copy.deepcopy(report["rounds"][1])
    rank.update(id=5, position=5, title="Ranking", kind="rank", kind_label="Ranking",
                settings={"top_k": 4, "tie_break": "prior_round", "min_cell": 3, "anonymous": True})
    rank["result"].update(method="borda", params={"partial": True}, method_card="Borda card.", snapshots=2,
                          tie_break_rule="prior_round", tie_break_order=["Pre-competitive arena", "National driving force"])
    report["rounds"].append(rank)
    return report


# --- the appendix ------------------------------------------------------------------------------

def test_the_appendix_holds_each_votes_method_once_and_the_sections_do_not():
    blocks = build(two_votes())
    headings = [b["text"] for b in blocks if b["type"] == "heading" and b["level"] == 1]
    # Numbered with the other appendices, in the outline's order: the agenda, the participants, the method.
    assert headings.count("Appendix 3: Method") == 1 and not any(h.endswith("Appendix: Method") for h in headings)
    assert headings[-3:] == ["Appendix 1: Agenda", "Appendix 2: Participants", "Appendix 3: Method"]
    text = chapters(blocks)
    appendix = text["Appendix 3: Method"]
    # One parameter table and one method card per vote, all in the appendix.
    # (The executive page's key figures are a table of fields and values too, but no parameters.)
    outside = plain_text(blocks).count(PARAMS_HEADER) - text["1 Summary"].count(PARAMS_HEADER)
    assert outside == appendix.count(PARAMS_HEADER) == 2 and "Counting rule" not in text["1 Summary"]
    assert plain_text(blocks).count("Counting rule |") == appendix.count("Counting rule |") == 2
    for card in ("Each participant had 5 dots, at most 3 on one idea.", "Borda card."):
        assert plain_text(blocks).count(card) == appendix.count(card) == 1
    assert "Counting rule | Borda count" in appendix and "Ties | broken by the earlier round" in appendix
    assert "Ties were then broken by the earlier round's ranking, in this order: Pre-competitive arena › National driving force." in appendix
    assert "The result was stored 2 times; this is the latest." in appendix
    # The tie sentence once for the whole report (the summary's own line about the final list aside).
    assert appendix.count(TIE_SENTENCE) == 1
    for title in ("Dots", "Ranking"):
        [section] = [body for heading, body in text.items() if heading.endswith(" " + title)]
        assert TIE_SENTENCE not in section and PARAMS_HEADER not in section and "Method and parameters" not in section
        assert "The method, its parameters and how ties are handled are described in “Appendix 3: Method”." in section
        assert "2=" in section  # shared places are still marked in the result table
        assert "participants voted" in section


def test_the_appendix_in_norwegian_and_without_votes():
    text = chapters(build(two_votes("nb")))
    assert "Vedlegg 3: Metode" in text and "Delte plasser" in text["Vedlegg 3: Metode"]
    report = sample_report("en")
    report["rounds"] = [r for r in report["rounds"] if not r.get("votes")]
    report["final"] = None
    assert "No vote was held in this workshop." in chapters(build(report))["Appendix 3: Method"]


def test_the_robustness_check_of_the_demo(app):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    workshop = db.session.query(Workshop).one()
    report = reporting.workshop_report(workshop)
    final = next(r for r in report["rounds"] if r["id"] == report["final"]["round_id"])
    check = final["result"]["robustness"]
    assert check["method"] == "borda" and check["methods"] == ["borda", "schulze", "irv", "approval"]
    assert check["top_n"] == 3 and len(check["ideas"]) == 3 and not check["same"]
    assert {c["method"]: c["change"] for c in check["changes"]} == {"schulze": "same", "irv": "order", "approval": "same"}
    blocks = build(report)
    appendix = chapters(blocks)["Vedlegg 3: Metode"]
    assert ("Topp 3 er den samme med Schulze-metoden og prikker (godkjenningsvalg). Med omvalg med rangerte stemmer "
            "(IRV) er de samme ideene øverst, men på andre plasser.") in appendix
    [table] = tables_after(blocks, "Robusthet i den endelige listen")
    assert table["header"][1] == "Borda-telling (brukt)"
    assert [row[1:] for row in table["rows"]] == [["1", "1", "1", "1"], ["2", "2", "2=", "2"], ["3", "3", "2=", "3"]]
    # The ranking's comparison with the other rules keeps the instant-runoff's shared places.
    [comparison] = tables_after(blocks, "De samme stemmesedlene talt med andre telleregler")
    assert [row[3] for row in comparison["rows"]].count("2=") == 2


# --- comparison and sectors: shared places ------------------------------------------------------

def _vote_rank(make, workshop, ballots_by_title, *, method="borda", people=None):
    titles = list(ballots_by_title[0])
    people = people or make.participants(workshop, len(ballots_by_title))
    brainstorm = make.round(workshop, "brainstorm", "Ideas", open_=True)
    made = {i.title: i for i in make.ideas(brainstorm, people[:1], titles)}
    rank = make.round(workshop, "rank", "Ranking", open_=True, source=brainstorm, method=method)
    for person, order in zip(people, ballots_by_title):
        make.vote(person, rank, "submit_ranking", order=[made[t].id for t in order])
    transaction.run(lambda: rounds.close_round(rank))
    return rank, made


def test_the_comparison_shows_a_shared_place_of_instant_runoff(make):
    workshop = make.workshop("Ties", language="en")
    # F and G are nobody's first choice: instant-runoff drops both in its first count, so they
    # share 6th place; Borda and Schulze tell them apart.
    ballots = [list("ABCDEFG"), list("ACBDEFG"), list("BACDEFG"), list("CBADEFG"), list("DABCEFG"), list("EABCDFG")]
    rank, made = _vote_rank(make, workshop, ballots)
    stored = rank.latest_result.data["comparison"]
    irv = {p["option"]: p for p in stored["irv"]}
    assert irv[made["F"].id] == {"option": made["F"].id, "rank": 6, "tied": True} == {**irv[made["G"].id], "option": made["F"].id}
    report = reporting.workshop_report(workshop)
    result = report["rounds"][-1]["result"]
    assert [(p["title"], p["rank"], p["tied"]) for p in result["comparison"]["irv"]][-2:] == [("F", 6, True), ("G", 6, True)]
    blocks = build(report)
    [table] = tables_after(blocks, "The same ballots counted by other rules")
    assert table["header"] == ["Idea", "Borda count (used)", "Schulze method", "Instant-runoff"]
    irv_column = [row[3] for row in table["rows"]]
    assert irv_column.count("6=") == 2 and [row[0] for row in table["rows"] if row[3] == "6="] == ["F", "G"]
    assert "6=" not in [row[1] for row in table["rows"]] + [row[2] for row in table["rows"]]
    # The console is sent the same places.
    from app.rounds import kind_of

    console = kind_of(rank).facilitator_extras(rank)["comparison"]
    assert [p["rank"] for p in console["irv"]][-2:] == [6, 6]


def test_a_comparison_stored_as_idea_ids_still_reads(make):
    workshop = make.workshop("Old", language="en")
    rank, made = _vote_rank(make, workshop, [list("ABC"), list("BAC")])
    snapshot = rank.latest_result
    snapshot.data = {**snapshot.data, "comparison": {"irv": [made["B"].id, made["A"].id, made["C"].id]}}
    db.session.commit()
    result = reporting.workshop_report(workshop)["rounds"][-1]["result"]
    assert [(p["title"], p["rank"], p["tied"]) for p in result["comparison"]["irv"]] == [("B", 1, False), ("A", 2, False),
                                                                                          ("C", 3, False)]
    # A backup of it restores, its old shape kept as it was.
    copy_ = backup.restore(json.loads(json.dumps(backup.dump(workshop))), None)
    db.session.commit()
    restored = next(r for r in copy_.rounds if r.kind == "rank").latest_result.data["comparison"]["irv"]
    titles = {i.id: i.title for r in copy_.rounds for i in r.ideas}
    assert [titles[i] for i in restored] == ["B", "A", "C"]


def test_the_places_with_ties_survive_a_backup(make):
    workshop = make.workshop("Tied backup", language="en")
    ballots = [list("ABCDEFG"), list("ACBDEFG"), list("BACDEFG"), list("CBADEFG"), list("DABCEFG"), list("EABCDFG")]
    _vote_rank(make, workshop, ballots)
    copy_ = backup.restore(json.loads(json.dumps(backup.dump(workshop))), None)
    db.session.commit()
    restored = next(r for r in copy_.rounds if r.kind == "rank").latest_result.data["comparison"]["irv"]
    titles = {i.id: i.title for r in copy_.rounds for i in r.ideas}
    assert [(titles[p["option"]], p["rank"], p["tied"]) for p in restored][-2:] == [("F", 6, True), ("G", 6, True)]


def test_the_sectors_mark_a_shared_first_place(make):
    workshop = make.workshop("Sectors", language="en")
    people = make.participants(workshop, 4, sectors=["industry"] * 3 + ["research"])
    brainstorm = make.round(workshop, "brainstorm", "Ideas", open_=True)
    a, b, c = make.ideas(brainstorm, people[:1], ["Alpha", "Beta", "Gamma"])
    dots = make.round(workshop, "dot_vote", "Dots", open_=True, source=brainstorm, budget=4, cap=2)
    for person in people[:3]:  # industry: 2 dots each on Alpha and Beta
        make.dots(person, dots, a, 2)
        make.dots(person, dots, b, 2)
    make.dots(people[3], dots, c, 2)
    transaction.run(lambda: rounds.close_round(dots))
    result = reporting.workshop_report(workshop)["rounds"][-1]["result"]
    industry = next(s for s in result["by_sector"] if s["sector"] == "industry")
    assert industry["top"] == ["Alpha", "Beta"]
    [table] = tables_after(build(reporting.workshop_report(workshop)), "By sector")
    assert ["Industry", "3", "Alpha = Beta"] in table["rows"]


# --- robustness of a dot vote -------------------------------------------------------------------

def test_a_dot_vote_is_checked_as_dots_one_per_supported_idea(make):
    workshop = make.workshop("Dots", language="en")
    people = make.participants(workshop, 5)
    brainstorm = make.round(workshop, "brainstorm", "Ideas", open_=True)
    a, b, c = make.ideas(brainstorm, people[:1], ["Alpha", "Beta", "Gamma"])
    dots = make.round(workshop, "dot_vote", "Dots", open_=True, source=brainstorm, budget=3, cap=3)
    # Two voters pile 3 dots each on Alpha; three spread 1 over Beta and 2 over Gamma, or the reverse.
    for person in people[:2]:
        make.dots(person, dots, a, 3)
    for n, person in enumerate(people[2:]):
        make.dots(person, dots, b, 1 + n % 2)
        make.dots(person, dots, c, 2 - n % 2)
    transaction.run(lambda: rounds.close_round(dots))
    workshop.report_options = {"recommended": 1}
    db.session.commit()
    report = reporting.workshop_report(workshop)
    check = report["rounds"][-1]["result"]["robustness"]
    assert check["top_n"] == 1 and check["methods"] == ["dots", "approval"]
    # Dots: Alpha 6, Beta 4, Gamma 5. One per supported idea: Beta 3, Gamma 3, Alpha 2.
    assert check["changes"] == [{"method": "approval", "change": "set", "in": ["Gamma", "Beta"], "out": ["Alpha"]}]
    places = {i["title"]: i["places"] for i in check["ideas"]}
    assert places["Beta"]["approval"] == {"rank": 1, "tied": True} and places["Alpha"]["dots"] == {"rank": 1, "tied": False}
    appendix = chapters(build(report))["Appendix 3: Method"]
    assert "Borda count, Schulze and instant-runoff need such an order" in appendix
    assert "Under dots (approval voting), “Gamma” and “Beta” would take the top place instead of “Alpha”." in appendix


def test_the_final_round_the_report_options_name_is_checked(make):
    workshop = make.workshop("Final", language="en")
    rank, _ = _vote_rank(make, workshop, [list("ABC"), list("ABC"), list("BAC")])
    dots = make.round(workshop, "dot_vote", "Later dots", open_=True, source=rank, budget=2, cap=2)
    transaction.run(lambda: rounds.close_round(dots))
    report = reporting.workshop_report(workshop)
    assert report["final"]["round_title"] == "Later dots"
    assert [r["title"] for r in report["rounds"] if (r.get("result") or {}).get("robustness")] == ["Later dots"]
    # Three ideas: every ballot's top 3 holds them all, so counted as dots they share the first place.
    workshop.report_options = {"final_round": rank.id}
    db.session.commit()
    report = reporting.workshop_report(workshop)
    checked = [r for r in report["rounds"] if (r.get("result") or {}).get("robustness")]
    assert [r["title"] for r in checked] == ["Ranking"]
    assert "Under dots (approval voting) the same ideas are on top, in other places." in chapters(build(report))["Appendix 3: Method"]
    workshop.report_options = {"final_round": rank.id, "recommended": 1}
    db.session.commit()
    report = reporting.workshop_report(workshop)
    checked = next(r for r in report["rounds"] if (r.get("result") or {}).get("robustness"))["result"]["robustness"]
    assert checked["same"] is True and checked["top_n"] == 1
    assert "The top idea is the same under all methods." in chapters(build(report))["Appendix 3: Method"]
    # The executive page recommends what the check looked at: the same round, the same top N.
    assert report["options"]["final_round"] == rank.id and report["options"]["recommended"] == 1
    summary = chapters(build(report))["1 Summary"]
    assert "The final priorities come from “Ranking”" in summary and "1. A" in summary and "2. B" not in summary
    assert "The top idea is the same under all methods." in summary


def test_the_check_looks_at_as_many_ideas_as_the_executive_page_recommends(make):
    workshop = make.workshop("Many", language="en")
    _vote_rank(make, workshop, [list("ABCD"), list("ABCD"), list("BACD")])
    for asked, n in ((None, 3), (2, 2), (25, 4)):  # more than the round ranks: both stop at its four ideas
        workshop.report_options = {"recommended": asked} if asked else {}
        db.session.commit()
        report = reporting.workshop_report(workshop)
        assert report["options"]["recommended"] == n == report["rounds"][-1]["result"]["robustness"]["top_n"], asked
    # Past twenty ideas the check still follows the executive page, not a default of its own.
    assert robustness.top_n({"recommended": 25}) == 25 and robustness.top_n({"recommended": 0}) == 3
    assert robustness.top_n({"recommended": "x"}) == robustness.top_n(None) == 3


# --- first steps as a table ---------------------------------------------------------------------

def _worksheets(make, lang="en"):
    workshop = make.workshop("Steps", language=lang)
    people = make.participants(workshop, 4)
    brainstorm = make.round(workshop, "brainstorm", "Ideas", open_=True)
    make.ideas(brainstorm, people[:1], ["Alpha", "Beta"])
    transaction.run(lambda: roster.assign_groups(workshop, 2, rng=random.Random(1)))
    sheets_round = make.round(workshop, "worksheet", "Work out", open_=True, source=brainstorm, top_k=2)
    return workshop, people, sheets_round


def test_the_first_steps_are_a_table_saved_by_the_version_rule(make):
    workshop, people, sheets_round = _worksheets(make)
    spec = sheets_round.settings["fields"][2]
    assert spec == {"key": "first_steps", "label": "First steps – who contributes what?", "type": "table",
                    "columns": ["Actor", "Contribution", "When"]}
    sheet = worksheets.ensure_worksheets(sheets_round)[0]
    member = next(p for p in people if p.group_id == sheet.group_id)
    rows = [["Hospitals", "A pilot", "Spring"], ["Industry", "Co-funding  ", ""]]
    saved = worksheets.edit_field(sheet, "first_steps", None, 0, editor="Kari", participant=member, rows=rows)
    db.session.commit()
    assert saved.version == 1 and json.loads(saved.text) == rows  # not trimmed while typing
    with pytest.raises(Conflict) as clash:  # another phone that started from version 0
        worksheets.edit_field(sheet, "first_steps", None, 0, editor="Ola", participant=member, rows=[["Ola", "", ""]])
    assert clash.value.code == "edit_conflict"
    assert clash.value.details["current"] == {"text": "Hospitals – A pilot – Spring\nIndustry – Co-funding", "rows": rows,
                                              "version": 1, "updated_by": "Kari"}
    # Bad rows are refused with a reason; nothing is lost.
    for bad, code in (("text for a table", "table_field"), ([["only two", "cells"]], "bad_rows"),
                      ([["a", 1, "c"]], "bad_rows"), ([["x", "y", "z"]] * 31, "too_many_rows"),
                      ([["x" * 501, "", ""]], "text_too_long"), ({"rows": []}, "bad_rows")):
        with pytest.raises(DomainError) as refused:
            worksheets.edit_field(sheet, "first_steps", bad if isinstance(bad, str) else None, 1, editor="Ola",
                                  rows=None if isinstance(bad, str) else bad)
        assert refused.value.code == code, bad
    with pytest.raises(DomainError) as refused:
        worksheets.edit_field(sheet, "idea", None, 0, editor="Ola", rows=[["a"]])
    assert refused.value.code == "text_field"
    assert json.loads(sheet.fields[2].text) == rows
    field = next(f for f in worksheets.sheet_payload(sheet, sheets_round)["fields"] if f["key"] == "first_steps")
    assert field["type"] == "table" and field["rows"] == rows and field["columns"] == ["Actor", "Contribution", "When"]
    assert worksheets.field_payload(sheet, sheet.fields[2], names=True)["rows"] == rows


def test_a_facilitator_names_a_table_by_its_columns(make):
    workshop, _, sheets_round = _worksheets(make)
    settings = {"source_round_id": sheets_round.settings["source_round_id"], "top_k": 2,
                "fields": "Challenge\nSteps | Who | What | By when"}
    custom = rounds.add_round(workshop, kind="worksheet", title="Custom", settings=settings)
    assert custom.settings["fields"][1] == {"key": "steps", "label": "Steps", "type": "table", "columns": ["Who", "What", "By when"]}
    with pytest.raises(DomainError) as refused:
        rounds.add_round(workshop, kind="worksheet", title="Bad", settings={**settings, "fields": "Steps | " + " | ".join("abcdefg")})
    assert refused.value.code == "bad_fields" and "First steps | Actor | Contribution | When" in str(refused.value)


def test_text_saved_before_a_heading_became_a_table_is_kept():
    assert worksheets.table_rows("Pilot at two hospitals", 3) == [["Pilot at two hospitals", "", ""]]
    assert worksheets.table_rows('[["a", "b"], ["c", "d", "e", "f"]]', 3) == [["a", "b", ""], ["c", "d", "e f"]]
    assert worksheets.table_rows("", 3) == []


def test_the_table_in_the_report_the_files_and_the_backup(make):
    workshop, _, sheets_round = _worksheets(make, lang="nb")
    sheet = worksheets.ensure_worksheets(sheets_round)[0]
    rows = [["Sykehusene", "=Pilot", "Våren 2026"], ["", "", ""], ["Industrien", "Medfinansiering", ""]]
    worksheets.edit_field(sheet, "first_steps", None, 0, editor="Kari", rows=rows)
    worksheets.edit_field(sheet, "idea", "Et felles løft", 0, editor="Kari")
    db.session.commit()
    report = reporting.workshop_report(workshop)
    blocks = build(report)
    [table] = [b for b in blocks if b["type"] == "table" and b["header"] == ["Aktør", "Bidrag", "Når"]]
    assert table["rows"] == [["Sykehusene", "=Pilot", "Våren 2026"], ["Industrien", "Medfinansiering", ""]]
    assert "Et felles løft" in plain_text(blocks)
    md = workshop_markdown(report).content.decode()
    assert "| Aktør | Bidrag | Når |\n| --- | --- | --- |\n| Sykehusene | =Pilot | Våren 2026 |\n| Industrien | Medfinansiering |  |" in md
    report["ballots"], report["survey_responses"] = [], []
    wb = load_workbook(io.BytesIO(workshop_xlsx(report).content))
    steps = next(ws for ws in wb.worksheets if ws.title.startswith("Første steg – hvem"))
    assert [c.value for c in steps[1]] == ["Runde", "Idé", "Gruppe", "Aktør", "Bidrag", "Når"]
    assert [c.value for c in steps[2]][3:] == ["Sykehusene", "=Pilot", "Våren 2026"] and steps["E2"].data_type == "s"
    assert any(row[4] == "Aktør: Sykehusene · Bidrag: =Pilot · Når: Våren 2026"
               for row in wb["Arbeidsark"].iter_rows(values_only=True))
    # A backup keeps the table, and its copy edits on from the same version.
    copy_ = backup.restore(json.loads(json.dumps(backup.dump(workshop))), None)
    db.session.commit()
    copied = next(r for r in copy_.rounds if r.kind == "worksheet")
    assert copied.settings["fields"][2]["columns"] == ["Aktør", "Bidrag", "Når"]
    restored = worksheets.sheets_payload(copied)[0]["fields"][2]
    assert restored["rows"] == rows and restored["version"] == 1


def test_a_backup_with_a_bad_table_heading_is_refused(make):
    workshop, _, sheets_round = _worksheets(make)
    doc = json.loads(json.dumps(backup.dump(workshop)))
    rnd = next(r for r in doc["rounds"] if r["kind"] == "worksheet")
    rnd["settings"]["fields"][2]["columns"] = []
    with pytest.raises(backup.BadBackup) as refused:
        backup.restore(doc, None)
    assert "a table field lists 1 to 6 column headings" in str(refused.value)
