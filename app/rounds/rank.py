"""Ranking of the top ideas of a dot vote, aggregated by Borda count."""
from __future__ import annotations

from typing import Any, Mapping

from app.errors import Conflict, DomainError
from app.models import Idea, Round
from app.rounds.base import RoundKind, ballot_error, int_setting, source_round
from app.voting import BallotError, Result, borda, validate_ranking


class Rank(RoundKind):
    name = "rank"
    label = "Rank"
    votes = True

    def default_settings(self) -> dict[str, Any]:
        return {"top_k": 8, "source_round_id": None}

    def clean_settings(self, round_: Round, settings: Mapping[str, Any]) -> dict[str, Any]:
        top_k = int_setting(settings, "top_k", 8, 2, 50, "Ideas to rank")
        source = source_round(round_, settings, ("dot_vote",), "dot vote")
        return {"top_k": top_k, "source_round_id": source.id}

    def options(self, round_: Round) -> list[Idea]:
        """The top K ideas of the source round's latest result; ideas tied at place K all come in."""
        source = next((r for r in round_.workshop.rounds if r.id == round_.settings.get("source_round_id")), None)
        if source is None or source.latest_result is None:
            return []
        by_id = {i.id: i for r in round_.workshop.rounds for i in r.ideas}
        top_k = round_.settings.get("top_k", 8)
        chosen = [s["option"] for s in source.latest_result.data["standings"] if s["rank"] <= top_k]
        return [by_id[i] for i in chosen if i in by_id and not by_id[i].hidden]

    def check_can_open(self, round_: Round) -> None:
        if not self.options(round_):
            raise Conflict("source_not_closed", "Close the dot vote first: this round ranks its top ideas.")

    def empty_ballot(self) -> list[int]:
        return []

    def apply(self, round_: Round, options: list[Idea], current: Any, payload: Mapping[str, Any]) -> list[int]:
        order = payload.get("order")
        if not isinstance(order, list):
            raise DomainError("bad_request", "Send the ideas in your order.")
        try:
            order = [int(x) for x in order]
        except (TypeError, ValueError):
            raise DomainError("bad_request", "Send the ideas in your order.") from None
        try:
            return list(validate_ranking(order, [i.id for i in options], partial=False))
        except BallotError as exc:
            raise ballot_error(exc) from None

    def tally(self, round_: Round, options: list[Idea], ballots: list[Any]) -> Result:
        option_ids = [i.id for i in options]
        allowed = set(option_ids)
        clean = [[int(x) for x in b if int(x) in allowed] for b in ballots]
        return borda(clean, option_ids, partial=True)
