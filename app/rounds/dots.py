"""Dot voting over the visible ideas of a brainstorm round."""
from __future__ import annotations

from typing import Any, Mapping

from app.errors import DomainError
from app.models import Idea, Round
from app.rounds.base import RoundKind, ballot_error, int_setting, source_round
from app.voting import BallotError, Result, dot_vote, validate_dots


class DotVote(RoundKind):
    name = "dot_vote"
    label = "Dot vote"
    votes = True

    def default_settings(self) -> dict[str, Any]:
        return {"budget": 5, "cap": 3, "source_round_id": None}

    def clean_settings(self, round_: Round, settings: Mapping[str, Any]) -> dict[str, Any]:
        budget = int_setting(settings, "budget", 5, 1, 100, "Dots per participant")
        cap = int_setting(settings, "cap", 3, 1, 100, "Dots on one idea")
        if cap > budget:
            raise DomainError("bad_setting", "Dots on one idea cannot be more than dots per participant.")
        source = source_round(round_, settings, ("brainstorm",), "brainstorm")
        return {"budget": budget, "cap": cap, "source_round_id": source.id}

    def _source(self, round_: Round) -> Round | None:
        sid = round_.settings.get("source_round_id")
        return next((r for r in round_.workshop.rounds if r.id == sid), None)

    def options(self, round_: Round) -> list[Idea]:
        source = self._source(round_)
        return [i for i in source.ideas if not i.hidden] if source else []

    def empty_ballot(self) -> dict[str, int]:
        return {}

    def apply(self, round_: Round, options: list[Idea], current: Any, payload: Mapping[str, Any]) -> dict[str, int]:
        try:
            idea_id = int(payload.get("idea_id"))
            count = int(payload.get("count"))
        except (TypeError, ValueError):
            raise DomainError("bad_request", "Say which idea and how many dots.") from None
        ballot = {int(k): v for k, v in (current or {}).items()}
        ballot[idea_id] = count
        option_ids = [i.id for i in options]
        # Dots left on ideas hidden since they were cast do not count against the budget.
        ballot = {k: v for k, v in ballot.items() if k in option_ids or k == idea_id}
        try:
            cleaned = validate_dots(ballot, option_ids, budget=round_.settings["budget"], cap=round_.settings["cap"])
        except BallotError as exc:
            raise ballot_error(exc) from None
        return {str(k): v for k, v in cleaned.items()}

    def tally(self, round_: Round, options: list[Idea], ballots: list[Any]) -> Result:
        option_ids = [i.id for i in options]
        allowed = set(option_ids)
        clean = [{int(k): v for k, v in b.items() if int(k) in allowed} for b in ballots]
        return dot_vote(clean, option_ids, budget=round_.settings["budget"], cap=round_.settings["cap"])

    def ballot_payload(self, content: Any) -> dict[str, int]:
        return dict(content or {})
