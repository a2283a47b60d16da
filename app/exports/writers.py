"""CSV, JSON and Markdown writers over the plain data of ``app.services.reporting``, in the
workshop's language (see ``app.exports.labels``).

A CSV file is written the way a spreadsheet of its language opens it: in Norwegian with
semicolons between the fields and a decimal comma (what Excel set to Norwegian reads), in
English with commas and a decimal point; numbers without thousands separators; UTF-8 with a
byte-order mark so Excel reads æ, ø and å.

The Markdown summary reads as plain text too: participants' text is escaped only where it would
change the rendering (a ``*`` that would start emphasis, a ``[`` that would start a link, ``<``
that would start HTML, a ``#`` or ``-`` that would start a heading or a list at the start of a
line, ``|`` in a table cell), not every punctuation mark.
"""
from __future__ import annotations

import csv
import io
import json
import re
import string
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from flask_babel import gettext as _
from flask_babel import ngettext

from babel.numbers import format_decimal, get_decimal_symbol

from app.exports.labels import format_date, format_number, format_percent, locale_of, rank_label, speaking, yes_no
from app.text import filled_rows

#: Characters that make a spreadsheet treat a cell as a formula (OWASP's CSV injection list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

__all__ = [
    "Export", "FORMULA_PREFIXES", "Progress", "csv_delimiter", "csv_number", "md_escape", "no_progress", "rank_label",
    "round_csv", "round_json", "spreadsheet_safe",
    "workshop_json", "workshop_markdown",
]


#: ``progress(done, total, label)``: how far a writer got ("3 of 7 sections"); a plain callable,
#: so the writers stay free of the job runner that passes it.
Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, label: str) -> None:
    """The default ``progress``: nobody is watching."""


@dataclass(frozen=True)
class Export:
    """A written file: its bytes, media type and file-name extension."""

    content: bytes
    mimetype: str
    extension: str


def spreadsheet_safe(value: Any) -> Any:
    """``value`` with a leading quote if a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_delimiter(lang: str) -> str:
    """The field separator a spreadsheet of ``lang`` expects: ``;`` where the decimal mark is a comma."""
    return ";" if get_decimal_symbol(locale_of(lang)) == "," else ","


def csv_number(value: Any, lang: str) -> str:
    """A number as a spreadsheet of ``lang`` reads it from CSV: ``4,7`` / ``4.7``, no thousands separators."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_decimal(value, format="0.####", locale=locale_of(lang))
    return str(value)


