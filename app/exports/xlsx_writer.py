"""The workshop as an Excel workbook (openpyxl): ideas, each round's result, ballots, people, survey.

Where an idea or a comment came from is one "From" column holding the report's
``attribution`` label; organisations are named only as ``reporting`` lists them (those with
at least k participants), and a demo workshop's About sheet says it is demo data.

Text a participant typed is stored as text, never as a formula: a value starting with = + - @
(or a tab or carriage return) is written as a string cell marked "quote prefix", which is how
Excel itself keeps ``=SUM(A1)`` typed after an apostrophe as text. The cell shows exactly what
was typed and nothing in it is ever calculated.

Ballots carry no participant: a voter number per round (see ``reporting.anonymised_ballots``).

Headings and words are in the workshop's language; numbers stay numbers (scores, counts) with a
number format (whole numbers, two decimals, consensus as a percentage), so the spreadsheet shows
them as its reader writes them and can still sum and sort them; the workshop's date is a date
and agenda times are times. Every list is an Excel table (filters, stripes, a name to use in
formulas), and sheet names are cut at a word boundary to Excel's 31 characters.
"""
from __future__ import annotations

import io
import re
from datetime import date, time
from typing import Any, Iterable, Mapping

from flask_babel import gettext as _
from flask_babel import ngettext
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from app.exports.labels import (
    EXTRA_NAMES,
    QUADRANT_NAMES,
    as_heading,
    format_date,
    format_percent,
    kind_name,
    method_name,
    speaking,
    unit_name,
    xml_safe,
    yes_no,
)
from app.exports.writers import FORMULA_PREFIXES, Export, Progress, no_progress
from app.text import filled_rows

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CELL_MAX = 32_767
HEADER_FILL = PatternFill("solid", fgColor="2F6F5E")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14, color="2F6F5E")
DEMO_FONT = Font(bold=True, color="9C2B1B")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
NOTE_FONT = Font(italic=True, color="5F6368")
SHEET_NAME_MAX = 31
TABLE_STYLE = "TableStyleMedium7"  # green stripes, like the report's tables
WHOLE, DECIMAL, PERCENT = "#,##0", "#,##0.0#", "0%"
#: Date formats with the language's month names whatever the reader's Excel speaks ([$-414]: nb-NO).
DATE_FORMATS = {"nb": "[$-414]d. mmmm yyyy", "nn": "[$-814]d. mmmm yyyy", "en": "[$-809]d mmmm yyyy"}


def _put(ws, row: int, col: int, value: Any, *, wrap: bool = False):
    """Write one cell; user text is kept as text (never a formula)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = xml_safe(value)[:CELL_MAX]
        cell.value = text
        if text.startswith(FORMULA_PREFIXES):
            cell.data_type = "s"
            cell.quotePrefix = True
    elif isinstance(value, (list, tuple)):
        return _put(ws, row, col, "; ".join(str(v) for v in value), wrap=wrap)
    elif isinstance(value, dict):
        return _put(ws, row, col, ", ".join(f"{k}: {v}" for k, v in value.items()), wrap=wrap)
    else:
        cell.value = value
    cell.alignment = WRAP if wrap else TOP
    return cell


def _cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 3:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;–-") + "…"


def sheet_name(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\ or quote, at most 31 characters (cut at a word
    boundary), unique in the workbook (``used``: the names taken, in lower case)."""
    name = " ".join(re.sub(r"[\[\]:*?/\\']", " ", xml_safe(title)).split()) or "Sheet"
    name = _cut(name, SHEET_NAME_MAX)
    base, n = name, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = _cut(base, SHEET_NAME_MAX - len(suffix)) + suffix
        n += 1
    used.add(name.lower())
    return name


def _new_sheet(wb, title: str, used: set[str]):
    """A new sheet named after ``title`` (see ``sheet_name``)."""
    return wb.create_sheet(sheet_name(title, used))


def _table_name(ws) -> str:
    """A name for the sheet's table, unique in the workbook: its sheet's name as letters, digits and _."""
    base = re.sub(r"\W+", "_", ws.title).strip("_") or "Table"
    if not re.match(r"[^\W\d]", base) or re.fullmatch(r"[A-Za-z]{1,3}\d+|[RrCc]\d*", base):
        base = "T_" + base
    names = {t for sheet in ws.parent.worksheets for t in sheet.tables}
    name, n = base[:200], 2
    while name.lower() in {t.lower() for t in names}:
        name, n = f"{base[:200]}_{n}", n + 1
    return name


