"""Worksheets: the top ideas worked out by groups, edited together from phones and laptops.

Two people typing in one field at once must not silently lose text. Each field carries a
version; a save names the version it started from, and a save from an older version is
refused as a conflict that carries the text now stored, so the phone can show both and let
the writer merge them (a visible conflict, never a silent overwrite).
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.errors import Conflict, DomainError, Forbidden, NotFound
from app.extensions import db
from app.models import Participant, Round, Worksheet, WorksheetField, Workshop
from app.numbers import whole_number
from app.rounds import kind_of
from app.text import clean_text
from app.services import scoped

#: A worksheet id that names no worksheet of the workshop.
UNKNOWN_WORKSHEET = _l("That worksheet does not exist in this workshop.")


def ensure_worksheets(round_: Round) -> list[Worksheet]:
    """One worksheet per idea of the round, made on first need; groups assigned in turn."""
    existing = {w.idea_id: w for w in db.session.query(Worksheet).filter_by(round_id=round_.id)}
    groups = list(round_.workshop.groups)
    sheets = []
    for n, idea in enumerate(kind_of(round_).options(round_)):
        sheet = existing.get(idea.id)
        if sheet is None:
            sheet = Worksheet(round_id=round_.id, idea_id=idea.id, position=n + 1,
                              group_id=groups[n % len(groups)].id if groups else None)
            db.session.add(sheet)
            db.session.flush()
        keys = {f.key for f in sheet.fields}
        for spec in round_.settings.get("fields", []):
            if spec["key"] not in keys:
                sheet.fields.append(WorksheetField(key=spec["key"], text="", version=0))
        sheets.append(sheet)
    db.session.flush()
    return sheets


def get_worksheet(workshop: Workshop, worksheet_id: Any) -> Worksheet:
    """Worksheet ``worksheet_id`` of a round of ``workshop``; one of another workshop is not found."""
    return scoped.get(workshop, Worksheet, worksheet_id, field="worksheet_id", thing=_l("worksheet"),
                      code="unknown_worksheet", message=UNKNOWN_WORKSHEET, workshop_of=scoped.round_workshop)


def assign_group(sheet: Worksheet, group_id: Any, workshop: Workshop) -> Worksheet:
    from app.services.roster import get_group

    sheet.group_id = get_group(workshop, group_id).id if group_id not in (None, "") else None
    return sheet


def edit_field(sheet: Worksheet, key: Any, text: Any, base_version: Any, *, editor: str,
               participant: Participant | None = None) -> WorksheetField:
    """Save one field's text if nobody saved it since ``base_version``.

    Raises:
        Forbidden: a participant outside the worksheet's group, or the round is closed to them.
        Conflict ``edit_conflict``: someone saved the field in between; ``details`` carries the
            stored text, its version and who saved it.
        DomainError: unknown field or over-long text.
    """
    round_ = db.session.get(Round, sheet.round_id)
    if participant is not None:
        if participant.workshop_id != round_.workshop_id:
            raise NotFound("unknown_worksheet", UNKNOWN_WORKSHEET)
        if not round_.is_open:
            raise Conflict("round_closed", _l("“%(title)s” is closed: your text was not saved.", title=round_.title))
        if sheet.group_id is not None and participant.group_id != sheet.group_id:
            raise Forbidden("not_your_group", _l("This worksheet belongs to another group."))
    field = next((f for f in sheet.fields if f.key == key), None)
    if field is None:
        raise DomainError("unknown_field", _l("That field is not on this worksheet."))
    # Not trimmed: a field is saved while someone types, trailing spaces included.
    text = clean_text(text, trim=False)
    if len(text) > WorksheetField.TEXT_MAX:
        raise DomainError("text_too_long", _l("A field can hold at most %(max)s characters.", max=WorksheetField.TEXT_MAX))
    base = whole_number(base_version, "base_version", message=_l(
        "base_version must be the version you edited (a whole number): reload the worksheet and try again."))
    if base != field.version:
        # A participant in a workshop that hides names learns the group, never the writer.
        shown = editor_shown(sheet, field, names=participant is None or round_.workshop.show_names)
        raise Conflict(
            "edit_conflict",
            _l("%(name)s changed this field while you were writing. Both texts are shown: merge them and save again.",
               name=shown) if shown else
            _l("Someone changed this field while you were writing. Both texts are shown: merge them and save again."),
            current={"text": field.text, "version": field.version, "updated_by": shown},
        )
    field.text, field.version, field.updated_by, field.updated_at = text, field.version + 1, editor[:120], utcnow()
    db.session.flush()
    return field


def _group_name(sheet: Worksheet, round_: Round) -> str | None:
    group = next((g for g in round_.workshop.groups if g.id == sheet.group_id), None)
    return group.name if group else None


def editor_shown(sheet: Worksheet, field: WorksheetField, *, names: bool) -> str | None:
    """Who last saved ``field``, as an audience may see it.

    With ``names`` (facilitators, or a workshop that shows names) it is the stored editor.
    Otherwise it is the worksheet's group (only its members and the facilitators may write
    in it), or nothing for a worksheet of no group: a name never reaches a room that hides them.
    """
    if names or not field.updated_by:
        return field.updated_by
    return _group_name(sheet, db.session.get(Round, sheet.round_id))


def field_payload(sheet: Worksheet, field: WorksheetField, *, names: bool) -> dict[str, Any]:
    """One saved field, as sent in ``worksheet_field`` events and acks."""
    return {"worksheet_id": sheet.id, "key": field.key, "text": field.text, "version": field.version,
            "updated_by": editor_shown(sheet, field, names=names)}


def sheet_payload(sheet: Worksheet, round_: Round, *, names: bool = True) -> dict[str, Any]:
    """A worksheet with its fields; ``names=False`` leaves writers' names out (see ``editor_shown``)."""
    idea = next((i for i in kind_of(round_).options(round_) if i.id == sheet.idea_id), None)
    labels = {f["key"]: f["label"] for f in round_.settings.get("fields", [])}
    return {
        "id": sheet.id, "round_id": round_.id, "idea_id": sheet.idea_id, "idea": idea.title if idea else "",
        "group_id": sheet.group_id, "group": _group_name(sheet, round_), "position": sheet.position,
        "fields": [
            {"key": f.key, "label": labels.get(f.key, f.key), "text": f.text, "version": f.version,
             "updated_by": editor_shown(sheet, f, names=names)}
            for f in sorted(sheet.fields, key=lambda f: list(labels).index(f.key) if f.key in labels else 99)
        ],
    }


def sheets_payload(round_: Round, *, names: bool = True) -> list[dict[str, Any]]:
    """Every worksheet of ``round_``; ``names=False`` for audiences of a workshop that hides names."""
    sheets = db.session.query(Worksheet).filter_by(round_id=round_.id).order_by(Worksheet.position)
    return [sheet_payload(s, round_, names=names) for s in sheets]
