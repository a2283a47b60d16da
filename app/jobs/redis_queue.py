"""The scaled-out backend: Dramatiq on the deployment's Redis, workers as processes of their own.

Every key Dramatiq keeps lives under the broker's namespace, which is the deployment's
``TAVLE_REDIS_CHANNEL``, and so is the queue's name: two deployments sharing a Redis never
take each other's jobs. Dramatiq only carries "run job <id>"; the job's state, progress and
result stay in the database, so any web process can answer for it.
"""
from __future__ import annotations

import logging
import re
import signal
import threading
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)
ACTOR_NAME = "tavle_run_job"
_brokers: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()
_worker_app: Flask | None = None


def namespace(app: Flask) -> str:
    return f"{app.config.get('TAVLE_REDIS_CHANNEL', 'tavle')}:jobs"


def queue_name(app: Flask) -> str:
    # Dramatiq queue names are letters, digits, dots, dashes and underscores.
    return re.sub(r"[^A-Za-z0-9_.-]", "_", str(app.config.get("TAVLE_REDIS_CHANNEL", "tavle"))) + ".jobs"


def _run(job_id: str) -> None:
    from app.jobs.runner import execute

    assert _worker_app is not None, "the actor runs only inside `flask jobs worker`"
    execute(_worker_app, job_id)


def actor(app: Flask):
    """The actor that runs a job by id, bound to this deployment's broker (made once per process)."""
    import dramatiq
    import redis
    from dramatiq.brokers.redis import RedisBroker

    url = app.config["TAVLE_JOBS_REDIS_URL"]
    key = (url, namespace(app))
    with _lock:
        if key not in _brokers:
            # Short timeouts: a Redis that is down must answer "unavailable" quickly, not hang a request.
            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
            broker = RedisBroker(client=client, namespace=namespace(app))
            _brokers[key] = dramatiq.Actor(
                _run, broker=broker, actor_name=ACTOR_NAME, queue_name=queue_name(app), priority=0,
                # The job row decides about retries (a facilitator starts again); the lease
                # notices a stopped worker, so Dramatiq's own limits only stop runaways.
                options={"max_retries": 0, "time_limit": int(app.config.get("TAVLE_JOB_TIME_LIMIT", 1800)) * 1000},
            )
        return _brokers[key]


def send(app: Flask, job_id: str) -> None:
    """Queue job ``job_id``; raises the Redis client's error when Redis cannot be reached."""
    actor(app).send(job_id)


def run_worker(app: Flask, threads: int = 1) -> None:
    """Consume this deployment's job queue until SIGINT or SIGTERM (``flask jobs worker``)."""
    import dramatiq

    global _worker_app
    _worker_app = app
    job_actor = actor(app)
    worker = dramatiq.Worker(job_actor.broker, queues={queue_name(app)}, worker_threads=threads)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    worker.start()
    print(f"Tavle job worker: Redis queue {queue_name(app)} (namespace {namespace(app)}), {threads} thread(s)", flush=True)
    try:
        while not stop.wait(1):
            pass
    finally:
        worker.stop(timeout=5000)