def _number_format(values: list[Any]) -> str | None:
    """The format of a column of numbers: whole numbers, or up to two decimals."""
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not numbers:
        return None
    return WHOLE if all(float(v).is_integer() for v in numbers) else DECIMAL


def _table(ws, start_row: int, header: list[str], rows: Iterable[list[Any]], widths: list[int],
           wrap: set[int] = frozenset(), formats: Mapping[int, str] | None = None,
           notes: Mapping[int, str] | None = None) -> int:
    """An Excel table from ``start_row``: a header row, then the rows, with a frozen header.

    Numbers get a format per column (``formats`` by column index, else whole numbers or two
    decimals); ``notes`` are comments on header cells, saying what a column means. Returns the
    next free row.
    """
    seen: set[str] = set()
    unique = []
    for text in header:  # a table's column names must differ
        name, n = str(text) or "–", 2
        while name.lower() in seen:
            name, n = f"{text} ({n})", n + 1
        seen.add(name.lower())
        unique.append(name)
    for col, text in enumerate(unique, start=1):
        cell = _put(ws, start_row, col, text)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        if notes and (col - 1) in notes:
            cell.comment = Comment(xml_safe(notes[col - 1]), "Tavle", width=320, height=110)
    rows = list(rows) or [[None] * len(header)]  # a table needs a row under its header
    columns = list(zip(*rows)) if rows else []
    number_formats = {n: (formats or {}).get(n) or _number_format(list(values)) for n, values in enumerate(columns)}
    row_no = start_row
    for row_no, row in enumerate(rows, start=start_row + 1):
        for col, value in enumerate(row, start=1):
            cell = _put(ws, row_no, col, value, wrap=(col - 1) in wrap)
            if number_formats.get(col - 1) and isinstance(value, (int, float, date, time)) and not isinstance(value, bool):
                cell.number_format = number_formats[col - 1]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    table = Table(displayName=_table_name(ws), ref=f"A{start_row}:{get_column_letter(len(header))}{row_no}")
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True, showColumnStripes=False,
                                          showFirstColumn=False, showLastColumn=False)
    ws.add_table(table)
    return row_no + 1


def _about(ws, report: Mapping[str, Any], lang: str) -> None:
    w = report["workshop"]
    _put(ws, 1, 1, w["title"]).font = TITLE_FONT
    if w.get("demo_notice"):
        _put(ws, 2, 1, w["demo_notice"]).font = DEMO_FONT
    day = None
    if w.get("date"):
        try:
            day = date.fromisoformat(str(w["date"])[:10])
        except ValueError:
            day = format_date(w["date"], lang)
    rows = [
        (_("Date"), day or ""),
        (_("Organised by"), ", ".join(w.get("organisers") or [])),
        (_("Participants"), w["participants"]),
        (_("Organisations"), w["organisations"]),
        (_("Rounds"), len(report["rounds"])),
        (_("Join code"), w["code"]),
        (_("Ballots"), _("Participants are replaced by a voter number per round; anonymous rounds list their "
                         "secret ballots as stored.")),
    ]
    for n, (label, value) in enumerate(rows, start=3):
        _put(ws, n, 1, label).font = Font(bold=True)
        cell = _put(ws, n, 2, value, wrap=True)
        if isinstance(value, date):
            cell.number_format = DATE_FORMATS.get(lang, DATE_FORMATS["en"])
            cell.alignment = Alignment(horizontal="left", vertical="top")
        elif isinstance(value, int):
            cell.alignment = Alignment(horizontal="left", vertical="top")
    if w.get("description"):
        _put(ws, len(rows) + 4, 1, w["description"], wrap=True)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 90


def workshop_xlsx(report: Mapping[str, Any], lang: str | None = None, progress: Progress = no_progress) -> Export:
    """The workshop's data as a workbook (needs the report's ``ballots`` part); ``progress`` hears of each sheet."""
    with speaking(lang or report["workshop"].get("language")) as lang:
        return _workbook(report, lang, progress)


def _extra_value(key: str, value: Any) -> Any:
    """A method's per-idea number as a cell (a quadrant by its name, a truth as yes or no)."""
    if key == "quadrant" and value in QUADRANT_NAMES:
        return str(QUADRANT_NAMES[value])
    if isinstance(value, bool):
        return yes_no(value)
    return value


