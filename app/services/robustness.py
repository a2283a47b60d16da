"""Would another counting rule have put the same ideas on top? The report's robustness check.

A workshop's final list comes from one vote counted by one rule. ``check`` counts that vote's
stored ballots again by every other rule that applies to them (each round kind says which,
``VotingKind.robustness_counts``: a ranking by Borda count, Schulze, instant-runoff and as dots;
a dot or points vote as dots, one per idea a voter supported) and says, for the top N, whether
each rule gives the same ideas in the same places. The counting is ``app.voting``'s; this module
only reads the ballots and compares the places, as plain data for the report.
"""
from __future__ import annotations

from typing import Any, Mapping

from app.models import Round
from app.numbers import parse_whole
from app.rounds import kind_of
from app.services import state
from app.services.rounds import ballots_of, with_prior_rule

#: How many of the best placed ideas the check looks at, unless the report's options say otherwise.
DEFAULT_TOP = 3


def top_n(options: Mapping[str, Any] | None) -> int:
    """The N of the top N: the report's ``recommended`` option (``report["options"]``, already at
    most the ideas the final round ranks, so the check looks at the ideas the executive page
    recommends) when it is a whole number of at least 1, else ``DEFAULT_TOP``."""
    value = parse_whole((options or {}).get("recommended"))
    return value if value is not None and value >= 1 else DEFAULT_TOP


def check(round_: Round, result: Mapping[str, Any], n: int) -> dict[str, Any] | None:
    """The robustness of ``round_``'s top ``n``, or None where it cannot be checked (a round held
    in groups, one still counting, or an anonymous round while open: its ballots are sealed).

    ``result`` is the round's result as the report holds it (``reporting._result``): its
    ``method`` and ``standings`` (with ``idea_id``, ``title``, ``rank``, ``tied``) are the own
    rule's places. Returns:

    * ``top_n``, ``method`` (the round's own rule) and ``methods`` (it first, then the others counted);
    * ``note``: which rules apply to these ballots and why, in the workshop's language;
    * ``ideas``: every idea in the top N under any rule, in the own rule's order, each with its
      ``places`` per method (``{"rank", "tied"}``, or None for an idea a rule did not place);
    * ``changes``: per other rule, ``change`` (``same``; ``order``: the same ideas in other
      places; ``set``: other ideas) and the titles that come ``in`` and go ``out`` of the top N;
    * ``same``: whether every rule gives the same top N in the same places.
    """
    kind = kind_of(round_)
    if not kind.votes or state.sealed(round_) or round_.result_pending or (round_.settings or {}).get("per_group"):
        return None
    own = result["method"]
    counts = kind.robustness_counts(round_, kind.options(round_), ballots_of(round_), n)
    counts.pop(own, None)
    counts = {m: with_prior_rule(round_, r) for m, r in counts.items()}
    titles = {s["idea_id"]: s["title"] for s in result["standings"]}
    places: dict[str, dict[Any, dict[str, Any]]] = {
        own: {s["idea_id"]: {"rank": s["rank"], "tied": bool(s["tied"])} for s in result["standings"]}}
    for m, r in counts.items():
        places[m] = {s.option: {"rank": s.rank, "tied": s.tied} for s in r.standings}
    top = {m: [i for i, p in by.items() if p["rank"] <= n] for m, by in places.items()}
    order = {i: k for k, i in enumerate(places[own])}
    shown = sorted({i for ideas in top.values() for i in ideas},
                   key=lambda i: (order.get(i, len(order)), min(places[m].get(i, {"rank": 10**9})["rank"] for m in places)))
    changes = []
    for m in counts:
        mine, theirs = set(top[own]), set(top[m])
        if mine != theirs:
            change = "set"
        elif any(places[m].get(i) != places[own][i] for i in top[own]):
            change = "order"
        else:
            change = "same"
        changes.append({"method": m, "change": change,
                        "in": [titles.get(i, "") for i in shown if i in theirs and i not in mine],
                        "out": [titles.get(i, "") for i in shown if i in mine and i not in theirs]})
    return {
        "top_n": n,
        "method": own,
        "methods": [own, *counts],
        "note": str(kind.robustness_note(n)),
        "ideas": [{"idea_id": i, "title": titles.get(i, ""), "places": {m: places[m].get(i) for m in places}}
                  for i in shown],
        "changes": changes,
        "same": all(c["change"] == "same" for c in changes),
    }