def round_csv(round_data: Mapping[str, Any], lang: str = "en") -> Export:
    """The ranked result of one round as CSV (UTF-8 with BOM, so Excel reads the letters right),
    in ``lang`` (the workshop's): headings, ``yes`` for a shared place, the idea's number as the
    report shows it, and scores as a spreadsheet of that language reads them."""
    with speaking(lang) as lang:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=csv_delimiter(lang))
        writer.writerow([_("Rank"), _("Tied"), _("Idea no."), _("Idea"), _("Score")])
        for s in (round_data.get("result") or {}).get("standings", []):
            writer.writerow([s["rank"], yes_no(True) if s["tied"] else "", csv_number(s.get("idea_no"), lang),
                             spreadsheet_safe(s["title"]), csv_number(s["score"], lang)])
    return Export(("\ufeff" + buf.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", "csv")


def round_json(round_data: Mapping[str, Any], lang: str = "en") -> Export:
    """One round, with its stored result, as JSON."""
    return Export(json.dumps(round_data, ensure_ascii=False, indent=2).encode("utf-8"), "application/json", "json")


def workshop_json(report: Mapping[str, Any], lang: str | None = None, progress: Progress = no_progress) -> Export:
    """The whole workshop as a backup document (``app.services.backup``), importable again."""
    text = json.dumps(report["backup"], ensure_ascii=False, indent=1)
    progress(1, 1, "steps")
    return Export(text.encode("utf-8"), "application/json", "json")


_MD_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
#: What starts a block at the start of a line: a heading, a quote, a list item, a thematic break.
_MD_BLOCK_START = re.compile(r"#{1,6}(\s|$)|>|[-+](\s|$)|(-\s*){3,}$|=+\s*$")
_MD_ORDERED = re.compile(r"(\d{1,9})([.)])(\s|$)")


def md_escape(text: Any, *, cell: bool = False, block: bool = False, heading: bool = False) -> str:
    """User text made inert in Markdown (no links, HTML, emphasis, code or tables from it), escaped
    only where a character would change the rendering, so the file still reads as plain text.

    ``cell``: the text is a table cell (``|`` would end it). ``block``: it starts a line (a
    paragraph, a list item, a quote), where ``#``, ``>``, ``-``, ``+`` or ``1.`` would start a
    block. ``heading``: it is a heading's text, where a closing run of ``#`` would be dropped.
    """
    text = " ".join(str(text if text is not None else "").split())
    out = []
    tag = False  # inside what would have been an HTML tag: its closing > is escaped too
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        opens = ch == "<" and (nxt.isalpha() or nxt in "/!?")  # a tag, a comment or an autolink
        special = (
            ch in "`*[]~" or opens
            or (ch == "\\" and (not nxt or nxt in string.punctuation))
            or (ch == "_" and not (prev.isalnum() and nxt.isalnum()))  # intraword _ is plain (snake_case)
            or (ch == ">" and tag)
            or (ch == "&" and _MD_ENTITY.match(text, i) is not None)
            or (ch == "|" and cell)
        )
        tag = opens or (tag and ch != ">")
        out.append("\\" + ch if special else ch)
    result = "".join(out)
    if block:
        if _MD_BLOCK_START.match(result):
            result = "\\" + result
        elif m := _MD_ORDERED.match(result):
            result = m.group(1) + "\\" + result[len(m.group(1)):]
    if heading:
        result = re.sub(r"(^|\s)(#+)$", lambda m: m.group(1) + "\\" + m.group(2), result)
    return result


def _md_round(out: list[str], rnd: Mapping[str, Any], lang: str) -> None:
    out += [f"## {md_escape(rnd['title'], heading=True)}", ""]
    result = rnd.get("result")
    if rnd.get("ideas") is not None and not rnd.get("votes"):
        out += [f"- {md_escape(i['title'], block=True)}" for i in rnd["ideas"]] or [_("No ideas.")]
        out.append("")
        return
    if rnd.get("items") is not None:  # comments on items
        for item in rnd["items"]:
            count = ngettext("%(num)d comment", "%(num)d comments", len(item["comments"]))
            out += [f"### {md_escape(item['text'], heading=True)}", "", f"*{count}*", ""]
            for c in item["starred"]:
                source = c.get("attribution")
                out += [f"> {md_escape(c['text'], block=True)}" + (f"  \n> — {md_escape(source)}" if source else ""), ""]
        return
    if rnd.get("sheets") is not None:  # worked-out ideas
        for sheet in rnd["sheets"]:
            out += [f"### {md_escape(sheet['idea'], heading=True)}", ""]
            if sheet.get("group"):
                out += [f"*{_('Group')}: {md_escape(sheet['group'])}*", ""]
            for field in sheet["fields"]:
                out += [f"**{md_escape(field['label'])}**", ""]
                if field.get("type") == "table":  # rows of cells under the field's columns
                    rows = filled_rows(field.get("rows"))
                    if not rows:
                        out += [_("(not filled in)"), ""]
                        continue
                    out.append("| " + " | ".join(md_escape(c, cell=True) for c in field["columns"]) + " |")
                    out.append("|" + " --- |" * len(field["columns"]))
                    out += ["| " + " | ".join(md_escape(c, cell=True) for c in r) + " |" for r in rows]
                    out.append("")
                    continue
                paragraphs = [md_escape(p, block=True) for p in (field.get("text") or "").split("\n") if p.strip()]
                out += [p for para in paragraphs for p in (para, "")] or [_("(not filled in)"), ""]
        return
    if result is None:
        out += [_("No result stored (the round has not closed)."), ""]
        return
    out += [f"| {_('Rank')} | {_('Idea')} | {_('Score')} |", "| ---: | --- | ---: |"]
    for s in result["standings"]:
        out.append(f"| {rank_label(s)} | {md_escape(s['title'], cell=True)} | {format_number(s['score'], lang)} |")
    out += ["", f"*{_('Method')}:* {result['method_card']}  ", f"*{_('Ballots')}:* {format_number(result['ballots'], lang)}", ""]


def _md_survey(out: list[str], survey: Mapping[str, Any], lang: str) -> None:
    responses = ngettext("%(num)d response.", "%(num)d responses.", survey["respondents"])
    out += [f"## {_('Survey: %(title)s', title=md_escape(survey['title'], heading=True))}", "", f"*{responses}*", ""]
    for q in survey["questions"]:
        out += [f"### {md_escape(q['text'], heading=True)}", ""]
        if not q.get("answered"):
            out += [_("No answers."), ""]
            continue
        if q["kind"] == "scale":
            out += [ngettext("Mean %(mean)s, median %(median)s (%(num)d answer).",
                             "Mean %(mean)s, median %(median)s (%(num)d answers).", q["answered"],
                             mean=format_number(q.get("mean"), lang), median=format_number(q.get("median"), lang)), ""]
        if q["kind"] in ("scale", "single", "multi"):
            out += [f"| {_('Answer')} | {_('Count')} | {_('Share')} |", "| --- | ---: | ---: |"]
            out += [f"| {md_escape(k, cell=True)} | {format_number(v, lang)} | {format_percent(v, q['answered'], lang)} |"
                    for k, v in (q.get("counts") or {}).items()]
            out.append("")
        else:
            out += [f"- {md_escape(a, block=True)}" for a in q.get("answers") or []]
            out.append("")


def workshop_markdown(report: Mapping[str, Any], lang: str | None = None, progress: Progress = no_progress) -> Export:
    """A Markdown summary: agenda, each round's outcome, worked-out ideas, starred comments, surveys."""
    ws = report["workshop"]
    with speaking(lang or ws["language"]) as lang:
        # A demo workshop says so on the first line, before anything is read as real.
        out = ([f"*{md_escape(ws['demo_notice'])}*", ""] if ws.get("demo_notice") else []) + [
            f"# {md_escape(ws['title'], heading=True)}", ""]
        if ws.get("date"):
            out.append(f"{_('Date')}: {format_date(ws['date'], lang)}  ")
        if ws.get("organisers"):
            out.append(f"{_('Organised by')}: {md_escape(', '.join(ws['organisers']))}  ")
        out.append(f"{_('Participants')}: {format_number(len(report['participants']), lang)}")
        out.append("")
        if report.get("agenda"):
            out += [f"## {_('Agenda')}", "", f"| {_('Time')} | {_('Item')} | {_('Who')} |", "| --- | --- | --- |"]
            for item in report["agenda"]:
                out.append(f"| {md_escape(item.get('start') or '', cell=True)} | {md_escape(item['title'], cell=True)} | "
                           f"{md_escape(item.get('who') or '', cell=True)} |")
            out.append("")
        for rnd in report["rounds"]:
            _md_round(out, rnd, lang)
        for survey in report.get("surveys") or []:
            _md_survey(out, survey, lang)
    progress(1, 1, "steps")
    return Export("\n".join(out).encode("utf-8"), "text/markdown; charset=utf-8", "md")
