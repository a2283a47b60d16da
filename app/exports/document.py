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

A round is told by what its data holds, never by its kind's name: a ``result`` (a vote), else
the first of ``SECTIONS`` it has (``items`` with comments, ``sheets`` worked out, ``ideas``).
"""
from __future__ import annotations

from typing import Any, Mapping

from flask_babel import gettext as _
from flask_babel import ngettext

from app.exports.appendix import method_appendix
from app.exports.charts import MAX_BARS
from app.exports.labels import (
    EXTRA_NAMES,
    QUADRANT_AREAS,
    QUADRANT_NAMES,
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
    speaking,
    unit_name,
)

Block = dict[str, Any]


class _Doc:
    def __init__(self, lang: str, report: Mapping[str, Any]):
        self.lang = lang
        self.report = report
        self.blocks: list[Block] = []
        self.numbers = [0, 0]

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
    if result and result.get("method"):
        d.p(_("Counted by %(method)s. The method, its parameters and how ties are handled are described in "
              "the method appendix.", method=method_name(result["method"])), "muted")
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
                *, depth: int, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Each idea's place under the round's own rule and under other rules, as a table (the
    arguments of ``_Doc.table``): one row per idea placed within ``depth`` by any rule,
    in the own rule's order, a shared place written 6=. ``orders`` are the other rules' places
    (``{rank, tied, idea_id}``), best first; ``names`` names a method ``method_name`` does not."""
    names = names or {}
    methods = [own] + [m for m in orders if m != own]
    by_method = {own: {s["idea_id"]: s for s in standings}}
    by_method.update({m: {p["idea_id"]: p for p in orders[m]} for m in methods[1:]})
    titles = {s["idea_id"]: s["title"] for s in standings}
    for m in methods[1:]:
        for p in orders[m]:
            titles.setdefault(p["idea_id"], p.get("title") or "")
    ideas = [i for i in titles if any(i in by_method[m] and by_method[m][i]["rank"] <= depth for m in methods)]
    header = [_("Idea")] + [
        as_heading(names.get(m) or method_name(m)) + (" " + _("(used)") if m == own else "") for m in methods]
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
    for item in items:
        d.heading(2, item["text"])
        d.p(ngettext("%(num)d comment", "%(num)d comments", len(item["comments"])), "muted")
        if not item["starred"]:
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
                rows = [list(r) for r in field.get("rows") or [] if any(c.strip() for c in r)]
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


def _round(d: _Doc, rnd: Mapping[str, Any]) -> None:
    d.heading(1, rnd["title"])
    meta = [kind_name(d.report, rnd)]
    if rnd.get("source_title"):
        meta.append(_("Over: %(round)s", round=rnd["source_title"]))
    d.p(" · ".join(meta), "muted")
    if rnd.get("votes"):
        _voting_round(d, rnd)
        return
    for part, section in SECTIONS:
        if rnd.get(part) is not None:
            section(d, rnd)
            return


def _survey(d: _Doc, survey: Mapping[str, Any]) -> None:
    lang = d.lang
    d.heading(1, _("Survey: %(title)s", title=survey["title"]))
    intro = ngettext("%(num)d response.", "%(num)d responses.", survey["respondents"])
    if survey.get("anonymous"):
        intro += " " + _("Answers were anonymous.")
    d.p(intro, "muted")
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


def _agenda(d: _Doc, agenda: list[dict[str, Any]]) -> None:
    d.heading(1, _("Appendix 1: Agenda"), numbered=False)
    if not agenda:
        d.p(_("No agenda was set up."), "muted")
        return
    rows = []
    for item in agenda:
        when = item.get("start") or ""
        if when and item.get("duration"):
            h, m = map(int, when.split(":"))
            end = h * 60 + m + int(item["duration"])
            when = f"{when}–{(end // 60) % 24:02d}:{end % 60:02d}"
        rows.append([when, item["title"], item.get("who") or ""])
    d.table([_("Time"), _("Item"), _("Who")], rows, widths=[0.17, 0.58, 0.25])


