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

    No timestamp, no id and no reference to the ballot. The primary key is the participant
    (in a SQLite table without rowid, so rows sit in participant order, not in the order
    people voted), and closing the round rewrites the rows, so neither the row order nor the
    row versions tell who voted when.
    """

    __tablename__ = "voter"
    __table_args__ = {"sqlite_with_rowid": False}

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)


class SecretBallot(Base):
    """A ballot of an anonymous round: its content and, for large enough sectors, the sector.

    The primary key is random and the table has no rowid on SQLite, so rows are stored and
    read in random order; every write rewrites a few other ballots of the round with it (see
    ``app.services.secrecy``), so the rows written by one voter's transaction always hold
    several ballots. The sector is kept for breakdowns only where enough voters share it.
    """

    __tablename__ = "secret_ballot"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    sector: Mapped[str | None] = mapped_column(String(40))
    content: Mapped[Any] = mapped_column(JSON)


class SecretOp(Base):
    """A secret submission already applied, known only by a keyed hash of its sender and op id.

    Anonymous ballots and anonymous survey answers are deduplicated here instead of in
    ``client_op``: the row names no participant and carries no time, so it cannot be matched
    with the ballot it made. The digest is an HMAC under the app's secret key, so without the
    key nobody can even test whether a given participant sent a given op id.
    """

    __tablename__ = "secret_op"
    __table_args__ = {"sqlite_with_rowid": False}

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
