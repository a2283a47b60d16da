"""Plain report data (the shape of ``reporting.workshop_report``) for the writer tests, no app needed."""
from __future__ import annotations

import copy
import io
import json
from typing import Any

from docx import Document

HOSTILE = [
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd",
    "\tTabbed",
    "\rReturn",
    "<script>alert('x')</script>",
    "{{ config.SECRET_KEY }} {% raw %}",
    "*bold* | pipe [link](http://x) # heading",
    "Emoji 😀🎉 idé",
    "שלום עולם مرحبا",
    "Control \x00\x07\x1b chars",
]


def _standing(rank: int, title: str, score: float, tied: bool = False, no: int = 1) -> dict[str, Any]:
    return {"rank": rank, "tied": tied, "idea_id": 100 + no, "idea_no": no, "title": title, "score": score,
            "extra": {"dots": score, "voters": 2}, "consensus": 0.5}


def sample_report(lang: str = "en", titles: list[str] | None = None, details: str = "Some details.") -> dict[str, Any]:
    titles = titles or ["Shared data platform", "Pre-competitive arena", "National driving force", "Genomics Norway"]
    standings = [_standing(1, titles[0], 9, no=1)] + [
        _standing(2, t, 4, tied=True, no=n) for n, t in enumerate(titles[1:3], start=2)
    ] + [_standing(4, t, 1, no=n) for n, t in enumerate(titles[3:], start=4)]
    ideas = [
        {"id": 100 + n, "idea_no": n, "title": t, "details": details, "theme": "Data", "group": "Group 1",
         "attribution": "Group 1", "author": None, "hidden": False, "merged_into": None, "round_title": "Ideas"}
        for n, t in enumerate(titles, start=1)
    ]
    rounds = [
        {"id": 1, "position": 1, "title": "Ideas", "kind": "brainstorm", "kind_label": "Brainstorm", "votes": False,
         "state": "closed", "settings": {}, "participation": {"took_part": 3, "participants": 5, "rate": 0.6,
                                                              "groups": 1, "groups_with_ideas": 1, "phones": 3,
                                                              "without_author": 0},
         "result": None, "ideas": ideas},
        {"id": 2, "position": 2, "title": "Dots", "kind": "dot_vote", "kind_label": "Dot vote", "votes": True,
         "state": "closed", "settings": {"budget": 5, "cap": 3, "tie_break": "none", "min_cell": 3, "anonymous": False},
         "participation": {"took_part": 4, "participants": 5, "rate": 0.8}, "source_title": "Ideas",
         "result": {"method": "dots", "method_name": None, "params": {"budget": 5, "cap": 3}, "ballots": 4,
                    "anonymous": False, "tie_break": None, "tie_break_rule": None, "tie_break_order": [],
                    "method_card": "Each participant had 5 dots, at most 3 on one idea.", "computed_at": None,
                    "snapshots": 1, "standings": standings,
                    "by_sector": [{"sector": "industry", "label": "Industry", "suppressed": False, "voters": 3, "top": [titles[0]]},
                                  {"sector": "research", "label": "Research", "suppressed": True, "voters": 1}],
                    "min_cell": 3, "comparison": {}, "per_group": False}},
        {"id": 3, "position": 3, "title": "Measures", "kind": "comment", "kind_label": "Comments on items", "votes": False,
         "state": "closed", "settings": {"items": ["Measure one", "Measure two"]},
         "participation": {"took_part": 2, "participants": 5, "rate": 0.4, "groups": 1, "groups_with_comments": 1,
                           "phones": 2, "without_author": 0}, "result": None,
         "items": [
             {"index": 0, "text": "Measure one", "comments": [
                 {"text": titles[0] + " matters", "starred": True, "group": "Group 1", "author": None, "attribution": "Group 1"},
                 {"text": "Not starred", "starred": False, "group": None, "author": None, "attribution": None}],
              "starred": [{"text": titles[0] + " matters", "starred": True, "group": "Group 1", "author": None, "attribution": "Group 1"}]},
             {"index": 1, "text": "Measure two", "comments": [], "starred": []},
         ]},
        {"id": 4, "position": 4, "title": "Work it out", "kind": "worksheet", "kind_label": "Work out top ideas", "votes": False,
         "state": "closed", "settings": {}, "participation": {"took_part": 0, "participants": 5, "rate": 0.0}, "result": None,
         "source_title": "Dots",
         "fields": [{"key": "challenge", "label": "Challenge"}, {"key": "idea", "label": "Idea"},
                    {"key": "first_steps", "label": "First steps – who contributes what?"}],
         "sheets": [{"id": 1, "idea": titles[0], "group": "Group 1", "position": 1, "fields": [
             {"key": "challenge", "label": "Challenge", "text": details}, {"key": "idea", "label": "Idea", "text": "Do it.\nThen more."},
             {"key": "first_steps", "label": "First steps – who contributes what?", "text": ""}]}]},
    ]
    return {
        "workshop": {"title": "Workshop on " + titles[0], "code": "ABC234", "date": "2019-01-31", "language": lang,
                     "description": "About the day.", "show_names": True, "organisers": ["Org A", "Org B"],
                     "participants": 5, "organisations": 2, "attribution_min": 3, "is_demo": False, "demo_notice": None},
        "agenda": [{"id": 1, "start": "09:00", "duration": 30, "title": "Welcome", "who": "Org A", "round_id": None, "now": False,
                    "round_title": None},
                   {"id": 2, "start": "09:30", "duration": None, "title": titles[0], "who": "", "round_id": 1, "now": False,
                    "round_title": "Ideas"}],
        # Org A sent one person (fewer than attribution_min): it is not named beside them.
        "participants": [{"name": "Kari " + titles[0][:20], "organisation": None, "sector": "industry",
                          "sector_label": "Industry", "group": "Group 1"}] + [
            {"name": f"P{n}", "organisation": "Org B", "sector": "research", "sector_label": "Research", "group": None}
            for n in range(4)],
        "organisations": [{"name": "Org B", "sector": "research", "sector_label": "Research", "count": 4},
                          {"name": "1 other organisation", "sector": "industry", "sector_label": "Industry", "count": 1,
                           "other": 1}],
        "sectors": [{"sector": "industry", "label": "Industry", "count": 1}, {"sector": "research", "label": "Research", "count": 4}],
        "groups": [{"name": "Group 1", "table": "Table 1", "members": [{"name": "Kari", "organisation": None, "sector_label": "Industry"}]}],
        "ideas": ideas,
        "rounds": rounds,
        "final": {"round_id": 2, "round_title": "Dots", "standings": standings, "method": "dots", "ballots": 4},
        "surveys": [{"id": 1, "title": "Evaluation", "anonymous": True, "state": "closed", "respondents": 3, "questions": [
            {"id": 1, "kind": "scale", "text": "Useful?", "answered": 3, "counts": {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1},
             "mean": 4.0, "median": 4},
            {"id": 2, "kind": "multi", "text": "Next?", "answered": 2, "counts": {titles[0]: 2, "More info": 0}},
            {"id": 3, "kind": "text", "text": "Other comments?", "answered": 1, "answers": [titles[0]]},
            {"id": 4, "kind": "single", "text": "Unanswered", "answered": 0, "counts": {"a": 0, "b": 0}},
        ]}],
        "ballots": [{"round_id": 2, "round_title": "Dots", "kind": "dot_vote", "anonymous": False, "ballots": [
            {"voter": 1, "rows": [{"idea_no": 1, "idea": titles[0], "value": 3, "note": ""}]},
            {"voter": 2, "rows": [{"idea_no": 2, "idea": titles[1], "value": 2, "note": ""}]},
        ]}],
        "survey_responses": [{"title": "Evaluation", "questions": [{"id": 1, "text": "Useful?", "kind": "scale"},
                                                                   {"id": 3, "text": "Other comments?", "kind": "text"}],
                              "responses": [[5, titles[0]], [4, None]]}],
        "backup": {"format": "tavle-workshop", "version": 1, "workshop": {"title": titles[0]}},
    }


