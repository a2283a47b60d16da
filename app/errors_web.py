"""Error pages and JSON errors: every refusal says what happened and what to do."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.errors import DomainError
from app.extensions import db
from app.services.backup import MAX_BYTES


def _wants_json() -> bool:
    return request.path.endswith(".json") or request.accept_mimetypes.best == "application/json"


def _respond(status: int, code: str, message: str):
    if _wants_json():
        return jsonify(ok=False, error={"code": code, "message": message}), status
    return render_template("errors/error.html", status=status, code=code, message=message), status


def register_error_handlers(app: Flask) -> None:
    """Map domain errors, CSRF failures and HTTP errors to pages (or JSON for API calls)."""

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        db.session.rollback()
        return _respond(exc.status, exc.code, exc.message)

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
