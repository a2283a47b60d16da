"""Rate limits that hold: failed workshop-code lookups per client address, submissions per participant.

Both count in Flask-Limiter's own storage (process memory, or Redis when ``TAVLE_REDIS_URL`` is
set) under keys that start with the deployment's ``RATELIMIT_KEY_PREFIX`` (its Redis channel),
so every process of a deployment shares the counts and two deployments on one Redis do not.

Failed lookups are counted in one bucket per client address, whichever way the code came in:
the join form, ``/w/<code>`` and its sub-pages, the QR code, the projector page, and the
``/display`` and ``/participant`` socket connections. Only lookups of codes that do not exist
count, so a conference room behind one NAT address can open the right code a thousand times a
minute; once an address is over the limit, every lookup from it is refused (a refusal says
nothing about whether the code exists), except from a browser that proves it already belongs
to that workshop (its participant cookie, or its facilitator's login).
"""
from __future__ import annotations

import math
import time
from typing import Any, Callable

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_login import current_user
from limits import RateLimitItem, parse_many

from app.errors import N_, DomainError
from app.extensions import db, limiter

#: Flask-Limiter's scope (and key part) of the shared failed-lookup bucket.
LOOKUP_SCOPE = "code_lookup"

#: Submission kinds and the setting that holds each one's limit.
SUBMISSION_LIMITS = {
    "ideas": "TAVLE_LIMIT_IDEAS",
    "comments": "TAVLE_LIMIT_COMMENTS",
    "votes": "TAVLE_LIMIT_VOTES",
    "worksheet_edits": "TAVLE_LIMIT_WORKSHEET_EDITS",
    "survey_responses": "TAVLE_LIMIT_SURVEY_RESPONSES",
}

#: The refusal of a submission sent too fast, per kind: what the phone holds back and sends
#: again in ``%(seconds)s`` seconds.
TOO_FAST = {
    "ideas": N_("You are sending very fast; your idea will be sent in %(seconds)s s."),
    "comments": N_("You are sending very fast; your comment will be sent in %(seconds)s s."),
    "votes": N_("You are sending very fast; your vote will be sent in %(seconds)s s."),
    "worksheet_edits": N_("You are sending very fast; your text will be sent in %(seconds)s s."),
    "survey_responses": N_("You are sending very fast; your answers will be sent in %(seconds)s s."),
}


class RateLimited(DomainError):
    """Too many attempts; ``retry_after`` says in how many seconds the next one is accepted."""

    status = 429

    def __init__(self, message: Any, retry_after: int):
        super().__init__("rate_limited", message)
        self.retry_after = retry_after

    def to_dict(self) -> dict:
        """The error payload, with ``retry_after`` beside the code so a client can wait it out."""
        return {"code": self.code, "message": self.message, "retry_after": self.retry_after}


def enabled() -> bool:
    """Whether rate limits are on for the current app (``TAVLE_RATELIMIT``; off in tests)."""
    return bool(current_app.config.get("RATELIMIT_ENABLED")) and limiter.initialized and limiter.enabled


