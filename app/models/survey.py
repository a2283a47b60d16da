"""The follow-up survey: questions, responses, and the one-response guard."""
from __future__ import annotations

import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.errors import Conflict
from app.models.base import Base


class SurveyState(enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


QUESTION_KINDS = ("scale", "single", "multi", "text")


class Survey(Base):
    """A questionnaire sent after the workshop, opened and closed by the facilitator."""

    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[SurveyState] = mapped_column(
        Enum(SurveyState, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=SurveyState.DRAFT,
    )

    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="SurveyQuestion.position"
    )

    def open(self) -> None:
        if self.state is SurveyState.OPEN:
            raise Conflict("survey_open", _l("The survey is already open."))
        if not self.questions:
            raise Conflict("survey_empty", _l("Add at least one question before opening the survey."))
        self.state = SurveyState.OPEN

    def close(self) -> None:
        if self.state is not SurveyState.OPEN:
            raise Conflict("survey_not_open", _l("The survey is not open."))
        self.state = SurveyState.CLOSED


class SurveyQuestion(Base):
    __tablename__ = "survey_question"
    #: The longest question, choice and written answer; the most choices a question has.
    TEXT_MAX, CHOICE_MAX, ANSWER_MAX, CHOICES_MAX = 500, 500, 2000, 100

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(500))
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    scale_min: Mapped[int] = mapped_column(Integer, default=1)
    scale_max: Mapped[int] = mapped_column(Integer, default=5)
    required: Mapped[bool] = mapped_column(Boolean, default=False)

    survey: Mapped[Survey] = relationship(back_populates="questions")


class SurveyRespondent(Base):
    """Who has answered (the one-response guard), kept apart from the answers.

    Keyed by the participant in a table without rowid (SQLite), so rows sit in participant
    order rather than in the order people answered.
    """

    __tablename__ = "survey_respondent"
    __table_args__ = {"sqlite_with_rowid": False}

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)


class SurveyResponse(Base):
    """One set of answers; linked to the participant only in a named survey.

    The primary key is random and the table has no rowid (SQLite); an anonymous survey's
    answers are written in shuffled batches like secret ballots (``app.services.secrecy``).
    """

    __tablename__ = "survey_response"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
