"""Brainstorm: participants submit ideas; no votes."""
from __future__ import annotations

from app.models import Idea, Round
from app.rounds.base import RoundKind


class Brainstorm(RoundKind):
    name = "brainstorm"
    label = "Brainstorm"
    collects_ideas = True

    def options(self, round_: Round) -> list[Idea]:
        return [i for i in round_.ideas if i.active]
