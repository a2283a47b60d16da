"""Publishing changes to rooms, after commit, from committed database state.

Tallies are coalesced: a vote only marks its round dirty, and a background task sends each
dirty round's tally at most ``TAVLE_TALLY_HZ`` times a second, reading the database when it
sends, so the last state always reaches everyone however many votes arrive. Presence counts
are coalesced the same way per workshop (``TAVLE_PRESENCE_HZ``): a thousand phones connecting
at once cost a few counts a second, not a thousand.

In a round held in groups, a phone receives only its own group's ideas: they go to the
author group's room (``rooms.group_room``) on the participant namespace, while facilitators
and the projector see every idea.
"""
from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from typing import Any, Callable

from flask import Flask

from app import i18n
from app.extensions import db, socketio
from app.models import Idea, Participant, Round, Worksheet, WorksheetField, Workshop
from app.realtime.rooms import DISPLAY_NS, FACILITATOR_NS, PARTICIPANT_NS, group_room, participant_room, workshop_room
from app.rounds import kind_of
from app.services import attribution, state, worksheets


log = logging.getLogger(__name__)


def _emit(event: str, payload: Any, namespace: str, room: str, *, local: bool = False) -> None:
    # ``local``: to this process's own connections only, not through the message queue (every
    # process sends its own connections the tallies, see ``SharedMarks``).
    if local:
        socketio.emit(event, payload, namespace=namespace, to=room, ignore_queue=True)
    else:
        socketio.emit(event, payload, namespace=namespace, to=room)


def round_state(workshop: Workshop) -> None:
    """The workshop's current round changed (opened, closed, revealed): everyone redraws.

    The projector and the console get their whole new state. Phones get only the current
    round: each then asks for its own state (its ballot, its group's ideas) with ``sync``, so
    a full public state sent to every phone would be built and thrown away.
    """
    state.tally_cache.clear()
    room = workshop_room(workshop.id)
    public = state.snapshot(workshop, state.DISPLAY)
    _emit("round_state", {"round": public["round"]}, PARTICIPANT_NS, room)
    _emit("round_state", public, DISPLAY_NS, room)
    _emit("round_state", state.snapshot(workshop, state.FACILITATOR), FACILITATOR_NS, room)


def idea_changed(idea: Idea, *, added: bool, origin: attribution.Attribution | None = None) -> dict[str, Any]:
    """An idea was added, hidden or shown; hidden ideas reach only facilitators. Returns the
    facilitators' payload (what an ack answers with); ``origin``: the workshop's attribution
    rule, for several ideas changed at once."""
    workshop = idea.round.workshop
    state.tally_cache.clear()  # what a vote runs over may have changed
    room = workshop_room(workshop.id)
    payload = state.idea_payload(idea, workshop, origin)
    event = "idea_added" if added else "idea_updated"
    _emit(event, payload, FACILITATOR_NS, room)
    public = {"id": idea.id, "round_id": idea.round_id, "hidden": True} if idea.hidden else payload
    if added and idea.hidden:
        return payload
    phones = group_room(workshop.id, idea.group_id) if kind_of(idea.round).ideas_by_group(idea.round) else room
    _emit(event, public, PARTICIPANT_NS, phones)
    _emit(event, public, DISPLAY_NS, room)
    return payload


def ballot_changed(participant_id: int, round_id: int, ballot: Any, *, sender: str | None = None) -> None:
    """A participant's ballot changed: every tab of theirs shows it (anonymous: only that they voted).

    ``sender``: the connection that voted, which has the ballot in its ack already. This
    process's other tabs of the participant get it now; with several processes, the ballot
    also rides on the next message that tells the others which tallies changed (at most
    ``TAVLE_TALLY_HZ`` a second, see ``SharedMarks``), and each process hands it to the tabs
    it holds. One phone per person, the common case, costs no send and no message of its own.
    """
    payload = {"round_id": round_id, "ballot": ballot, "voted": True}
    _to_tabs_here(participant_id, payload, sender)
    if _queued():
        shared_marks.add_ballot(participant_id, payload, sender)


def _to_tabs_here(participant_id: int, payload: dict[str, Any], sender: str | None) -> None:
    """``payload`` to this process's connections of the participant, but the sender."""
    room = participant_room(participant_id)
    if any(sid != sender for sid, _eio in socketio.server.manager.get_participants(PARTICIPANT_NS, room)):
        socketio.emit("ballot", payload, namespace=PARTICIPANT_NS, to=room, skip_sid=sender, ignore_queue=True)


def _queued() -> bool:
    """Whether emits go through a message queue to other processes (a scaled-out deployment)."""
    from socketio.pubsub_manager import PubSubManager

    return isinstance(socketio.server.manager, PubSubManager)