def empty_report(lang: str = "nb") -> dict[str, Any]:
    return {
        "workshop": {"title": "Tom workshop", "code": "EMPTY2", "date": None, "language": lang, "description": "",
                     "show_names": False, "organisers": [], "participants": 0, "organisations": 0, "attribution_min": 3,
                     "is_demo": False, "demo_notice": None},
        "agenda": [], "participants": [], "organisations": [], "sectors": [], "groups": [], "ideas": [], "rounds": [],
        "final": None, "surveys": [], "ballots": [], "survey_responses": [],
        "backup": {"format": "tavle-workshop", "version": 1, "workshop": {}},
    }


def no_votes_report(lang: str = "en") -> dict[str, Any]:
    """A voting round that closed with no ballots, and one still open with no result."""
    report = sample_report(lang)
    dots = copy.deepcopy(report["rounds"][1])
    dots["result"]["ballots"] = 0
    for s in dots["result"]["standings"]:
        s.update(rank=1, tied=True, score=0.0)
    open_round = copy.deepcopy(report["rounds"][1])
    open_round.update(id=9, title="Still open", state="open", result=None)
    report["rounds"] = [report["rounds"][0], dots, open_round]
    report["final"] = None
    report["ballots"] = [{"round_id": 2, "round_title": "Dots", "kind": "dot_vote", "anonymous": False, "ballots": []}]
    return report


def check_valid(fmt: str, content: bytes) -> str:
    """The file opens in its format's reader; returns some of its text."""
    from docx import Document
    from openpyxl import load_workbook

    if fmt == "docx":
        doc = Document(io.BytesIO(content))
        return "\n".join(p.text for p in doc.paragraphs)
    if fmt == "xlsx":
        wb = load_workbook(io.BytesIO(content))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
        return wb.sheetnames[0]
    if fmt == "pdf":
        assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
        return ""
    if fmt == "json":
        return json.dumps(json.loads(content))
    return content.decode("utf-8")


def docx_text(content: bytes) -> str:
    """Every paragraph's and table cell's text of a Word file, one per line."""
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)
