"""The job runner: heavy work never runs in the event loop.

``submit(kind, workshop=..., params=...)`` records a job (or finds the same one already asked
for) and hands it to a backend; a worker process runs it, reports progress and writes its
result once, under the workshop, until it expires. Two backends, one interface:

- **local** (the default): worker processes started by ``wsgi.py`` take queued jobs from the
  database (``app.jobs.local``);
- **redis** (``TAVLE_JOBS=redis``, the default when ``TAVLE_REDIS_URL`` is set): Dramatiq on
  the deployment's Redis, workers started as processes of their own (``app.jobs.redis_queue``).

Either way the state lives in the ``job`` table (``app.services.jobs``), so every web process
answers for every job, and a worker that stops is noticed by its lease.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import transaction
from app.errors import DomainError
from app.jobs.kinds import KINDS, heading
from app.jobs.watch import watcher
from app.models import Job, User, Workshop
from app.services import jobs

log = logging.getLogger(__name__)
BACKENDS = ("local", "redis")
QUEUE_DOWN = _l("The job queue is not reachable right now, so this cannot be built. Voting and the live views "
                "carry on; try again in a minute, or ask whoever runs the server to check Redis.")

__all__ = ["BACKENDS", "KINDS", "QUEUE_DOWN", "count_results", "dispatch", "heading", "submit", "watcher"]


def backend() -> str:
    return current_app.config.get("TAVLE_JOBS", "local")


def dispatch(job: Job) -> None:
    """Hand a committed, queued job to the backend.

    Raises:
        DomainError: ``queue_unavailable`` (503) when the Redis queue cannot be reached.
    """
    if backend() == "redis":
        from app.jobs import redis_queue

        try:
            redis_queue.send(current_app._get_current_object(), job.id)
        except Exception as exc:  # noqa: BLE001 - redis-py raises several kinds for "not there"
            log.warning("job queue unavailable: %s", exc)
            raise DomainError("queue_unavailable", QUEUE_DOWN, status=503) from None
    # local: the workers poll the job table; nothing to send.


def submit(kind: str, *, workshop: Workshop | None = None, user: User | None = None,
           params: dict[str, Any] | None = None, key_parts: tuple[str, ...] = (), input: bytes | None = None,
           again: bool = False) -> Job:
    """The job for this work, started if it is new; joined if the same work is queued, running or done.

    Commits the job row before the backend sees its id (a worker reads it from the database).
    A queue that cannot be reached leaves the job failed with ``queue_unavailable``.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    queue = "local"
    if backend() == "redis":
        from app.jobs import redis_queue

        queue = redis_queue.queue_name(current_app._get_current_object())
    job, created = transaction.run(lambda: jobs.request(kind, workshop=workshop, user=user, params=params,
                                                        key_parts=key_parts, input=input, again=again, queue=queue))
    if created:
        try:
            dispatch(job)
        except DomainError as exc:
            transaction.run(lambda: jobs.fail(job, exc.code, exc.lazy_message))
            return job
        watcher.watch(job.id)
    return job


def count_results(workshop: Workshop, user: User | None = None, *, again: bool = False) -> list[Job]:
    """Have a worker count every round of ``workshop`` closed with its result pending.

    Called after a change that may have closed a large round has committed (by a facilitator,
    or by a timer). One job per close (asking twice joins the first). When the queue cannot
    be reached the round is counted here after all: a late result in the event loop is
    better than none, and the facilitator sees it at once.
    """
    from app.services import rounds

    started = []
    for round_ in rounds.pending_rounds(workshop):
        closed = round_.closed_at.isoformat() if round_.closed_at else ""
        job = submit("count_result", workshop=workshop, user=user, params={"round_id": round_.id},
                     key_parts=(closed,), again=again)
        if job.error_code == "queue_unavailable":
            log.warning("counting round %s here: %s", round_.id, job.error_message)
            transaction.run(lambda r=round_: rounds.count_result(r))
        started.append(job)
    return started
