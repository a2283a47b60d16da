"""A workshop and the participants who joined it."""
from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import i18n
from app.clock import utcnow
from app.models.base import Base, UTCDateTime

if TYPE_CHECKING:
    from app.models.round import Round
    from app.models.user import User

#: The languages a workshop can speak (``app.i18n.LANGUAGES``).
LANGUAGES = tuple(i18n.LANGUAGES)


class Workshop(Base):
    """One session run by a facilitator; participants join it with its code."""

    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(2), default="nb")
    description: Mapped[str] = mapped_column(Text, default="")
    show_names: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    join_open: Mapped[bool] = mapped_column(Boolean, default=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: Organisations that ran the workshop, for the report's title page.
    organisers: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: An organisation is named beside an idea, comment or quote only where it had at least this
    #: many attendees; elsewhere attribution is by group or sector (k-anonymity of attribution).
    attribution_min: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    #: Generated demo data: every file made from it says so, and nothing in it has an author.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    #: The report's choices: ``final_round`` (the round whose result gives the final priorities)
    #: and ``recommended`` (how many of its ideas the report recommends).
    report_options: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    #: Bumped in the same transaction as any change to the ideas a vote may name (an idea
    #: added, hidden, merged, a result stored), so a vote can reuse the ideas it read before
    #: as long as this number is unchanged (``app.rounds.base.VotingKind.option_refs``).
    #: It starts at a random number, so a workshop made later under a reused id (SQLite may
    #: reuse the highest one after a delete) never meets the numbers of the one before.
    ideas_version: Mapped[int] = mapped_column(Integer, default=lambda: secrets.randbelow(2**30), server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[User | None] = relationship()
    groups: Mapped[list[Group]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="Group.position"
    )
    participants: Mapped[list[Participant]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="Participant.id"
    )
    rounds: Mapped[list[Round]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="Round.position"
    )

    def is_facilitated_by(self, user) -> bool:
        """Whether ``user`` may manage this workshop."""
        return bool(user is not None and getattr(user, "is_authenticated", False) and user.id == self.owner_id)

    @property
    def open_round(self) -> Round | None:
        from app.models.round import RoundState

        return next((r for r in self.rounds if r.state is RoundState.OPEN), None)


class Participant(Base):
    """Someone who joined a workshop from a phone; no account, identified by a signed cookie."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(80))
    organisation: Mapped[str | None] = mapped_column(String(120))
    sector: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="SET NULL"), index=True)
    #: Imported from a roster before the workshop (joins through a personal link).
    from_roster: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped to revoke every token issued before (a removed participant, a lost phone).
    token_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    workshop: Mapped[Workshop] = relationship(back_populates="participants")
    group: Mapped[Group | None] = relationship(back_populates="members")

    @property
    def display_name(self) -> str:
        return self.name or _("Anonymous")


class Group(Base):
    """A table of participants working together (cross-sector groups)."""

    __tablename__ = "group"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    table_label: Mapped[str] = mapped_column(String(40), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    workshop: Mapped[Workshop] = relationship(back_populates="groups")
    members: Mapped[list[Participant]] = relationship(back_populates="group", order_by="Participant.id")
