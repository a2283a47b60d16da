"""A job: heavy work (a report, a backup import) run by a worker process outside the live loop."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.clock import utcnow
from app.models.base import Base, UTCDateTime


class JobStatus(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Base):
    """One run of a job kind, its progress and its result, shared by every web process and worker.

    ``active_key`` is the dedupe key (kind, parameters and a fingerprint of the workshop's
    state) while the job is queued, running or holds an unexpired result, and NULL once it
    failed or expired: its UNIQUE constraint is what makes a second click join the first job.
    ``heartbeat_at`` is renewed by the worker while it runs; a running job whose heartbeat is
    older than the lease lost its worker. ``input`` (an uploaded file) and ``result`` (the
    written file) are loaded only when asked for.
    """

    __tablename__ = "job"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    #: Which backend runs it: "local" (workers polling this table) or the Redis queue's name.
    queue: Mapped[str] = mapped_column(String(120), default="local")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str] = mapped_column(String(64), index=True)
    active_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[JobStatus] = mapped_column(
        Enum(JobStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=JobStatus.QUEUED,
    )
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    progress_label: Mapped[str] = mapped_column(String(200), default="")
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    input: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    result: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    #: What a job that makes no file returns (the imported workshop's code, the roster counts).
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    filename: Mapped[str | None] = mapped_column(String(200))
    mimetype: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
