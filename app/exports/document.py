"""The report as a list of blocks (headings, paragraphs, tables, charts), for DOCX and PDF alike.

``build(report)`` decides what the report says and in which order; ``docx_writer`` and
``pdf_writer`` only decide how a block looks. So the Word file and the PDF always hold the same
text, and tests can read the text of either.

Blocks are dicts with a ``type``:

* ``title_page``: ``kicker``, ``title``, ``date``, ``organisers_label``, ``organisers``, ``facts``, ``description``
* ``toc``: ``title``, ``entries`` (``(level, text, anchor)``)
* ``heading``: ``level`` (1-3), ``text``, ``anchor``
* ``paragraph``: ``text``, ``style`` (``normal``, ``lead``, ``muted``, ``small``)
* ``bullets``: ``items``
* ``table``: ``header``, ``rows`` (a cell is text, or ``{"text": ..., "sub": ...}``), ``align``, ``widths``, ``kind``
* ``chart``: ``spec`` (see ``charts.render``), ``caption`` (the writers number it: "Figure 2: …"), ``alt`` (the
  chart told in a sentence, every value it shows)
* ``quote``: ``text``, ``source``

All text in blocks is plain text: each writer escapes it for its own format. ``build`` writes
it in the workshop's language (see ``app.exports.labels``).

The report follows its outline (``report["outline"]``, the sections the organisers arranged in
``app.services.report_outline``): each section is written by the function its kind names in
``SECTION_WRITERS``: the executive page, the organisers' chapters, a talk, a round, a survey, the
next steps, the appendices. A round is told by what its data holds, never by its kind's name: a
``result`` (a vote), else the first of ``SECTIONS`` it has (``items`` with comments, ``sheets``
worked out, ``ideas``).
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from flask_babel import gettext as _
from flask_babel import ngettext

from app.exports.appendix import method_appendix, robustness_sentence
from app.exports.charts import MAX_BARS
from app.exports.labels import (
    APPENDIX_KINDS,
    EXTRA_NAMES,
    QUADRANT_AREAS,
    QUADRANT_NAMES,
    appendix_title,
    as_heading,
    format_date,
    format_number,
    format_percent,
    in_sentence,
    join_list,
    kind_name,
    method_name,
    quote,
    rank_label,
    section_title,
    speaking,
    unit_name,
)
from app.text import filled_rows

Block = dict[str, Any]

#: Print rules both writers keep: a table of at most this many rows stays on one page with its
#: heading, notes and chart; in a longer one the first and the last ``EDGE_ROWS`` rows stay together.
KEEP_ROWS = 20
EDGE_ROWS = 2


class _Doc:
    def __init__(self, lang: str, report: Mapping[str, Any]):
        self.lang = lang
        self.report = report
        self.blocks: list[Block] = []
        self.numbers = [0, 0]
        #: Inside an appendix: its sections are not numbered.
        self.in_appendix = False
        #: The method appendix's heading where the report has one (a vote's section points to
        #: it), else None (a vote's section tells its method card itself).
        self.method_title: str | None = None

    def add(self, type_: str, **fields: Any) -> None:
        self.blocks.append({"type": type_, **fields})

    def heading(self, level: int, text: str, *, numbered: bool = True) -> None:
        if numbered and level == 1:
            self.numbers = [self.numbers[0] + 1, 0]
            text = f"{self.numbers[0]} {text}"
        elif numbered and level == 2 and self.numbers[0]:
            self.numbers[1] += 1
            text = f"{self.numbers[0]}.{self.numbers[1]} {text}"
        anchor = f"s{len(self.blocks)}"
        self.add("heading", level=level, text=text, anchor=anchor)

    def p(self, text: str, style: str = "normal") -> None:
        if text:
            self.add("paragraph", text=text, style=style)

    def table(self, header: list[str], rows: list[list[Any]], *, align: list[str] | None = None,
              widths: list[float] | None = None, kind: str = "data") -> None:
        self.add("table", header=header, rows=rows, align=align or ["left"] * len(header), widths=widths, kind=kind)


def _num(value: Any, lang: str) -> str:
    return format_number(value, lang)


def _scale(rnd: Mapping[str, Any] | None) -> tuple[float, float]:
    """The rating scale of a round's vote (its settings, or its result's parameters), 1–5 if unknown."""
    rnd = rnd or {}
    params = {**(rnd.get("settings") or {}), **((rnd.get("result") or {}).get("params") or {})}
    lo, hi = params.get("scale_min"), params.get("scale_max")
    if not isinstance(lo, (int, float)) or not isinstance(hi, (int, float)) or lo >= hi:
        return 1, 5
    return lo, hi


def _standings_chart(standings: list[dict[str, Any]], lang: str, method: str | None = None,
                     rnd: Mapping[str, Any] | None = None) -> dict[str, Any] | None:
    """The chart of a result, or None when it has nothing to show.

    Bars of the best placed ideas' scores, with the ``unit`` they count (from the counting
    method); for an impact/effort vote the 2×2 matrix the projector shows: each rated idea at
    its mean effort (x) and mean impact (y), numbered in the order of the result, with the four
    quadrants named in their corners.
    """
    fmt = lambda v, lang=lang: format_number(v, lang)  # noqa: E731
    if method == "impact_effort":
        rated = [s for s in standings if (s.get("extra") or {}).get("count")][:MAX_BARS]
        if not rated:
            return None
        return {
            "type": "matrix",
            "points": [{"number": n, "label": s["title"], "x": s["extra"]["mean_effort"], "y": s["extra"]["mean_impact"],
                        "quadrant": s["extra"].get("quadrant")} for n, s in enumerate(rated, start=1)],
            "scale": _scale(rnd),
            "areas": {key: str(name) for key, name in QUADRANT_AREAS.items()},
            "x_label": str(EXTRA_NAMES["mean_effort"]),
            "y_label": str(EXTRA_NAMES["mean_impact"]),
            "idea_label": _("Idea"),
            "values_label": _("Impact / effort"),
            "format": fmt,
        }
    if not any(isinstance(s["score"], (int, float)) and s["score"] for s in standings):
        return None
    shown = standings[:MAX_BARS]
    return {
        "labels": [f"{rank_label(s)}  {s['title']}" for s in shown],
        "values": [s["score"] if isinstance(s["score"], (int, float)) else 0 for s in shown],
        "tied": [bool(s["tied"]) for s in shown],
        "unit": unit_name(method),
        "format": fmt,
    }


def _chart_caption(title: str, shown_of: int) -> str:
    """A chart's caption (the writers number it: "Figure 2: …"); it says so when the chart shows
    only the best placed ideas."""
    caption = title
    if shown_of > MAX_BARS:
        caption += (" " if caption.endswith((".", "?", "!")) else ". ") + _(
            "The %(n)s best placed of %(total)s ideas.", n=MAX_BARS, total=shown_of)
    return caption


def _chart_alt(spec: Mapping[str, Any]) -> str:
    """A chart told in one sentence, for readers who cannot see it (the PDF's and the Word
    file's alternative text): every value it shows, in order."""
    fmt = spec["format"]
    if spec.get("type") == "matrix":
        points = [_("%(num)s %(title)s: impact %(impact)s, effort %(effort)s (%(quadrant)s)",
                    num=p["number"], title=p["label"], impact=fmt(p["y"]), effort=fmt(p["x"]),
                    quadrant=in_sentence(str(QUADRANT_NAMES.get(p["quadrant"], p["quadrant"] or ""))))
                  for p in spec["points"]]
        return _("Impact and effort matrix: %(points)s.", points="; ".join(points))
    values = "; ".join(f"{' '.join(label.split())}: {fmt(value)}" for label, value in zip(spec["labels"], spec["values"]))
    if spec.get("unit"):
        return _("Bar chart of %(unit)s: %(values)s.", unit=spec["unit"], values=values)
    return _("Bar chart: %(values)s.", values=values)


def _people(participants: int, organisations: int) -> dict[str, str]:
    """"5 participants" and "2 organisations", for the sentences that name both."""
    return {
        "participants": ngettext("%(num)d participant", "%(num)d participants", participants),
        "organisations": ngettext("%(num)d organisation", "%(num)d organisations", organisations),
    }


def _extra_column(method: str) -> tuple[str | None, str | None]:
    """A method's most telling per-idea number beside the score: (label, key in ``extra``)."""
    if method in ("dots", "points"):
        return _("Voters"), "voters"
    if method in ("score", "impact_effort"):
        return _("Count"), "count"
    return None, None


def _took(part: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """How many took part in a round, and their share of the workshop's participants."""
    return {"took": part["took_part"], "pct": format_percent(part["took_part"], part["participants"], lang)}


def _voting_round(d: _Doc, rnd: Mapping[str, Any]) -> None:
    """A vote's section: its rule in one line (the method appendix tells the rest once), who
    took part, the result with shared places marked, the chart, the other rules, the sectors."""
    lang = d.lang
    result = rnd.get("result")
    if result and result.get("method") and d.method_title:
        d.p(_("Counted by %(method)s. The method, its parameters and how ties are handled are described in "
              "%(appendix)s.", method=method_name(result["method"]), appendix=quote(d.method_title)), "muted")
    elif result and result.get("method"):
        d.p(_("Counted by %(method)s.", method=method_name(result["method"])), "muted")
        if result.get("method_card"):
            d.p(result["method_card"])
    d.heading(2, _("Participation"))
    part = rnd["participation"]
    d.p(ngettext("%(took)s of %(num)d participant voted (%(pct)s).", "%(took)s of %(num)d participants voted (%(pct)s).",
                 part["participants"], **_took(part, lang)))
    if (rnd.get("settings") or {}).get("anonymous"):
        d.p(_("The vote was anonymous: ballots were stored without names and could not be changed once sent."), "muted")
    d.heading(2, _("Result"))
    if not result:
        d.p(_("This round has not been closed: no result is stored."), "muted")
        return
    standings = result["standings"]
    if not standings:
        d.p(_("No ideas."), "muted")
        return
    extra_label, extra_key = _extra_column(result["method"])
    header = [_("Rank"), _("Idea"), _("Score")] + ([extra_label] if extra_label else [])
    rows = []
    for s in standings:
        row = [rank_label(s), s["title"], _num(s["score"], lang)]
        if extra_label:
            row.append(_num((s.get("extra") or {}).get(extra_key), lang))
        rows.append(row)
    d.table(header, rows, align=["right", "left", "right"] + (["right"] if extra_label else []),
            widths=[0.1, 0.62, 0.14] + ([0.14] if extra_label else []))
    if spec := _standings_chart(standings, lang, result["method"], rnd):
        d.add("chart", spec=spec, alt=_chart_alt(spec), caption=_chart_caption(rnd["title"], len(standings)))
    if result.get("comparison"):
        d.heading(3, _("The same ballots counted by other rules"), numbered=False)
        d.table(**place_table(result["method"], standings, result["comparison"], depth=10))
    if result.get("by_sector"):
        d.heading(3, _("By sector"), numbered=False)
        rows = []
        for s in result["by_sector"]:
            if s["suppressed"]:
                top = ngettext("not shown (fewer than %(num)d voter)", "not shown (fewer than %(num)d voters)",
                               int(result.get("min_cell") or 0))
            else:
                # Ideas sharing the sector's first place: "A = B".
                top = " = ".join(s.get("top") or [])
            rows.append([s["label"], _num(s["voters"], lang), top])
        d.table([_("Sector"), _("Voters"), _("Top idea")], rows, align=["left", "right", "left"], widths=[0.3, 0.12, 0.58])


def _by_groups(part: Mapping[str, Any], key: str) -> bool:
    """Whether a round's ideas or comments came in per group, not per person: each group's on
    one phone (more than one group sent and no more phones than groups), or some sent for a
    group with no author. Then a share of the participants would understate who took part."""
    groups = part.get(key) or 0
    if not groups or not part.get("groups"):
        return False
    return bool(part.get("without_author")) or (groups > 1 and (part.get("phones") or 0) <= groups)


def place_table(own: str, standings: list[Mapping[str, Any]], orders: Mapping[str, list[Mapping[str, Any]]],
                *, depth: int) -> dict[str, Any]:
    """Each idea's place under the round's own rule and under other rules, as a table (the
    arguments of ``_Doc.table``): one row per idea placed within ``depth`` by any rule,
    in the own rule's order, a shared place written 6=. ``orders`` are the other rules' places
    (``{rank, tied, idea_id}``), best first."""
    methods = [own] + [m for m in orders if m != own]
    by_method = {own: {s["idea_id"]: s for s in standings}}
    by_method.update({m: {p["idea_id"]: p for p in orders[m]} for m in methods[1:]})
    titles = {s["idea_id"]: s["title"] for s in standings}
    for m in methods[1:]:
        for p in orders[m]:
            titles.setdefault(p["idea_id"], p.get("title") or "")
    ideas = [i for i in titles if any(i in by_method[m] and by_method[m][i]["rank"] <= depth for m in methods)]
    header = [_("Idea")] + [
        as_heading(method_name(m)) + (" " + _("(used)") if m == own else "") for m in methods]
    rows = [[titles[i]] + [rank_label(by_method[m][i]) if i in by_method[m] else "–" for m in methods] for i in ideas]
    return {"header": header, "rows": rows, "align": ["left"] + ["right"] * len(methods),
            "widths": [0.4] + [0.6 / len(methods)] * len(methods)}


def _brainstorm(d: _Doc, rnd: Mapping[str, Any]) -> None:
    ideas = rnd.get("ideas") or []
    part = rnd["participation"]
    if _by_groups(part, "groups_with_ideas"):
        phones = part.get("phones") or 0
        took = (ngettext("Ideas were registered from %(groups)s of %(total)s groups, on %(num)d phone.",
                         "Ideas were registered from %(groups)s of %(total)s groups, on %(num)d phones.", phones,
                         groups=part["groups_with_ideas"], total=part["groups"]) if phones else
                _("Ideas were registered from %(groups)s of %(total)s groups.",
                  groups=part["groups_with_ideas"], total=part["groups"]))
    else:
        took = ngettext("%(took)s of %(num)d participant sent ideas (%(pct)s).",
                        "%(took)s of %(num)d participants sent ideas (%(pct)s).", part["participants"], **_took(part, d.lang))
    d.p(ngettext("%(num)d idea.", "%(num)d ideas.", len(ideas)) + " " + took)
    if not ideas:
        d.p(_("No ideas."), "muted")
        return
    themes = any(i.get("theme") for i in ideas)
    rows = []
    for i in ideas:
        row = [str(i.get("idea_no") or ""), {"text": i["title"], "sub": i.get("details") or ""}]
        row += [i.get("theme") or ""] if themes else []
        rows.append(row + [i.get("attribution") or ""])
    header = [_("No."), _("Idea")] + ([_("Theme")] if themes else []) + [_("From")]
    d.table(header, rows, align=["right"] + ["left"] * (len(header) - 1),
            widths=[0.07, 0.55, 0.16, 0.22] if themes else [0.07, 0.68, 0.25])


def _comment_round(d: _Doc, rnd: Mapping[str, Any]) -> None:
    items = rnd.get("items") or []
    total = sum(len(i["comments"]) for i in items)
    intro = ngettext("%(num)d comment on %(items)s.", "%(num)d comments on %(items)s.", total,
                     items=ngettext("%(num)d item", "%(num)d items", len(items)))
    part = rnd["participation"]
    if _by_groups(part, "groups_with_comments"):
        phones = part.get("phones") or 0
        took = (ngettext("Comments were registered from %(groups)s of %(total)s groups, on %(num)d phone.",
                         "Comments were registered from %(groups)s of %(total)s groups, on %(num)d phones.", phones,
                         groups=part["groups_with_comments"], total=part["groups"]) if phones else
                _("Comments were registered from %(groups)s of %(total)s groups.",
                  groups=part["groups_with_comments"], total=part["groups"]))
    else:
        took = ngettext("%(took)s of %(num)d participant commented (%(pct)s).",
                        "%(took)s of %(num)d participants commented (%(pct)s).", part["participants"], **_took(part, d.lang))
    d.p(" ".join((intro, _("Starred comments are quoted below."), took)))
    syntheses = rnd.get("syntheses") or {}
    for item in items:
        d.heading(2, item["text"])
        d.p(ngettext("%(num)d comment", "%(num)d comments", len(item["comments"])), "muted")
        synthesis = syntheses.get(str(item.get("index")))
        if synthesis:
            written_text(d, synthesis)
        elif not item["starred"]:
            d.p(_("No comments were starred for this item."), "small")
        for c in item["starred"]:
            d.add("quote", text=c["text"], source=c.get("attribution") or "")


def _worksheet_round(d: _Doc, rnd: Mapping[str, Any]) -> None:
    sheets = rnd.get("sheets") or []
    fields = [quote(f.get("label", f.get("key", ""))) for f in rnd.get("fields") or []]
    d.p(ngettext("The top idea of “%(round)s” was worked out by a group under these headings: %(fields)s.",
                 "The top %(num)d ideas of “%(round)s” were worked out by groups under these headings: %(fields)s.",
                 len(sheets), round=rnd.get("source_title") or "", fields=join_list(fields, d.lang)))
    for sheet in sheets:
        d.heading(2, sheet["idea"])
        if sheet.get("group"):
            d.p(sheet["group"], "muted")
        for field in sheet["fields"]:
            d.heading(3, field["label"], numbered=False)
            if field.get("type") == "table":
                # The first steps: who contributes what, and when, one row each.
                rows = filled_rows(field.get("rows"))
                if rows:
                    d.table(list(field["columns"]), rows, widths=[1 / len(field["columns"])] * len(field["columns"]))
                else:
                    d.p(_("(not filled in)"), "muted")
                continue
            text = (field.get("text") or "").strip()
            if not text:
                d.p(_("(not filled in)"), "muted")
            for para in text.split("\n"):
                d.p(para.strip())


#: How a round without a vote is told, by the first of these parts of its data it holds (its kind
#: puts them there, see ``RoundKind.report_section``): comments on items, worksheets, ideas.
SECTIONS = (("items", _comment_round), ("sheets", _worksheet_round), ("ideas", _brainstorm))


def _round(d: _Doc, rnd: Mapping[str, Any], *, title: str | None = None, body: str = "",
           syntheses: Mapping[str, str] | None = None) -> None:
    """A round's chapter: ``title`` (the round's own unless the organisers renamed it), what
    kind of round it was, the organisers' ``body``, then what its data holds; a comment round
    shows each item's synthesis (``syntheses``, by item index) before its starred comments, in
    place of the sentence that none were starred."""
    d.heading(1, title or rnd["title"])
    meta = [kind_name(d.report, rnd)]
    if rnd.get("source_title"):
        meta.append(_("Over: %(round)s", round=rnd["source_title"]))
    d.p(" · ".join(meta), "muted")
    written_text(d, body)
    if syntheses:
        rnd = {**rnd, "syntheses": syntheses}
    if rnd.get("votes"):
        _voting_round(d, rnd)
        return
    for part, section in SECTIONS:
        if rnd.get(part) is not None:
            section(d, rnd)
            return


def _survey(d: _Doc, survey: Mapping[str, Any], *, title: str | None = None, body: str = "") -> None:
    lang = d.lang
    d.heading(1, title or _("Survey: %(title)s", title=survey["title"]))
    intro = ngettext("%(num)d response.", "%(num)d responses.", survey["respondents"])
    if survey.get("anonymous"):
        intro += " " + _("Answers were anonymous.")
    d.p(intro, "muted")
    written_text(d, body)
    for q in survey["questions"]:
        d.heading(2, q["text"])
        answered = q.get("answered", 0)
        if not answered:
            d.p(_("No answers."), "muted")
            continue
        if q["kind"] == "scale":
            d.p(ngettext("Mean %(mean)s, median %(median)s (%(num)d answer).",
                         "Mean %(mean)s, median %(median)s (%(num)d answers).", answered,
                         mean=_num(q.get("mean"), lang), median=_num(q.get("median"), lang)))
        if q["kind"] in ("scale", "single", "multi"):
            counts = q.get("counts") or {}
            rows = [[str(k), _num(v, lang), format_percent(v, answered, lang)] for k, v in counts.items()]
            d.table([_("Value") if q["kind"] == "scale" else _("Answer"), _("Count"), _("Share")], rows,
                    align=["left", "right", "right"], widths=[0.64, 0.18, 0.18])
            if q["kind"] != "scale" and counts:
                spec = {"labels": list(counts), "values": list(counts.values()), "unit": _("answers"),
                        "format": lambda v, lang=lang: format_number(v, lang)}
                d.add("chart", spec=spec, alt=_chart_alt(spec), caption=q["text"])
        else:
            d.p(ngettext("%(num)d answer", "%(num)d answers", answered), "muted")
            d.add("bullets", items=[str(a) for a in q.get("answers") or []])


def _time_span(start: str, duration: Any) -> str:
    """``09:00–09:30`` from a start and a duration in minutes (the start alone without one)."""
    if start and duration:
        h, m = map(int, start.split(":"))
        end = h * 60 + m + int(duration)
        return f"{start}–{(end // 60) % 24:02d}:{end % 60:02d}"
    return start or ""


def _agenda(d: _Doc, agenda: list[dict[str, Any]], title: str | None = None) -> None:
    d.heading(1, title or _("Appendix 1: Agenda"), numbered=False)
    if not agenda:
        d.p(_("No agenda was set up."), "muted")
        return
    rows = []
    for item in agenda:
        rows.append([_time_span(item.get("start") or "", item.get("duration")), item["title"], item.get("who") or ""])
    d.table([_("Time"), _("Item"), _("Who")], rows, widths=[0.17, 0.58, 0.25])


def _participants(d: _Doc, report: Mapping[str, Any], title: str | None = None) -> None:
    lang = d.lang
    ws = report["workshop"]
    d.heading(1, title or _("Appendix 2: Participants"), numbered=False)
    d.p(_("%(participants)s from %(organisations)s.", **_people(ws["participants"], ws["organisations"])))
    if report.get("sectors"):
        d.heading(2, _("Participants by sector"), numbered=False)
        d.table([_("Sector"), _("Participants")], [[s["label"], _num(s["count"], lang)] for s in report["sectors"]],
                align=["left", "right"], widths=[0.7, 0.3])
    if report.get("organisations"):
        d.heading(2, _("Organisations"), numbered=False)
        d.table([_("Organisation"), _("Sector"), _("Participants")],
                [[o["name"], o["sector_label"], _num(o["count"], lang)] for o in report["organisations"]],
                align=["left", "left", "right"], widths=[0.52, 0.33, 0.15])
        if any(o.get("other") for o in report["organisations"]) and ws.get("attribution_min"):
            d.p(ngettext("An organisation is named only where it had at least %(num)d participant; the others are "
                         "counted by sector.",
                         "An organisation is named only where it had at least %(num)d participants; the others are "
                         "counted by sector.", ws["attribution_min"]), "small")
    if ws.get("show_names"):
        named = [p for p in report["participants"] if p.get("name")]
        if named:
            d.heading(2, _("Participants"), numbered=False)
            d.table([_("Name"), _("Organisation"), _("Sector")],
                    [[p["name"], p.get("organisation") or "", p.get("sector_label") or ""]
                     for p in sorted(named, key=lambda p: p["name"].casefold())], widths=[0.35, 0.4, 0.25])
    if report.get("groups"):
        d.heading(2, _("Groups"), numbered=False)
        rows = []
        for g in report["groups"]:
            # Without names or a named organisation, a member is told by their sector.
            members = [" · ".join(x for x in (m.get("name"), m.get("organisation")) if x) or m.get("sector_label") or "–"
                       for m in g["members"]]
            rows.append([g["name"], g.get("table") or "", "; ".join(members)])
        d.table([_("Group"), _("Table"), _("Members")], rows, widths=[0.15, 0.12, 0.73])


# --- the organisers' sections -----------------------------------------------------------------
#: Sections that hold only the organisers' text (``report_outline.WRITTEN_KINDS``): left out of
#: the files while they are empty (a chapter stays while one of its sections is shown).
WRITTEN = frozenset({"introduction", "background", "text", "conclusion", "talk", "next_steps"})

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BULLET = ("- ", "• ", "* ")


def written_text(d: _Doc, text: str | None, style: str = "normal") -> None:
    """The organisers' text as blocks: a blank line starts a new paragraph, and lines starting
    with "- " make a bulleted list; other line breaks join into the paragraph."""
    for chunk in _PARAGRAPH_BREAK.split((text or "").strip()):
        para: list[str] = []
        bullets: list[str] = []
        for line in chunk.splitlines():
            stripped = line.strip()
            if stripped.startswith(_BULLET) or stripped in ("-", "•", "*"):
                if para:
                    d.p(" ".join(para), style)
                    para = []
                if stripped[2:].strip():
                    bullets.append(stripped[2:].strip())
            else:
                if bullets:
                    d.add("bullets", items=bullets)
                    bullets = []
                if stripped:
                    para.append(stripped)
        if para:
            d.p(" ".join(para), style)
        if bullets:
            d.add("bullets", items=bullets)


class _Outline:
    """What the sections look up while the report is built: rounds and surveys by id, the next
    steps (shown on the executive page too), and how many appendices came so far."""

    def __init__(self, report: Mapping[str, Any], sections: list[Mapping[str, Any]]) -> None:
        self.rounds = {r["id"]: r for r in report.get("rounds") or []}
        self.surveys = {s.get("id"): s for s in report.get("surveys") or []}
        self.next_steps = next((s for s in sections if s["kind"] == "next_steps" and s.get("included", True)), None)
        self.appendices = 0

    def survey(self, section: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return section.get("survey") or self.surveys.get(section.get("survey_id"))

    def has_content(self, section: Mapping[str, Any]) -> bool:
        """Whether a section has something to show: text for a written one, a round that has
        run or a survey for those, and always for the summary and the appendices."""
        kind = section["kind"]
        if kind == "round":
            return section.get("round_id") in self.rounds
        if kind == "survey":
            return self.survey(section) is not None
        if kind == "next_steps":
            return bool((section.get("body") or "").strip() or section.get("rows"))
        if kind in WRITTEN:
            return bool((section.get("body") or "").strip())
        return True

    def title(self, section: Mapping[str, Any]) -> str:
        """The section's title, or its default when the report data names none."""
        if section.get("title"):
            return section["title"]
        if section["kind"] == "round" and section.get("round_id") in self.rounds:
            return self.rounds[section["round_id"]]["title"]
        survey = self.survey(section) if section["kind"] == "survey" else None
        if survey is not None:
            return _("Survey: %(title)s", title=survey["title"])
        return section_title(section["kind"], section.get("role"))


def default_outline(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The outline of report data that has none (``reporting`` always gives one): the summary,
    every round and survey, then the appendices."""
    out: list[dict[str, Any]] = [{"kind": "summary"}]
    out += [{"kind": "round", "round_id": r["id"]} for r in report.get("rounds") or []]
    out += [{"kind": "survey", "survey": s} for s in report.get("surveys") or []]
    out += [{"kind": kind} for kind in ("agenda", "participants", "method")]
    return out


def _shown(sections: list[Mapping[str, Any]], ctx: _Outline) -> list[Mapping[str, Any]]:
    """The sections the files show, in order.

    Left out: a section not included, one with nothing to show (an empty written section, a
    round that has not run), and the sections inside a chapter that is left out. An empty
    written chapter stays as a heading while one of its sections is shown (the talks' chapter).
    """
    shown: list[Mapping[str, Any]] = []
    chapter_shown, waiting = True, None
    for section in sections:
        included = section.get("included", True)
        if section.get("level", 1) <= 1:
            waiting = None
            chapter_shown = bool(included) and (ctx.has_content(section) or section["kind"] in WRITTEN)
            if not chapter_shown:
                continue
            if ctx.has_content(section):
                shown.append(section)
            else:
                waiting = section
        elif chapter_shown and included and ctx.has_content(section):
            if waiting is not None:
                shown.append(waiting)
                waiting = None
            shown.append(section)
    return shown


def _written_section(d: _Doc, report: Mapping[str, Any], section: Mapping[str, Any], ctx: _Outline) -> None:
    d.heading(section.get("level", 1), ctx.title(section), numbered=not d.in_appendix)
    written_text(d, section.get("body"))


def _talk_section(d: _Doc, report: Mapping[str, Any], section: Mapping[str, Any], ctx: _Outline) -> None:
    d.heading(section.get("level", 1), ctx.title(section), numbered=not d.in_appendix)
    when = _time_span(section.get("start") or "", section.get("duration"))
    d.p(" · ".join(x for x in (when, section.get("who") or "") if x), "muted")
    written_text(d, section.get("body"))


def _round_section(d: _Doc, report: Mapping[str, Any], section: Mapping[str, Any], ctx: _Outline) -> None:
    _round(d, ctx.rounds[section["round_id"]], title=section.get("title"), body=section.get("body") or "",
           syntheses=section.get("syntheses"))


def _survey_section(d: _Doc, report: Mapping[str, Any], section: Mapping[str, Any], ctx: _Outline) -> None:
    _survey(d, ctx.survey(section), title=section.get("title"), body=section.get("body") or "")


def _next_steps_table(d: _Doc, rows: list[Mapping[str, str]]) -> None:
    d.table([_("Action"), _("Who"), _("When")],
            [[r.get("action") or "", r.get("owner") or "", r.get("when") or ""] for r in rows],
            widths=[0.55, 0.27, 0.18])


def _next_steps_section(d: _Doc, report: Mapping[str, Any], section: Mapping[str, Any], ctx: _Outline) -> None:
    d.heading(section.get("level", 1), ctx.title(section), numbered=not d.in_appendix)
    written_text(d, section.get("body"))
    if section.get("rows"):
        _next_steps_table(d, section["rows"])


def _appendix_title(section: Mapping[str, Any], ctx: _Outline) -> str:
    ctx.appendices += 1
    return appendix_title(ctx.appendices, ctx.title(section))


def _agenda_section(d: _Doc, report: Mapping[str, Any], section: Mapping[str, Any], ctx: _Outline) -> None:
    _agenda(d, report.get("agenda") or [], _appendix_title(section, ctx))


def _participants_section(d: _Doc, report: Mapping[str, Any], section: Mapping[str, Any], ctx: _Outline) -> None:
    _participants(d, report, _appendix_title(section, ctx))


def _method_section(d: _Doc, report: Mapping[str, Any], section: Mapping[str, Any], ctx: _Outline) -> None:
    method_appendix(d, report, title=_appendix_title(section, ctx))


def _recommended(d: _Doc, report: Mapping[str, Any]) -> None:
    """The top ideas of the final list, as many as the report's options recommend (all that
    share the last place among them), as a short numbered list, and whether other counting
    rules give the same top (the robustness check of the method appendix, of the same N)."""
    final = report.get("final")
    d.heading(3, _("Recommended ideas"), numbered=False)
    if not final or not final.get("standings"):
        d.p(_("No vote has been closed yet."), "muted")
        return
    wanted = int((report.get("options") or {}).get("recommended") or 3)
    picked = [s for s in final["standings"] if s["rank"] <= wanted]
    d.p(ngettext("The final priorities come from “%(round)s” (%(method)s, %(num)d ballot).",
                 "The final priorities come from “%(round)s” (%(method)s, %(num)d ballots).",
                 final["ballots"], round=final["round_title"], method=method_name(final["method"])))
    for s in picked:
        d.p(f"{s['rank']}= {s['title']}" if s.get("tied") else f"{s['rank']}. {s['title']}")
    if any(s.get("tied") for s in picked):
        d.p(_("= marks a shared place: those ideas had equal results."), "small")
    if len(picked) > wanted:
        d.p(_("Ideas sharing place %(rank)s are all listed, so there are %(listed)s here.",
              rank=picked[-1]["rank"], listed=len(picked)), "small")
    # Whether the recommendation holds under other counting rules: the method appendix's check
    # of the same round's top N, in one sentence.
    final_round = next((r for r in report.get("rounds") or [] if r.get("id") == final.get("round_id")), None)
    check = ((final_round or {}).get("result") or {}).get("robustness")
    if check and check.get("top_n") == wanted and len(check.get("methods") or []) > 1:
        d.p(robustness_sentence(check, d.lang), "small")


def _figures(d: _Doc, report: Mapping[str, Any]) -> None:
    """The workshop in a few numbers, each counted as it is: who took part, the rounds, the ideas
    (hidden and merged ones not counted), the votes, and the final vote's ballots of all participants."""
    lang = d.lang
    ws = report["workshop"]
    rounds = report.get("rounds") or []
    d.heading(3, _("Key figures"), numbered=False)
    d.p(_("%(participants)s from %(organisations)s took part.", **_people(ws["participants"], ws["organisations"])))
    if report.get("sectors"):
        d.p(_("They came from these sectors: %(sectors)s.", sectors=join_list(
            [f"{in_sentence(s['label'])} ({_num(s['count'], lang)})" for s in report["sectors"]], lang)))
    if not rounds:
        d.p(_("Nothing has happened in this workshop yet."), "muted")
        return
    kinds = [in_sentence(kind_name(report, r)) for r in rounds]
    d.p(ngettext("The workshop had %(num)d round: %(kinds)s.", "The workshop had %(num)d rounds: %(kinds)s.",
                 len(rounds), kinds=join_list(kinds, lang)))
    ideas = [i for i in report.get("ideas") or [] if not i.get("hidden") and not i.get("merged_into")]
    votes = [r for r in rounds if r.get("votes") and r.get("result")]
    rows = [[_("Ideas"), _num(len(ideas), lang)], [_("Votes held"), _num(len(votes), lang)]]
    final = report.get("final")
    if final:
        rows.append([_("Ballots in the final vote"), _("%(ballots)s of %(participants)s participants (%(pct)s)",
                                                       ballots=_num(final["ballots"], lang),
                                                       participants=_num(ws["participants"], lang),
                                                       pct=format_percent(final["ballots"], ws["participants"], lang))])
    d.table([_("Field"), _("Value")], rows, kind="facts", widths=[0.45, 0.55])


def _summary_section(d: _Doc, report: Mapping[str, Any], section: Mapping[str, Any], ctx: _Outline) -> None:
    """The executive page: the organisers' text (else the workshop's description), the
    recommended ideas, the key figures and the next steps; the full final table and its chart
    are in the final round's own chapter."""
    ws = report["workshop"]
    d.heading(1, ctx.title(section))
    if (section.get("body") or "").strip():
        written_text(d, section["body"])
    elif ws.get("description"):
        written_text(d, ws["description"], "lead")
    _recommended(d, report)
    worked = next((r for r in report.get("rounds") or [] if r.get("sheets")), None)
    if worked:
        d.p(ngettext("The top idea was worked out in a group (see “%(round)s”).",
                     "The top %(num)d ideas were worked out in groups (see “%(round)s”).",
                     len(worked["sheets"]), round=worked["title"]))
    _figures(d, report)
    steps = ctx.next_steps
    if steps and steps.get("rows"):
        d.heading(3, ctx.title(steps), numbered=False)
        d.add("bullets", items=[
            " — ".join(x for x in (r.get("action") or "", ", ".join(y for y in (r.get("owner"), r.get("when")) if y)) if x)
            for r in steps["rows"]])


#: How each kind of section is written (``app.models.report.SECTION_KINDS``).
SECTION_WRITERS = {
    "summary": _summary_section,
    "introduction": _written_section,
    "background": _written_section,
    "text": _written_section,
    "conclusion": _written_section,
    "talk": _talk_section,
    "round": _round_section,
    "survey": _survey_section,
    "next_steps": _next_steps_section,
    "agenda": _agenda_section,
    "participants": _participants_section,
    "method": _method_section,
}


def build(report: Mapping[str, Any], lang: str | None = None) -> list[Block]:
    """The report's blocks, in the workshop's language (or ``lang``)."""
    ws = report["workshop"]
    with speaking(lang or ws.get("language")) as lang:
        return _build(report, lang)


def _build(report: Mapping[str, Any], lang: str) -> list[Block]:
    """The title page, the contents, then the outline's sections in order (``report["outline"]``,
    else ``default_outline``): chapters numbered 1, 2, … and their sections 1.1, …; appendices
    numbered apart by their place among the appendices ("Appendix 1: Agenda", …, "Appendix 3:
    Method"), whatever their place; a vote's section names the method appendix it points to."""
    ws = report["workshop"]
    d = _Doc(lang, report)
    people = _people(ws["participants"], ws["organisations"])
    facts = [people["participants"], people["organisations"],
             ngettext("%(num)d round", "%(num)d rounds", len(report["rounds"]))]
    d.add("title_page", kicker=_("Workshop report"), title=ws["title"], date=format_date(ws.get("date"), lang),
          organisers_label=_("Organised by"), organisers=list(ws.get("organisers") or []), facts=facts,
          made_with=_("Made with Tavle"))
    d.add("toc", title=_("Contents"), entries=[])
    sections = report.get("outline")
    sections = [dict(s) for s in (sections if sections is not None else default_outline(report))]
    ctx = _Outline(report, sections)
    shown = _shown([s for s in sections if s["kind"] in SECTION_WRITERS], ctx)
    appendices = [s for s in shown if s["kind"] in APPENDIX_KINDS]
    method = next((n for n, s in enumerate(appendices, start=1) if s["kind"] == "method"), None)
    if method is not None:
        d.method_title = appendix_title(method, ctx.title(appendices[method - 1]))
    for section in shown:
        if section.get("level", 1) <= 1:
            d.in_appendix = section["kind"] in APPENDIX_KINDS
        SECTION_WRITERS[section["kind"]](d, report, section, ctx)
    toc = next(b for b in d.blocks if b["type"] == "toc")
    toc["entries"] = [(b["level"], b["text"], b["anchor"]) for b in d.blocks if b["type"] == "heading" and b["level"] <= 2]
    return d.blocks


def plain_text(blocks: list[Block]) -> str:
    """Every text of the blocks, one per line (for tests and search)."""
    out: list[str] = []
    for b in blocks:
        kind = b["type"]
        if kind == "title_page":
            out += [b["kicker"], b["title"], b["date"], b["organisers_label"], *b["organisers"]]
        elif kind in ("heading", "paragraph"):
            out.append(b["text"])
        elif kind == "bullets":
            out += b["items"]
        elif kind == "quote":
            out += [b["text"], b["source"]]
        elif kind == "table":
            out.append(" | ".join(b["header"]))
            for row in b["rows"]:
                out.append(" | ".join(c["text"] + " " + c.get("sub", "") if isinstance(c, dict) else str(c) for c in row))
        elif kind == "chart":
            out.append(b["caption"])
    return "\n".join(out)
