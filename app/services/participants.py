"""Joining a workshop, and the signed token that brings a participant back."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from app.clock import utcnow
from app.errors import Conflict, DomainError, Forbidden
from app.extensions import db
from app.models import Participant, Workshop
from app.sectors import SECTORS
from app.text import clean_text

#: What a phone is told when the participant's token was revoked.
SIGNED_OUT_MESSAGE = _l("You have been signed out of this workshop. Join again with the code.")

NAME_MAX = 80
ORGANISATION_MAX = 120


def cookie_name(workshop: Workshop) -> str:
    """The cookie holding a participant's token for ``workshop`` (one per workshop joined)."""
    return f"tavle_p{workshop.id}"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="tavle-participant")


def join(workshop: Workshop, *, name: str = "", organisation: str = "", sector: str = "", anonymous: bool = False) -> Participant:
    """Add a participant to ``workshop``.

    Raises:
        Conflict ``join_closed``: the facilitator closed the workshop for joining.
        DomainError: a name is required but missing, a text is too long, or the sector unknown.
    """
    if not workshop.join_open:
        raise Conflict("join_closed", _l("This workshop is closed for joining. Ask the facilitator."))
    name, organisation, sector = clean_text(name), clean_text(organisation), clean_text(sector)
    if anonymous and not workshop.allow_anonymous:
        raise DomainError("anonymous_not_allowed", _l("This workshop asks everyone for a name."))
    if not anonymous and not name:
        raise DomainError("name_required", _l("Give your name or choose to stay anonymous.") if workshop.allow_anonymous
                          else _l("Give your name."))
    if len(name) > NAME_MAX:
        raise DomainError("name_too_long", _l("The name can be at most %(max)s characters.", max=NAME_MAX))
    if len(organisation) > ORGANISATION_MAX:
        raise DomainError("organisation_too_long", _l("The organisation can be at most %(max)s characters.", max=ORGANISATION_MAX))
    if sector and sector not in SECTORS:
        raise DomainError("bad_sector", _l("Choose a sector from the list."))
    participant = Participant(
        workshop=workshop, name=None if anonymous else name, organisation=organisation or None, sector=sector or None,
        joined_at=utcnow(),
    )
    db.session.add(participant)
    db.session.flush()
    return participant


def issue_token(participant: Participant) -> str:
    """A signed token naming ``participant``; kept in a cookie, it restores them after a reload."""
    return _serializer().dumps({"p": participant.id, "w": participant.workshop_id, "v": participant.token_version})


def from_token(workshop: Workshop, token: str | None) -> Participant:
    """The participant of ``workshop`` that ``token`` names.

    Raises:
        Forbidden ``not_joined``: no token, a forged or altered one, or one for another workshop.
        Forbidden ``signed_out``: a token revoked since it was issued.
    """
    error = Forbidden("not_joined", _l("You have not joined this workshop yet (or your link has expired). Join with the code."))
    if not token:
        raise error
    try:
        data = _serializer().loads(token)
    except BadSignature:
        raise error from None
    if not isinstance(data, dict) or data.get("w") != workshop.id:
        raise error
    participant = db.session.get(Participant, data.get("p"))
    if participant is None or participant.workshop_id != workshop.id:
        raise error
    if participant.token_version != data.get("v"):
        raise Forbidden("signed_out", SIGNED_OUT_MESSAGE)
    return participant


def mark_joined(participant: Participant) -> Participant:
    """A roster participant opened their personal link."""
    participant.joined_at = utcnow()
    return participant


def revoke(participant: Participant) -> Participant:
    """Sign a participant out on every device: tokens and personal links issued before stop working.

    Open connections check the version on their next event; the caller also closes them
    (``broadcast.participant_signed_out``) after the commit.
    """
    participant.token_version += 1
    return participant
