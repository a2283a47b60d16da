"""Immutable result snapshots of closed rounds."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from app.models.round import Round


class RoundResult(Base):
    """What a round produced when it closed: method, parameters, ranking, scores, ties.

    Never updated: reopening and closing a round again adds a new snapshot, and exports read
    the latest one, so a result can always be reproduced exactly as it was announced.
    """

    __tablename__ = "round_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(32))
    ballots: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[Round] = relationship(back_populates="results")
