"""Error pages and JSON errors: every refusal says what happened and what to do."""
from __future__ import annotations

import time

from flask import Flask, jsonify, render_template, request
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from app.errors import DomainError
from app.extensions import db
from app.services.backup import MAX_BYTES


def _wants_json() -> bool:
    return request.path.endswith(".json") or request.accept_mimetypes.best == "application/json"


def _respond(status: int, code: str, message: str, retry_after: int | None = None):
    error = {"code": code, "message": message}
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
        return _respond(exc.status, exc.code, exc.message, getattr(exc, "retry_after", None))

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
        return _respond(429, "rate_limited", f"Too many attempts in a short time. Wait {retry_after} seconds and try again.",
                        retry_after)

    @app.errorhandler(PoolTimeout)
    def busy(exc: PoolTimeout):
        # Every database connection stayed taken for the whole pool timeout: the server is
        # overloaded for a moment, nothing was saved, and the same request can simply be sent again.
        db.session.rollback()
        return _respond(503, "busy", "The server is very busy right now. Nothing was saved; try again in a few seconds.", 5)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        db.session.rollback()
        return _respond(400, "csrf", "This form has expired or was not sent from Tavle. Go back, reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        db.session.rollback()
        messages = {
            404: "There is nothing at this address.",
            405: "That is not something this address accepts.",
            413: f"The upload is too large: Tavle takes files of at most {MAX_BYTES // 2**20} MB.",
            429: "Too many attempts in a short time. Wait a minute and try again.",
        }
        return _respond(exc.code or 500, exc.name.lower().replace(" ", "_"), messages.get(exc.code, exc.description))

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return _respond(500, "internal_error", "Something went wrong on the server. Nothing was saved; try again.")
