"""The timed agenda and the facilitator's "now" marker."""
from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import DomainError
from app.extensions import db
from app.models import AgendaItem, Workshop
from app.numbers import id_list, parse_whole, whole_number
from app.services import scoped

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
TITLE_MAX, WHO_MAX = 300, 200
#: The refusal of a new order that is not every item once.
REORDER_MESSAGE = _l("Send every agenda item once, in the new order.")


def _clean(start: Any, duration: Any, title: Any, who: Any) -> tuple[str, int | None, str, str]:
    start = (start or "").strip() if isinstance(start, str) else ""
    if start:
        m = _TIME.match(start)
        if not m:
            raise DomainError("bad_time", _l("Give the start time as HH:MM, for example 09:30."))
        start = f"{int(m.group(1)):02d}:{m.group(2)}"
    if duration in (None, ""):
        duration = None
    else:
        if parse_whole(duration) is None:
            raise DomainError("bad_duration", _l("Give the duration in whole minutes."))
        duration = whole_number(duration, _l("the duration"), hi=24 * 60, code="bad_duration",
                                message=_l("The duration must be between 0 and %(max)s minutes.", max=24 * 60))
    title = (title or "").strip() if isinstance(title, str) else ""
    if not title:
        raise DomainError("title_required", _l("Give the agenda item a title."))
    if len(title) > TITLE_MAX:
        raise DomainError("title_too_long", _l("The title can be at most %(max)s characters.", max=TITLE_MAX))
    who = (who or "").strip() if isinstance(who, str) else ""
    if len(who) > WHO_MAX:
        raise DomainError("who_too_long", _l("“Who” can be at most %(max)s characters.", max=WHO_MAX))
    return start, duration, title, who


def items(workshop: Workshop) -> list[AgendaItem]:
    """The agenda in order."""
    return list(db.session.query(AgendaItem).filter_by(workshop_id=workshop.id).order_by(AgendaItem.position, AgendaItem.id))


def get_item(workshop: Workshop, item_id: Any) -> AgendaItem:
    """Agenda item ``item_id`` of ``workshop``; an item of another workshop is not found."""
    return scoped.get(workshop, AgendaItem, item_id, field="item_id", thing=_l("agenda item"), code="unknown_agenda_item",
                      message=_l("That agenda item does not exist in this workshop."))


def _round_id(workshop: Workshop, round_id: Any) -> int | None:
    if round_id in (None, "", 0, "0"):
        return None
    from app.services.rounds import get_round

    return get_round(workshop, round_id).id


def add_item(workshop: Workshop, *, start: Any = "", duration: Any = None, title: Any, who: Any = "", round_id: Any = None) -> AgendaItem:
    """Add an agenda item at the end."""
    start, duration, title, who = _clean(start, duration, title, who)
    position = max((i.position for i in items(workshop)), default=0) + 1
    item = AgendaItem(workshop_id=workshop.id, position=position, start=start, duration_min=duration, title=title,
                      who=who, round_id=_round_id(workshop, round_id))
    db.session.add(item)
    db.session.flush()
    return item


def update_item(item: AgendaItem, workshop: Workshop, **fields: Any) -> AgendaItem:
    """Change an item's start, duration, title, who or linked round."""
    start, duration, title, who = _clean(
        fields.get("start", item.start), fields.get("duration", item.duration_min), fields.get("title", item.title),
        fields.get("who", item.who),
    )
    item.start, item.duration_min, item.title, item.who = start, duration, title, who
    if "round_id" in fields:
        item.round_id = _round_id(workshop, fields["round_id"])
    return item


def delete_item(item: AgendaItem) -> None:
    db.session.delete(item)


def reorder(workshop: Workshop, order: Any) -> list[AgendaItem]:
    """Put the agenda in ``order`` (every item id of the workshop, once)."""
    current = items(workshop)
    ids = id_list(order, "order", _l("agenda item"), code="bad_order", message=REORDER_MESSAGE)
    if sorted(ids) != sorted(i.id for i in current):
        raise DomainError("bad_order", REORDER_MESSAGE)
    by_id = {i.id: i for i in current}
    for position, item_id in enumerate(ids, start=1):
        by_id[item_id].position = position
    return [by_id[i] for i in ids]


def set_now(workshop: Workshop, item_id: Any) -> AgendaItem | None:
    """Move the "now" marker to ``item_id`` (None clears it)."""
    target = get_item(workshop, item_id) if item_id not in (None, "") else None
    for item in items(workshop):
        item.is_now = target is not None and item.id == target.id
    return target


def payload(workshop: Workshop) -> dict[str, Any]:
    """The agenda as clients draw it: every item, with the current and the next one marked."""
    rows = items(workshop)
    now_index = next((n for n, i in enumerate(rows) if i.is_now), None)
    return {
        "items": [
            {"id": i.id, "start": i.start, "duration": i.duration_min, "title": i.title, "who": i.who,
             "round_id": i.round_id, "now": i.is_now}
            for i in rows
        ],
        "now": rows[now_index].id if now_index is not None else None,
        "next": rows[now_index + 1].id if now_index is not None and now_index + 1 < len(rows) else (rows[0].id if rows and now_index is None else None),
    }
