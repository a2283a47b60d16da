"""The single-machine backend: worker processes that take queued jobs from the database.

``wsgi.py`` starts them with the server and restarts one that stops, so ``make run`` needs
nothing else. A worker is a fresh interpreter (``flask jobs worker``), never a fork of the
eventlet-patched server, builds its own app and reads the database itself. Jobs are claimed
with a conditional UPDATE, so several workers never run one job twice.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
POLL_SECONDS = 0.25


def run_worker(app: Flask, *, once: bool = False) -> None:
    """Take queued jobs one at a time until stopped (``flask jobs worker`` without Redis).

    Stops by itself when the server that started it is gone (its parent id changes).
    """
    from app import transaction
    from app.extensions import db
    from app.jobs.runner import execute
    from app.services import jobs

    parent = int(os.environ.get("TAVLE_JOB_PARENT_PID") or 0)
    stopping = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stopping.update(now=True))
    print(f"Tavle job worker: taking jobs from the database (pid {os.getpid()})", flush=True)
    last_purge = 0.0
    while not stopping["now"]:
        if parent and os.getppid() != parent:
            log.info("the server stopped: the job worker stops too")
            return
        with app.app_context():
            try:
                if time.monotonic() - last_purge > 60:
                    transaction.run(jobs.purge_expired)
                    last_purge = time.monotonic()
                job_id = jobs.next_queued()
            except Exception:  # noqa: BLE001 - the database may be restarting; try again shortly
                log.warning("job worker: could not read the queue", exc_info=True)
                job_id = None
            finally:
                db.session.remove()
        if job_id is not None:
            execute(app, job_id)
            continue
        if once:
            return
        time.sleep(POLL_SECONDS)


class Supervisor:
    """Keeps ``count`` local worker processes running beside the server (started by ``wsgi.py``)."""

    def __init__(self, count: int, sleep) -> None:
        self.count = count
        self.sleep = sleep
        self.procs: list[subprocess.Popen | None] = [None] * count
        self.stopped = False

    def _spawn(self, slot: int) -> None:
        env = {**os.environ, "TAVLE_JOB_PARENT_PID": str(os.getpid())}
        self.procs[slot] = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker"], cwd=ROOT, env=env,
        )

    def start(self) -> None:
        for slot in range(self.count):
            self._spawn(slot)

    def watch(self) -> None:
        """Restart a worker that stopped (killed, out of memory); its job is noticed by its lease."""
        while not self.stopped:
            self.sleep(2)
            for slot, proc in enumerate(self.procs):
                if not self.stopped and proc is not None and proc.poll() is not None:
                    print(f"tavle: job worker {proc.pid} stopped (exit {proc.returncode}); starting another", flush=True)
                    self._spawn(slot)

    def stop(self) -> None:
        self.stopped = True
        for proc in self.procs:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            if proc is not None:
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
