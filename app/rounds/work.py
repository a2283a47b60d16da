"""Rounds of group work without votes: comments on fixed items, and worksheets for top ideas."""
from __future__ import annotations

import re
from typing import Any, Mapping

from typing_extensions import TypedDict

from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, with_config

from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from app import i18n
from app.errors import DomainError
from app.models import Comment, Idea, Round
from app.rounds.base import SOURCE_SETTINGS, RoundKind, VotingKind, distinct_count, int_setting, source_round
from app.rounds.form import Setting, SettingsBlock

ITEM_MAX, ITEMS_MAX = 300, 50

#: A worksheet's headings when the facilitator names none: (key, heading), the heading stored in
#: the workshop's language when the round is set up.
DEFAULT_FIELDS = (
    ("challenge", _l("Challenge")),
    ("idea", _l("Idea")),
    ("first_steps", _l("First steps – who contributes what?")),
)


ITEMS_SETTINGS = SettingsBlock((
    Setting("items", TextAreaField(_l("Items to comment on, one per line"), validators=[Optional(), Length(max=20_000)]),
            rows=6, placeholder=_l("One item per line, e.g. the measures of an action plan")),
), position=60)
FIELDS_SETTINGS = SettingsBlock((
    Setting("fields", TextAreaField(_l("Worksheet headings, one per line (blank: challenge / idea / first steps)"),
                                    validators=[Optional(), Length(max=2_000)]),
            rows=3, placeholder=_l("Challenge\nIdea\nFirst steps – who contributes what?")),
), position=70)


