"""Creating and finding workshops."""
from __future__ import annotations

import random
import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.errors import DomainError, Forbidden, NotFound
from app.extensions import db
from app.models import LANGUAGES, User, Workshop
from app.services.attribution import DEFAULT_MIN, MAX_MIN, MIN_MIN
from app.text import clean_text

#: No 0/O, 1/I/L: a code read off a projector must not be mistyped.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
TITLE_MAX = 200
DESCRIPTION_MAX = 5000

_system_random = random.SystemRandom()


def normalise_code(raw: str) -> str:
    """A typed code as stored: upper case, without spaces or dashes ("" for anything but text)."""
    return re.sub(r"[\s\-]", "", raw if isinstance(raw, str) else "").upper()


def new_code(rng: random.Random | None = None) -> str:
    """A join code not used by any workshop."""
    rng = rng or _system_random
    for _ in range(50):
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not db.session.scalar(select(Workshop.id).where(Workshop.code == code)):
            return code
    raise RuntimeError("could not find a free join code")


def _clean(title: str, language: str, description: str) -> tuple[str, str, str]:
    title = clean_text(title)
    if not title:
        raise DomainError("title_required", _l("Give the workshop a title."))
    if len(title) > TITLE_MAX:
        raise DomainError("title_too_long", _l("The title can be at most %(max)s characters.", max=TITLE_MAX))
    if language not in LANGUAGES:
        raise DomainError("bad_language", _l("Choose bokmål (nb), nynorsk (nn) or English (en)."))
    description = clean_text(description)
    if len(description) > DESCRIPTION_MAX:
        raise DomainError("description_too_long", _l("The description can be at most %(max)s characters.", max=DESCRIPTION_MAX))
    return title, language, description


def _attribution_min(value: object) -> int:
    """The fewest participants an organisation needs to be shown (``app.services.attribution``), checked."""
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_MIN <= value <= MAX_MIN:
        raise DomainError("bad_attribution_min", _l("The number of participants an organisation needs to be shown "
                                                    "must be from %(min)s to %(max)s.", min=MIN_MIN, max=MAX_MIN))
    return value


def create_workshop(
    owner: User | None,
    *,
    title: str,
    date_: date | None = None,
    language: str = "nb",
    description: str = "",
    show_names: bool = True,
    allow_anonymous: bool = False,
    attribution_min: int = DEFAULT_MIN,
    rng: random.Random | None = None,
) -> Workshop:
    """Create a workshop with a fresh join code, owned by ``owner``.

    ``attribution_min``: an organisation is shown beside an idea, comment or quote only where
    it had at least this many participants (1–50; see ``app.services.attribution``).
    """
    title, language, description = _clean(title, language, description)
    workshop = Workshop(
        code=new_code(rng), title=title, date=date_, language=language, description=description,
        show_names=show_names, allow_anonymous=allow_anonymous, owner_id=owner.id if owner else None,
        attribution_min=_attribution_min(attribution_min),
    )
    db.session.add(workshop)
    db.session.flush()
    return workshop


def update_workshop(workshop: Workshop, **fields) -> Workshop:
    """Change a workshop's title, date, language, description and options (``show_names``,
    ``allow_anonymous``, ``join_open``, ``attribution_min``)."""
    title, language, description = _clean(
        fields.get("title", workshop.title), fields.get("language", workshop.language),
        fields.get("description", workshop.description),
    )
    if "attribution_min" in fields:
        workshop.attribution_min = _attribution_min(fields["attribution_min"])
    workshop.title, workshop.language, workshop.description = title, language, description
    for key in ("date", "show_names", "allow_anonymous", "join_open"):
        if key in fields:
            setattr(workshop, key, fields[key])
    return workshop


def by_code(code: str) -> Workshop:
    """The workshop a participant joins with ``code``.

    Raises:
        NotFound: no workshop has that code.
    """
    code = normalise_code(code)
    # Anything but letters and digits cannot be a code (and PostgreSQL refuses a NUL in a query).
    found = re.fullmatch(r"[A-Z0-9]{1,12}", code)
    workshop = db.session.scalar(select(Workshop).where(Workshop.code == code)) if found else None
    if workshop is None:
        raise NotFound("unknown_code", _l("There is no workshop with that code. Check the code on the screen and try again."))
    return workshop


def managed_by(user: User, code: str) -> Workshop:
    """The workshop ``code`` if ``user`` facilitates it.

    Raises:
        NotFound: no such workshop.
        Forbidden: ``user`` does not facilitate it.
    """
    workshop = by_code(code)
    if not workshop.is_facilitated_by(user):
        raise Forbidden("not_facilitator", _l("Only this workshop's facilitator can do that."))
    return workshop


def list_for(user: User) -> list[Workshop]:
    """The workshops ``user`` facilitates, newest first."""
    return list(db.session.scalars(select(Workshop).where(Workshop.owner_id == user.id).order_by(Workshop.id.desc())))
