"""The report's written sections: the outline organisers edit, in the order the report reads."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime

#: What a section is. Written ones hold the organisers' text; the others are generated from the
#: workshop's data (a round's results, a survey, the agenda, ...) and may carry text before them.
SECTION_KINDS = (
    "summary",        # the executive page: recommended ideas, headline figures, next steps
    "introduction",   # introduction and goals
    "background",
    "text",           # a chapter of the organisers' own (also the heading over the talks)
    "talk",           # one talk, linked to an agenda item
    "round",          # a round's results; a comment round's per-measure syntheses in ``data``
    "survey",         # a survey's answers
    "conclusion",
    "next_steps",     # next steps, with owners and dates as rows in ``data``
    "method",         # appendix: parameters, method cards, tie rules, robustness
    "agenda",         # appendix: the timed agenda
    "participants",   # appendix: who took part (as far as the workshop may show)
)


class ReportSection(Base):
    """One section of a workshop's report; ``version`` detects two people editing at once."""

    __tablename__ = "report_section"

    TITLE_MAX = 200
    BODY_MAX = 20000

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200), default="")
    #: 1 for a chapter, 2 for a section inside the chapter before it (a talk).
    level: Mapped[int] = mapped_column(Integer, default=1)
    included: Mapped[bool] = mapped_column(Boolean, default=True)
    body: Mapped[str] = mapped_column(Text, default="")
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id", ondelete="SET NULL"))
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="SET NULL"))
    #: Kind-specific structured content (per-measure syntheses, next-step rows).
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
