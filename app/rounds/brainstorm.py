"""Brainstorm: participants submit ideas; no votes."""
from __future__ import annotations

from app.models import Idea, Round
from app.rounds.base import RoundKind


class Brainstorm(RoundKind):
    name = "brainstorm"
    label = "Brainstorm"
    collects_ideas = True

    def default_settings(self) -> dict:
        return {"per_group": False}

    def clean_settings(self, round_: Round, settings) -> dict:
        """``per_group``: each group sees only its own ideas (all are tagged with their group)."""
        return {"per_group": bool(settings.get("per_group"))}

    def options(self, round_: Round) -> list[Idea]:
        return [i for i in round_.ideas if i.active]

    # --- reports and backups ----------------------------------------------------------------
    report_names = {"nb": "Idémyldring", "en": "Brainstorm"}
