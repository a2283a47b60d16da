"""Shared fixtures: one app per test session on a migrated database, emptied after each test.

The database is SQLite in a temporary folder, or PostgreSQL when ``TAVLE_TEST_DATABASE_URL``
names one: a fresh database is then created for the session and dropped at the end.

Two kinds of factories:

- ``make`` (with ``op_id``) for tests that call the services: live objects in the test's own
  application context (``make.workshop()``, ``make.round(w, "dot_vote", open_=True, source=b)``,
  ``make.participants(w, 4)``, ``make.ideas(b, people, ["A", "B"])``, ``make.dots(p, d, idea, 2)``).
- ``make_workshop``, ``make_round``, ``join_participant`` for tests that drive pages and sockets:
  each runs in an app context of its own and returns what a client would name, a workshop
  code, a round id, a phone's test client.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TAVLE_ENV", "testing")

ROOT = Path(__file__).resolve().parent.parent

from tests.support.db import postgres_session_db  # noqa: E402
from tests.support.web import csrf_token  # noqa: E402


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    base = os.environ.get("TAVLE_TEST_DATABASE_URL")
    if base and base.startswith("postgres"):
        url, drop = postgres_session_db(base)
        yield url
        drop()
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "tavle-test.sqlite3")


@pytest.fixture(scope="session")
def app(database_url):
    from flask_migrate import upgrade

    from app import create_app

    application = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    with application.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    yield application
    with application.app_context():
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Every test starts on empty tables (the schema stays)."""
    yield
    from app.extensions import db
    from app.models import Base

    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def ctx(app):
    """An application context for service-level tests."""
    with app.app_context():
        yield
        from app.extensions import db

        db.session.rollback()


@pytest.fixture
def op_id():
    """Unique operation ids for submissions: ``op_id()`` gives a new one each call."""
    from tests.support.factories import OpIds

    return OpIds()


@pytest.fixture
def make(ctx, op_id):
    """Live workshops, participants, rounds, ideas and votes in the test's app context."""
    from tests.support.factories import Factory

    return Factory(op_id)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    counter = {"n": 0}

    def make(email: str | None = None, password: str = "correct horse battery", name: str = "Facilitator"):
        from app import transaction
        from app.services import accounts

        counter["n"] += 1
        email = email or f"facilitator{counter['n']}@example.org"
        with app.app_context():
            user = transaction.run(lambda: accounts.create_user(email, name, password))
            return {"id": user.id, "email": email, "password": password}

    return make


@pytest.fixture
def login(app):
    def do(client, user):
        token = csrf_token(client, "/login")
        response = client.post("/login", data={"email": user["email"], "password": user["password"], "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return do


@pytest.fixture
def facilitator(app, make_user, login):
    """A logged-in facilitator's test client, with ``.user``."""
    user = make_user()
    c = login(app.test_client(), user)
    c.user = user
    return c


@pytest.fixture
def make_workshop(app):
    """Create a workshop owned by user ``owner_id`` (or nobody); returns its code."""

    def make(owner_id: int | None, **kwargs):
        from app import transaction
        from app.extensions import db
        from app.models import User
        from app.services import workshops

        kwargs.setdefault("title", "Personalised medicine workshop")
        with app.app_context():
            owner = db.session.get(User, owner_id) if owner_id else None
            workshop = transaction.run(lambda: workshops.create_workshop(owner, **kwargs))
            return workshop.code

    return make


@pytest.fixture
def make_round(app):
    """Add a round (``open_``: and open it) to workshop ``code``; returns its id."""

    def make(code: str, kind: str, title: str | None = None, open_: bool = False, **settings):
        from app import transaction
        from app.services import rounds, workshops

        with app.app_context():
            workshop = workshops.by_code(code)
            round_ = transaction.run(lambda: rounds.add_round(workshop, kind=kind, title=title or kind, settings=settings))
            if open_:
                transaction.run(lambda: rounds.open_round(round_))
            return round_.id

    return make


@pytest.fixture
def join_participant(app):
    """Join workshop ``code`` through the web form; returns a test client holding the cookie."""

    def join(code: str, name: str = "Kari", organisation: str = "Oslo universitetssykehus", sector: str = "health_service"):
        c = app.test_client()
        token = csrf_token(c, f"/w/{code}")
        response = c.post(f"/w/{code}/join", data={"name": name, "organisation": organisation, "sector": sector, "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)
        return c

    return join


@pytest.fixture
def sio(app):
    """Open Socket.IO test clients sharing a Flask test client's cookies; all closed at the end."""
    from app.extensions import socketio

    opened = []

    def connect(namespace: str, flask_client, code: str):
        client = socketio.test_client(app, namespace=namespace, flask_test_client=flask_client, auth={"code": code})
        opened.append(client)
        return client

    yield connect
    for client in opened:
        for ns in ("/participant", "/facilitator", "/display"):
            if client.is_connected(ns):
                client.disconnect(ns)


@pytest.fixture(scope="session")
def job_worker(app, database_url, tmp_path_factory):
    """A real job worker process (``flask jobs worker``) on the test database, for the whole run."""
    from tests.support.jobs import Worker

    worker = Worker(database_url, tmp_path_factory.mktemp("worker"))
    yield worker
    worker.stop()
