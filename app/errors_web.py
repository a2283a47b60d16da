"""Error pages and JSON errors: every refusal says what happened and what to do."""
from __future__ import annotations

import time

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from app.errors import DomainError
from app.extensions import db
from app.services.backup import MAX_BYTES


#: What an HTTP error means for the person reading it, instead of werkzeug's English descriptions.
HTTP_MESSAGES = {
    400: _l("The request could not be understood. Go back, reload the page and try again."),
    401: _l("You need to log in to see this page."),
    403: _l("You are not allowed to see this page."),
    404: _l("There is nothing at this address."),
    405: _l("That is not something this address accepts."),
    410: _l("This is no longer here."),
    413: _l("The upload is too large: Tavle takes files of at most %(mb)s MB.", mb=MAX_BYTES // 2**20),
    429: _l("Too many attempts in a short time. Wait a minute and try again."),
    500: _l("Something went wrong on the server. Nothing was saved; try again."),
    501: _l("This is not available on this server."),
    503: _l("The server is not available right now. Try again in a little while."),
}
#: For any other error status.
OTHER_CLIENT_ERROR = _l("This could not be done. Go back and try again.")
OTHER_SERVER_ERROR = _l("Something went wrong on the server. Nothing was saved; try again.")


def _wants_json() -> bool:
    return request.path.endswith(".json") or request.accept_mimetypes.best == "application/json"


def _respond(status: int, code: str, message: str, retry_after: int | None = None, details: dict | None = None):
    error = {"code": code, "message": message}
    if details:
        error["details"] = details  # a conflict's stored version, a bad value's place …
    headers = {}
    if retry_after is not None:
        error["retry_after"] = retry_after
        headers["Retry-After"] = str(retry_after)
    if _wants_json():
        return jsonify(ok=False, error=error), status, headers
    return render_template("errors/error.html", status=status, code=code, message=message), status, headers


def register_error_handlers(app: Flask) -> None:
    """Map domain errors, CSRF failures and HTTP errors to pages (or JSON for API calls)."""

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        db.session.rollback()
        if exc.code == "unknown_code":
            from app.limits import mark_unknown_code

            mark_unknown_code()
        return _respond(exc.status, exc.code, exc.message, getattr(exc, "retry_after", None), exc.details)

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(exc: RateLimitExceeded):
        db.session.rollback()
        from app.extensions import limiter
        from app.limits import LOOKUP_SCOPE, lookup_refused

        current = limiter.current_limit
        retry_after = max(1, int(current.reset_at - time.time())) if current else 60
        if exc.limit.scope == LOOKUP_SCOPE:
            refused = lookup_refused(retry_after)
            return _respond(429, refused.code, refused.message, retry_after)
        return _respond(429, "rate_limited", ngettext(
            "Too many attempts in a short time. Wait %(num)d second and try again.",
            "Too many attempts in a short time. Wait %(num)d seconds and try again.", retry_after), retry_after)

    @app.errorhandler(PoolTimeout)
    def busy(exc: PoolTimeout):
        # Every database connection stayed taken for the whole pool timeout: the server is
        # overloaded for a moment, nothing was saved, and the same request can simply be sent again.
        db.session.rollback()
        return _respond(503, "busy", _("The server is very busy right now. Nothing was saved; try again in a few seconds."), 5)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        db.session.rollback()
        return _respond(400, "csrf", _("This form has expired or was not sent from Tavle. Go back, reload the page and try "
                                       "again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        db.session.rollback()
        status = exc.code or 500
        fallback = OTHER_SERVER_ERROR if status >= 500 else OTHER_CLIENT_ERROR
        return _respond(status, exc.name.lower().replace(" ", "_"), str(HTTP_MESSAGES.get(status, fallback)))

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return _respond(500, "internal_error", str(HTTP_MESSAGES[500]))
