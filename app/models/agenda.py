"""The workshop's timed agenda."""
from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class AgendaItem(Base):
    """One item of the day: start time, duration, title, who; optionally a round it runs."""

    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    start: Mapped[str] = mapped_column(String(5), default="")  # "HH:MM", local time of the day
    duration_min: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    who: Mapped[str] = mapped_column(String(200), default="")
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id", ondelete="SET NULL"))
    #: The facilitator's "now" marker (at most one item of a workshop).
    is_now: Mapped[bool] = mapped_column(Boolean, default=False)
