"""Facilitator accounts."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from app.clock import utcnow
from app.models.base import Base, UTCDateTime


class User(UserMixin, Base):
    """A facilitator who logs in to run workshops."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # A disabled account cannot log in, and its open sessions stop working.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of every login session and remember-me cookie; raising it (logout, a new password,
    # disabling) ends all of them on the server, wherever they were copied to.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The language of this facilitator's own pages (nb, nn or en); None until they choose,
    # and their browser's Accept-Language decides.
    language: Mapped[str | None] = mapped_column(String(2), default=None)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
