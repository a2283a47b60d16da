"""CSV, JSON and Markdown writers over the plain data of ``app.services.reporting``."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

#: Characters that make a spreadsheet treat a cell as a formula (OWASP's CSV injection list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

LABELS = {
    "en": {
        "rank": "Rank", "idea": "Idea", "score": "Score", "tied": "Tied", "method": "Method",
        "ballots": "Ballots", "ideas": "Ideas", "no_result": "No result stored (the round has not closed).",
        "participants": "Participants", "date": "Date", "code": "Join code", "round": "Round",
        "no_ideas": "No ideas.", "organisations": "Organisations",
    },
    "nb": {
        "rank": "Plass", "idea": "Idé", "score": "Poeng", "tied": "Delt", "method": "Metode",
        "ballots": "Stemmesedler", "ideas": "Idéer", "no_result": "Ikke noe resultat lagret (runden er ikke lukket).",
        "participants": "Deltakere", "date": "Dato", "code": "Kode", "round": "Runde",
        "no_ideas": "Ingen idéer.", "organisations": "Organisasjoner",
    },
}


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


def rank_label(standing: Mapping[str, Any]) -> str:
    """A place as people write it: ``2=`` for a shared second place."""
    return f"{standing['rank']}=" if standing["tied"] else str(standing["rank"])


def _score(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def round_csv(round_data: Mapping[str, Any], lang: str = "en") -> Export:
    """The ranked result of one round as CSV (UTF-8 with BOM, so Excel reads the letters right)."""
    labels = LABELS.get(lang, LABELS["en"])
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([labels["rank"], labels["tied"], labels["idea"], labels["score"], "idea_id"])
    for s in (round_data.get("result") or {}).get("standings", []):
        writer.writerow([s["rank"], "yes" if s["tied"] else "", spreadsheet_safe(s["title"]), _score(s["score"]), s["idea_id"]])
    return Export(("\ufeff" + buf.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", "csv")


def round_json(round_data: Mapping[str, Any], lang: str = "en") -> Export:
    """One round, with its stored result, as JSON."""
    return Export(json.dumps(round_data, ensure_ascii=False, indent=2).encode("utf-8"), "application/json", "json")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def md_escape(text: str) -> str:
    """User text made inert in Markdown (no links, HTML, emphasis or tables from it)."""
    text = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def workshop_markdown(report: Mapping[str, Any], lang: str | None = None) -> Export:
    """A Markdown summary: each round's ranked list, scores and method."""
    ws = report["workshop"]
    labels = LABELS.get(lang or ws["language"], LABELS["en"])
    out = [f"# {md_escape(ws['title'])}", ""]
    if ws.get("date"):
        out.append(f"{labels['date']}: {ws['date']}  ")
    out.append(f"{labels['participants']}: {len(report['participants'])}")
    out.append("")
    for rnd in report["rounds"]:
        out += [f"## {md_escape(rnd['title'])}", ""]
        result = rnd.get("result")
        if rnd.get("ideas") is not None and result is None:
            if rnd["ideas"]:
                out += [f"- {md_escape(i['title'])}" for i in rnd["ideas"]]
            else:
                out.append(labels["no_ideas"])
            out.append("")
            continue
        if result is None:
            out += [labels["no_result"], ""]
            continue
        out += [f"| {labels['rank']} | {labels['idea']} | {labels['score']} |", "| ---: | --- | ---: |"]
        for s in result["standings"]:
            out.append(f"| {rank_label(s)} | {md_escape(s['title'])} | {_score(s['score'])} |")
        out += ["", f"*{labels['method']}:* {result['method_card']}  ", f"*{labels['ballots']}:* {result['ballots']}", ""]
    return Export("\n".join(out).encode("utf-8"), "text/markdown; charset=utf-8", "md")


ROUND_WRITERS: dict[str, Callable[..., Export]] = {"csv": round_csv, "json": round_json}
WORKSHOP_WRITERS: dict[str, Callable[..., Export]] = {"md": workshop_markdown}
