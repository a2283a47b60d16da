"""CSV, JSON and Markdown writers over the plain data of ``app.services.reporting``."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from app.exports.labels import LABELS, format_date, format_number, format_percent, labels, rank_label

#: Characters that make a spreadsheet treat a cell as a formula (OWASP's CSV injection list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

__all__ = [
    "Export", "FORMULA_PREFIXES", "LABELS", "Progress", "md_escape", "no_progress", "rank_label", "round_csv", "round_json", "spreadsheet_safe",
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


def _score(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def round_csv(round_data: Mapping[str, Any], lang: str = "en") -> Export:
    """The ranked result of one round as CSV (UTF-8 with BOM, so Excel reads the letters right)."""
    t = labels(lang)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([t["rank"], t["tied"], t["idea"], t["score"], "idea_id"])
    for s in (round_data.get("result") or {}).get("standings", []):
        writer.writerow([s["rank"], "yes" if s["tied"] else "", spreadsheet_safe(s["title"]), _score(s["score"]), s["idea_id"]])
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


def _md_round(out: list[str], rnd: Mapping[str, Any], t: Mapping[str, str], lang: str) -> None:
    out += [f"## {md_escape(rnd['title'])}", ""]
    result = rnd.get("result")
    if rnd.get("ideas") is not None and not rnd.get("votes"):
        out += [f"- {md_escape(i['title'])}" for i in rnd["ideas"]] or [t["no_ideas"]]
        out.append("")
        return
    if rnd.get("items") is not None:  # comments on items
        for item in rnd["items"]:
            out += [f"### {md_escape(item['text'])}", "", f"*{t['comment_count'].format(n=len(item['comments']))}*", ""]
            for c in item["starred"]:
                source = " · ".join(x for x in (c.get("group"), c.get("author"), c.get("organisation")) if x)
                out += [f"> {md_escape(c['text'])}" + (f"  \n> — {md_escape(source)}" if source else ""), ""]
        return
    if rnd.get("sheets") is not None:  # worked-out ideas
        for sheet in rnd["sheets"]:
            out += [f"### {md_escape(sheet['idea'])}", ""]
            if sheet.get("group"):
                out += [f"*{t['group']}: {md_escape(sheet['group'])}*", ""]
            for field in sheet["fields"]:
                out += [f"**{md_escape(field['label'])}**", ""]
                paragraphs = [md_escape(p) for p in (field.get("text") or "").split("\n") if p.strip()]
                out += [p for para in paragraphs for p in (para, "")] or [t["empty_field"], ""]
        return
    if result is None:
        out += [t["no_result"], ""]
        return
    out += [f"| {t['rank']} | {t['idea']} | {t['score']} |", "| ---: | --- | ---: |"]
    for s in result["standings"]:
        out.append(f"| {rank_label(s)} | {md_escape(s['title'])} | {_score(s['score'])} |")
    out += ["", f"*{t['method']}:* {result['method_card']}  ", f"*{t['ballots']}:* {result['ballots']}", ""]


def workshop_markdown(report: Mapping[str, Any], lang: str | None = None, progress: Progress = no_progress) -> Export:
    """A Markdown summary: agenda, each round's outcome, worked-out ideas, starred comments, surveys."""
    ws = report["workshop"]
    lang = lang or ws["language"]
    t = LABELS.get(lang, LABELS["en"])
    out = [f"# {md_escape(ws['title'])}", ""]
    if ws.get("date"):
        out.append(f"{t['date']}: {format_date(ws['date'], lang)}  ")
    if ws.get("organisers"):
        out.append(f"{t['organisers']}: {md_escape(', '.join(ws['organisers']))}  ")
    out.append(f"{t['participants']}: {len(report['participants'])}")
    out.append("")
    if report.get("agenda"):
        out += [f"## {t['appendix_agenda'].split(': ', 1)[-1]}", "", f"| {t['time']} | {t['agenda_item']} | {t['who']} |",
                "| --- | --- | --- |"]
        for item in report["agenda"]:
            out.append(f"| {md_escape(item.get('start') or '')} | {md_escape(item['title'])} | {md_escape(item.get('who') or '')} |")
        out.append("")
    for rnd in report["rounds"]:
        _md_round(out, rnd, t, lang)
    for survey in report.get("surveys") or []:
        out += [f"## {t['survey']}: {md_escape(survey['title'])}", "", f"*{t['survey_intro'].format(n=survey['respondents'])}*", ""]
        for q in survey["questions"]:
            out += [f"### {md_escape(q['text'])}", ""]
            if not q.get("answered"):
                out += [t["no_answers"], ""]
                continue
            if q["kind"] == "scale":
                out += [t["mean_median"].format(mean=format_number(q.get("mean"), lang),
                                                median=format_number(q.get("median"), lang), n=q["answered"]), ""]
            if q["kind"] in ("scale", "single", "multi"):
                out += [f"| {t['answer']} | {t['count']} | {t['share']} |", "| --- | ---: | ---: |"]
                out += [f"| {md_escape(k)} | {v} | {format_percent(v, q['answered'], lang)} |" for k, v in (q.get("counts") or {}).items()]
                out.append("")
            else:
                out += [f"- {md_escape(a)}" for a in q.get("answers") or []]
                out.append("")
    progress(1, 1, "steps")
    return Export("\n".join(out).encode("utf-8"), "text/markdown; charset=utf-8", "md")
