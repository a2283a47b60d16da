"""A server database's pooled connections: checked with a ping only after sitting idle, so a
connection the database dropped (a restart) is replaced before it is used, while busy
connections cost no ping per vote. Runs against the machine's PostgreSQL in both suites, on
an engine of its own (a second app would take over the process's Socket.IO server)."""
from __future__ import annotations

import os

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app import ping_idle_connections
from tests.support.db import postgres_session_db

BASE = os.environ.get("TAVLE_TEST_DATABASE_URL", "")
BASE = BASE if BASE.startswith("postgres") else "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def server_db():
    url, drop = postgres_session_db(BASE)
    yield url
    drop()


def _engine(url: str, idle_after: float):
    engine = create_engine(url, pool_size=1, max_overflow=0)
    ping_idle_connections(engine, idle_after)
    return engine


def _kill_pooled_connection(engine, url: str) -> None:
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    # Back in the pool now; the database drops it.
    admin = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]


def test_an_idle_connection_the_database_dropped_is_replaced_before_use(server_db):
    engine = _engine(server_db, idle_after=0)
    _kill_pooled_connection(engine, server_db)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 41 + 1")).scalar() == 42
    engine.dispose()


def test_a_busy_connection_is_not_pinged(server_db):
    """The same dropped connection, used again at once: no ping, so this one use fails (the
    phone's outbox sends it again), and the pool starts over for the next."""
    engine = _engine(server_db, idle_after=3600)
    _kill_pooled_connection(engine, server_db)
    with pytest.raises(OperationalError):
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 2")).scalar() == 2
    engine.dispose()
