"""The facilitator's live curation of ideas: edit, theme, merge duplicates, undo a merge."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.models import Idea, IdeaMerge, Workshop
from app.numbers import record_id
from app.services.ideas import clean_idea_text, get_idea

THEME_MAX = 60


def edit_idea(idea: Idea, *, title: Any, details: Any = None) -> Idea:
    """Change an idea's title and details (same limits as when it was submitted)."""
    title, details = clean_idea_text(title, idea.details if details is None else details)
    idea.title, idea.details, idea.updated_at = title, details, utcnow()
    return idea


def set_theme(idea: Idea, theme: Any) -> Idea:
    """Tag an idea with a theme (an empty theme removes it)."""
    theme = (theme or "").strip() if isinstance(theme, str) else ""
    if len(theme) > THEME_MAX:
        raise DomainError("theme_too_long", _l("A theme can be at most %(max)s characters.", max=THEME_MAX))
    idea.theme = theme or None
    return idea


def merge(workshop: Workshop, target_id: Any, source_ids: Any) -> list[IdeaMerge]:
    """Merge duplicate ideas into ``target``: they leave walls and votes, their votes count for it.

    Votes are not rewritten: counting maps a merged idea's votes to the target, so a participant
    who gave dots to two merged ideas has them added up to at most the round's cap, and a
    ranking keeps the better of the two places. Each merge is recorded and can be undone.
    """
    target = get_idea(workshop, target_id)
    if not target.active:
        raise Conflict("idea_inactive", _l("Merge into an idea that is shown (not hidden or merged)."))
    if not isinstance(source_ids, list) or not source_ids:
        raise DomainError("bad_merge", _l("Choose the ideas to merge into this one."))
    merges = []
    for raw in source_ids:
        source = get_idea(workshop, raw)
        if source.id == target.id:
            raise DomainError("bad_merge", _l("An idea cannot be merged into itself."))
        if source.merged_into_id is not None:
            raise Conflict("already_merged", _l("“%(title)s” is already merged into another idea.", title=source.title))
        source.merged_into_id = target.id
        record = IdeaMerge(target_id=target.id, source_id=source.id)
        db.session.add(record)
        merges.append(record)
    target.updated_at = utcnow()
    db.session.flush()
    return merges


def undo_merge(workshop: Workshop, merge_id: Any) -> Idea:
    """Undo a recorded merge: the merged idea comes back with its own votes."""
    record = db.session.get(IdeaMerge, record_id(merge_id, "merge_id", _l("merge")))
    if record is None or get_idea(workshop, record.target_id) is None:
        raise NotFound("unknown_merge", _l("That merge does not exist in this workshop."))
    if record.undone_at is not None:
        raise Conflict("merge_undone", _l("That merge was already undone."))
    source = db.session.get(Idea, record.source_id)
    source.merged_into_id = None
    record.undone_at = utcnow()
    return source


def merges_of(workshop: Workshop) -> list[dict[str, Any]]:
    """Every merge of the workshop (newest first), undone ones included, for the console."""
    ideas = {i.id: i for r in workshop.rounds for i in r.ideas}
    rows = db.session.query(IdeaMerge).filter(IdeaMerge.target_id.in_(list(ideas) or [0])).order_by(IdeaMerge.id.desc())
    return [
        {"id": m.id, "target_id": m.target_id, "source_id": m.source_id, "source_title": ideas[m.source_id].title,
         "target_title": ideas[m.target_id].title, "undone": m.undone_at is not None}
        for m in rows
    ]
