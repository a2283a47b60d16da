"""CSV, JSON and Markdown writers over the plain data of ``app.services.reporting``, in the
workshop's language (see ``app.exports.labels``)."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from flask_babel import gettext as _
from flask_babel import ngettext

from app.exports.labels import format_date, format_number, format_percent, rank_label, speaking, yes_no

#: Characters that make a spreadsheet treat a cell as a formula (OWASP's CSV injection list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

__all__ = [
    "Export", "FORMULA_PREFIXES", "Progress", "md_escape", "no_progress", "rank_label", "round_csv", "round_json", "spreadsheet_safe",
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


def round_csv(round_data: Mapping[str, Any], lang: str = "en") -> Export:
    """The ranked result of one round as CSV (UTF-8 with BOM, so Excel reads the letters right),
    in ``lang`` (the workshop's): headings, ``yes`` for a shared place, scores as it writes them."""
    with speaking(lang) as lang:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow([_("Rank"), _("Tied"), _("Idea"), _("Score"), "idea_id"])
        for s in (round_data.get("result") or {}).get("standings", []):
            writer.writerow([s["rank"], yes_no(True) if s["tied"] else "", spreadsheet_safe(s["title"]),
                             format_number(s["score"], lang), s["idea_id"]])
    return Export(("\ufeff" + buf.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", "csv")


def round_json(round_data: Mapping[str, Any], lang: str = "en") -> Export:
    """One round, with its stored result, as JSON."""
    return Export(json.dumps(round_data, ensure_ascii=False, indent=2).encode("utf-8"), "application/json", "json")


def workshop_json(report: Mapping[str, Any], lang: str | None = None, progress: Progress = no_progress) -> Export:
    """The whole workshop as a backup document (``app.services.backup``), importable again."""
    text = json.dumps(report["backup"], ensure_ascii=False, indent=1)
    progress(1, 1, "steps")
    return Export(text.encode("utf-8"), "application/json", "json")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&])")


def md_escape(text: Any) -> str:
    """User text made inert in Markdown (no links, HTML, emphasis or tables from it)."""
    text = " ".join(str(text if text is not None else "").split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_round(out: list[str], rnd: Mapping[str, Any], lang: str) -> None:
    out += [f"## {md_escape(rnd['title'])}", ""]
    result = rnd.get("result")
    if rnd.get("ideas") is not None and not rnd.get("votes"):
        out += [f"- {md_escape(i['title'])}" for i in rnd["ideas"]] or [_("No ideas.")]
        out.append("")
        return
    if rnd.get("items") is not None:  # comments on items
        for item in rnd["items"]:
            count = ngettext("%(num)d comment", "%(num)d comments", len(item["comments"]))
            out += [f"### {md_escape(item['text'])}", "", f"*{count}*", ""]
            for c in item["starred"]:
                source = c.get("attribution")
                out += [f"> {md_escape(c['text'])}" + (f"  \n> — {md_escape(source)}" if source else ""), ""]
        return
    if rnd.get("sheets") is not None:  # worked-out ideas
        for sheet in rnd["sheets"]:
            out += [f"### {md_escape(sheet['idea'])}", ""]
            if sheet.get("group"):
                out += [f"*{_('Group')}: {md_escape(sheet['group'])}*", ""]
            for field in sheet["fields"]:
                out += [f"**{md_escape(field['label'])}**", ""]
                if field.get("type") == "table":  # rows of cells under the field's columns
                    rows = [r for r in field.get("rows") or [] if any(c.strip() for c in r)]
                    if not rows:
                        out += [_("(not filled in)"), ""]
                        continue
                    out.append("| " + " | ".join(md_escape(c) for c in field["columns"]) + " |")
                    out.append("|" + " --- |" * len(field["columns"]))
                    out += ["| " + " | ".join(md_escape(c) for c in r) + " |" for r in rows]
                    out.append("")
                    continue
                paragraphs = [md_escape(p) for p in (field.get("text") or "").split("\n") if p.strip()]
                out += [p for para in paragraphs for p in (para, "")] or [_("(not filled in)"), ""]
        return
    if result is None:
        out += [_("No result stored (the round has not closed)."), ""]
        return
    out += [f"| {_('Rank')} | {_('Idea')} | {_('Score')} |", "| ---: | --- | ---: |"]
    for s in result["standings"]:
        out.append(f"| {rank_label(s)} | {md_escape(s['title'])} | {format_number(s['score'], lang)} |")
    out += ["", f"*{_('Method')}:* {result['method_card']}  ", f"*{_('Ballots')}:* {format_number(result['ballots'], lang)}", ""]


def _md_survey(out: list[str], survey: Mapping[str, Any], lang: str) -> None:
    responses = ngettext("%(num)d response.", "%(num)d responses.", survey["respondents"])
    out += [f"## {_('Survey: %(title)s', title=md_escape(survey['title']))}", "", f"*{responses}*", ""]
    for q in survey["questions"]:
        out += [f"### {md_escape(q['text'])}", ""]
        if not q.get("answered"):
            out += [_("No answers."), ""]
            continue
        if q["kind"] == "scale":
            out += [ngettext("Mean %(mean)s, median %(median)s (%(num)d answer).",
                             "Mean %(mean)s, median %(median)s (%(num)d answers).", q["answered"],
                             mean=format_number(q.get("mean"), lang), median=format_number(q.get("median"), lang)), ""]
        if q["kind"] in ("scale", "single", "multi"):
            out += [f"| {_('Answer')} | {_('Count')} | {_('Share')} |", "| --- | ---: | ---: |"]
            out += [f"| {md_escape(k)} | {format_number(v, lang)} | {format_percent(v, q['answered'], lang)} |"
                    for k, v in (q.get("counts") or {}).items()]
            out.append("")
        else:
            out += [f"- {md_escape(a)}" for a in q.get("answers") or []]
            out.append("")


def workshop_markdown(report: Mapping[str, Any], lang: str | None = None, progress: Progress = no_progress) -> Export:
    """A Markdown summary: agenda, each round's outcome, worked-out ideas, starred comments, surveys."""
    ws = report["workshop"]
    with speaking(lang or ws["language"]) as lang:
        # A demo workshop says so on the first line, before anything is read as real.
        out = ([f"*{md_escape(ws['demo_notice'])}*", ""] if ws.get("demo_notice") else []) + [f"# {md_escape(ws['title'])}", ""]
        if ws.get("date"):
            out.append(f"{_('Date')}: {format_date(ws['date'], lang)}  ")
        if ws.get("organisers"):
            out.append(f"{_('Organised by')}: {md_escape(', '.join(ws['organisers']))}  ")
        out.append(f"{_('Participants')}: {format_number(len(report['participants']), lang)}")
        out.append("")
        if report.get("agenda"):
            out += [f"## {_('Agenda')}", "", f"| {_('Time')} | {_('Item')} | {_('Who')} |", "| --- | --- | --- |"]
            for item in report["agenda"]:
                out.append(f"| {md_escape(item.get('start') or '')} | {md_escape(item['title'])} | "
                           f"{md_escape(item.get('who') or '')} |")
            out.append("")
        for rnd in report["rounds"]:
            _md_round(out, rnd, lang)
        for survey in report.get("surveys") or []:
            _md_survey(out, survey, lang)
    progress(1, 1, "steps")
    return Export("\n".join(out).encode("utf-8"), "text/markdown; charset=utf-8", "md")
