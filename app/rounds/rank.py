"""Ranking: each participant orders the ideas; Borda, Schulze or instant-runoff counts them."""
from __future__ import annotations

from typing import Any, Mapping

from flask_babel import lazy_gettext as _l, lazy_ngettext

from app.errors import DomainError
from app.models import Idea, Round
from app.numbers import id_list
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from app.rounds.base import VotingKind, ballot_error, by_idea, places
from app.rounds.form import Setting, SettingsBlock
from app.voting import METHODS, BallotError, Result, validate_ranking

#: The counting methods a ranking round offers, as the console names them (lazy messages).
RANK_METHODS = {"borda": _l("Borda count"), "schulze": _l("Schulze (Condorcet)"), "irv": _l("Instant-runoff")}

METHOD_SETTINGS = SettingsBlock((
    Setting("method", SelectField(_l("Counting method"), choices=[SelectChoice(k, v) for k, v in RANK_METHODS.items()],
                                  default="borda"),
            hint=_l("The other methods are shown beside it for comparison.")),
), position=20)


class Rank(VotingKind):
    name = "rank"
    label = _l("Ranking")
    action = "submit_ranking"
    default_top_k = 8

    def kind_defaults(self) -> dict[str, Any]:
        return {"method": "borda"}

    def clean_kind_settings(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        method = settings.get("method") or "borda"
        if method not in RANK_METHODS:
            raise DomainError("bad_setting", _l("Choose Borda count, Schulze or instant-runoff."))
        return {"method": method}

    def method(self, round_: Round) -> str:
        return round_.settings.get("method", "borda")

    def empty_ballot(self) -> list[int]:
        return []

    def _order(self, options: list[Idea], order: Any) -> list[int]:
        order = id_list(order, "order", "idea", message=_l("Send the ideas in your order (a list of idea ids)."))
        try:
            return list(validate_ranking(order, [i.id for i in options], partial=False))
        except BallotError as exc:
            raise ballot_error(exc) from None

    def apply(self, round_: Round, options: list[Idea], current: Any, payload: Mapping[str, Any]) -> list[int]:
        return self._order(options, payload.get("order"))

    def clean_whole(self, round_: Round, options: list[Idea], ballot: Any) -> list[int]:
        return self._order(options, ballot)

    def to_method(self, content: Any) -> list[int]:
        return [int(x) for x in content or []]

    def remap(self, round_: Round, ballot: Any, merged: dict[int, int]) -> list[int]:
        # A merged idea takes the best place any of its parts had on the ballot.
        out: list[int] = []
        for x in ballot:
            target = merged.get(x, x)
            if target not in out:
                out.append(target)
        return out

    def restrict(self, ballot: Any, allowed: set[int]) -> list[int]:
        return [x for x in ballot if x in allowed]

    def params(self, round_: Round) -> dict[str, Any]:
        return {"partial": True}

    # --- live: settings form, vote event, result snapshot --------------------------------------
    settings_form = VotingKind.settings_form + (METHOD_SETTINGS,)
    action_doc = "Replace this participant's ranking with a complete order of the round's ideas."

    def result_extras(self, round_: Round, result: Result) -> dict[str, Any]:
        # The other ranking methods over the same ballots, for comparison beside the chosen one;
        # each idea keeps its place, so a tie (an instant-runoff's 6=, 6=) stays a tie.
        from app.services.rounds import compute_result

        return {"comparison": {m: places(compute_result(round_, m)) for m in RANK_METHODS if m != result.method}}

    # --- reports and backups ----------------------------------------------------------------
    report_name = _l("Ranking")

    def robustness_counts(self, round_: Round, options: list[Idea], contents: list[Any], top_n: int) -> dict[str, Result]:
        # Every ranking method, and dots: one for each idea a ballot puts in its top N.
        ballots = self.method_ballots(round_, options, contents)
        ids = [i.id for i in options]
        counts = {m: METHODS[m](ballots, ids, **self.params(round_)) for m in RANK_METHODS}
        counts["approval"] = METHODS["dots"]([{x: 1 for x in b[:top_n]} for b in ballots], ids, budget=top_n, cap=1)
        return counts

    def robustness_note(self, top_n: int) -> Any:
        return lazy_ngettext(
            "These ballots rank the ideas, so they can be counted by every rule: Borda count, Schulze, "
            "instant-runoff, and as dots (one dot for the idea each ballot ranks first).",
            "These ballots rank the ideas, so they can be counted by every rule: Borda count, Schulze, "
            "instant-runoff, and as dots (one dot for each of the top %(num)d ideas on every ballot).", top_n)

    def sheet_rows(self, content: Any, idea) -> list[dict[str, Any]]:
        # One row per place, best first.
        rows = []
        for place, raw in enumerate(content or [], start=1):
            no, title = idea(raw)
            rows.append({"idea_no": no, "idea": title, "value": place, "note": ""})
        by_idea(rows)
        rows.sort(key=lambda r: r["value"])
        return rows

    def map_ballot(self, content: Any, ids: Any, where: str) -> list:
        return ids.ideas(content, where)

    def ballot_shape_ok(self, content: Any) -> bool:
        return isinstance(content, list) and all(isinstance(v, str) for v in content) and len(set(content)) == len(content)