def client_address() -> str:
    """The client's address, the same for an HTTP request and a Socket.IO connection.

    Behind ``TAVLE_PROXY_COUNT`` proxies, Werkzeug's ``ProxyFix`` has already rewritten an HTTP
    request's address; Socket.IO handlers see the raw environment (the Socket.IO middleware sits
    outside ``ProxyFix``), so the forwarded address is picked here the way ``ProxyFix`` picks it.
    """
    environ = request.environ
    proxies = int(current_app.config.get("TAVLE_PROXY_COUNT", 0) or 0)
    if proxies and "werkzeug.proxy_fix.orig" not in environ:
        forwarded = [part.strip() for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.remote_addr or "127.0.0.1"


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def _key(*parts: str) -> list[str]:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return [prefix, *parts] if prefix else list(parts)


def _retry_after(items: list[RateLimitItem], key: list[str]) -> int:
    """Seconds until every one of ``items`` has room again (at least 1)."""
    waits = []
    for item in items:
        stats = limiter.limiter.get_window_stats(item, *key)
        if stats.remaining <= 0:
            waits.append(stats.reset_time - time.time())
    return max(1, math.ceil(max(waits, default=1)))


# --- failed lookups -------------------------------------------------------------------------

def failed_lookup_limit() -> str:
    """The failed-lookup limit for Flask-Limiter's decorator (read per request, so tests and
    deployments can change it in the app's config)."""
    return current_app.config["TAVLE_LIMIT_FAILED_LOOKUPS"]


def joins_limit() -> str:
    """How many people may join from one address (a whole room behind one NAT address joins
    within a minute, so this is generous; it bounds made-up participants, not guessing)."""
    return current_app.config["TAVLE_LIMIT_JOINS"]


def mark_unknown_code() -> None:
    """Note that this request looked up a code that does not exist (counted after the response)."""
    g.tavle_unknown_code = True


def lookup_failed(_response) -> bool:
    """Flask-Limiter's ``deduct_when``: the request looked up a code that does not exist (other
    404s, such as a survey that is gone from a real workshop, do not count)."""
    return bool(g.get("tavle_unknown_code"))


def proves_membership(code: str | None, link_token: str | None = None) -> bool:
    """Whether this client already belongs to workshop ``code``: a valid participant cookie for
    it (or personal link ``link_token``), or the login of its facilitator. Such a client is
    never held up by others' guessing."""
    if not code:
        return False
    from app.services import participants, workshops

    has_cookie = bool(link_token) or any(name.startswith("tavle_p") for name in request.cookies)
    try:
        logged_in = bool(current_user.is_authenticated)
    except Exception:  # noqa: BLE001 - no login state on this request: not a facilitator
        logged_in = False
    if not (has_cookie or logged_in):
        return False  # the usual case, answered without a query
    try:
        workshop = workshops.by_code(code)
    except DomainError:
        return False
    if logged_in and workshop.is_facilitated_by(current_user):
        return True
    token = link_token or request.cookies.get(participants.cookie_name(workshop))
    if not token:
        return False
    try:
        participants.from_token(workshop, token)
    except DomainError:
        db.session.rollback()
        return False
    return True


def exempt_from_lookup_limit() -> bool:
    """Flask-Limiter's ``exempt_when`` for the routes that take a code in their path (a
    personal link's token is proof as good as the cookie it becomes)."""
    args = request.view_args or {}
    return proves_membership(args.get("code"), args.get("token"))


def lookup_refused(retry_after: int) -> RateLimited:
    """The refusal a client over the failed-lookup limit gets."""
    return RateLimited(
        lazy_ngettext("Too many unknown workshop codes were tried from your network. "
                      "Wait %(num)s second, then check the code on the screen and try again.",
                      "Too many unknown workshop codes were tried from your network. "
                      "Wait %(num)s seconds, then check the code on the screen and try again.", retry_after),
        retry_after,
    )


def check_socket_lookup(code: str, lookup: Callable):
    """Run ``lookup()`` for a socket connection with ``code``, counting it if the code is unknown.

    Raises:
        RateLimited: this client address is over the failed-lookup limit (and does not belong
            to the workshop), whether or not the code exists.
        DomainError: whatever ``lookup`` raises; an ``unknown_code`` is counted first.
    """
    if not enabled():
        return lookup()
    items = _limits("TAVLE_LIMIT_FAILED_LOOKUPS")
    key = _key(client_address(), LOOKUP_SCOPE)
    if not all(limiter.limiter.test(item, *key) for item in items) and not proves_membership(code):
        raise lookup_refused(_retry_after(items, key))
    try:
        return lookup()
    except DomainError as exc:
        if exc.code == "unknown_code":
            for item in items:
                limiter.limiter.hit(item, *key)
        raise


#: The decorator for every route that takes a workshop code: counts unknown codes per client
#: address, refuses an address over the limit (429) unless it belongs to the workshop.
code_lookup = limiter.shared_limit(
    failed_lookup_limit, scope=LOOKUP_SCOPE, deduct_when=lookup_failed, exempt_when=exempt_from_lookup_limit,
)


# --- submissions per participant ------------------------------------------------------------

def check_submission(kind: str, participant_id: int, event: str) -> None:
    """Count one submission of ``kind`` (``event`` for votes: each method counts on its own).

    Raises:
        RateLimited: this participant has sent too many of these in a short time; nothing was
            saved, and the phone sends it again after ``retry_after`` seconds.
    """
    if not enabled():
        return
    items = _limits(SUBMISSION_LIMITS[kind])
    key = _key("participant", str(participant_id), event if kind == "votes" else kind)
    if not all(limiter.limiter.test(item, *key) for item in items) or not all(
            [limiter.limiter.hit(item, *key) for item in items]):
        retry_after = _retry_after(items, key)
        raise RateLimited(_l(TOO_FAST[kind], seconds=retry_after), retry_after)