def participants_changed(workshop: Workshop) -> None:
    """Someone joined, connected or left: the console and projector get the counts soon (coalesced)."""
    presence_updates.mark(workshop.id)


def send_presence(workshop: Workshop) -> None:
    """Send the workshop's counts now: per group to facilitators, the totals to the projector."""
    from app.realtime.presence import counts

    payload = {"participants": state.participant_count(workshop), **counts(workshop)}
    room = workshop_room(workshop.id)
    _emit("presence", payload, FACILITATOR_NS, room)
    _emit("presence", {"participants": payload["participants"], "connected": payload["connected"]}, DISPLAY_NS, room)


def participant_signed_out(participant: Participant) -> None:
    """A participant's tokens were revoked: close each of their open connections, in every process.

    With a message queue, python-socketio forwards a disconnect for a connection it does not
    hold to the process that does. The phone then shows that it was signed out.
    """
    from app.realtime.presence import presence

    for sid in presence.sids_of(participant.workshop_id, participant.id):
        socketio.server.disconnect(sid, namespace=PARTICIPANT_NS)


def facilitator_signed_out(user_id: int) -> None:
    """An account's sessions ended (logout, new password, disabled): close its open consoles everywhere."""
    from app.realtime.presence import consoles

    for sid in consoles.sids_of(user_id):
        socketio.server.disconnect(sid, namespace=FACILITATOR_NS)


def to_everyone(workshop: Workshop, event: str, payload: Any) -> None:
    """One payload to every audience of the workshop (agenda, timer, comments, worksheets)."""
    room = workshop_room(workshop.id)
    for namespace in (PARTICIPANT_NS, DISPLAY_NS, FACILITATOR_NS):
        _emit(event, payload, namespace, room)


def worksheet_field_changed(workshop: Workshop, sheet: Worksheet, field: WorksheetField) -> None:
    """A worksheet field was saved: the console learns who saved it, others only where names are shown."""
    room = workshop_room(workshop.id)
    _emit("worksheet_field", worksheets.field_payload(sheet, field, names=True), FACILITATOR_NS, room)
    public = worksheets.field_payload(sheet, field, names=workshop.show_names)
    _emit("worksheet_field", public, PARTICIPANT_NS, room)
    _emit("worksheet_field", public, DISPLAY_NS, room)


def comment_changed(workshop: Workshop, payload: dict[str, Any]) -> None:
    """A comment was starred or hidden; a hidden comment's text reaches only facilitators."""
    room = workshop_room(workshop.id)
    _emit("comment_updated", payload, FACILITATOR_NS, room)
    public = payload if not payload.get("hidden") else {
        "id": payload["id"], "round_id": payload["round_id"], "item_index": payload["item_index"], "hidden": True,
    }
    _emit("comment_updated", public, PARTICIPANT_NS, room)
    _emit("comment_updated", public, DISPLAY_NS, room)


def to_facilitators(workshop: Workshop, event: str, payload: Any) -> None:
    _emit(event, payload, FACILITATOR_NS, workshop_room(workshop.id))


def job_progress(job) -> None:
    """A job of the workshop moved on (progress, done, failed): its facilitators' consoles show
    it, in the job's language (its facilitator's: this runs outside any request)."""
    from app.jobs import heading
    from app.services import jobs

    with i18n.in_language(jobs.language(job)):
        payload = jobs.status_payload(job, url=job_url(job))
        payload["heading"] = str(heading(job))
    if "round_id" in (job.params or {}):
        payload["round_id"] = job.params["round_id"]  # counting a round: the console offers "Count again"
    _emit("job_progress", payload, FACILITATOR_NS, workshop_room(job.workshop_id))


def job_url(job) -> str:
    """Where the job is followed and its file fetched: the download's own URL, or the job's page.

    Built from the URL map, not ``url_for``: the job watcher runs outside any request.
    """
    from flask import current_app

    urls = current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    if job.kind == "export" and job.workshop_id is not None:
        workshop = db.session.get(Workshop, job.workshop_id)
        if workshop is not None:
            return urls.build("facilitator.export_workshop",
                              {"code": workshop.code, "fmt": job.params.get("format"), "job": job.id})
    return urls.build("facilitator.job_page", {"job_id": job.id})


