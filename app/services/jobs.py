"""Jobs as data: asking for one (or joining the one already asked for), its progress, its end.

A job row is the one place where web processes and workers meet: the web side asks for a job
here and hands its id to a backend (``app.jobs``), a worker claims it, reports progress, and
writes its result once, and every web process answers from the row. Nothing here runs the
work itself, commits or emits.

Languages: a failed job's reason is written in the language of the facilitator it is for
(``language``: who started it, else the workshop's facilitator) when the job fails, wherever
that happens (a worker, a request that notices a lost worker, the job watcher). Progress is
kept as numbers and an English unit ("sections"), and told in the reader's language when the
status is read (``progress_text``).
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import Integer, String, Text, and_, cast, delete, func, select, update
from sqlalchemy.sql.sqltypes import JSON, Boolean, Date, DateTime, LargeBinary

from app import i18n
from app.clock import utcnow
from app.errors import N_, DomainError, Nn_, NotFound
from app.extensions import db
from app.models import Base, Job, JobStatus, User, Workshop

#: The message a job shows when the worker running it stopped (killed, out of memory, restarted).
WORKER_STOPPED = _l("The worker building this stopped before it finished; start it again.")
#: The message of a job no worker picked up in time.
NO_WORKER = _l("No worker picked this up in time. Is the job worker running (flask jobs worker)? Start it again once it is.")
#: A job that is not known to its asker (never was, expired, or someone else's).
NO_JOB = _l("This job is not known (finished results are kept for an hour): start it again.")
#: How far a job got, by the unit its writer counts in ("3 of 7 sections"); ``%(num)s`` is the total.
PROGRESS_UNITS = {
    "sections": Nn_("%(done)s of %(num)s section", "%(done)s of %(num)s sections"),
    "sheets": Nn_("%(done)s of %(num)s sheet", "%(done)s of %(num)s sheets"),
    "steps": Nn_("%(done)s of %(num)s step", "%(done)s of %(num)s steps"),
}
#: What a job says it is doing when its count says nothing more (the unit of a single step).
PROGRESS_STEPS = frozenset({N_("reading the workshop"), N_("counting the votes")})
#: Tables whose rows are not part of what a workshop's report shows.
_NOT_CONTENT = {"job", "client_op"}


@dataclass(frozen=True)
class JobOutput:
    """What a job kind returns: a file (``content``, ``filename``, ``mimetype``) and/or an outcome."""

    content: bytes | None = None
    filename: str | None = None
    mimetype: str | None = None
    outcome: dict[str, Any] | None = None


def _setting(name: str, default: float) -> float:
    return float(current_app.config.get(name, default))


def lease() -> timedelta:
    """How long a running job may go without a heartbeat before it counts as abandoned."""
    return timedelta(seconds=_setting("TAVLE_JOB_LEASE", 30))


def _workshop_tables() -> list[tuple[Any, list[tuple[Any, Any]]]]:
    """Every table holding a workshop's content, with the joins from it up to ``workshop_id``.

    Found from the foreign keys of the models, so a new model is covered without a change here.
    """
    tables = Base.metadata.tables
    found: dict[str, list[tuple[Any, Any]]] = {}
    frontier = [("workshop", [])]
    while frontier:
        parent, path = frontier.pop(0)
        for table in tables.values():
            if table.name in found or table.name in _NOT_CONTENT or table.name == "workshop":
                continue
            for fk in table.foreign_keys:
                # Only required links: a row reached through a nullable one (a comment's group)
                # would be missed when the link is empty.
                if fk.column.table.name == parent and not fk.parent.nullable:
                    found[table.name] = [(table, fk)] + path
                    frontier.append((table.name, found[table.name]))
                    break
    return [(tables[name], path) for name, path in sorted(found.items())]


def _digest_columns(table) -> list[Any]:
    """Aggregates that change when any row of ``table`` is added, removed or edited."""
    out: list[Any] = [func.count(), func.max(table.c.id) if "id" in table.c else func.count()]
    for column in table.columns:
        kind = column.type
        if isinstance(kind, (Integer, Boolean)) and not column.primary_key:
            out.append(func.sum(cast(column, Integer)))
        elif isinstance(kind, (String, Text, JSON)):
            out.append(func.sum(func.length(cast(column, Text))))
        elif isinstance(kind, (DateTime, Date)) or getattr(kind, "impl", None) is not None:
            out.append(func.max(column))
        elif isinstance(kind, LargeBinary):
            continue
    return out


def fingerprint(workshop: Workshop) -> str:
    """A digest of the workshop's state: changes when anything a report shows changes.

    One aggregate query per content table (row count, highest id, sums of numbers and text
    lengths, latest timestamps) plus the workshop's own row; cheap enough for a click, and a
    new idea, vote, edit, hide or close gives a new digest, so a changed workshop builds anew.
    """
    h = hashlib.sha256()
    ws = Base.metadata.tables["workshop"]
    h.update(repr(tuple(db.session.execute(select(ws).where(ws.c.id == workshop.id)).one())).encode())
    for table, path in _workshop_tables():
        query = select(*_digest_columns(table)).select_from(table)
        for _child, fk in path[:-1]:
            query = query.join(fk.column.table, fk.parent == fk.column)
        query = query.where(path[-1][1].parent == workshop.id)
        h.update(table.name.encode() + repr(tuple(db.session.execute(query).one())).encode())
    return h.hexdigest()


def dedupe_key(kind: str, params: dict[str, Any], *parts: str) -> str:
    """The key two requests for the same work share (64 hex characters)."""
    text = json.dumps([kind, params, *parts], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _notice_abandoned(job: Job) -> Job:
    """Fail ``job`` if it is running without a heartbeat within the lease, or was never picked up."""
    now = utcnow()
    if job.status is JobStatus.RUNNING and (job.heartbeat_at or job.started_at or now) < now - lease():
        _fail(job, "worker_stopped", WORKER_STOPPED)
    elif job.status is JobStatus.QUEUED and job.created_at < now - timedelta(seconds=_setting("TAVLE_JOB_QUEUE_TIMEOUT", 300)):
        _fail(job, "no_worker", NO_WORKER)
    return job


def language(job: Job) -> str:
    """The language a job speaks to its facilitator: of whoever started it, else of its
    workshop's facilitator (a round counted after a timer closed it); a facilitator who never
    chose one is told in the language of the request, if there is one."""
    user = db.session.get(User, job.user_id) if job.user_id else None
    if user is None and job.workshop_id is not None:
        workshop = db.session.get(Workshop, job.workshop_id)
        user = workshop.owner if workshop is not None else None
    chosen = getattr(user, "language", None)
    if chosen:
        return i18n.lang_of(chosen)
    return i18n.current() if has_request_context() else i18n.SOURCE


def _fail(job: Job, code: str, message: Any) -> None:
    job.status = JobStatus.FAILED
    job.error_code = code
    with i18n.in_language(language(job)):
        job.error_message = str(message)
    job.active_key = None
    job.finished_at = utcnow()


def purge_expired() -> int:
    """Delete finished jobs whose results and messages have expired; returns how many."""
    result = db.session.execute(
        delete(Job).where(Job.expires_at < utcnow(), Job.status.in_([JobStatus.DONE, JobStatus.FAILED]))
    )
    return result.rowcount or 0


def request(kind: str, *, workshop: Workshop | None = None, user: User | None = None,
            params: dict[str, Any] | None = None, key_parts: tuple[str, ...] = (), input: bytes | None = None,
            again: bool = False, queue: str = "local") -> tuple[Job, bool]:
    """The job for this work: the one already queued, running or finished, or a new one.

    Args:
        kind: the job kind's name (``app.jobs.kinds``).
        workshop: the workshop the job reads or writes; its result is kept under it.
        user: who asked (the owner of an import's result).
        params: the kind's parameters (an export's format).
        key_parts: what else makes two requests the same work (the workshop's fingerprint, an
            upload's digest).
        input: an uploaded file the job reads.
        again: start anew even if the last attempt failed (a failed job is otherwise shown).
        queue: the backend that runs it: "local" or the Redis queue's name.

    Returns:
        ``(job, created)``: ``created`` is true when the caller must hand the job to a backend.
    """
    params = dict(params or {})
    key = dedupe_key(kind, params, str(workshop.id if workshop else ""), str(user.id if user else ""), *key_parts)
    purge_expired()
    current = db.session.scalar(select(Job).where(Job.active_key == key))
    if current is not None:
        _notice_abandoned(current)
        if current.status is not JobStatus.FAILED and current.expires_at > utcnow():
            return current, False
        current.active_key = None
        db.session.flush()
    if not again:
        # A failed attempt is shown (with why) until the facilitator asks to start again.
        failed = db.session.scalar(
            select(Job).where(Job.dedupe_key == key, Job.status == JobStatus.FAILED)
            .order_by(Job.created_at.desc()).limit(1)
        )
        if failed is not None:
            return failed, False
    now = utcnow()
    job = Job(
        id=uuid.uuid4().hex, workshop_id=workshop.id if workshop else None, user_id=user.id if user else None,
        kind=kind, queue=queue, params=params, dedupe_key=key, active_key=key, status=JobStatus.QUEUED, input=input,
        progress_done=0, progress_total=0, progress_label="", created_at=now,
        expires_at=now + timedelta(seconds=_setting("TAVLE_JOB_RESULT_TTL", 3600)),
    )
    db.session.add(job)
    db.session.flush()
    return job, True


_JOB_ID = re.compile(r"[0-9a-f]{32}")


def get(job_id: Any) -> Job:
    """The job ``job_id`` (with abandoned jobs noticed).

    Raises:
        NotFound: no such job, or it has expired.
    """
    # Job ids are 32 hex digits; anything else (a NUL, which PostgreSQL refuses) is not a job.
    job = db.session.get(Job, job_id) if isinstance(job_id, str) and _JOB_ID.fullmatch(job_id) else None
    if job is None or (job.expires_at <= utcnow() and job.status in (JobStatus.DONE, JobStatus.FAILED)):
        raise NotFound("no_job", NO_JOB)
    return _notice_abandoned(job)


def get_for(user: User, job_id: Any) -> Job:
    """The job ``job_id`` if ``user`` may see it: a job of a workshop they facilitate, or their own import.

    Raises:
        NotFound: no such job, or it belongs to someone else (the same answer, so ids cannot be probed).
    """
    job = get(job_id)
    if job.workshop_id is not None:
        workshop = db.session.get(Workshop, job.workshop_id)
        allowed = workshop is not None and workshop.is_facilitated_by(user)
    else:
        allowed = job.user_id is not None and job.user_id == getattr(user, "id", None)
    if not allowed:
        raise NotFound("no_job", NO_JOB)
    return job


def fail(job: Job, code: str, message: Any) -> Job:
    """Mark ``job`` failed with a coded message (for example: the job queue was not reachable),
    written in the job's ``language``."""
    _fail(job, code, message)
    return job


def next_queued() -> str | None:
    """The id of the oldest queued local job (for the local worker, which takes jobs from the database)."""
    return db.session.scalar(
        select(Job.id).where(Job.status == JobStatus.QUEUED, Job.queue == "local").order_by(Job.created_at).limit(1)
    )


def claim(job_id: str) -> Job | None:
    """Mark the queued job running for this worker; None if another worker took it first or it ended."""
    now = utcnow()
    result = db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    return db.session.get(Job, job_id, populate_existing=True)


def _running(job_id: str):
    return and_(Job.id == job_id, Job.status == JobStatus.RUNNING)


def heartbeat(job_id: str, progress: tuple[int, int, str] | None = None):
    """The UPDATE a worker runs to say it is alive (and, with ``progress``, how far it got).

    Returned as a statement, not run: the worker runs it on a connection of its own, outside
    the session whose transaction holds the job's own writes until they are complete.
    """
    values: dict[str, Any] = {"heartbeat_at": utcnow()}
    if progress is not None:
        done, total, label = progress
        values.update(progress_done=int(done), progress_total=int(total), progress_label=str(label)[:200])
    return update(Job).where(_running(job_id)).values(**values)


def finish(job_id: str, output: JobOutput, *, keep_key: bool = True) -> None:
    """Write the job's result once, if the job is still running (a job noticed as abandoned is not).

    ``keep_key`` false frees the dedupe key at once (an import: the same file imported later
    makes another copy). Raises ``DomainError`` when the job is no longer running, so the
    caller rolls back whatever the job wrote.
    """
    now = utcnow()
    values: dict[str, Any] = {
        "status": JobStatus.DONE, "finished_at": now, "result": output.content, "filename": output.filename,
        "mimetype": output.mimetype, "outcome": output.outcome, "input": None, "heartbeat_at": now,
        "expires_at": now + timedelta(seconds=_setting("TAVLE_JOB_RESULT_TTL", 3600)),
    }
    if not keep_key:
        values["active_key"] = None
    result = db.session.execute(update(Job).where(_running(job_id)).values(**values)
                                .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise DomainError("job_abandoned", WORKER_STOPPED, status=409)


def fail_running(job_id: str, code: str, message: Any) -> None:
    """Mark a running job failed with the job's own message, rendered in the language being
    spoken (the worker speaks the job's ``language``)."""
    now = utcnow()
    db.session.execute(
        update(Job).where(_running(job_id))
        .values(status=JobStatus.FAILED, error_code=code, error_message=str(message)[:2000], active_key=None,
                finished_at=now, input=None)
        .execution_options(synchronize_session=False)
    )


def progress_text(job: Job) -> str:
    """The progress as people read it, in the language being spoken: "3 of 7 sections"."""
    label, done, total = job.progress_label or "", job.progress_done, job.progress_total
    if job.status is JobStatus.QUEUED:
        return _("waiting for a worker")
    if not label and not total:
        return _("starting")
    if label in PROGRESS_STEPS or not total:
        return _(label)
    if label in PROGRESS_UNITS:
        return ngettext(*PROGRESS_UNITS[label], total, done=done)
    # A unit this module does not know yet (or none): said as the writer gave it.
    return _("%(done)s of %(total)s %(label)s", done=done, total=total, label=_(label) if label else "").strip()


def status_payload(job: Job, url: str) -> dict[str, Any]:
    """The job as scripts and the progress page read it (``docs/protocol.md``: job status)."""
    payload: dict[str, Any] = {
        "id": job.id,
        "kind": job.kind,
        "status": job.status.value,
        "progress": {"done": job.progress_done, "total": job.progress_total, "label": job.progress_label,
                     "text": progress_text(job)},
        "url": url,
        "error": None,
    }
    if job.status is JobStatus.FAILED:
        payload["error"] = {"code": job.error_code or "job_failed", "message": job.error_message or _("The job failed.")}
    if job.status is JobStatus.DONE and job.outcome is not None:
        payload["outcome"] = job.outcome
    return payload


def watched(job_ids: list[str]) -> list[Job]:
    """The given jobs' rows, fresh from the database (without their files)."""
    if not job_ids:
        return []
    return list(db.session.scalars(select(Job).where(Job.id.in_(job_ids)).execution_options(populate_existing=True)))


__all__ = [
    "JobOutput", "NO_JOB", "WORKER_STOPPED", "claim", "dedupe_key", "fail", "fail_running", "finish", "fingerprint", "get",
    "get_for", "heartbeat", "language", "lease", "next_queued", "progress_text", "purge_expired", "request", "status_payload",
    "watched",
]
