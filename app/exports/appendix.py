"""The report's method appendix: how each vote was counted, told once for the whole report.

A voting section of the report names its counting rule in one line and points here. The appendix
holds, for every vote, its method card, its parameters and how its ties were broken; what ``=``
means, once; and the robustness check of the final list: the top N under the round's own rule
and under every other rule its ballots allow (counted by ``app.services.robustness``, read
here from the round's ``result["robustness"]``), with one plain sentence saying what changes.

Like ``app.exports.document``, it only writes blocks (``_Doc`` of that module) from plain data.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.exports.labels import (
    PARAM_NAMES,
    TIE_BREAK_NAMES,
    as_heading,
    format_number,
    join_list,
    method_name,
    quote,
    rank_label,
)

if TYPE_CHECKING:  # pragma: no cover
    from app.exports.document import _Doc

#: The counting rules the robustness check adds that are no round's own (``robustness_counts``).
CHECK_NAMES = {"approval": _l("dots (approval voting)")}


def rule_name(method: str) -> str:
    """A counting rule as the appendix names it in its tables and sentences."""
    name = CHECK_NAMES.get(method)
    return str(name) if name is not None else method_name(method)


def param_rows(rnd: Mapping[str, Any], lang: str) -> list[list[str]]:
    """The parameters that shaped a vote, as (label, value) rows."""
    names = {key: str(name) for key, name in PARAM_NAMES.items()}
    num = lambda value: format_number(value, lang)  # noqa: E731
    settings = rnd.get("settings") or {}
    result = rnd.get("result") or {}
    params = {**settings, **(result.get("params") or {})}
    rows = []
    if result.get("method"):
        rows.append([names["method"], method_name(result["method"])])
    if params.get("budget") is not None:
        rows.append([names["budget"], num(params["budget"])])
    if params.get("cap") is not None:
        rows.append([names["cap"], num(params["cap"])])
    if params.get("scale_min") is not None and params.get("scale_max") is not None:
        rows.append([names["scale"], f"{num(params['scale_min'])}–{num(params['scale_max'])}"])
    if settings.get("top_k"):
        rows.append([names["top_k"], num(settings["top_k"])])
    if "partial" in params:
        rows.append([names["partial"], num(bool(params["partial"]))])
    rows.append([names["anonymous"], num(bool(settings.get("anonymous")))])
    rule = settings.get("tie_break") or "none"
    rows.append([names["tie_break"], str(TIE_BREAK_NAMES.get(rule, rule))])
    if settings.get("per_group"):
        rows.append([names["per_group"], num(True)])
        rows.append([names["group_top_n"], num(settings.get("group_top_n"))])
    if settings.get("min_cell") is not None:
        rows.append([names["min_cell"], num(settings["min_cell"])])
    return rows


def method_appendix(d: "_Doc", report: Mapping[str, Any], title: str | None = None) -> None:
    """The appendix "Method": every vote's rule, parameters and tie rule, shared places explained
    once, and the robustness of the final list. ``title`` is its heading as the report's outline
    numbers it ("Appendix 3: Method"); without one it is "Appendix: Method"."""
    votes = [r for r in report["rounds"] if r.get("votes")]
    d.heading(1, title or _("Appendix: Method"), numbered=False)
    if not votes:
        d.p(_("No vote was held in this workshop."), "muted")
        return
    d.p(_("How each vote was counted: its counting rule, its parameters and how ties were handled. Then a check "
          "of the final list: would other counting rules have put the same ideas on top?"))
    d.heading(2, _("Shared places"), numbered=False)
    d.p(_("= marks a shared place: those ideas had equal results.") + " "
        + _("A tie is never broken silently: tied ideas share the place (6=, 6=) unless the round's rule below "
            "says how the tie was broken."))
    for rnd in votes:
        _round_method(d, rnd)
    _robustness(d, report)


def _round_method(d: "_Doc", rnd: Mapping[str, Any]) -> None:
    d.heading(2, rnd["title"], numbered=False)
    result = rnd.get("result")
    if not result:
        d.p(_("This round has not been closed: no result is stored."), "muted")
    elif result.get("method_card"):
        d.p(result["method_card"])
    d.table([_("Field"), _("Value")], param_rows(rnd, d.lang), kind="facts", widths=[0.45, 0.55])
    if not result:
        return
    rule = result.get("tie_break_rule")
    if rule in ("facilitator", "prior_round") and result.get("tie_break_order"):
        order = " › ".join(result["tie_break_order"])
        if rule == "prior_round":
            d.p(_("Ties were then broken by the earlier round's ranking, in this order: %(order)s.", order=order), "small")
        else:
            d.p(_("Ties were then broken by the facilitator, in this order: %(order)s.", order=order), "small")
    if result.get("snapshots", 1) > 1:
        d.p(ngettext("The result was stored %(num)d time; this is the latest.",
                     "The result was stored %(num)d times; this is the latest.", result["snapshots"]), "small")


def _robustness(d: "_Doc", report: Mapping[str, Any]) -> None:
    d.heading(2, _("Robustness of the final list"), numbered=False)
    found = next(((r, r["result"]["robustness"]) for r in report["rounds"]
                  if (r.get("result") or {}).get("robustness")), None)
    if found is None:
        if report.get("final"):
            d.p(_("The final list could not be counted again by other rules."), "muted")
        else:
            d.p(_("No vote has been closed yet, so there is no final list to check."), "muted")
        return
    rnd, check = found
    n = check["top_n"]
    d.p(ngettext("Would another counting rule have put another idea on top? The ballots of “%(round)s” are "
                 "counted again by every rule that applies to them.",
                 "Would other counting rules have given another top %(num)d? The ballots of “%(round)s” are "
                 "counted again by every rule that applies to them.", n, round=rnd["title"]))
    d.p(check["note"])
    methods = check["methods"]
    if len(methods) < 2:
        return
    header = [_("Idea")] + [as_heading(rule_name(m)) + (" " + _("(used)") if m == check["method"] else "") for m in methods]
    rows = [[idea["title"]] + [rank_label(idea["places"][m]) if idea["places"].get(m) else "–" for m in methods]
            for idea in check["ideas"]]
    d.table(header, rows, align=["left"] + ["right"] * len(methods),
            widths=[0.4] + [0.6 / len(methods)] * len(methods))
    d.p(robustness_sentence(check, d.lang))


def robustness_sentence(check: Mapping[str, Any], lang: str) -> str:
    """"The top 3 is the same under all methods", or which rules change which places."""
    n = check["top_n"]
    if check["same"]:
        return ngettext("The top idea is the same under all methods.", "The top %(num)d is the same under all methods.", n)
    titles = lambda items: join_list([quote(t) for t in items], lang)  # noqa: E731
    out = []
    same = [rule_name(c["method"]) for c in check["changes"] if c["change"] == "same"]
    if same:
        out.append(ngettext("The top idea is the same under %(methods)s.", "The top %(num)d is the same under %(methods)s.",
                            n, methods=join_list(same, lang)))
    for c in check["changes"]:
        method = rule_name(c["method"])
        if c["change"] == "order":
            out.append(_("Under %(method)s the same ideas are on top, in other places.", method=method))
        elif c["change"] == "set" and c["in"] and c["out"]:
            out.append(ngettext("Under %(method)s, %(in)s would take the top place instead of %(out)s.",
                                "Under %(method)s, %(in)s would be in the top %(num)d instead of %(out)s.", n,
                                method=method, **{"in": titles(c["in"]), "out": titles(c["out"])}))
        elif c["change"] == "set" and c["in"]:
            out.append(ngettext("Under %(method)s, %(in)s would share the top place as well.",
                                "Under %(method)s, %(in)s would also be in the top %(num)d, in a shared place.", n,
                                method=method, **{"in": titles(c["in"])}))
        elif c["change"] == "set":
            out.append(ngettext("Under %(method)s, %(out)s would no longer hold the top place.",
                                "Under %(method)s, %(out)s would fall out of the top %(num)d.", n,
                                method=method, out=titles(c["out"])))
    return " ".join(out)