def send_tally(round_: Round, *, everywhere: bool = False) -> None:
    """Send the round's tally now: to facilitators always, to everyone when revealed.

    ``everywhere``: through the message queue to every process's connections (the one process
    that counts a round's tally for the deployment, see ``SharedMarks.sends``); otherwise to
    this process's own."""
    payload = state.tally_payload(round_, fresh=True)
    if payload is None:
        return
    local = not everywhere
    payload["voters"] = state.voter_count(round_)
    room = workshop_room(round_.workshop_id)
    _emit("tally", payload, FACILITATOR_NS, room, local=local)
    if not round_.results_revealed:
        return
    _emit("tally", payload, DISPLAY_NS, room, local=local)
    if state.tally_is_per_group(round_):
        # While a round held in groups is open, each group's phones see their own ideas only.
        for group in round_.workshop.groups:
            _emit("tally", state.tally_of_group(payload, group.id), PARTICIPANT_NS, group_room(round_.workshop_id, group.id),
                  local=local)
        _emit("tally", state.tally_of_group(payload, None), PARTICIPANT_NS, group_room(round_.workshop_id, None), local=local)
    else:
        _emit("tally", payload, PARTICIPANT_NS, room, local=local)


class Coalescer:
    """Marks ids dirty and sends each dirty one at most ``hz`` times a second with ``send(id)``."""

    def __init__(self, send: Callable[[int], None], hz_setting: str, default_hz: float, what: str) -> None:
        self._send = send
        self._hz_setting, self._default_hz, self._what = hz_setting, default_hz, what
        self._app: Flask | None = None
        self._interval = 1.0 / default_hz
        self._pending: set[int] = set()
        self._shared: set[int] = set()
        #: Called with the keys changed in this process each time they are sent.
        self.on_send: Callable[[list[int]], None] | None = None
        self._scheduled = False
        self._last_flush = 0.0
        self._lock = threading.Lock()

    def init_app(self, app: Flask) -> None:
        self._app = app
        self._interval = 1.0 / float(app.config.get(self._hz_setting, self._default_hz))

    def mark(self, key: int, *, shared: bool = True) -> None:
        """Ask for ``key``'s state to be sent soon (after the commit that changed it).

        ``shared``: the change happened here, so the other processes are told too when this
        one sends (``SharedMarks``); a mark heard from another process is not passed on.
        """
        with self._lock:
            self._pending.add(key)
            if shared:
                self._shared.add(key)
            if self._scheduled:
                return
            self._scheduled = True
        socketio.start_background_task(self._run)

    def _run(self) -> None:
        # One sender at a time: marks that arrive while it sends are picked up on its next
        # pass, one interval later, so sends never overlap and the newest state goes last.
        assert self._app is not None
        while True:
            delay = self._last_flush + self._interval - time.monotonic()
            if delay > 0:
                socketio.sleep(delay)
            with self._lock:
                pending, self._pending = self._pending, set()
                shared, self._shared = self._shared, set()
                if not pending:
                    self._scheduled = False
                    return
                self._last_flush = time.monotonic()
            with self._app.app_context():
                try:
                    if shared and self.on_send is not None:
                        self.on_send(sorted(shared))
                    for key in sorted(pending):
                        self._send(key)
                except Exception:  # noqa: BLE001 - the next change marks it again
                    import logging

                    logging.getLogger(__name__).exception("sending %s failed", self._what)
                finally:
                    db.session.remove()


def _send_tally_of(round_id: int) -> None:
    to = shared_marks.sends(round_id)
    if to is None:
        return
    round_ = db.session.get(Round, round_id)
    if round_ is not None:
        send_tally(round_, everywhere=to == "everywhere")


def _send_presence_of(workshop_id: int) -> None:
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is not None:
        send_presence(workshop)


