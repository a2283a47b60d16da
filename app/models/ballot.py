"""Ballots cast in voting rounds, and the client operations already applied."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.models.base import Base, UTCDateTime


class Ballot(Base):
    """A participant's current ballot in one round; its shape depends on the round's kind.

    One row per participant and round: changing a vote updates the row, so a participant can
    move dots or reorder until the round closes. ``version`` counts changes and lets a write
    check that nobody changed the ballot since it was read.
    """

    __tablename__ = "ballot"
    __table_args__ = (UniqueConstraint("round_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    content: Mapped[Any] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    # SQLAlchemy checks and bumps the version on every UPDATE, so two tabs writing at once
    # cannot both pass a budget check made on the same old ballot.
    __mapper_args__ = {"version_id_col": version}


class ClientOp(Base):
    """A submission a client already made, by its client-generated id.

    Written in the same transaction as the change it made, under a UNIQUE constraint, so a
    submission re-sent after a lost acknowledgement is applied once and answered the same.
    """

    __tablename__ = "client_op"
    __table_args__ = (UniqueConstraint("participant_id", "op_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    op_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    response: Mapped[Any] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Voter(Base):
    """Who has voted in an anonymous round: the one-per-person guard, kept apart from ballots.

    No timestamp and no reference to the ballot: the rows of ``voter`` and ``secret_ballot``
    cannot be matched by id order or time.
    """

    __tablename__ = "voter"
    __table_args__ = (UniqueConstraint("round_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))


class SecretBallot(Base):
    """A ballot of an anonymous round: its content and the voter's sector, nothing else.

    The primary key is random, so insertion order reveals nothing; the sector is kept for
    breakdowns, which suppress sectors with fewer voters than the round's minimum.
    """

    __tablename__ = "secret_ballot"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    sector: Mapped[str | None] = mapped_column(String(40))
    content: Mapped[Any] = mapped_column(JSON)
