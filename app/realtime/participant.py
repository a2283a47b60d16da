"""Socket.IO handlers for participants' phones."""
from __future__ import annotations

from typing import Any

from flask import current_app, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_socketio import ConnectionRefusedError, join_room, leave_room, rooms

from app import i18n, transaction
from app.errors import DomainError, Forbidden
from app.extensions import db
from app.limits import check_socket_lookup, check_submission
from app.models import Participant
from app.realtime import broadcast, scheduler
from app.realtime.guards import GuardedNamespace, acked, connect_code, ok, payload_dict
from app.realtime.presence import presence
from app.realtime.rooms import PARTICIPANT_NS, group_room, is_group_room, participant_room, workshop_room
from app.rounds import vote_events
from app.numbers import record_id
from app.services import attribution, ballots, comments, ideas, ops, participants, rounds, state, surveys, worksheets, workshops


class ParticipantNamespace(GuardedNamespace):
    """A participant's phone: identified by the signed cookie of the workshop it joined."""


    def on_connect(self, auth: Any = None):
        """Check the participant cookie for the workshop code given in ``auth``."""
        code = connect_code(auth)
        try:
            workshop = check_socket_lookup(code, lambda: workshops.by_code(code))
            i18n.use(workshop.language)  # a phone is answered in its workshop's language from here on
            participant = participants.from_token(workshop, request.cookies.get(participants.cookie_name(workshop)))
        except DomainError as exc:
            raise ConnectionRefusedError(exc.message, exc.to_dict()) from None
        self.remember(workshop, participant)
        session["ws_token_version"] = participant.token_version
        join_room(workshop_room(workshop.id))
        join_room(participant_room(participant.id))
        self.follow_group(participant)
        broadcast.participants_changed(workshop)

    def follow_group(self, participant: Participant) -> bool:
        """Put this connection in the participant's group room only, as the database says now.

        Called on connect and on every ``sync`` (a move or new groups send ``round_state``, and
        phones sync on it), so it holds on every process. Returns whether the group changed.
        """
        wanted = group_room(participant.workshop_id, participant.group_id)
        current = [r for r in rooms() if is_group_room(r, participant.workshop_id)]
        if current == [wanted]:
            return False
        for room in current:
            leave_room(room)
        join_room(wanted)
        presence.add(participant.workshop_id, request.sid, participant.id, participant.group_id)
        return True

    def on_disconnect(self, reason: Any = None):
        """Count the phone as gone."""
        workshop_id = session.get("ws_workshop_id")
        if workshop_id:
            presence.remove(workshop_id, request.sid)
            broadcast.presence_updates.mark(workshop_id)

    def me(self, submitting: str | None = None, event: str = "") -> Participant:
        """This connection's participant; ``submitting`` (a kind of ``app.limits``) counts one
        submission against the participant's rate limit first."""
        return self._checked(db.session.get(Participant, session.get("ws_participant_id") or 0), submitting, event)

    def _checked(self, participant: Any, submitting: str | None, event: str) -> Any:
        # The connection already knows its workshop, so the workshop is loaded only by handlers
        # that use it. Every participant event comes through here, so a token revoked since
        # this connection opened (people page, "Not you?") stops working at once, even before
        # the disconnect lands.
        workshop_id = session.get("ws_workshop_id")
        if workshop_id is None:
            raise Forbidden("not_connected", _l("Reconnect to the workshop."))
        if participant is None or participant.workshop_id != workshop_id:
            raise Forbidden("not_joined", _l("You are no longer part of this workshop. Join again with the code."))
        if participant.token_version != session.get("ws_token_version"):
            raise Forbidden("signed_out", participants.SIGNED_OUT_MESSAGE)
        if submitting:
            check_submission(submitting, participant.id, event)
        return participant

    @acked
    def on_sync(self, data: Any = None):
        """The full state for this participant (after a reconnect or a round change)."""
        participant = self.me()
        scheduler.close_if_due(participant.workshop)
        if self.follow_group(participant):
            broadcast.participants_changed(participant.workshop)
        return ok(state=state.snapshot(participant.workshop, state.PARTICIPANT, participant))

    @acked
    def on_submit_idea(self, data: Any):
        """Add an idea to the open brainstorm round."""
        data = payload_dict(data)
        participant = self.me("ideas")
        round_ = rounds.get_round(participant.workshop, data.get("round_id"))
        submitted = transaction.run(
            lambda: ideas.submit_idea(participant, round_, op_id=data.get("op_id"), title=data.get("title"), details=data.get("details", ""))
        )
        if submitted.replayed:
            return ok(idea=state.idea_payload(submitted.idea, participant.workshop), replayed=True)
        return ok(idea=broadcast.idea_changed(submitted.idea, added=True), replayed=False)

    def _vote(self, data: Any, action: str):
        data = payload_dict(data)
        op_id = ops.check_op_id(data.get("op_id"))
        round_id = record_id(data.get("round_id"), "round_id", _l("round"))
        participant_id = session.get("ws_participant_id") or 0
        # Counted before the read, so a vote retried on a concurrent write counts once.
        if session.get("ws_workshop_id") is not None:
            check_submission("votes", participant_id, action)

        def vote():
            read = ballots.read_vote(participant_id, round_id, op_id)
            participant = self._checked(read.participant, None, action)
            return ballots.cast(participant, read.round, op_id=op_id, payload=data, action=action, read=read)

        # A named vote writes its ballot and op id in one statement: no transaction around it.
        cast = transaction.run(vote, single_statements=True)
        round_ = cast.round
        if not cast.replayed:
            broadcast.ballot_changed(participant_id, round_.id, cast.content, sender=request.sid)
            broadcast.tallies.mark(round_.id)
        return ok(round_id=round_.id, ballot=cast.content, voted=cast.voted, replayed=cast.replayed)

    @acked
    def on_submit_comment(self, data: Any):
        """Comment on item ``item_index`` of the open comment round."""
        data = payload_dict(data)
        participant = self.me("comments")
        round_ = rounds.get_round(participant.workshop, data.get("round_id"))
        comment, replayed = transaction.run(lambda: comments.submit_comment(
            participant, round_, op_id=data.get("op_id"), item_index=data.get("item_index"), text=data.get("text")))
        payload = comments.comment_payload(comment, participant.workshop)
        if not replayed:
            broadcast.to_everyone(participant.workshop, "comment_added", payload)
        return ok(comment=payload, replayed=replayed)

    @acked
    def on_edit_worksheet(self, data: Any):
        """Save one field (its ``text``, a table's ``rows``) of a worksheet of the participant's group, from ``base_version``."""
        data = payload_dict(data)
        participant = self.me("worksheet_edits")
        sheet = worksheets.get_worksheet(participant.workshop, data.get("worksheet_id"))
        # Stored with the field and shown to the workshop: in its language (this connection's).
        # A participant without a name is told as any of their ideas would be (``attribution``).
        editor = (participant.name or attribution.for_workshop(participant.workshop).label(participant)
                  or _("A participant"))
        field = transaction.run(lambda: worksheets.edit_field(
            sheet, data.get("key"), data.get("text"), data.get("base_version"), editor=editor, participant=participant,
            rows=data.get("rows")))
        broadcast.worksheet_field_changed(participant.workshop, sheet, field)
        return ok(field=worksheets.field_payload(sheet, field, names=participant.workshop.show_names))

    @acked
    def on_submit_survey(self, data: Any):
        """Answer an open survey (``survey_id``, ``answers`` by question id); once per participant."""
        data = payload_dict(data)
        participant = self.me("survey_responses")
        survey = surveys.get_survey(participant.workshop, data.get("survey_id"))
        _, replayed = transaction.run(lambda: surveys.submit_response(participant, survey, data.get("answers"), op_id=data.get("op_id")))
        if not replayed:
            broadcast.to_facilitators(participant.workshop, "survey_results", surveys.summary(survey))
        return ok(replayed=replayed)


def _vote_handler(action: str, doc: str):
    """The handler of vote event ``action``: every vote event goes through ``_vote``."""

    def handler(self, data: Any):
        return self._vote(data, action)

    handler.__name__ = f"on_{action}"
    handler.__qualname__ = f"ParticipantNamespace.on_{action}"
    handler.__doc__ = doc
    return acked(handler)


# One handler per vote event of the round-kind registry (each voting kind's ``action``, and
# ``submit_ballot``), so a new kind's event is answered without a line here.
for _action, _doc in vote_events().items():
    setattr(ParticipantNamespace, f"on_{_action}", _vote_handler(_action, _doc))


def register(socketio) -> None:
    socketio.on_namespace(ParticipantNamespace(PARTICIPANT_NS))
