"""The follow-up survey: questions, one response per participant, and a results summary."""
from __future__ import annotations

import uuid
from collections import Counter
from statistics import mean, median
from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.models import (
    QUESTION_KINDS,
    Participant,
    Survey,
    SurveyQuestion,
    SurveyRespondent,
    SurveyResponse,
    SurveyState,
    Workshop,
)
from app.numbers import parse_whole
from app.services import ops, scoped, secrecy
from app.text import clean_text

TEXT_MAX = SurveyQuestion.ANSWER_MAX
#: A survey id that names no survey of the workshop.
UNKNOWN_SURVEY = _l("That survey does not exist in this workshop.")


def create_survey(workshop: Workshop, *, title: Any, intro: Any = "", anonymous: bool = True) -> Survey:
    title = (title or "").strip() if isinstance(title, str) else ""
    if not title or len(title) > 200:
        raise DomainError("bad_title", _l("Give the survey a title of at most %(max)s characters.", max=200))
    survey = Survey(workshop_id=workshop.id, title=title, intro=(intro or "").strip()[:5000], anonymous=bool(anonymous))
    db.session.add(survey)
    db.session.flush()
    return survey


def get_survey(workshop: Workshop, survey_id: Any) -> Survey:
    """Survey ``survey_id`` of ``workshop``; a survey of another workshop is not found."""
    return scoped.get(workshop, Survey, survey_id, field="survey_id", thing=_l("survey"), code="unknown_survey",
                      message=UNKNOWN_SURVEY)


def surveys_of(workshop: Workshop) -> list[Survey]:
    return list(db.session.query(Survey).filter_by(workshop_id=workshop.id).order_by(Survey.id))


def add_question(survey: Survey, *, kind: Any, text: Any, choices: Any = None, scale_min: Any = 1, scale_max: Any = 5,
                 required: bool = False) -> SurveyQuestion:
    if survey.state is not SurveyState.DRAFT:
        raise Conflict("survey_not_draft", _l("Questions can only be changed before the survey opens."))
    if kind not in QUESTION_KINDS:
        raise DomainError("bad_question_kind", _l("Choose scale, single choice, multiple choice or free text."))
    text = (text or "").strip() if isinstance(text, str) else ""
    if not text or len(text) > SurveyQuestion.TEXT_MAX:
        raise DomainError("bad_question", _l("Write the question (at most %(max)s characters).", max=SurveyQuestion.TEXT_MAX))
    if isinstance(choices, str):
        choices = choices.splitlines()
    choices = [str(c).strip() for c in (choices or []) if str(c).strip()]
    if kind in ("single", "multi") and len(choices) < 2:
        raise DomainError("choices_required", _l("Give at least two choices, one per line."))
    lo, hi = parse_whole(scale_min), parse_whole(scale_max)
    if lo is None or hi is None:
        raise DomainError("bad_scale", _l("The scale ends must be whole numbers."))
    if kind == "scale" and not (0 <= lo < hi <= 10):
        raise DomainError("bad_scale", _l("The scale must run upwards, between 0 and 10."))
    q = SurveyQuestion(survey_id=survey.id, position=len(survey.questions) + 1, kind=kind, text=text,
                       choices=choices if kind in ("single", "multi") else [], scale_min=lo, scale_max=hi,
                       required=bool(required))
    survey.questions.append(q)
    db.session.flush()
    return q


def _clean_answers(survey: Survey, answers: Any) -> dict[str, Any]:
    if not isinstance(answers, dict):
        raise DomainError("bad_request", _l("The answers were not understood."))
    clean: dict[str, Any] = {}
    for q in survey.questions:
        raw = answers.get(str(q.id))
        if raw in (None, "", []):
            if q.required:
                raise DomainError("answer_required", _l("Please answer: “%(question)s”.", question=q.text), question_id=q.id)
            continue
        if q.kind == "scale":
            value = parse_whole(raw)
            if value is None or not q.scale_min <= value <= q.scale_max:
                raise DomainError("bad_answer", _l("“%(question)s” needs a number from %(min)s to %(max)s.", question=q.text,
                                                    min=q.scale_min, max=q.scale_max), question_id=q.id)
            clean[str(q.id)] = value
        elif q.kind == "single":
            if raw not in q.choices:
                raise DomainError("bad_answer", _l("Choose one of the answers to “%(question)s”.", question=q.text), question_id=q.id)
            clean[str(q.id)] = raw
        elif q.kind == "multi":
            values = raw if isinstance(raw, list) else [raw]
            if any(v not in q.choices for v in values) or len(set(values)) != len(values):
                raise DomainError("bad_answer", _l("Choose among the answers to “%(question)s”.", question=q.text), question_id=q.id)
            clean[str(q.id)] = [c for c in q.choices if c in values]
        else:
            text = clean_text(str(raw))
            if len(text) > TEXT_MAX:
                raise DomainError("answer_too_long", _l("An answer can be at most %(max)s characters.", max=TEXT_MAX), question_id=q.id)
            if text:
                clean[str(q.id)] = text
    return clean


