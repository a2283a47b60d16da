"""The request context a Socket.IO event runs in: lighter than a page's.

Flask-SocketIO pushes a request context for every event, built from the environ of the
connection's handshake. A page's context routes the URL and decodes the signed session
cookie; an event needs neither: it is not a route (routing ``/socket.io/`` only records a
404 nobody reads), and after the connection's first event Flask-SocketIO replaces the
session with the connection's own copy (``saved_session`` in the environ) anyway. Skipping
both is about a tenth of a vote's own CPU in the closed-loop benchmark.
"""
from __future__ import annotations

from flask.ctx import RequestContext


class SocketEventContext(RequestContext):
    """A request context that does not route, opened on the connection's kept session."""

    def match_request(self) -> None:
        return None


def is_socket_event(environ: dict) -> bool:
    """Whether ``environ`` is a Socket.IO connection's: its handshake was made on the Engine.IO
    path, which never reaches a Flask view (the Engine.IO middleware answers it)."""
    path = environ.get("PATH_INFO", "")
    return path == "/socket.io" or path.startswith("/socket.io/")


def event_context(app, environ: dict) -> SocketEventContext:
    """The context of one event: the first opens the session from the handshake's cookie,
    later ones start on the copy Flask-SocketIO keeps for the connection."""
    return SocketEventContext(app, environ, session=environ.get("saved_session"))