def _lines(raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = raw.splitlines()
    if not isinstance(raw, list):
        return []
    return [str(x).strip() for x in raw if str(x).strip()]


@with_config(ConfigDict(extra="forbid"))
class CommentStateFields(TypedDict):
    #: ``<comment>``s; hidden ones go to facilitators only.
    comments: list[dict[str, Any]]


@with_config(ConfigDict(extra="forbid"))
class WorksheetStateFields(TypedDict):
    #: ``<worksheet>``s, every group's to every audience.
    worksheets: list[dict[str, Any]]


class CommentRound(RoundKind):
    """Participants comment on fixed items (``settings['items']``), such as an action plan's measures."""

    name = "comment"
    label = _l("Comments on items")
    state_fields = CommentStateFields

    def default_settings(self) -> dict[str, Any]:
        return {"items": []}

    def clean_settings(self, round_: Round, settings: Mapping[str, Any]) -> dict[str, Any]:
        items = _lines(settings.get("items"))
        if not items:
            raise DomainError("items_required", _l("List the items to comment on, one per line."))
        if len(items) > ITEMS_MAX or any(len(i) > ITEM_MAX for i in items):
            raise DomainError("items_too_long", _l("At most %(items)s items of at most %(chars)s characters each.",
                                                   items=ITEMS_MAX, chars=ITEM_MAX))
        return {"items": items}

    # --- live: settings form, what each audience sees ----------------------------------------
    collects_comments = True
    settings_form = (ITEMS_SETTINGS,)

    def facilitator_payload(self, round_: Round) -> dict[str, Any]:
        return {"comments": self._comments(round_, include_hidden=True)}

    def display_payload(self, round_: Round) -> dict[str, Any]:
        return {"comments": self._comments(round_, include_hidden=False)}

    def participant_payload(self, round_: Round, participant) -> dict[str, Any]:
        return {"comments": self._comments(round_, include_hidden=False)}

    @staticmethod
    def _comments(round_: Round, *, include_hidden: bool) -> list[dict[str, Any]]:
        from app.services import attribution, comments

        origin = attribution.for_workshop(round_.workshop)
        return [comments.comment_payload(c, round_.workshop, origin)
                for c in comments.comments_of(round_, include_hidden=include_hidden)]

    def submitted_count(self, round_: Round) -> int:
        return distinct_count(Comment.participant_id, Comment.round_id, round_)

    # --- reports and backups ----------------------------------------------------------------
    report_name = _l("Comments on items")

    def commented_items(self, round_: Round) -> list[str]:
        return round_.settings.get("items", [])

    def report_section(self, round_: Round) -> dict[str, Any]:
        """Each item with its comments, and the starred ones apart (the report quotes those)."""
        from app.services import attribution, comments

        origin = attribution.for_workshop(round_.workshop)
        by_item: dict[int, list[dict[str, Any]]] = {}
        for c in comments.comments_of(round_):
            by_item.setdefault(c.item_index, []).append(comments.comment_payload(c, round_.workshop, origin))
        return {"items": [
            {"index": n, "text": text, "comments": by_item.get(n, []),
             "starred": [c for c in by_item.get(n, []) if c["starred"]]}
            for n, text in enumerate(self.commented_items(round_))
        ]}


class WorksheetRound(RoundKind):
    """The top ideas of an earlier round, each worked out by a group under fixed headings."""

    name = "worksheet"
    label = _l("Work out top ideas")
    state_fields = WorksheetStateFields

    def default_settings(self) -> dict[str, Any]:
        return {"source_round_id": None, "top_k": 3, "fields": None}

    def clean_settings(self, round_: Round, settings: Mapping[str, Any]) -> dict[str, Any]:
        source = source_round(round_, settings)
        top_k = int_setting(settings, "top_k", 3, 1, 20, _l("Ideas to work out"))
        labels = _lines(settings.get("fields"))
        if labels:
            if len(labels) > 10 or any(len(label) > 120 for label in labels):
                raise DomainError("bad_fields", _l("At most %(headings)s headings of at most %(chars)s characters each.",
                                                   headings=10, chars=120))
            fields = [{"key": _key(label, n), "label": label} for n, label in enumerate(labels)]
        else:
            # The groups write under these headings, so they are in the workshop's language.
            with i18n.in_language(round_.workshop.language if round_.workshop else i18n.SOURCE):
                fields = [{"key": k, "label": str(label)} for k, label in DEFAULT_FIELDS]
        return {"source_round_id": source.id, "top_k": top_k, "fields": fields}

    def options(self, round_: Round) -> list[Idea]:
        # The same choice of ideas a vote over the source would make (top K of its result);
        # a brainstorm has no order of merit, so its first K ideas.
        ideas = VotingKind.options(self, round_)  # type: ignore[arg-type]
        source = self.source(round_)
        if source is not None and source.kind == "brainstorm":
            return ideas[: round_.settings.get("top_k", 3)]
        return ideas

    source = VotingKind.source

    def check_can_open(self, round_: Round) -> None:
        VotingKind.check_can_open(self, round_)  # type: ignore[arg-type]

    # --- live: settings form, what each audience sees, opening --------------------------------
    has_worksheets = True
    settings_form = (SOURCE_SETTINGS, FIELDS_SETTINGS)

    def facilitator_payload(self, round_: Round) -> dict[str, Any]:
        return {"worksheets": self._sheets(round_, names=True)}

    def display_payload(self, round_: Round) -> dict[str, Any]:
        return {"worksheets": self._sheets(round_, names=round_.workshop.show_names)}

    def participant_payload(self, round_: Round, participant) -> dict[str, Any]:
        return {"worksheets": self._sheets(round_, names=round_.workshop.show_names)}

    @staticmethod
    def _sheets(round_: Round, *, names: bool) -> list[dict[str, Any]]:
        from app.services import worksheets

        return worksheets.sheets_payload(round_, names=names)

    def on_open(self, round_: Round) -> None:
        # Every group finds its worksheet ready the moment the round opens.
        from app.services.worksheets import ensure_worksheets

        ensure_worksheets(round_)

    # --- reports and backups ----------------------------------------------------------------
    report_name = _l("Working out ideas")

    def report_section(self, round_: Round) -> dict[str, Any]:
        """The headings, and each worked-out idea's sheet under them."""
        from app.services import worksheets

        return {"fields": [dict(f) for f in round_.settings.get("fields") or []],
                "sheets": worksheets.sheets_payload(round_)}

    def load_settings(self, round_: Round, settings: dict[str, Any], ids: Any, where: str) -> None:
        # As stored, not as a facilitator would type them: headings keep their keys.
        fields = settings.get("fields")
        if not isinstance(fields, list) or len(fields) > 10 or not all(
            isinstance(f, dict) and isinstance(f.get("key"), str) and 0 < len(f["key"]) <= 40
            and isinstance(f.get("label"), str) and len(f["label"]) <= 120 for f in fields
        ):
            raise ids.error(_l("%(where)s.settings.fields: expected up to 10 headings with a key and a label.", where=where))
        if settings.get("source_round_id") is None:
            raise ids.error(_l("%(where)s.settings.source_round_id: a worksheet round works over an earlier round.",
                               where=where))
        top_k = settings.get("top_k")
        if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= 20:
            raise ids.error(_l("%(where)s.settings.top_k: expected a whole number from 1 to 20.", where=where))


def _key(label: str, n: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:30]
    return slug or f"field_{n + 1}"
