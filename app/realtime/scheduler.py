"""Closing rounds whose countdown runs out: a wait per timer command, and a check on every sync.

The countdown lives in the database (``app.services.timers``); when a timer that closes its
round is started, resumed or extended, the process that received the command waits for it
in a background task (a greenlet under eventlet or gevent) and then asks the timer service
whether the round is due. A process keeps one wait per round: a newer command replaces the
older wait, and pausing or clearing the timer ends it. If the process restarts before the
end, nothing waits any more, so every ``sync`` (phones and consoles) also closes the open
round when its time is up.
"""
from __future__ import annotations

import itertools
import logging
import threading

from flask import Flask

from app import transaction
from app.extensions import db, socketio
from app.models import Round, Workshop
from app.realtime import broadcast
from app.services import timers

log = logging.getLogger(__name__)

#: A little after the end, so the database clock agrees that the time is up.
GRACE = 0.05


class Schedule:
    """This process's waits for round timers: round id -> the number of the wait in force."""

    def __init__(self) -> None:
        self._waits: dict[int, int] = {}
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def follow(self, app: Flask, round_: Round) -> None:
        """After a timer command on ``round_`` (committed): wait for its end if it closes the
        round then, and stop waiting for any earlier end."""
        delay = timers.closes_in(round_)
        with self._lock:
            if delay is None:
                self._waits.pop(round_.id, None)
                return
            number = self._waits[round_.id] = next(self._numbers)
        socketio.start_background_task(self._wait_and_close, app, round_.id, number, delay)

    def waiting(self, round_id: int) -> bool:
        """Whether this process waits for the round's timer."""
        with self._lock:
            return round_id in self._waits

    def _current(self, round_id: int, number: int) -> bool:
        with self._lock:
            return self._waits.get(round_id) == number

    def _done(self, round_id: int, number: int) -> None:
        with self._lock:
            if self._waits.get(round_id) == number:
                del self._waits[round_id]

    def _wait_and_close(self, app: Flask, round_id: int, number: int, delay: float) -> None:
        socketio.sleep(max(0.0, delay) + GRACE)
        if not self._current(round_id, number):
            return  # a later command replaced this wait
        with app.app_context():
            try:
                round_ = db.session.get(Round, round_id)
                if round_ is not None and transaction.run(lambda: timers.close_if_due(round_)):
                    broadcast.round_state(round_.workshop)
                    _count(round_.workshop)
            except Exception:  # noqa: BLE001 - the next sync closes it if it is still due
                log.exception("closing round %s at the end of its timer failed", round_id)
            finally:
                db.session.remove()
                self._done(round_id, number)


#: The waits of this process.
schedule = Schedule()


def timer_changed(app: Flask, round_: Round) -> None:
    """A timer command on ``round_`` was committed: (re)schedule or drop its close."""
    schedule.follow(app, round_)


def close_if_due(workshop: Workshop) -> None:
    """On a sync: close the open round if its timer ran out while no process waited for it."""
    current = timers.due_round(workshop)
    if current is not None and transaction.run(lambda: timers.close_if_due(current)):
        broadcast.round_state(workshop)
        _count(workshop)


def _count(workshop: Workshop) -> None:
    """A large round closed by its timer is counted by a job worker, as a facilitator's close is."""
    from app import jobs

    jobs.count_results(workshop)