def _start_time(text: Any) -> Any:
    """An agenda item's start (``09:30``) as a time of day, or as it was written."""
    try:
        h, m = (int(x) for x in str(text).split(":"))
        return time(h, m)
    except (TypeError, ValueError):
        return text or ""


def _workbook(report: Mapping[str, Any], lang: str, progress: Progress) -> Export:
    show_names = report["workshop"].get("show_names")
    # About, ideas, one per voting round, ballots, organisations, participants, survey, comments,
    # worksheets, agenda, and saving the file; the optional sheets count as done when they are skipped.
    total = 11 + sum(1 for r in report["rounds"] if r.get("votes") and r.get("result"))
    made = {"n": 0}

    def _sheet(wb, title: str, used: set[str]):
        made["n"] += 1
        progress(min(made["n"] - 1, total - 1), total, "sheets")
        return _new_sheet(wb, title, used)

    progress(0, total, "sheets")
    wb = Workbook()
    used: set[str] = set()
    about = wb.active
    about.title = _("About")
    used.add(about.title.lower())
    _about(about, report, lang)

    ws = _sheet(wb, _("Ideas"), used)
    header = [_("No."), _("Round"), _("Idea"), _("Details"), _("Theme"), _("From"), _("Hidden"), _("Merged into no.")]
    rows = [
        [i["idea_no"], i.get("round_title") or "", i["title"], i.get("details") or "", i.get("theme") or "",
         i.get("attribution") or "", yes_no(True) if i.get("hidden") else "", i.get("merged_into") or None]
        for i in report.get("ideas") or []
    ]
    _table(ws, 1, header, rows, [7, 28, 45, 60, 16, 28, 8, 12], wrap={2, 3})

    for rnd in report["rounds"]:
        result = rnd.get("result")
        if not rnd.get("votes") or not result:
            continue
        ws = _sheet(wb, _("Result %(position)s %(title)s", position=rnd["position"], title=rnd["title"]), used)
        _put(ws, 1, 1, rnd["title"]).font = TITLE_FONT
        names = [kind_name(report, rnd), method_name(result["method"])]
        if names[0].lower() == names[1].lower():
            names.pop()
        _put(ws, 2, 1, " · ".join(names + [ngettext("%(num)d ballot", "%(num)d ballots", result["ballots"])]))
        _put(ws, 3, 1, result.get("method_card") or "")
        # The numbers a method keeps beside the score, each under its name in the file's language
        # (one without a name is left out rather than headed by its key, and one that only
        # repeats the score, as a dot vote's dots do, is left out too). The score is headed by
        # what it counts ("Dots", "Borda points").
        extras = []
        for st in result["standings"]:
            for key, value in (st.get("extra") or {}).items():
                if key not in extras and key in EXTRA_NAMES and isinstance(value, (int, float, str, bool)):
                    extras.append(key)
        extras = [k for k in extras if not all((st.get("extra") or {}).get(k) == st["score"] for st in result["standings"])]
        unit = unit_name(result["method"])
        score = as_heading(unit) if unit else _("Score")
        if score.lower() in {str(EXTRA_NAMES[k]).lower() for k in extras}:
            score = _("Score")
        header = ([_("Rank"), _("Tied"), _("Idea no."), _("Idea"), score]
                  + [str(EXTRA_NAMES[k]) for k in extras] + [_("Consensus")])
        rows = [
            [st["rank"], yes_no(True) if st["tied"] else "", st.get("idea_no") or None, st["title"], st["score"]]
            + [_extra_value(k, (st.get("extra") or {}).get(k)) for k in extras] + [st.get("consensus")]
            for st in result["standings"]
        ]
        meaning = _("Consensus: how evenly support for the idea is spread over the participants' sectors "
                    "(%(all)s = every sector supports it). Empty where no sector had enough voters.",
                    all=format_percent(1, 1, lang))
        consensus = len(header) - 1
        if any(st.get("consensus") is not None for st in result["standings"]):
            _put(ws, 4, 1, meaning).font = NOTE_FONT
        _table(ws, 5, header, rows, [7, 7, 9, 55, 10] + [12] * len(extras) + [11], wrap={3},
               formats={consensus: PERCENT}, notes={consensus: meaning})

    ws = _sheet(wb, _("Ballots"), used)
    rows = []
    for rnd in report.get("ballots") or []:
        for ballot in rnd["ballots"]:
            for r in ballot["rows"]:
                label = rnd.get("note_label")  # what the round's kind puts before a note ("beats")
                note = f"{label} {r['note']}" if label and r["note"] else r["note"]
                rows.append([rnd["round_title"], ballot["voter"], r["idea_no"] or None, r["idea"], r["value"], note])
    _table(ws, 1, [_("Round"), _("Voter"), _("Idea no."), _("Idea"), _("Value"), _("Note")], rows,
           [30, 9, 9, 50, 9, 40])

    # Organisations by head count (the small ones counted per sector, see ``reporting``); one
    # row per person only where the workshop shows names: without them a row would say no more.
    ws = _sheet(wb, _("Organisations"), used)
    _table(ws, 1, [_("Organisation"), _("Sector"), _("Participants")],
           [[o["name"], o.get("sector_label") or "", o["count"]] for o in report.get("organisations") or []], [40, 30, 13])
    if show_names:
        ws = _sheet(wb, _("Participants"), used)
        _table(ws, 1, [_("Name"), _("Organisation"), _("Sector"), _("Group")],
               [[p.get("name") or "", p.get("organisation") or "", p.get("sector_label") or "", p.get("group") or ""]
                for p in report["participants"]], [26, 40, 26, 14])

    ws = _sheet(wb, _("Survey"), used)
    rows = []
    for survey in report.get("survey_responses") or []:
        for n, answers in enumerate(survey["responses"], start=1):
            for q, answer in zip(survey["questions"], answers):
                if answer is not None:
                    rows.append([survey["title"], n, q["text"], answer])
    _table(ws, 1, [_("Survey"), _("Response no."), _("Question"), _("Answer")], rows, [30, 10, 50, 60], wrap={2, 3})

    comment_rows, sheet_rows = [], []
    tables: dict[tuple[str, tuple[str, ...]], list[list[Any]]] = {}
    for rnd in report["rounds"]:
        for item in rnd.get("items") or []:
            for c in item["comments"]:
                comment_rows.append([rnd["title"], item["text"], c["text"], yes_no(True) if c["starred"] else "",
                                     c.get("attribution") or ""])
        for sheet in rnd.get("sheets") or []:
            for f in sheet["fields"]:
                if f.get("type") == "table":
                    # One line per row here; the table's own sheet has a column per cell.
                    filled = filled_rows(f.get("rows"))
                    tables.setdefault((f["label"], tuple(f["columns"])), []).extend(
                        [rnd["title"], sheet["idea"], sheet.get("group") or "", *r] for r in filled)
                    sheet_rows += [[rnd["title"], sheet["idea"], sheet.get("group") or "", f["label"],
                                    " · ".join(f"{c}: {v}" for c, v in zip(f["columns"], r) if v.strip())] for r in filled]
                    continue
                sheet_rows.append([rnd["title"], sheet["idea"], sheet.get("group") or "", f["label"], f.get("text") or ""])
    if comment_rows:
        ws = _sheet(wb, _("Comments"), used)
        _table(ws, 1, [_("Round"), _("Item"), _("Text"), _("Starred"), _("From")], comment_rows, [26, 36, 70, 8, 28],
               wrap={1, 2})
    if sheet_rows:
        ws = _sheet(wb, _("Worksheets"), used)
        _table(ws, 1, [_("Round"), _("Idea"), _("Group"), _("Field"), _("Text")], sheet_rows, [26, 36, 12, 28, 90],
               wrap={1, 3, 4})
    for (label, columns), rows in tables.items():  # a worksheet table (the first steps), a sheet of its own
        if rows:
            ws = _new_sheet(wb, label, used)
            _table(ws, 1, [_("Round"), _("Idea"), _("Group"), *columns], rows, [26, 36, 12] + [40] * len(columns),
                   wrap=set(range(1, 3 + len(columns))))
    if report.get("agenda"):
        ws = _sheet(wb, _("Agenda"), used)
        _table(ws, 1, [_("Start"), _("Minutes"), _("Item"), _("Who"), _("Round")],
               [[_start_time(a.get("start")), a.get("duration"), a["title"], a.get("who") or "", a.get("round_title") or ""]
                for a in report["agenda"]], [8, 9, 70, 30, 30], wrap={2}, formats={0: "hh:mm"})
    buf = io.BytesIO()
    progress(total - 1, total, "sheets")
    wb.save(buf)
    progress(total, total, "sheets")
    return Export(buf.getvalue(), XLSX_MIME, "xlsx")
