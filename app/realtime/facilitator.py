"""Socket.IO handlers for the facilitator's console."""
from __future__ import annotations

from typing import Any

from flask import current_app, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from app import jobs as job_runner
from app import transaction
from app.errors import DomainError
from app.numbers import whole_number
from app.realtime import broadcast, scheduler
from app.realtime.guards import GuardedNamespace, acked, as_bool, connect_code, ok, payload_dict
from app.realtime.presence import consoles
from app.realtime.presence import counts as presence_counts
from app.realtime.rooms import FACILITATOR_NS, workshop_room
from app.rounds import kind_of
from app.services import agenda, attribution, comments, curation, ideas, roster, rounds, state, timers, worksheets, workshops


class FacilitatorNamespace(GuardedNamespace):
    """The console: only a logged-in facilitator of the workshop may connect."""


    def on_connect(self, auth: Any = None):
        """Check the login session and that the user facilitates the workshop named in ``auth``."""
        try:
            if not current_user.is_authenticated:
                raise DomainError("login_required", _l("Log in as the workshop's facilitator."), status=401)
            workshop = workshops.managed_by(current_user, connect_code(auth))
        except DomainError as exc:
            raise ConnectionRefusedError(exc.message, exc.to_dict()) from None
        self.remember(workshop)
        session["ws_user_id"] = current_user.id
        join_room(workshop_room(workshop.id))
        consoles.add(current_user.id, request.sid)

    def on_disconnect(self, reason: Any = None):
        """Forget the console connection."""
        user_id = session.get("ws_user_id")
        if user_id:
            consoles.remove(user_id, request.sid)

    def managed(self):
        # Flask-Login loads the user again for every event (from this connection's copy of the
        # login session), and the loader checks the session version: after a logout, a new
        # password or disabling, the next event is refused even if the disconnect was missed.
        if not current_user.is_authenticated or current_user.id != session.get("ws_user_id"):
            raise DomainError("login_required", _l("You have been logged out. Log in again to run the workshop."), status=401)
        return workshops.managed_by(current_user, self.workshop().code)

    @acked
    def on_sync(self, data: Any = None):
        """The full console state."""
        workshop = self.managed()
        scheduler.close_if_due(workshop)
        return ok(state={**state.snapshot(workshop, state.FACILITATOR), **presence_counts(workshop)})

    def _round_change(self, data: Any, change) -> dict:
        """Apply ``change(round_, data)`` to the round named in ``data``; everyone redraws."""
        data = payload_dict(data)
        workshop = self.managed()
        round_ = rounds.get_round(workshop, data.get("round_id"))
        transaction.run(lambda: change(round_, data))
        broadcast.round_state(workshop)
        return round_

    @acked
    def on_open_round(self, data: Any):
        """Open a round (closing the one that was open)."""
        return ok(round=state.round_payload(self._round_change(data, lambda r, d: rounds.open_round(r))))

    @acked
    def on_close_round(self, data: Any):
        """Close the open round and store its result (a large round's result follows from a job)."""
        round_ = self._round_change(data, lambda r, d: rounds.close_round(r, defer=rounds.counts_in_job(r)))
        if round_.result_pending:
            job_runner.count_results(round_.workshop, current_user._get_current_object())
        return ok(round=state.round_payload(round_))

    @acked
    def on_count_result(self, data: Any):
        """Count a closed round's result again after its job failed (``round_id``)."""
        data = payload_dict(data)
        workshop = self.managed()
        round_ = rounds.get_round(workshop, data.get("round_id"))
        if not round_.result_pending:
            raise DomainError("not_pending", _l("“%(title)s” has its result already.", title=round_.title))
        job_runner.count_results(workshop, current_user._get_current_object(), again=True)
        return ok(round=state.round_payload(round_))

    @acked
    def on_reveal_results(self, data: Any):
        """Show or hide a round's results on phones and the projector."""
        change = lambda r, d: rounds.set_revealed(r, as_bool(d.get("revealed", True)))  # noqa: E731
        return ok(round=state.round_payload(self._round_change(data, change)))

    @acked
    def on_decide_tie(self, data: Any):
        """Order tied ideas of a closed round; stored as a new result snapshot with the decision."""
        def decide(round_, d):
            if not isinstance(d.get("order"), list):
                raise DomainError("bad_tie_break", rounds.TIE_ORDER_MESSAGE)
            rounds.decide_tie(round_, d["order"])

        return ok(tally=state.tally_payload(self._round_change(data, decide)))

    @acked
    def on_hide_idea(self, data: Any):
        """Hide an idea from the wall and later votes (``hidden: false`` shows it again)."""
        data = payload_dict(data)
        workshop = self.managed()
        idea = ideas.get_idea(workshop, data.get("idea_id"))
        transaction.run(lambda: ideas.set_hidden(idea, as_bool(data.get("hidden", True))))
        return ok(idea=broadcast.idea_changed(idea, added=False))


    # --- agenda and timers ------------------------------------------------------------------
    @acked
    def on_set_agenda_now(self, data: Any):
        """Move the agenda's "now" marker (``item_id``; null clears it)."""
        workshop = self.managed()
        transaction.run(lambda: agenda.set_now(workshop, payload_dict(data).get("item_id")))
        broadcast.to_everyone(workshop, "agenda", agenda.payload(workshop))
        return ok(agenda=agenda.payload(workshop))

    @acked
    def on_reorder_agenda(self, data: Any):
        """Put the agenda items in ``order`` (all item ids)."""
        workshop = self.managed()
        transaction.run(lambda: agenda.reorder(workshop, payload_dict(data).get("order")))
        broadcast.to_everyone(workshop, "agenda", agenda.payload(workshop))
        return ok(agenda=agenda.payload(workshop))

    def _timer(self, data: Any, change):
        data = payload_dict(data)
        workshop = self.managed()
        round_ = rounds.get_round(workshop, data.get("round_id"))
        transaction.run(lambda: change(round_, data))
        payload = timers.payload(round_) or {"round_id": round_.id, "running": False, "ends_at": None, "remaining": None}
        broadcast.to_everyone(workshop, "timer", payload)
        scheduler.timer_changed(current_app._get_current_object(), round_)
        return ok(timer=payload)

    @acked
    def on_start_timer(self, data: Any):
        """Start a countdown of ``seconds`` on an open round (``auto_close``: close it at zero)."""
        return self._timer(data, lambda r, d: timers.start(r, d.get("seconds"), auto_close=as_bool(d.get("auto_close"))))

    @acked
    def on_pause_timer(self, data: Any):
        """Pause the round's countdown."""
        return self._timer(data, lambda r, d: timers.pause(r))

    @acked
    def on_resume_timer(self, data: Any):
        """Resume a paused countdown."""
        return self._timer(data, lambda r, d: timers.resume(r))

    @acked
    def on_extend_timer(self, data: Any):
        """Add ``seconds`` to the countdown."""
        return self._timer(data, lambda r, d: timers.extend(r, d.get("seconds")))

    @acked
    def on_clear_timer(self, data: Any):
        """Remove the countdown."""
        return self._timer(data, lambda r, d: timers.clear(r))

    # --- groups -------------------------------------------------------------------------
    @acked
    def on_assign_groups(self, data: Any):
        """Split everyone into ``count`` cross-sector groups (replaces existing groups)."""
        workshop = self.managed()
        count = whole_number(payload_dict(data).get("count"), _l("count (the number of groups)"), code="bad_group_count",
                             message=roster.GROUP_COUNT_MESSAGE)
        transaction.run(lambda: roster.assign_groups(workshop, count))
        broadcast.round_state(workshop)
        return ok(groups=roster.groups_payload(workshop))

    @acked
    def on_move_participant(self, data: Any):
        """Move one participant to ``group_id`` (null: out of every group)."""
        data = payload_dict(data)
        workshop = self.managed()
        participant = roster.get_participant(workshop, data.get("participant_id"))
        group = roster.get_group(workshop, data["group_id"]) if data.get("group_id") not in (None, "") else None
        transaction.run(lambda: roster.move(participant, group))
        broadcast.round_state(workshop)
        return ok(groups=roster.groups_payload(workshop))

    # --- idea curation --------------------------------------------------------------------
    def _ideas_changed(self, workshop, changed) -> list[dict]:
        """Tell everyone of ``changed`` ideas (one attribution rule for all); their payloads."""
        origin = attribution.for_workshop(workshop)
        payloads = [broadcast.idea_changed(idea, added=False, origin=origin) for idea in changed]
        current = workshop.open_round
        if current is not None and kind_of(current).votes:
            broadcast.tallies.mark(current.id)
        return payloads

    @acked
    def on_edit_idea(self, data: Any):
        """Change an idea's ``title`` and ``details``."""
        data = payload_dict(data)
        workshop = self.managed()
        idea = ideas.get_idea(workshop, data.get("idea_id"))
        transaction.run(lambda: curation.edit_idea(idea, title=data.get("title"), details=data.get("details")))
        return ok(idea=self._ideas_changed(workshop, [idea])[0])

    @acked
    def on_set_theme(self, data: Any):
        """Tag an idea with a ``theme`` (empty removes it)."""
        data = payload_dict(data)
        workshop = self.managed()
        idea = ideas.get_idea(workshop, data.get("idea_id"))
        transaction.run(lambda: curation.set_theme(idea, data.get("theme")))
        return ok(idea=self._ideas_changed(workshop, [idea])[0])

    @acked
    def on_merge_ideas(self, data: Any):
        """Merge ``source_ids`` into ``target_id``; votes follow, recorded, undoable."""
        data = payload_dict(data)
        workshop = self.managed()
        merges = transaction.run(lambda: curation.merge(workshop, data.get("target_id"), data.get("source_ids")))
        changed = [ideas.get_idea(workshop, m.source_id) for m in merges] + [ideas.get_idea(workshop, data.get("target_id"))]
        self._ideas_changed(workshop, changed)
        return ok(merges=curation.merges_of(workshop))

    @acked
    def on_undo_merge(self, data: Any):
        """Undo merge ``merge_id``."""
        workshop = self.managed()
        source = transaction.run(lambda: curation.undo_merge(workshop, payload_dict(data).get("merge_id")))
        self._ideas_changed(workshop, [source])
        return ok(merges=curation.merges_of(workshop))

    # --- comments and worksheets ----------------------------------------------------------
    @acked
    def on_flag_comment(self, data: Any):
        """Star a comment for the report (``starred``) or hide it (``hidden``)."""
        data = payload_dict(data)
        workshop = self.managed()
        comment = comments.get_comment(workshop, data.get("comment_id"))
        transaction.run(lambda: comments.set_flags(
            comment, starred=None if data.get("starred") is None else as_bool(data["starred"]),
            hidden=None if data.get("hidden") is None else as_bool(data["hidden"])))
        payload = comments.comment_payload(comment, workshop)
        broadcast.comment_changed(workshop, payload)
        return ok(comment=payload)

    @acked
    def on_edit_worksheet(self, data: Any):
        """Save one worksheet field (``worksheet_id``, ``key``, ``text`` or a table's ``rows``, ``base_version``)."""
        data = payload_dict(data)
        workshop = self.managed()
        sheet = worksheets.get_worksheet(workshop, data.get("worksheet_id"))
        field = transaction.run(lambda: worksheets.edit_field(
            sheet, data.get("key"), data.get("text"), data.get("base_version"), editor=current_user.name,
            rows=data.get("rows")))
        broadcast.worksheet_field_changed(workshop, sheet, field)
        return ok(field=worksheets.field_payload(sheet, field, names=True))

    @acked
    def on_assign_worksheet(self, data: Any):
        """Give worksheet ``worksheet_id`` to group ``group_id``."""
        data = payload_dict(data)
        workshop = self.managed()
        sheet = worksheets.get_worksheet(workshop, data.get("worksheet_id"))
        transaction.run(lambda: worksheets.assign_group(sheet, data.get("group_id"), workshop))
        broadcast.round_state(workshop)
        return ok()


def register(socketio) -> None:
    socketio.on_namespace(FacilitatorNamespace(FACILITATOR_NS))