def _participants(d: _Doc, report: Mapping[str, Any]) -> None:
    lang = d.lang
    ws = report["workshop"]
    d.heading(1, _("Appendix 2: Participants"), numbered=False)
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


def _summary(d: _Doc, report: Mapping[str, Any]) -> None:
    lang = d.lang
    ws = report["workshop"]
    d.heading(1, _("Summary"))
    if ws.get("description"):
        for para in ws["description"].split("\n"):
            d.p(para.strip(), "lead")
    d.p(_("%(participants)s from %(organisations)s took part.", **_people(ws["participants"], ws["organisations"])))
    if report.get("sectors"):
        d.p(_("They came from these sectors: %(sectors)s.", sectors=join_list(
            [f"{in_sentence(s['label'])} ({_num(s['count'], lang)})" for s in report["sectors"]], lang)))
    rounds = report["rounds"]
    if rounds:
        kinds = [in_sentence(kind_name(report, r)) for r in rounds]
        d.p(ngettext("The workshop had %(num)d round: %(kinds)s.", "The workshop had %(num)d rounds: %(kinds)s.",
                     len(rounds), kinds=join_list(kinds, lang)))
    else:
        d.p(_("Nothing has happened in this workshop yet."), "muted")
    worked = next((r for r in rounds if r.get("sheets")), None)
    if worked:
        d.p(ngettext("The top idea was worked out in a group (see “%(round)s”).",
                     "The top %(num)d ideas were worked out in groups (see “%(round)s”).",
                     len(worked["sheets"]), round=worked["title"]))
    d.heading(2, _("Final priorities"))
    final = report.get("final")
    if not final:
        d.p(_("No vote has been closed yet."), "muted")
        return
    d.p(ngettext("The final priorities come from “%(round)s” (%(method)s, %(num)d ballot).",
                 "The final priorities come from “%(round)s” (%(method)s, %(num)d ballots).",
                 final["ballots"], round=final["round_title"], method=method_name(final["method"])))
    d.table([_("Rank"), _("Idea"), _("Score")],
            [[rank_label(s), s["title"], _num(s["score"], lang)] for s in final["standings"]],
            align=["right", "left", "right"], widths=[0.1, 0.74, 0.16])
    if any(s["tied"] for s in final["standings"]):
        d.p(_("= marks a shared place: those ideas had equal results."), "small")
    final_round = next((r for r in report["rounds"] if r.get("id") == final.get("round_id")), None)
    if spec := _standings_chart(final["standings"], lang, final.get("method"), final_round):
        d.add("chart", spec=spec, alt=_chart_alt(spec), caption=_chart_caption(final["round_title"], len(final["standings"])))


def build(report: Mapping[str, Any], lang: str | None = None) -> list[Block]:
    """The report's blocks, in the workshop's language (or ``lang``)."""
    ws = report["workshop"]
    with speaking(lang or ws.get("language")) as lang:
        return _build(report, lang)


def _build(report: Mapping[str, Any], lang: str) -> list[Block]:
    ws = report["workshop"]
    d = _Doc(lang, report)
    people = _people(ws["participants"], ws["organisations"])
    facts = [people["participants"], people["organisations"],
             ngettext("%(num)d round", "%(num)d rounds", len(report["rounds"]))]
    d.add("title_page", kicker=_("Workshop report"), title=ws["title"], date=format_date(ws.get("date"), lang),
          organisers_label=_("Organised by"), organisers=list(ws.get("organisers") or []), facts=facts,
          made_with=_("Made with Tavle"))
    d.add("toc", title=_("Contents"), entries=[])
    _summary(d, report)
    for rnd in report["rounds"]:
        _round(d, rnd)
    for survey in report.get("surveys") or []:
        _survey(d, survey)
    method_appendix(d, report)
    _agenda(d, report.get("agenda") or [])
    _participants(d, report)
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
