"""Submitting and curating ideas."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.models import Idea, Participant, Round, Workshop
from app.rounds import kind_of
from app.services import ops, scoped
from app.text import clean_text


@dataclass
class Submitted:
    """What ``submit_idea`` did: the idea, and whether this op id had been applied before."""

    idea: Idea
    replayed: bool


def clean_idea_text(title: Any, details: Any) -> tuple[str, str]:
    """Title and details trimmed and checked against their limits."""
    title, details = clean_text(title), clean_text(details)
    if not title:
        raise DomainError("title_required", _l("Write your idea in the title field."))
    if len(title) > Idea.TITLE_MAX:
        raise DomainError(
            "title_too_long",
            _l("The title can be at most %(max)s characters (yours has %(count)s). Put the rest in the details.",
               max=Idea.TITLE_MAX, count=len(title)),
        )
    if len(details) > Idea.DETAILS_MAX:
        raise DomainError("details_too_long", _l("The details can be at most %(max)s characters (yours has %(count)s).",
                                                     max=Idea.DETAILS_MAX, count=len(details)))
    return title, details


def submit_idea(participant: Participant, round_: Round, *, op_id: str, title: Any, details: Any = "") -> Submitted:
    """Add an idea by ``participant`` to the open brainstorm ``round_``, once per ``op_id``.

    Raises:
        DomainError: empty or over-long text, a bad op id.
        Conflict: the round does not collect ideas or is not open.
    """
    op_id = ops.check_op_id(op_id)
    prior = ops.previous(participant, op_id, "submit_idea")
    if prior is not None:
        idea = db.session.get(Idea, prior.response.get("idea_id"))
        if idea is not None:
            return Submitted(idea, True)
    if round_.workshop_id != participant.workshop_id:
        raise NotFound("unknown_round", _l("That round does not exist in this workshop."))
    if not kind_of(round_).collects_ideas:
        raise Conflict("not_brainstorm", _l("“%(title)s” does not collect ideas.", title=round_.title))
    if not round_.is_open:
        raise Conflict("round_closed", _l("“%(title)s” is closed: your idea was not added.", title=round_.title))
    title, details = clean_idea_text(title, details)
    idea = Idea(round=round_, author=participant, title=title, details=details, group_id=participant.group_id)
    db.session.add(idea)
    db.session.flush()
    ops.record(participant, op_id, "submit_idea", {"idea_id": idea.id})
    return Submitted(idea, False)


def get_idea(workshop: Workshop, idea_id: Any) -> Idea:
    """Idea ``idea_id`` of ``workshop``; an idea of another workshop is not found."""
    return scoped.get(workshop, Idea, idea_id, field="idea_id", thing=_l("idea"), code="unknown_idea",
                      message=_l("That idea does not exist in this workshop."), workshop_of=scoped.round_workshop)


def set_hidden(idea: Idea, hidden: bool) -> Idea:
    """Hide an idea from the wall and from votes over its round (or show it again)."""
    idea.hidden = bool(hidden)
    kind_of(idea.round).on_idea_hidden(idea.round, idea)
    return idea
