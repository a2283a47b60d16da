"""Facilitator accounts and the one-time setup link."""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.errors import Conflict, DomainError
from app.extensions import db
from app.models import User, Workshop

PASSWORD_MIN = 10
SETUP_MAX_AGE = 7 * 24 * 3600


def _setup_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="tavle-setup")


def user_count() -> int:
    """How many facilitator accounts exist."""
    return db.session.scalar(select(func.count(User.id))) or 0


def create_user(email: str, name: str, password: str) -> User:
    """Create a facilitator account.

    Raises:
        DomainError: the e-mail is taken, or the password is shorter than ``PASSWORD_MIN``.
    """
    email = (email or "").strip().lower()
    name = (name or "").strip()
    if "@" not in email or len(email) > 254:
        raise DomainError("bad_email", "Give a valid e-mail address.")
    if not name:
        raise DomainError("bad_name", "Give your name.")
    if len(password or "") < PASSWORD_MIN:
        raise DomainError("weak_password", f"The password must be at least {PASSWORD_MIN} characters.")
    if db.session.scalar(select(User).where(User.email == email)):
        raise Conflict("email_taken", "There is already an account with that e-mail address.")
    user = User(email=email, name=name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    # The first account takes over workshops loaded before anyone could log in (the demo).
    if user_count() == 1:
        for workshop in db.session.scalars(select(Workshop).where(Workshop.owner_id.is_(None))):
            workshop.owner_id = user.id
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user with this e-mail and password, or None."""
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.check_password(password or ""):
        return None
    return user


def setup_token() -> str:
    """A signed token for the first-account page, valid while no account exists."""
    return _setup_serializer().dumps({"setup": True})


def check_setup_token(token: str) -> None:
    """Raise unless ``token`` is a valid setup token and no account exists yet."""
    try:
        _setup_serializer().loads(token, max_age=SETUP_MAX_AGE)
    except SignatureExpired:
        raise DomainError("setup_expired", "This setup link has expired: restart the server for a new one.", status=404) from None
    except BadSignature:
        raise DomainError("setup_invalid", "This setup link is not valid.", status=404) from None
    if user_count() > 0:
        raise DomainError("setup_done", "Setup is done: log in with your account.", status=404)
