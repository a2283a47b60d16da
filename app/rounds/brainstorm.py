"""Brainstorm: participants submit ideas; no votes."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.models import Idea, Round
from app.rounds.base import PER_GROUP_SETTINGS, RoundKind, distinct_count, ideas_payload


class Brainstorm(RoundKind):
    name = "brainstorm"
    label = _l("Brainstorm")
    collects_ideas = True

    def default_settings(self) -> dict:
        return {"per_group": False}

    def clean_settings(self, round_: Round, settings) -> dict:
        """``per_group``: each group sees only its own ideas (all are tagged with their group)."""
        return {"per_group": bool(settings.get("per_group"))}

    def options(self, round_: Round) -> list[Idea]:
        return [i for i in round_.ideas if i.active]

    # --- live: settings form, what each audience sees ----------------------------------------
    settings_form = (PER_GROUP_SETTINGS,)

    def facilitator_payload(self, round_: Round) -> dict[str, Any]:
        # The console sees hidden and merged ideas too, to show them again or undo the merge.
        return {"ideas": ideas_payload(round_, round_.ideas)}

    def display_payload(self, round_: Round) -> dict[str, Any]:
        return {"ideas": ideas_payload(round_, round_.ideas, keep=lambda i: i.active)}

    def participant_payload(self, round_: Round, participant) -> dict[str, Any]:
        own_group = self.ideas_by_group(round_)
        return {"ideas": ideas_payload(
            round_, round_.ideas, keep=lambda i: i.active and not (own_group and i.group_id != participant.group_id))}

    def submitted_count(self, round_: Round) -> int:
        return distinct_count(Idea.participant_id, Idea.round_id, round_)

    # --- reports and backups ----------------------------------------------------------------
    report_name = _l("Brainstorm")
