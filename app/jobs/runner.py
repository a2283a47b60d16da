"""Running one job inside a worker process: claim it, keep its lease, run its kind, write the end once.

A job runs in the language of the facilitator it is for (``app.services.jobs.language``), so
its refusals, and whatever it writes for them to read (a roster import's rejected rows), are in
theirs; a kind that builds a workshop's file speaks the workshop's language inside that.
"""
from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from flask_babel import lazy_gettext as _l

from app import i18n, transaction
from app.errors import DomainError
from app.extensions import db
from app.jobs.kinds import KINDS, JobContext
from app.models import Job
from app.services import jobs

log = logging.getLogger(__name__)


class _Lease:
    """Renews the job's heartbeat from a thread of its own while the job's work holds the main one.

    Heartbeats and progress go through a connection of their own, so they are seen at once
    while the job's own writes stay in its open transaction until they are complete.
    """

    def __init__(self, app: Flask, job_id: str) -> None:
        self.app = app
        self.job_id = job_id
        self.interval = max(0.2, float(app.config.get("TAVLE_JOB_LEASE", 30)) / 5)
        self._stop = threading.Event()
        self._last_progress = 0.0
        self._thread = threading.Thread(target=self._beat, name=f"job-lease-{job_id[:8]}", daemon=True)

    def __enter__(self) -> "_Lease":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)

    def _write(self, progress: tuple[int, int, str] | None = None) -> None:
        try:
            with db.engine.begin() as conn:
                conn.execute(jobs.heartbeat(self.job_id, progress))
        except Exception:  # noqa: BLE001 - a missed beat is retried; the lease is several beats long
            log.warning("job %s: could not renew its lease", self.job_id, exc_info=True)

    def _beat(self) -> None:
        with self.app.app_context():
            while not self._stop.wait(self.interval):
                self._write()

    def progress(self, done: int, total: int, label: str) -> None:
        """Record how far the job got (at most a few writes a second; the last one always)."""
        now = time.monotonic()
        if done < total and now - self._last_progress < 0.2:
            return
        self._last_progress = now
        self._write((done, total, label))


def execute(app: Flask, job_id: str) -> str | None:
    """Run job ``job_id`` if it is still queued; returns its final status (None if another worker took it)."""
    with app.app_context():
        try:
            job = transaction.run(lambda: jobs.claim(job_id))
            if job is None:
                return None
            with i18n.in_language(jobs.language(job)):
                return _run(app, job)
        finally:
            db.session.remove()


def _run(app: Flask, job: Job) -> str:
    """Run the claimed ``job`` and write how it ended; returns its final status."""
    job_id = job.id
    kind = KINDS.get(job.kind)
    if kind is None:
        transaction.run(lambda: jobs.fail_running(job_id, "unknown_job", _l("There is no job kind “%(kind)s”.", kind=job.kind)))
        return "failed"
    data = db.session.scalar(db.select(Job.input).where(Job.id == job_id))
    log.info("job %s (%s) started", job_id, job.kind)
    started = time.monotonic()
    with _Lease(app, job_id) as lease:
        ctx = JobContext(job=job, input=data, progress=lease.progress)
        try:
            # The kind's writes (an import) and the job's end commit together, or not at all.
            transaction.run(lambda: jobs.finish(job_id, kind.run(ctx), keep_key=kind.keep_result), retries=2)
        except DomainError as exc:
            db.session.rollback()
            transaction.run(lambda: jobs.fail_running(job_id, exc.code, exc.message))
            log.info("job %s refused: %s", job_id, exc.message)
            return "failed"
        except Exception as exc:  # noqa: BLE001 - whatever a job raises is reported to whoever waits
            db.session.rollback()
            log.exception("job %s failed", job_id)
            message = (_l("Building this failed: %(reason)s", reason=str(exc)) if str(exc)
                       else _l("Building this failed (%(error)s).", error=type(exc).__name__))
            transaction.run(lambda: jobs.fail_running(job_id, "job_failed", message))
            return "failed"
    log.info("job %s done in %.2f s", job_id, time.monotonic() - started)
    return "done"
