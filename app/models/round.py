"""Rounds of a workshop (brainstorm, dot vote, rank, ...) and the ideas they collect."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Enum, Float, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.errors import Conflict
from app.models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from app.models.result import RoundResult
    from app.models.workshop import Participant, Workshop


class RoundState(enum.Enum):
    """Where a round is in its life: drafted, open for input, closed with a stored result."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Round(Base):
    """One activity of a workshop; its ``kind`` names an entry of ``app.rounds.KINDS``."""

    __tablename__ = "round"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[RoundState] = mapped_column(
        Enum(RoundState, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=RoundState.DRAFT,
    )
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    results_revealed: Mapped[bool] = mapped_column(Boolean, default=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The countdown the server owns: running until ``timer_ends_at``, or paused with
    # ``timer_remaining`` seconds left; closes the round at zero when ``timer_auto_close``.
    timer_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    timer_remaining: Mapped[float | None] = mapped_column(Float)
    timer_auto_close: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Closed, and its result is being counted by a job worker (a large round: see
    #: ``app.services.rounds.close_round``); no result of this close is stored yet.
    result_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    workshop: Mapped[Workshop] = relationship(back_populates="rounds")
    ideas: Mapped[list[Idea]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="Idea.id"
    )

    @property
    def ideas_version(self) -> int | None:
        """The workshop's ``ideas_version`` as this session read it (see ``app.models.versioning``)."""
        return self.workshop.ideas_version if self.workshop is not None else None
    results: Mapped[list[RoundResult]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundResult.id"
    )

    @property
    def is_open(self) -> bool:
        return self.state is RoundState.OPEN

    @property
    def latest_result(self) -> RoundResult | None:
        return self.results[-1] if self.results else None

    def open(self, now: datetime | None = None) -> None:
        """Open the round for input (also reopens a closed round)."""
        if self.state is RoundState.OPEN:
            raise Conflict("round_open", _l("“%(title)s” is already open.", title=self.title))
        self.state = RoundState.OPEN
        self.opened_at = now or utcnow()
        self.closed_at = None
        self.result_pending = False

    def close(self, now: datetime | None = None) -> None:
        """Close the round; the caller stores its result snapshot."""
        if self.state is not RoundState.OPEN:
            raise Conflict("round_not_open", _l("“%(title)s” is not open.", title=self.title))
        self.state = RoundState.CLOSED
        self.closed_at = now or utcnow()


class Idea(Base):
    """An idea submitted in a brainstorm round."""

    __tablename__ = "idea"

    TITLE_MAX = 120
    DETAILS_MAX = 1000

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    details: Mapped[str] = mapped_column(Text, default="")
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="SET NULL"))
    theme: Mapped[str | None] = mapped_column(String(60))
    #: Set when the facilitator merged this idea into another (it then drops out of votes).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[Round] = relationship(back_populates="ideas")
    author: Mapped[Participant | None] = relationship()

    @property
    def active(self) -> bool:
        """Shown on walls and offered in votes: not hidden, not merged into another idea."""
        return not self.hidden and self.merged_into_id is None


class IdeaMerge(Base):
    """A recorded merge of one idea into another; ``undone_at`` is set when it is undone."""

    __tablename__ = "idea_merge"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
