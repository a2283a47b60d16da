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

#: The columns of the first steps, a table: who does what, and when.
STEP_COLUMNS = (_l("Actor"), _l("Contribution"), _l("When"))
#: A worksheet's headings when the facilitator names none: (key, heading, a table's columns or
#: None for text), stored in the workshop's language when the round is set up.
DEFAULT_FIELDS = (
    ("challenge", _l("Challenge"), None),
    ("idea", _l("Idea"), None),
    ("first_steps", _l("First steps – who contributes what?"), STEP_COLUMNS),
)
#: The most headings, a heading's and a column's length, and the most columns of a table.
HEADINGS_MAX, HEADING_MAX, COLUMN_MAX, COLUMNS_MAX = 10, 120, 60, 6


ITEMS_SETTINGS = SettingsBlock((
    Setting("items", TextAreaField(_l("Items to comment on, one per line"), validators=[Optional(), Length(max=20_000)]),
            rows=6, placeholder=_l("One item per line, e.g. the measures of an action plan")),
), position=60)
FIELDS_SETTINGS = SettingsBlock((
    Setting("fields", TextAreaField(_l("Worksheet headings, one per line (blank: challenge / idea / first steps)"),
                                    validators=[Optional(), Length(max=2_000)]),
            rows=3, placeholder=_l("Challenge\nIdea\nFirst steps – who contributes what? | Actor | Contribution | When"),
            hint=_l("A heading followed by | and the names of columns is a table the groups fill in row by row.")),
), position=70)


def table_columns(spec: Any) -> list[str] | None:
    """The column headings of a worksheet field that is a table (``{"type": "table", "columns": [...]}``),
    or None for a field of text."""
    if isinstance(spec, Mapping) and spec.get("type") == "table":
        return [str(c) for c in spec.get("columns") or []]
    return None


def _field(label: str, n: int) -> dict[str, Any]:
    """One heading line as a field: ``Heading`` is text, ``Heading | Column | Column`` a table."""
    if "|" not in label:
        if len(label) > HEADING_MAX:
            raise DomainError("bad_fields", _l("At most %(headings)s headings of at most %(chars)s characters each.",
                                               headings=HEADINGS_MAX, chars=HEADING_MAX))
        return {"key": _key(label, n), "label": label}
    heading, *columns = [part.strip() for part in label.split("|")]
    columns = [c for c in columns if c]
    if not heading or not columns or len(columns) > COLUMNS_MAX or len(heading) > HEADING_MAX \
            or any(len(c) > COLUMN_MAX for c in columns):
        raise DomainError("bad_fields", _l(
            "A table is a heading, then its columns, each after a |, as in “First steps | Actor | Contribution | When”: "
            "at most %(columns)s columns of at most %(chars)s characters each.", columns=COLUMNS_MAX, chars=COLUMN_MAX))
    return {"key": _key(heading, n), "label": heading, "type": "table", "columns": columns}


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
            if len(labels) > HEADINGS_MAX:
                raise DomainError("bad_fields", _l("At most %(headings)s headings of at most %(chars)s characters each.",
                                                   headings=HEADINGS_MAX, chars=HEADING_MAX))
            fields = [_field(label, n) for n, label in enumerate(labels)]
        else:
            # The groups write under these headings, so they are in the workshop's language.
            with i18n.in_language(round_.workshop.language if round_.workshop else i18n.SOURCE):
                fields = [{"key": k, "label": str(label)} if columns is None else
                          {"key": k, "label": str(label), "type": "table", "columns": [str(c) for c in columns]}
                          for k, label, columns in DEFAULT_FIELDS]
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
        if not isinstance(fields, list) or len(fields) > HEADINGS_MAX or not all(
            isinstance(f, dict) and isinstance(f.get("key"), str) and 0 < len(f["key"]) <= 40
            and isinstance(f.get("label"), str) and len(f["label"]) <= HEADING_MAX for f in fields
        ):
            raise ids.error(_l("%(where)s.settings.fields: expected up to 10 headings with a key and a label.", where=where))
        for n, f in enumerate(fields):
            columns = f.get("columns")
            if f.get("type", "text") not in ("text", "table") or (f.get("type") == "table" and not (
                isinstance(columns, list) and 0 < len(columns) <= COLUMNS_MAX
                and all(isinstance(c, str) and 0 < len(c) <= COLUMN_MAX for c in columns)
            )):
                raise ids.error(_l("%(where)s.settings.fields[%(n)s]: a table field lists 1 to %(max)s column headings.",
                                   where=where, n=n, max=COLUMNS_MAX))
        if settings.get("source_round_id") is None:
            raise ids.error(_l("%(where)s.settings.source_round_id: a worksheet round works over an earlier round.",
                               where=where))
        top_k = settings.get("top_k")
        if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= 20:
            raise ids.error(_l("%(where)s.settings.top_k: expected a whole number from 1 to 20.", where=where))


def _key(label: str, n: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:30]
    return slug or f"field_{n + 1}"
