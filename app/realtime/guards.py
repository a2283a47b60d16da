"""Who may call what over Socket.IO, and the one place errors become ack payloads.

An error's message is rendered here, in the connection's language (``app.i18n``: a phone's and
the projector's is their workshop's, a console's its facilitator's). The answers to a busy or
failing server are rendered in the language the connection was opened in, without asking the
database, which may be what failed.
"""
from __future__ import annotations

import functools
import logging
from typing import Any, Callable

from flask import request, session
from flask_babel import lazy_gettext as _l
from flask_socketio import Namespace
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app import i18n
from app.errors import N_, DomainError, Forbidden
from app.extensions import db
from app.models import Participant, Workshop
from app.realtime.packets import Malformed

log = logging.getLogger(__name__)

#: Events only the facilitator namespace answers; a participant or projector sending one is told so.
FACILITATOR_EVENTS = frozenset({
    "open_round", "close_round", "reveal_results", "hide_idea", "decide_tie", "set_agenda_now", "reorder_agenda",
    "start_timer", "pause_timer", "resume_timer", "extend_timer", "clear_timer", "assign_groups", "move_participant",
    "edit_idea", "set_theme", "merge_ideas", "undo_merge", "flag_comment", "assign_worksheet",
})


#: Seconds a client waits before sending again what a busy server could not take.
BUSY_RETRY_AFTER = 2


def ok(**data: Any) -> dict[str, Any]:
    return {"ok": True, **data}


def fail(code: str, message: Any) -> dict[str, Any]:
    """An error ack; a lazy ``message`` is rendered now, in the language being spoken."""
    return {"ok": False, "error": {"code": code, "message": str(message)}}


def _as_opened(message: Any) -> str:
    """``message`` in the language remembered when the connection opened (no database read)."""
    with i18n.in_language(session.get("ws_lang") or i18n.SOURCE):
        return str(message)


def acked(handler: Callable) -> Callable:
    """Run a handler; turn a ``DomainError`` or a crash into an error ack, never a silent drop.

    Every event takes one payload: none at all is passed on as ``None`` (which the handler's
    ``payload_dict`` refuses, or ``sync`` ignores), more than one is refused here.
    """

    @functools.wraps(handler)
    def wrapper(self, *args):
        if len(args) > 1:
            return fail("bad_request", _l("Send one payload with the event, not several."))
        try:
            return handler(self, args[0] if args else None)
        except DomainError as exc:
            db.session.rollback()
            return {"ok": False, "error": exc.to_dict()}
        except PoolTimeout:
            # Every database connection stayed taken for the whole pool timeout: a moment of
            # overload, not a fault. Nothing was saved and the phone's outbox sends it again.
            db.session.rollback()
            log.warning("socket handler %s: no database connection within the pool timeout", handler.__name__)
            return {"ok": False, "error": {"code": "busy", "retry_after": BUSY_RETRY_AFTER, "message": _as_opened(
                _l("The server is very busy; your last action will be sent again in a moment."))}}
        except Exception:  # noqa: BLE001 - a client must always get an answer
            db.session.rollback()
            log.exception("socket handler %s failed", handler.__name__)
            return fail("internal_error", _as_opened(
                _l("Something went wrong on the server; your last action was not saved. Try again.")))

    return wrapper


def as_bool(value: Any) -> bool:
    """A flag from a client: JSON true/false, or the strings "true"/"false", "1"/"0"."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


#: What a payload that is not an object was, as the refusal names it.
_JSON_TYPES = {type(None): N_("nothing"), bool: N_("true or false"), int: N_("a number"), float: N_("a number"),
               str: N_("text"), list: N_("a list")}
_SOMETHING_ELSE = N_("something else")


def payload_dict(data: Any) -> dict[str, Any]:
    """The event's payload, which must be an object."""
    if not isinstance(data, dict):
        got = _l(_JSON_TYPES.get(type(data), _SOMETHING_ELSE))
        raise DomainError("bad_request", _l("The message was not understood: send an object with the event's fields, not %(got)s.",
                                            got=got))
    return data


class GuardedNamespace(Namespace):
    """A namespace that answers unknown and forbidden events with an error ack."""

    def _refuse(self, event: str, args: tuple, code: str, message: Any) -> dict[str, Any]:
        """Answer an event no handler takes, inside the connection's request context (where
        the connection's language is known), as Flask-SocketIO runs a handler."""
        return self.socketio._handle_event(lambda *_: fail(code, message), event, self.namespace, *args)

    def trigger_event(self, event: str, *args):
        if event == "connect":
            from app.realtime.broadcast import shared_marks

            shared_marks.listen()  # this process sends its own connections their tallies
        # args are the connection's sid, then what the client sent.
        malformed = next((a for a in args[1:] if isinstance(a, Malformed)), None)
        if malformed is not None:
            return self._refuse(event, args, "bad_request", malformed.message)
        if event in {"connect", "disconnect"} or hasattr(self, "on_" + (event or "")):
            return super().trigger_event(event, *args)
        if event in FACILITATOR_EVENTS:
            return self._refuse(event, args, "forbidden", _l("Only the workshop's facilitator can do that."))
        return self._refuse(event, args, "unknown_event", _l("Unknown event “%(event)s”.", event=event))

    # Connection-scoped identity, kept in the connection's own (forked) session.
    def remember(self, workshop: Workshop, participant: Participant | None = None) -> None:
        session["ws_workshop_id"] = workshop.id
        session["ws_participant_id"] = participant.id if participant else None
        # For the answers given when the database cannot be asked (see ``acked``).
        session["ws_lang"] = i18n.current()

    def workshop(self) -> Workshop:
        workshop_id = session.get("ws_workshop_id")
        workshop = db.session.get(Workshop, workshop_id) if workshop_id else None
        if workshop is None:
            raise Forbidden("not_connected", _l("Reconnect to the workshop."))
        return workshop


def connect_code(auth: Any) -> str:
    """The workshop code a client asks to connect to (in the auth payload or the query string)."""
    code = auth.get("code") if isinstance(auth, dict) else None
    return code or request.args.get("code", "")
