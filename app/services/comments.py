"""Comment rounds: participants (or groups) comment on fixed items, such as an action plan's measures."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.models import Comment, Participant, Round, Workshop
from app.numbers import MAX_ID, whole_number
from app.rounds import kind_of
from app.services import attribution, ops, scoped
from app.text import clean_text


def submit_comment(participant: Participant, round_: Round, *, op_id: str, item_index: Any, text: Any) -> tuple[Comment, bool]:
    """Add a comment to item ``item_index`` of an open comment round, once per ``op_id``.

    Returns the comment and whether this op id had been applied before.
    """
    op_id = ops.check_op_id(op_id)
    prior = ops.previous(participant, op_id, "submit_comment")
    if prior is not None:
        existing = db.session.get(Comment, prior.response.get("comment_id"))
        if existing is not None:
            return existing, True
    if round_.workshop_id != participant.workshop_id:
        raise NotFound("unknown_round", _l("That round does not exist in this workshop."))
    if not kind_of(round_).collects_comments:
        raise Conflict("not_comment_round", _l("“%(title)s” does not take comments.", title=round_.title))
    if not round_.is_open:
        raise Conflict("round_closed", _l("“%(title)s” is closed: your comment was not added.", title=round_.title))
    items = round_.settings.get("items", [])
    index = whole_number(item_index, _l("item_index (the item's number)"), lo=-MAX_ID)
    if not 0 <= index < len(items):
        raise DomainError("unknown_item", _l("Choose one of the items to comment on."))
    text = clean_text(text)
    if not text:
        raise DomainError("text_required", _l("Write your comment first."))
    if len(text) > Comment.TEXT_MAX:
        raise DomainError("text_too_long", _l("A comment can be at most %(max)s characters (yours has %(count)s).",
                                                  max=Comment.TEXT_MAX, count=len(text)))
    comment = Comment(round_id=round_.id, item_index=index, participant_id=participant.id,
                      group_id=participant.group_id, text=text)
    db.session.add(comment)
    db.session.flush()
    ops.record(participant, op_id, "submit_comment", {"comment_id": comment.id})
    return comment, False


def get_comment(workshop: Workshop, comment_id: Any) -> Comment:
    """Comment ``comment_id`` on a round of ``workshop``; one of another workshop is not found."""
    return scoped.get(workshop, Comment, comment_id, field="comment_id", thing=_l("comment"), code="unknown_comment",
                      message=_l("That comment does not exist in this workshop."), workshop_of=scoped.round_workshop)


def set_flags(comment: Comment, *, starred: Any = None, hidden: Any = None) -> Comment:
    """Star a comment for the report, or hide it."""
    if starred is not None:
        comment.starred = bool(starred)
    if hidden is not None:
        comment.hidden = bool(hidden)
    return comment


def comments_of(round_: Round, *, include_hidden: bool = False) -> list[Comment]:
    q = db.session.query(Comment).filter_by(round_id=round_.id)
    if not include_hidden:
        q = q.filter_by(hidden=False)
    return list(q.order_by(Comment.id))


def comment_payload(comment: Comment, workshop: Workshop, origin: attribution.Attribution | None = None) -> dict[str, Any]:
    """A comment as clients and files see it: the author's name only where the workshop shows
    names, where it came from as ``attribution`` decides (``origin``: the workshop's rule,
    built once for a list of comments; built here when not given)."""
    author = db.session.get(Participant, comment.participant_id) if comment.participant_id else None
    group = next((g for g in workshop.groups if g.id == comment.group_id), None)
    origin = origin if origin is not None else attribution.for_workshop(workshop)
    return {
        "id": comment.id, "round_id": comment.round_id, "item_index": comment.item_index, "text": comment.text,
        "starred": comment.starred, "hidden": comment.hidden,
        "author": author.name if (author and workshop.show_names) else None,
        "attribution": origin.label(author, comment.group_id),
        "group": group.name if group else None,
    }
