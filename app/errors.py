"""Domain errors: raised by models and services, mapped once to HTTP and Socket.IO responses.

A message is a lazy translation (``_l("“%(title)s” is closed.", title=...)``), made where the
error is raised and rendered at the edge that answers, in the language of whoever reads it
(``app.i18n``): the workshop's for a phone or the projector, the facilitator's own for the
console. Parameters stay data until then; no sentence is built before it is translated.
"""
from __future__ import annotations

from typing import Any

from babel import numbers
from flask_babel import LazyString, get_locale


class DomainError(Exception):
    """A refused action, with a machine code and a sentence a person can act on.

    ``status`` is the HTTP status the web layer answers with; the Socket.IO layer sends
    ``{"ok": false, "error": {"code": ..., "message": ...}}`` instead.
    """

    status = 400

    def __init__(self, code: str, message: Any, *, status: int | None = None, **details):
        super().__init__(message)
        self.code = code
        # Usually a lazy translation (``_l("…", name=value)``): it becomes text in the language
        # of whoever reads it, at the edge that answers (HTTP, Socket.IO), not where it is raised.
        self._message = message
        if status is not None:
            self.status = status
        self.details = details

    @property
    def message(self) -> str:
        """The sentence in the language being spoken now."""
        return str(self._message)

    @message.setter
    def message(self, value: Any) -> None:
        self._message = value

    @property
    def lazy_message(self) -> Any:
        """The message as it was raised (usually still lazy), to carry into another error or a
        later answer without fixing its language now."""
        return self._message

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict:
        """The error payload sent to clients."""
        payload = {"code": self.code, "message": self.message}
        if self.details:
            payload["details"] = self.details
        return payload


def N_(message: str) -> str:
    """Mark ``message`` for the catalog where it is defined (a table of messages); it is
    translated where it is used, ``_l(TABLE[key], **params)``."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """``N_`` for a message with a plural: translated where it is used,
    ``ngettext(*TABLE[key], n, **params)``."""
    return singular, plural


def _decimal(value: float, format: str) -> str:
    return numbers.format_decimal(value, format, locale=get_locale() or "en")


def lazy_decimal(value: float, format: str = "0.0") -> LazyString:
    """A number for a message's parameter, written as the reader's language writes it (4,7 or
    4.7) when the message is rendered, not when it is made (English outside the app)."""
    return LazyString(_decimal, value, format)


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    status = 404


class Forbidden(DomainError):
    """The caller may not do this."""

    status = 403


class Conflict(DomainError):
    """The action does not fit the current state (a closed round, a used budget)."""

    status = 409
