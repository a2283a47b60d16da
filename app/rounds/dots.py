"""Dot voting: each participant spreads N dots over the ideas, at most M on one."""
from __future__ import annotations

from typing import Any, Mapping

from flask_babel import lazy_gettext as _l

from app.errors import DomainError
from app.models import Idea, Round
from app.numbers import MAX_ID, record_id, whole_number
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from app.rounds.base import VotingKind, ballot_error, idea_id, int_setting, int_value
from app.rounds.form import Setting, SettingsBlock
from app.voting import METHODS, BallotError, Result, allocation_result, validate_dots, validate_points

BUDGET_SETTINGS = SettingsBlock((
    Setting("budget", IntegerField(_l("Dots or points per participant"), validators=[Optional(), NumberRange(1, 10_000)]),
            placeholder=_l("5 dots / 100 points")),
), position=30)
CAP_SETTINGS = SettingsBlock((
    Setting("cap", IntegerField(_l("Most dots on one idea"), validators=[Optional(), NumberRange(1, 100)]), placeholder="3"),
), position=40)


class DotVote(VotingKind):
    name = "dot_vote"
    label = _l("Dot vote")
    action = "cast_dots"
    method_name = "dots"

    def kind_defaults(self) -> dict[str, Any]:
        return {"budget": 5, "cap": 3}

    def clean_kind_settings(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        budget = int_setting(settings, "budget", 5, 1, 100, _l("Dots per participant"))
        cap = int_setting(settings, "cap", 3, 1, 100, _l("Dots on one idea"))
        if cap > budget:
            raise DomainError("bad_setting", _l("Dots on one idea cannot be more than dots per participant."))
        return {"budget": budget, "cap": cap}

    def params(self, round_: Round) -> dict[str, Any]:
        return {"budget": round_.settings["budget"], "cap": round_.settings["cap"]}

    def live_result(self, round_: Round, options: list[Idea]) -> Result | None:
        # Summed by the database: every stored ballot was checked when it was cast. Merged
        # ideas cap the dots of two merged ideas together, which only ``tally`` does.
        from app.services.rounds import allocation_sums

        if self.merge_map(round_):
            return None
        totals, voters, ballots = allocation_sums(round_)
        return allocation_result(self.method_name, totals, voters, ballots, [i.id for i in options],
                                 self.params(round_), self.method_name)

    def remap(self, round_: Round, ballot: Any, merged: dict[int, int]) -> Any:
        # Dots a participant put on two ideas that were merged add up, but never past the cap.
        cap = round_.settings["cap"]
        return {k: min(v, cap) for k, v in self._summed(ballot, merged).items()}

    @staticmethod
    def _summed(ballot: dict, merged: dict[int, int]) -> dict:
        out: dict = {}
        for key, value in ballot.items():
            target = merged.get(key, key)
            out[target] = out.get(target, 0) + value
        return out

    #: The payload field holding the new amount for one idea, and how to name it in errors.
    amount_field, amount_label = "count", "the number of dots"
    validator = staticmethod(validate_dots)

    def _validate(self, round_: Round, options: list[Idea], ballot: dict[int, int]) -> dict[str, int]:
        try:
            cleaned = self.validator(ballot, [i.id for i in options], **self.params(round_))
        except BallotError as exc:
            raise ballot_error(exc) from None
        return {str(k): v for k, v in cleaned.items()}

    def apply(self, round_: Round, options: list[Idea], current: Any, payload: Mapping[str, Any]) -> dict[str, int]:
        target = idea_id(payload)
        ballot = self.to_method(current)
        ballot[target] = int_value(payload, self.amount_field, self.amount_label)
        # Amounts left on ideas hidden since they were given do not count against the budget.
        allowed = {i.id for i in options} | {target}
        return self._validate(round_, options, {k: v for k, v in ballot.items() if k in allowed})

    def clean_whole(self, round_: Round, options: list[Idea], ballot: Any) -> dict[str, int]:
        return self._validate(round_, options, _int_map(ballot, "dots"))

    # --- live: settings form, vote event ------------------------------------------------------
    settings_form = VotingKind.settings_form + (BUDGET_SETTINGS, CAP_SETTINGS)
    action_doc = "Set how many dots this participant puts on one idea (dot vote)."

    # --- reports and backups ----------------------------------------------------------------
    report_name = _l("Dot vote")

    def robustness_counts(self, round_: Round, options: list[Idea], contents: list[Any], top_n: int) -> dict[str, Result]:
        # Amounts give no order of every idea (Borda, Schulze and instant-runoff need one, and
        # equal amounts would have to be ordered at random): only dots, one per idea a voter gave anything.
        ballots = self.method_ballots(round_, options, contents)
        ids = [i.id for i in options]
        approvals = [{k: 1 for k, v in b.items() if v > 0} for b in ballots]
        return {"approval": METHODS["dots"](approvals, ids, budget=max(1, len(ids)), cap=1)}

    def robustness_note(self, top_n: int) -> Any:
        return _l("These ballots give amounts, not an order of every idea. Borda count, Schulze and instant-runoff "
                  "need such an order, and making one would put ideas given equal amounts in an order at random, "
                  "so they are left out. The ballots are counted as given, and as dots: one for each idea a voter "
                  "gave anything, however much.")


class Points(DotVote):
    """Points allocation: spread a budget of points (100 by default) over the ideas."""

    name = "points"
    label = _l("Points (100 to spread)")
    action = "allocate_points"
    method_name = "points"

    def kind_defaults(self) -> dict[str, Any]:
        return {"budget": 100}

    def clean_kind_settings(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {"budget": int_setting(settings, "budget", 100, 1, 10_000, _l("Points per participant"))}

    def params(self, round_: Round) -> dict[str, Any]:
        return {"budget": round_.settings["budget"]}

    amount_field, amount_label = "points", "the points"
    validator = staticmethod(validate_points)

    def remap(self, round_: Round, ballot: Any, merged: dict[int, int]) -> Any:
        return self._summed(ballot, merged)

    # --- live: settings form, vote event ------------------------------------------------------
    settings_form = VotingKind.settings_form + (BUDGET_SETTINGS,)
    action_doc = "Set the points this participant gives one idea (points allocation)."

    # --- reports and backups ----------------------------------------------------------------
    report_name = _l("Points allocation")


def _int_map(ballot: Any, what: str) -> dict[int, int]:
    """A whole ballot ``{idea_id: number}`` from a client, with ids and numbers as ints."""
    if not isinstance(ballot, Mapping):
        raise DomainError("bad_request", _l("Send your ballot as a map from idea to number."))
    return {record_id(k, f"an idea of your {what}", "idea"): whole_number(v, f"your {what}", lo=-MAX_ID)
            for k, v in ballot.items()}
