"""Explicit tie-breaking.

Counting methods never break ties on their own. When a facilitator needs a
single order (e.g. to pick exactly three ideas), :func:`break_ties` applies a
named rule and records what it did in ``Result.tie_break`` so exports can
show that, and how, a tie was broken.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import replace

from .core import BallotError, Result, Standing
from .messages import N_

__all__ = ["TIE_BREAK_RULES", "break_ties"]

#: Rule names accepted by :func:`break_ties`.
TIE_BREAK_RULES = ("none", "prior_round", "facilitator")


def _tie_groups(standings: Sequence[Standing]) -> list[tuple[int, list[Standing]]]:
    """Return ``(start index, standings)`` for each run of 2+ equal ranks."""
    groups: list[tuple[int, list[Standing]]] = []
    start = 0
    for i in range(1, len(standings) + 1):
        if i == len(standings) or standings[i].rank != standings[start].rank:
            if i - start > 1:
                groups.append((start, list(standings[start:i])))
            start = i
    return groups


def _rerank(group: list[Standing], ordered: list[list[Standing]]) -> list[Standing]:
    """Give sub-groups of a tie consecutive competition ranks.

    ``ordered`` splits ``group`` into blocks in their new order; options in
    the same block stay tied with each other.
    """
    rank = group[0].rank
    out: list[Standing] = []
    for block in ordered:
        for standing in block:
            out.append(replace(standing, rank=rank, tied=len(block) > 1))
        rank += len(block)
    return out


def break_ties(
    result: Result,
    *,
    rule: str,
    prior: Sequence[Hashable] | None = None,
    decision: Sequence[Hashable] | None = None,
) -> Result:
    """Break ties in a result with an explicit, recorded rule.

    Rules:

    * ``"none"``: return the result unchanged.
    * ``"prior_round"``: within each tie group, order options by their
      position in ``prior`` (the ranking of an earlier round, best first).
      Options of the group that are absent from ``prior`` stay tied with each
      other at the end of their group.
    * ``"facilitator"``: ``decision`` is an explicit order that must list
      exactly the options of one or more tie groups (every option of each
      group it touches, nothing else, no repeats). Those groups are ordered
      as decided; other tie groups stay tied.

    Broken ties get distinct consecutive ranks starting at the group's
    original rank (a 2= / 2= pair becomes 2 and 3) with ``tied=False``.
    Scores are not changed, so the scores still show that the options were
    level. The returned result's ``tie_break`` is ``{"rule": ..., "groups":
    [[options of each group that was broken, in the order before]],
    "order": [the same options in their new order]}``; if the result already
    carried a tie-break record, it is kept under ``"previous"``.

    Args:
        result: The result to adjust.
        rule: ``"none"``, ``"prior_round"`` or ``"facilitator"``.
        prior: An earlier round's ranking (for ``"prior_round"``).
        decision: The facilitator's order for the tied options (for
            ``"facilitator"``).

    Returns:
        A new result (or ``result`` itself for ``"none"``).

    Raises:
        BallotError: Code ``"bad_tie_break"`` for an unknown rule, a missing
            ``prior``/``decision``, or a decision that does not list exactly
            the options of whole tie groups.
    """
    if rule == "none":
        return result
    if rule not in TIE_BREAK_RULES:
        raise BallotError("bad_tie_break", N_("Unknown tie-break rule: %(rule)s."), rule=repr(rule))

    groups = _tie_groups(result.standings)
    replacements: dict[int, list[Standing]] = {}  # start index of a group -> new block
    broken_before: list[list[Hashable]] = []
    broken_after: list[Hashable] = []

    if rule == "prior_round":
        if prior is None:
            raise BallotError("bad_tie_break", N_("An earlier round's ranking is needed to break ties by it."))
        position: dict[Hashable, int] = {}
        for i, option in enumerate(prior):
            position.setdefault(option, i)
        for start, group in groups:
            known = sorted((s for s in group if s.option in position), key=lambda s: position[s.option])
            unknown = [s for s in group if s.option not in position]
            if not known:
                continue  # the earlier round says nothing about this tie
            blocks = [[s] for s in known] + ([unknown] if unknown else [])
            replacements[start] = _rerank(group, blocks)
            broken_before.append([s.option for s in group])
            broken_after.extend(s.option for s in known + unknown)
    else:  # facilitator
        if decision is None:
            raise BallotError("bad_tie_break", N_("Please choose an order for the tied ideas."))
        decided = list(decision)
        if len(set(decided)) != len(decided):
            raise BallotError("bad_tie_break", N_("Each tied idea can only appear once in the decision."))
        wanted = set(decided)
        chosen = [(start, g) for start, g in groups if any(s.option in wanted for s in g)]
        covered = {s.option for _, g in chosen for s in g}
        if not decided or covered != wanted:
            raise BallotError(
                "bad_tie_break",
                N_("The decision must list every idea of each tie it breaks, and only tied ideas."),
            )
        order = {option: i for i, option in enumerate(decided)}
        for start, group in chosen:
            ordered = sorted(group, key=lambda s: order[s.option])
            replacements[start] = _rerank(group, [[s] for s in ordered])
            broken_before.append([s.option for s in group])
            broken_after.extend(s.option for s in ordered)

    standings = list(result.standings)
    for start, block in replacements.items():
        standings[start : start + len(block)] = block

    record: dict = {"rule": rule, "groups": broken_before, "order": broken_after}
    if result.tie_break is not None:
        record["previous"] = dict(result.tie_break)
    return replace(result, standings=tuple(standings), tie_break=record)
