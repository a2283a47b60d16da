"""Rating rounds: stars per idea, or impact and effort per idea."""
from __future__ import annotations

from typing import Any, Mapping

from flask_babel import lazy_gettext as _l

from app.errors import DomainError
from app.models import Idea, Round
from app.numbers import MAX_ID, record_id, whole_number
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from app.rounds.base import VotingKind, ballot_error, idea_id, int_setting, int_value, is_whole
from app.rounds.form import Setting, SettingsBlock
from app.voting import BallotError, validate_impact_effort, validate_scores

SCALE_SETTINGS = SettingsBlock((
    Setting("scale_min", IntegerField(_l("Lowest rating"), validators=[Optional(), NumberRange(0, 10)]), placeholder="1"),
    Setting("scale_max", IntegerField(_l("Highest rating"), validators=[Optional(), NumberRange(1, 10)]), placeholder="5"),
), position=50, css_class="two-col")


def _scale(settings: Mapping[str, Any]) -> dict[str, int]:
    lo = int_setting(settings, "scale_min", 1, 0, 10, _l("Lowest rating"))
    hi = int_setting(settings, "scale_max", 5, 1, 10, _l("Highest rating"))
    if hi <= lo:
        raise DomainError("bad_setting", _l("The highest rating must be above the lowest."))
    return {"scale_min": lo, "scale_max": hi}


class Score(VotingKind):
    """Rate each idea on a scale (1–5 stars by default); ranked by mean rating."""

    name = "score"
    label = _l("Rate (stars)")
    action = "rate_idea"
    method_name = "score"

    def kind_defaults(self) -> dict[str, Any]:
        return {"scale_min": 1, "scale_max": 5}

    def clean_kind_settings(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return _scale(settings)

    def params(self, round_: Round) -> dict[str, Any]:
        return {"scale_min": round_.settings["scale_min"], "scale_max": round_.settings["scale_max"]}

    def _validate(self, round_: Round, options: list[Idea], ballot: dict) -> dict:
        try:
            cleaned = validate_scores(ballot, [i.id for i in options], **self.params(round_))
        except BallotError as exc:
            raise ballot_error(exc) from None
        return {str(k): v for k, v in cleaned.items()}

    def apply(self, round_: Round, options: list[Idea], current: Any, payload: Mapping[str, Any]) -> dict:
        target = idea_id(payload)
        ballot = self.to_method(current)
        if payload.get("value") is None:  # taking a rating back
            ballot.pop(target, None)
        else:
            ballot[target] = int_value(payload, "value", "the rating")
        return self._validate(round_, options, ballot)

    def clean_whole(self, round_: Round, options: list[Idea], ballot: Any) -> dict:
        if not isinstance(ballot, Mapping):
            raise DomainError("bad_request", _l("Send your ratings as a map from idea to rating."))
        ratings = {record_id(k, "an idea of the ballot", "idea"): whole_number(v, "every rating", lo=-MAX_ID)
                   for k, v in ballot.items()}
        return self._validate(round_, options, ratings)

    # --- live: settings form, vote event ------------------------------------------------------
    settings_form = VotingKind.settings_form + (SCALE_SETTINGS,)
    action_doc = "Give one idea a rating (``value``; null takes it back) in a rating round."

    # --- reports and backups ----------------------------------------------------------------
    report_name = _l("Rating")


class ImpactEffort(Score):
    """Two ratings per idea, impact and effort; shown as a 2×2 matrix."""

    name = "impact_effort"
    label = _l("Impact / effort")
    action = "rate_impact_effort"
    method_name = "impact_effort"

    def _validate(self, round_: Round, options: list[Idea], ballot: dict) -> dict:
        try:
            cleaned = validate_impact_effort(ballot, [i.id for i in options], **self.params(round_))
        except BallotError as exc:
            raise ballot_error(exc) from None
        return {str(k): list(v) for k, v in cleaned.items()}

    def to_method(self, content: Any) -> dict:
        return {int(k): tuple(v) for k, v in (content or {}).items()}

    def combine(self, values: list[Any]) -> Any:
        # For merged ideas keep the rating with the higher impact (then the lower effort).
        return max(values, key=lambda v: (v[0], -v[1]))

    def apply(self, round_: Round, options: list[Idea], current: Any, payload: Mapping[str, Any]) -> dict:
        target = idea_id(payload)
        ballot = self.to_method(current)
        if payload.get("impact") is None and payload.get("effort") is None:
            ballot.pop(target, None)
        else:
            ballot[target] = (int_value(payload, "impact", "the impact"), int_value(payload, "effort", "the effort"))
        return self._validate(round_, options, ballot)

    def clean_whole(self, round_: Round, options: list[Idea], ballot: Any) -> dict:
        if not isinstance(ballot, Mapping):
            raise DomainError("bad_request", _l("Send impact and effort per idea."))
        message = _l("Send impact and effort per idea as two whole numbers.")
        pairs = {}
        for k, v in ballot.items():
            if not isinstance(v, list) or len(v) != 2:
                raise DomainError("bad_request", message)
            pairs[record_id(k, "an idea of the ballot", "idea")] = (
                whole_number(v[0], "impact", lo=-MAX_ID, message=message), whole_number(v[1], "effort", lo=-MAX_ID, message=message))
        return self._validate(round_, options, pairs)

    # --- live: vote event (the settings form is the rating scale's, as for ``Score``) ----------
    action_doc = "Rate one idea's ``impact`` and ``effort`` (impact / effort round)."

    # --- reports and backups ----------------------------------------------------------------
    report_name = _l("Impact and effort")

    def ballot_shape_ok(self, content: Any) -> bool:
        return isinstance(content, dict) and all(
            isinstance(v, list) and len(v) == 2 and all(is_whole(x) for x in v) for v in content.values()
        )
