"""Socket.IO handlers for the projector view (read-only; the join code is enough)."""
from __future__ import annotations

from typing import Any

from flask_socketio import ConnectionRefusedError, join_room

from app import i18n
from app.errors import DomainError
from app.limits import check_socket_lookup
from app.realtime.guards import GuardedNamespace, acked, connect_code, ok
from app.realtime.presence import counts as presence_counts
from app.realtime.rooms import DISPLAY_NS, workshop_room
from app.services import state, workshops


class DisplayNamespace(GuardedNamespace):
    """The projector: sees what the whole room sees, sends nothing but ``sync``."""


    def on_connect(self, auth: Any = None):
        """Follow the workshop named by its code in ``auth``."""
        code = connect_code(auth)
        try:
            workshop = check_socket_lookup(code, lambda: workshops.by_code(code))
        except DomainError as exc:
            raise ConnectionRefusedError(exc.message, exc.to_dict()) from None
        i18n.use(workshop.language)
        self.remember(workshop)
        join_room(workshop_room(workshop.id))

    @acked
    def on_sync(self, data: Any = None):
        """The full projector state, with how many phones are connected (a count only)."""
        workshop = self.workshop()
        return ok(state={**state.snapshot(workshop, state.DISPLAY), "connected": presence_counts(workshop)["connected"]})


def register(socketio) -> None:
    socketio.on_namespace(DisplayNamespace(DISPLAY_NS))