#: Claims the right to count a round's tally for the deployment, or keeps it (a Redis script:
#: one round trip). KEYS[1] the round's key; ARGV[1] this process; ARGV[2] the claim's life, ms.
_CLAIM = """
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""


class SharedMarks:
    """The rounds whose tally changed, told to every process of a deployment (Redis pub/sub).

    A process whose phones did not vote must still learn that the round changed: a process
    publishes the rounds it marked at most once per coalescing interval, and every process
    marks them on its own coalescer. One process counts each round's tally and sends it to
    every process's connections through the message queue (``sends``): it holds a claim in
    Redis that it renews on each send and that lapses ``TAVLE_TALLY_CLAIM_MS`` after its
    last; the others skip the round. A process that skipped looks again once a claim could
    have lapsed, and takes the claim and sends if its holder is gone (stopped or killed), so
    the last tally still reaches everyone.
    The same message carries the ballots changed here since the last one (``add_ballot``), for
    participants' other tabs connected to other processes: one message per interval instead
    of one per vote through the Socket.IO message queue, which every process had to decode.
    Without Redis there is one process, and nothing is published.
    """

    def __init__(self, coalescer: Coalescer) -> None:
        self._coalescer = coalescer
        self._url: str | None = None
        self._channel = self._topic = ""
        self._process = uuid.uuid4().hex
        self._client = None
        self._listening = False
        self._lock = threading.Lock()
        #: Ballots changed here since the last message: participant id -> (payload, sender).
        self._ballots: dict[int, tuple[dict[str, Any], str | None]] = {}
        self._claim_ms = 3000
        self._claim_script = None
        #: Rounds skipped for another process's claim: when last skipped, and whether a look
        #: again is due.
        self._skipped: dict[int, float] = {}
        self._looking: set[int] = set()

    def init_app(self, app: Flask) -> None:
        self._claim_ms = int(app.config.get("TAVLE_TALLY_CLAIM_MS", 3000))
        self._claim_script = None
        self._skipped, self._looking = {}, set()
        self._url = app.config.get("TAVLE_REDIS_URL")
        self._channel = app.config.get("TAVLE_REDIS_CHANNEL", "tavle")
        self._topic = f"{self._channel}:tally-marks"
        self._listening = False
        self._client = None
        self._coalescer.on_send = self.publish if self._url else None

    def _redis(self):
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(self._url)
        return self._client

    def _claim(self, round_id: int) -> bool:
        if self._claim_script is None:
            self._claim_script = self._redis().register_script(_CLAIM)
        key = f"{self._channel}:tally-sender:{round_id}"
        return bool(self._claim_script(keys=[key], args=[self._process, self._claim_ms]))

    def sends(self, round_id: int) -> str | None:
        """Where this process sends ``round_id``'s tally now: ``"everywhere"`` (it holds the
        claim: to every process's connections), ``"here"`` (alone, or Redis is away: to its
        own connections, as each process then must) or None (another process holds the claim)."""
        if not self._url:
            return "here"
        try:
            if self._claim(round_id):
                return "everywhere"
        except Exception:  # noqa: BLE001 - without Redis every process sends its own phones theirs
            log.exception("claiming a round's tally failed; sending it to this process's connections")
            return "here"
        with self._lock:
            self._skipped[round_id] = time.monotonic()
            if round_id in self._looking:
                return None
            self._looking.add(round_id)
        socketio.start_background_task(self._look_again, round_id)
        return None

    def _look_again(self, round_id: int) -> None:
        # Every skip is followed, one claim's life later, by a look: if the claim's holder is
        # gone, this process takes it and sends the tally the holder may never have sent.
        while True:
            scheduled = time.monotonic()
            socketio.sleep(self._claim_ms / 1000 + 0.5)
            try:
                taken = self._claim(round_id)
            except Exception:  # noqa: BLE001 - Redis is away: send our own, as without a claim
                taken = True
            with self._lock:
                if taken or self._skipped.get(round_id, 0.0) <= scheduled:
                    self._looking.discard(round_id)
                    self._skipped.pop(round_id, None)
                    break
        if taken:
            self._coalescer.mark(round_id, shared=False)

    def add_ballot(self, participant_id: int, payload: dict[str, Any], sender: str | None) -> None:
        """Tell the other processes of this ballot with the next marks (the newest per participant)."""
        with self._lock:
            self._ballots.pop(participant_id, None)
            self._ballots[participant_id] = (payload, sender)

    def publish(self, round_ids: list[int]) -> None:
        with self._lock:
            ballots, self._ballots = self._ballots, {}
        message = {"from": self._process, "rounds": round_ids,
                   "ballots": [[pid, payload, sender] for pid, (payload, sender) in ballots.items()]}
        try:
            self._redis().publish(self._topic, json.dumps(message))
        except Exception:  # noqa: BLE001 - other processes catch up on the next vote; ours is sent anyway
            log.exception("telling other processes about changed tallies failed")

    def listen(self) -> None:
        """Start hearing other processes' marks (once per process; called on every connect)."""
        if not self._url or self._listening:
            return
        with self._lock:
            if self._listening:
                return
            self._listening = True
        socketio.start_background_task(self._listen)

    def _listen(self) -> None:
        import redis

        while True:
            try:
                pubsub = redis.Redis.from_url(self._url).pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self._topic)
                for message in pubsub.listen():
                    data = json.loads(message["data"])
                    if data.get("from") != self._process:
                        for round_id in data.get("rounds", []):
                            self._coalescer.mark(int(round_id), shared=False)
                        for participant_id, payload, sender in data.get("ballots", []):
                            _to_tabs_here(int(participant_id), payload, sender)
            except Exception:  # noqa: BLE001 - Redis went away: listen again shortly
                log.exception("hearing other processes' tallies failed; retrying")
                socketio.sleep(1.0)


#: Live tallies per round, at most ``TAVLE_TALLY_HZ`` a second.
tallies = Coalescer(_send_tally_of, "TAVLE_TALLY_HZ", 10, "tallies")
#: Changed tallies heard from and told to the deployment's other processes.
shared_marks = SharedMarks(tallies)
#: Presence counts per workshop, at most ``TAVLE_PRESENCE_HZ`` a second.
presence_updates = Coalescer(_send_presence_of, "TAVLE_PRESENCE_HZ", 2, "presence counts")
