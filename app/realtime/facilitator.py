"""Socket.IO handlers for the facilitator's console."""
from __future__ import annotations

from typing import Any

from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from app import transaction
from app.errors import DomainError
from app.realtime import broadcast
from app.realtime.guards import GuardedNamespace, acked, connect_code, ok, payload_dict
from app.realtime.rooms import FACILITATOR_NS, workshop_room
from app.services import ideas, rounds, state, workshops


class FacilitatorNamespace(GuardedNamespace):
    """The console: only a logged-in facilitator of the workshop may connect."""

    audience = state.FACILITATOR

    def on_connect(self, auth: Any = None):
        """Check the login session and that the user facilitates the workshop named in ``auth``."""
        try:
            if not current_user.is_authenticated:
                raise DomainError("login_required", "Log in as the workshop's facilitator.", status=401)
            workshop = workshops.managed_by(current_user, connect_code(auth))
        except DomainError as exc:
            raise ConnectionRefusedError(exc.to_dict()) from None
        self.remember(workshop)
        join_room(workshop_room(workshop.id))

    def managed(self):
        return workshops.managed_by(current_user, self.workshop().code)

    @acked
    def on_sync(self, data: Any = None):
        """The full console state."""
        return ok(state=state.snapshot(self.managed(), state.FACILITATOR))

    @acked
    def on_open_round(self, data: Any):
        """Open a round (closing the one that was open)."""
        workshop = self.managed()
        round_ = rounds.get_round(workshop, payload_dict(data).get("round_id"))
        transaction.run(lambda: rounds.open_round(round_))
        broadcast.round_state(workshop)
        return ok(round=state.round_payload(round_))

    @acked
    def on_close_round(self, data: Any):
        """Close the open round and store its result."""
        workshop = self.managed()
        round_ = rounds.get_round(workshop, payload_dict(data).get("round_id"))
        transaction.run(lambda: rounds.close_round(round_))
        broadcast.round_state(workshop)
        return ok(round=state.round_payload(round_))

    @acked
    def on_reveal_results(self, data: Any):
        """Show or hide a round's results on phones and the projector."""
        data = payload_dict(data)
        workshop = self.managed()
        round_ = rounds.get_round(workshop, data.get("round_id"))
        transaction.run(lambda: rounds.set_revealed(round_, bool(data.get("revealed", True))))
        broadcast.round_state(workshop)
        return ok(round=state.round_payload(round_))

    @acked
    def on_decide_tie(self, data: Any):
        """Order tied ideas of a closed round; stored as a new result snapshot with the decision."""
        data = payload_dict(data)
        workshop = self.managed()
        round_ = rounds.get_round(workshop, data.get("round_id"))
        order = data.get("order")
        if not isinstance(order, list):
            raise DomainError("bad_tie_break", "Send the tied ideas in the order you decide.")
        transaction.run(lambda: rounds.decide_tie(round_, order))
        broadcast.round_state(workshop)
        return ok(tally=state.tally_payload(round_))

    @acked
    def on_hide_idea(self, data: Any):
        """Hide an idea from the wall and later votes (``hidden: false`` shows it again)."""
        data = payload_dict(data)
        workshop = self.managed()
        idea = ideas.get_idea(workshop, data.get("idea_id"))
        transaction.run(lambda: ideas.set_hidden(idea, bool(data.get("hidden", True))))
        broadcast.idea_changed(idea, added=False)
        return ok(idea=state.idea_payload(idea, workshop))


def register(socketio) -> None:
    socketio.on_namespace(FacilitatorNamespace(FACILITATOR_NS))
