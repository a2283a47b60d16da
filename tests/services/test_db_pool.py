"""A server database's pooled connections: checked with a ping only after sitting idle, so a
connection the database dropped (a restart) is replaced before a request uses it, while busy
connections cost no ping per vote. Runs against the machine's PostgreSQL in both suites."""
from __future__ import annotations

import os

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from tests.support.db import postgres_session_db

BASE = os.environ.get("TAVLE_TEST_DATABASE_URL", "")
BASE = BASE if BASE.startswith("postgres") else "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def server_db():
    url, drop = postgres_session_db(BASE)
    yield url
    drop()


def _app(url: str, ping_after: float):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "TAVLE_DB_PING_AFTER": ping_after})


def _kill_pooled_connection(app, url: str) -> None:
    from app.extensions import db

    with app.app_context():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        db.session.remove()  # back to the pool
    admin = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]


def test_an_idle_connection_the_database_dropped_is_replaced_before_use(server_db):
    from app.extensions import db

    app = _app(server_db, ping_after=0)
    _kill_pooled_connection(app, server_db)
    with app.app_context():
        assert db.session.execute(text("SELECT 41 + 1")).scalar() == 42
        db.session.remove()
        db.engine.dispose()


def test_a_busy_connection_is_not_pinged(server_db):
    """The same dropped connection, used again at once: no ping, so this one request fails
    (the phone's outbox sends it again), and the pool starts over for the next."""
    from app.extensions import db

    app = _app(server_db, ping_after=3600)
    _kill_pooled_connection(app, server_db)
    with app.app_context():
        with pytest.raises(OperationalError):
            db.session.execute(text("SELECT 1"))
        db.session.remove()
        assert db.session.execute(text("SELECT 2")).scalar() == 2
        db.session.remove()
        db.engine.dispose()
