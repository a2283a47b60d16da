"""Facilitator accounts, their login sessions, and the one-time setup link."""
from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.errors import Conflict, DomainError, Forbidden, NotFound
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
        raise DomainError("bad_email", _l("Give a valid e-mail address."))
    if not name:
        raise DomainError("bad_name", _l("Give your name."))
    if len(password or "") < PASSWORD_MIN:
        raise DomainError("weak_password", _l("The password must be at least %(min)s characters.", min=PASSWORD_MIN))
    if db.session.scalar(select(User).where(User.email == email)):
        raise Conflict("email_taken", _l("There is already an account with that e-mail address."))
    user = User(email=email, name=name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    # The first account takes over workshops loaded before anyone could log in (the demo).
    if user_count() == 1:
        for workshop in db.session.scalars(select(Workshop).where(Workshop.owner_id.is_(None))):
            workshop.owner_id = user.id
    return user


_dummy_hash: str | None = None


def _unknown_account_hash() -> str:
    """A hash of a random password, made like real ones, for e-mails that have no account."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = generate_password_hash(secrets.token_urlsafe(16))
    return _dummy_hash


def authenticate(email: str, password: str) -> User | None:
    """The user with this e-mail and password, or None.

    An unknown e-mail costs the same password-hash check as a known one, so the time a
    login takes does not tell which e-mail addresses have accounts.

    Raises:
        Forbidden ``account_disabled``: the password is right but the account is disabled
        (said only to someone who knows the password).
    """
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        check_password_hash(_unknown_account_hash(), password or "")
        return None
    if not user.check_password(password or ""):
        return None
    if not user.active:
        raise Forbidden("account_disabled", _l("This account is disabled. Ask the person who runs Tavle here to enable it."))
    return user


def load_session_user(session_id: str | None) -> User | None:
    """The user a login session or remember-me cookie names, if it is still valid.

    ``session_id`` is ``"<user id>:<session version>"`` (``User.get_id``). It is valid while
    the account is active and its session version has not been raised since (by a logout,
    a new password or disabling the account).
    """
    user_id, _, version = (session_id or "").partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def end_sessions(user: User) -> User:
    """End every login session and remember-me cookie of ``user``, on every device."""
    user.session_version += 1
    return user


def by_email(email: str) -> User:
    """The account with this e-mail address.

    Raises:
        NotFound ``no_account``: there is none.
    """
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound("no_account", _l("There is no facilitator with the e-mail %(email)s.", email=email))
    return user


def set_password(user: User, password: str) -> User:
    """Give ``user`` a new password and end all of their sessions.

    Raises:
        DomainError ``weak_password``: shorter than ``PASSWORD_MIN``.
    """
    if len(password or "") < PASSWORD_MIN:
        raise DomainError("weak_password", _l("The password must be at least %(min)s characters.", min=PASSWORD_MIN))
    user.set_password(password)
    return end_sessions(user)


def change_password(user: User, current: str, new: str) -> User:
    """A logged-in facilitator changes their own password; every session of theirs ends.

    Raises:
        DomainError ``wrong_password``: ``current`` is not their password.
        DomainError ``weak_password``: ``new`` is shorter than ``PASSWORD_MIN``.
    """
    if not user.check_password(current or ""):
        raise DomainError("wrong_password", _l("Your current password is not right."))
    return set_password(user, new)


def set_language(user: User, language: str) -> User:
    """The language of ``user``'s own pages: one of ``app.i18n.LANGUAGES``."""
    from app.i18n import LANGUAGES

    if language not in LANGUAGES:
        raise DomainError("bad_language", _l("Choose bokmål (nb), nynorsk (nn) or English (en)."))
    user.language = language
    return user


def set_active(user: User, active: bool) -> User:
    """Enable or disable an account; disabling ends every session of it at once."""
    if user.active and not active:
        end_sessions(user)
    user.active = active
    return user


def setup_token() -> str:
    """A signed token for the first-account page, valid while no account exists."""
    return _setup_serializer().dumps({"setup": True})


def check_setup_token(token: str) -> None:
    """Raise unless ``token`` is a valid setup token and no account exists yet."""
    try:
        _setup_serializer().loads(token, max_age=SETUP_MAX_AGE)
    except SignatureExpired:
        raise DomainError("setup_expired", _l("This setup link has expired: restart the server for a new one."), status=404) from None
    except BadSignature:
        raise DomainError("setup_invalid", _l("This setup link is not valid."), status=404) from None
    if user_count() > 0:
        raise DomainError("setup_done", _l("Setup is done: log in with your account."), status=404)
