"""The follow-up survey: questions, responses, and the one-response guard."""
from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
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
            raise Conflict("survey_open", "The survey is already open.")
        if not self.questions:
            raise Conflict("survey_empty", "Add at least one question before opening the survey.")
        self.state = SurveyState.OPEN

    def close(self) -> None:
        if self.state is not SurveyState.OPEN:
            raise Conflict("survey_not_open", "The survey is not open.")
        self.state = SurveyState.CLOSED


class SurveyQuestion(Base):
    __tablename__ = "survey_question"

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
    """Who has answered (the one-response guard), kept apart from the answers."""

    __tablename__ = "survey_respondent"
    __table_args__ = (UniqueConstraint("survey_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))


class SurveyResponse(Base):
    """One set of answers; linked to the participant only in a named survey."""

    __tablename__ = "survey_response"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
