"""Worksheets: the top ideas worked out by groups, edited together from phones and laptops.

Two people typing in one field at once must not silently lose text. Each field carries a
version; a save names the version it started from, and a save from an older version is
refused as a conflict that carries the text now stored, so the phone can show both and let
the writer merge them (a visible conflict, never a silent overwrite).

A field is text, or a table (the first steps: actor, contribution, when) whose rows are saved
whole, by the same rule, and stored as JSON text in the field (a list of rows, each a list of
cells): ``table_rows`` reads them back, and a field's plain ``text`` in every payload is the
rows written out one per line, so whatever counts or shows text reads tables too.
"""
from __future__ import annotations

import json
from typing import Any

from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.errors import Conflict, DomainError, Forbidden, NotFound
from app.extensions import db
from app.models import Participant, Round, Worksheet, WorksheetField, Workshop
from app.numbers import whole_number
from app.rounds import kind_of
from app.rounds.work import table_columns
from app.text import clean_text, filled_rows
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


#: The most rows of a table field, and the longest cell.
ROWS_MAX, CELL_MAX = 30, 500


def field_spec(round_: Round, key: str) -> dict[str, Any] | None:
    """The heading ``key`` of ``round_``'s worksheets, as its settings hold it."""
    return next((f for f in (round_.settings or {}).get("fields") or [] if f.get("key") == key), None)


def table_rows(text: str | None, width: int) -> list[list[str]]:
    """The rows a table field's ``text`` holds, each of ``width`` cells.

    Text that is not a list of rows (a field written as text before its heading became a
    table, or a hand-edited backup) is one row with all of it in the first cell: nothing is lost.
    """
    if not text:
        return []
    try:
        rows = json.loads(text)
    except ValueError:
        rows = None
    if not isinstance(rows, list) or not all(isinstance(r, list) and all(isinstance(c, str) for c in r) for r in rows):
        return [[text] + [""] * (width - 1)] if width else []
    return [(r + [""] * width)[:width] if len(r) <= width else r[: width - 1] + [" ".join(r[width - 1:])] for r in rows]


def rows_as_text(rows: list[list[str]]) -> str:
    """A table's rows as plain text: the filled-in rows, one a line, their cells joined by " – "."""
    return "\n".join(" – ".join(c.strip() for c in row if c.strip()) for row in filled_rows(rows))


def _clean_rows(rows: Any, width: int) -> str:
    """A table's rows from a client, checked, as the JSON text the field stores."""
    if not isinstance(rows, list) or not all(
            isinstance(r, list) and len(r) == width and all(c is None or isinstance(c, str) for c in r) for r in rows):
        raise DomainError("bad_rows", _l("Send the table as a list of rows, each a list of %(num)s cells.", num=width))
    if len(rows) > ROWS_MAX:
        raise DomainError("too_many_rows", _l("A table can hold at most %(max)s rows.", max=ROWS_MAX))
    # Not trimmed: a row is saved while someone types in it, trailing spaces included.
    cleaned = [[clean_text(c, trim=False) for c in r] for r in rows]
    if any(len(c) > CELL_MAX for r in cleaned for c in r):
        raise DomainError("text_too_long", _l("A cell of a table can hold at most %(max)s characters.", max=CELL_MAX))
    text = json.dumps(cleaned, ensure_ascii=False) if cleaned else ""
    if len(text) > WorksheetField.TEXT_MAX:
        raise DomainError("text_too_long", _l("This table is too long to save: shorten some cells or remove rows."))
    return text


def edit_field(sheet: Worksheet, key: Any, text: Any, base_version: Any, *, editor: str,
               participant: Participant | None = None, rows: Any = None) -> WorksheetField:
    """Save one field's text (a table's ``rows``) if nobody saved it since ``base_version``.

    Raises:
        Forbidden: a participant outside the worksheet's group, or the round is closed to them.
        Conflict ``edit_conflict``: someone saved the field in between; ``details`` carries the
            stored text (a table's rows too), its version and who saved it.
        DomainError: unknown field, over-long text, rows for a text field or text for a table.
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
    columns = table_columns(field_spec(round_, field.key))
    if columns is not None:
        if rows is None:
            raise DomainError("table_field", _l("This field is a table: send its rows."))
        text = _clean_rows(rows, len(columns))
    elif rows is not None:
        raise DomainError("text_field", _l("This field is text, not a table: send its text."))
    else:
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
            current={**_contents(field, columns), "version": field.version, "updated_by": shown},
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


def _contents(field: WorksheetField, columns: list[str] | None) -> dict[str, Any]:
    """A field's ``text``, and a table's ``rows`` (its ``text`` then the rows written out)."""
    if columns is None:
        return {"text": field.text}
    rows = table_rows(field.text, len(columns))
    return {"text": rows_as_text(rows), "rows": rows}


def field_payload(sheet: Worksheet, field: WorksheetField, *, names: bool) -> dict[str, Any]:
    """One saved field, as sent in ``worksheet_field`` events and acks (a table's with its ``rows``)."""
    columns = table_columns(field_spec(db.session.get(Round, sheet.round_id), field.key))
    return {"worksheet_id": sheet.id, "key": field.key, **_contents(field, columns), "version": field.version,
            "updated_by": editor_shown(sheet, field, names=names)}


def sheet_payload(sheet: Worksheet, round_: Round, *, names: bool = True) -> dict[str, Any]:
    """A worksheet with its fields; ``names=False`` leaves writers' names out (see ``editor_shown``).
    A table field has ``type`` ``"table"``, its ``columns`` and its ``rows``."""
    idea = next((i for i in kind_of(round_).options(round_) if i.id == sheet.idea_id), None)
    specs = {f["key"]: f for f in round_.settings.get("fields", [])}
    fields = []
    for f in sorted(sheet.fields, key=lambda f: list(specs).index(f.key) if f.key in specs else 99):
        columns = table_columns(specs.get(f.key))
        entry = {"key": f.key, "label": specs[f.key]["label"] if f.key in specs else f.key, **_contents(f, columns),
                 "version": f.version, "updated_by": editor_shown(sheet, f, names=names)}
        if columns is not None:
            entry.update(type="table", columns=columns)
        fields.append(entry)
    return {
        "id": sheet.id, "round_id": round_.id, "idea_id": sheet.idea_id, "idea": idea.title if idea else "",
        "group_id": sheet.group_id, "group": _group_name(sheet, round_), "position": sheet.position,
        "fields": fields,
    }


def sheets_payload(round_: Round, *, names: bool = True) -> list[dict[str, Any]]:
    """Every worksheet of ``round_``; ``names=False`` for audiences of a workshop that hides names."""
    sheets = db.session.query(Worksheet).filter_by(round_id=round_.id).order_by(Worksheet.position)
    return [sheet_payload(s, round_, names=names) for s in sheets]
