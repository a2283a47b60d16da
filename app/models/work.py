"""Group work artefacts: comments on fixed items, and worked-out idea worksheets."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.models.base import Base, UTCDateTime


class Comment(Base):
    """A comment on one fixed item of a comment round (such as an action plan's measure)."""

    __tablename__ = "comment"

    TEXT_MAX = 1000

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    item_index: Mapped[int] = mapped_column(Integer)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    starred: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Worksheet(Base):
    """One idea worked out by a group, under the round's field headings."""

    __tablename__ = "worksheet"
    __table_args__ = (UniqueConstraint("round_id", "idea_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    fields: Mapped[list[WorksheetField]] = relationship(cascade="all, delete-orphan", order_by="WorksheetField.id")


class WorksheetField(Base):
    """The text of one field of a worksheet; ``version`` detects two people editing at once."""

    __tablename__ = "worksheet_field"
    __table_args__ = (UniqueConstraint("worksheet_id", "key"),)

    TEXT_MAX = 5000

    id: Mapped[int] = mapped_column(primary_key=True)
    worksheet_id: Mapped[int] = mapped_column(ForeignKey("worksheet.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
