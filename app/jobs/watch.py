"""Telling the console how a job is getting on: ``job_progress`` to the workshop's facilitators.

The process that submitted a job watches it (so with several web processes each job is
announced once), reading its row every half second from a background task that yields to
the event loop between reads, and stops when it has nothing left to watch.
"""
from __future__ import annotations

import logging
import threading

from flask import Flask

log = logging.getLogger(__name__)
INTERVAL = 0.5


class JobWatcher:
    def __init__(self) -> None:
        self._app: Flask | None = None
        self._seen: dict[str, tuple] = {}
        self._running = False
        self._lock = threading.Lock()

    def init_app(self, app: Flask) -> None:
        self._app = app

    def watch(self, job_id: str) -> None:
        """Announce ``job_id``'s progress until it ends."""
        from app.extensions import socketio

        with self._lock:
            self._seen.setdefault(job_id, ())
            if self._running:
                return
            self._running = True
        socketio.start_background_task(self._run)

    def _run(self) -> None:
        from app import transaction
        from app.errors import DomainError
        from app.extensions import db, socketio
        from app.jobs.kinds import KINDS
        from app.models import JobStatus
        from app.realtime import broadcast
        from app.services import jobs

        assert self._app is not None
        while True:
            socketio.sleep(INTERVAL)
            with self._lock:
                ids = list(self._seen)
                if not ids:
                    self._running = False
                    return
            with self._app.app_context():
                try:
                    found = {job.id: job for job in jobs.watched(ids)}
                    for job_id in ids:
                        job = found.get(job_id)
                        if job is None:
                            self._seen.pop(job_id, None)
                            continue
                        try:
                            transaction.run(lambda: jobs.get(job_id))  # notices a lost worker
                        except DomainError:  # expired meanwhile
                            pass
                        state = (job.status, job.progress_done, job.progress_total, job.progress_label, job.error_code)
                        kind = KINDS.get(job.kind)
                        if state != self._seen.get(job_id):
                            self._seen[job_id] = state
                            if job.workshop_id is not None and not (kind is not None and kind.quiet):
                                broadcast.job_progress(job)
                        if job.status in (JobStatus.DONE, JobStatus.FAILED):
                            self._seen.pop(job_id, None)
                            if job.status is JobStatus.DONE and kind is not None and kind.after is not None:
                                kind.after(job)
                except Exception:  # noqa: BLE001 - the page polls too; the next pass tries again
                    log.exception("watching jobs failed")
                finally:
                    db.session.remove()


watcher = JobWatcher()