def open_survey(survey: Survey) -> Survey:
    """Open ``survey`` for answers (again, if it was closed).

    Raises:
        Conflict: it is already open, or has no questions.
    """
    survey.open()
    return survey


def close_survey(survey: Survey) -> Survey:
    """Close ``survey``; an anonymous survey's answers are rewritten so no order is left in them.

    Raises:
        Conflict: the survey is not open.
    """
    survey.close()
    secrecy.seal_survey(survey)
    return survey


def sealed(survey: Survey) -> bool:
    """Whether the survey's answers are held back: an anonymous survey while it is open.

    Results published after every answer would let anyone watching the console read each new
    answer from the change, so an open anonymous survey shows only how many have answered.
    """
    return bool(survey.anonymous) and survey.state is SurveyState.OPEN


def has_responded(survey: Survey, participant: Participant) -> bool:
    return db.session.query(SurveyRespondent.participant_id).filter_by(survey_id=survey.id, participant_id=participant.id).first() is not None


def submit_response(participant: Participant, survey: Survey, answers: Any, *, op_id: str) -> tuple[SurveyResponse | None, bool]:
    """Record one participant's answers, once. Anonymous surveys store answers unlinked.

    An anonymous survey's answers are written by ``app.services.secrecy`` (shuffled among
    earlier answers, no participant) and its op id is remembered only as a keyed hash, so a
    re-sent answer is a replay and nothing in the database ties the answers to their sender.

    Returns the response (None when replayed, and always None in an anonymous survey, whose
    stored row is not one that could be handed back) and whether the op id had been applied
    before.
    """
    op_id = ops.check_op_id(op_id)
    # An id that already named an ordinary submission names a different one when this survey
    # is anonymous (its answers keep no op row), or when it was given for another survey.
    prior = ops.previous(participant, op_id, "submit_survey")
    if prior is not None and (survey.anonymous or prior.response.get("survey_id") != survey.id):
        raise ops.reused()
    if secrecy.applied(participant, op_id) if survey.anonymous else prior is not None:
        return None, True
    if survey.workshop_id != participant.workshop_id:
        raise NotFound("unknown_survey", UNKNOWN_SURVEY)
    if survey.state is not SurveyState.OPEN:
        raise Conflict("survey_closed", _l("This survey is not open.") if survey.state is SurveyState.DRAFT
                       else _l("This survey has closed; thank you all the same."))
    clean = _clean_answers(survey, answers)
    if not clean:
        raise DomainError("empty_response", _l("Answer at least one question before sending."))
    if has_responded(survey, participant):
        raise Conflict("already_responded", _l("You have already answered this survey. Thank you!"))
    if survey.anonymous:
        secrecy.add_anonymous_response(survey, participant, clean)
        secrecy.record(participant, op_id)
        return None, False
    db.session.add(SurveyRespondent(survey_id=survey.id, participant_id=participant.id))
    response = SurveyResponse(id=uuid.uuid4().hex, survey_id=survey.id, participant_id=participant.id, answers=clean)
    db.session.add(response)
    db.session.flush()
    ops.record(participant, op_id, "submit_survey", {"survey_id": survey.id})
    return response, False


def summary(survey: Survey) -> dict[str, Any]:
    """Counts per choice, scale statistics and free-text answers, per question.

    While an anonymous survey is open (``sealed``) only the number of respondents is given,
    with ``sealed: True`` and each question's text: the answers come when it closes.
    """
    if sealed(survey):
        respondents = db.session.query(SurveyRespondent).filter_by(survey_id=survey.id).count()
        return {"id": survey.id, "title": survey.title, "anonymous": True, "state": survey.state.value,
                "respondents": respondents, "sealed": True,
                "questions": [{"id": q.id, "kind": q.kind, "text": q.text, "answered": None} for q in survey.questions]}
    responses = [r.answers for r in db.session.query(SurveyResponse).filter_by(survey_id=survey.id).order_by(SurveyResponse.id)]
    out = {"id": survey.id, "title": survey.title, "anonymous": survey.anonymous, "state": survey.state.value,
           "respondents": len(responses), "sealed": False, "questions": []}
    for q in survey.questions:
        values = [r[str(q.id)] for r in responses if str(q.id) in r]
        item: dict[str, Any] = {"id": q.id, "kind": q.kind, "text": q.text, "answered": len(values)}
        if q.kind == "scale":
            counts = Counter(values)
            item["counts"] = {str(v): counts.get(v, 0) for v in range(q.scale_min, q.scale_max + 1)}
            item["mean"] = round(mean(values), 2) if values else None
            item["median"] = median(values) if values else None
        elif q.kind in ("single", "multi"):
            flat = [v for x in values for v in (x if isinstance(x, list) else [x])]
            counts = Counter(flat)
            item["counts"] = {c: counts.get(c, 0) for c in q.choices}
        else:
            item["answers"] = values
        out["questions"].append(item)
    return out
