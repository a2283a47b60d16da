"""The scaled-out shape: two ``python wsgi.py`` processes, one PostgreSQL database, Redis between them.

Flask-SocketIO's message queue (``TAVLE_REDIS_URL``) carries every emit from the process that
made it to the clients connected to the other one: a vote cast on server A must reach the
projector on server B, and an idea submitted on B must reach the facilitator's console on A.

PostgreSQL, not SQLite: two processes writing one SQLite file is not a supported deployment.
Outside CI a missing Redis or PostgreSQL skips the test; under CI (``CI=true``) it fails.
"""
from __future__ import annotations

import os
import re
import threading
import time
import uuid
from typing import Any, Callable

import pytest
import requests
import socketio

from tests.support.db import postgres_session_db as _postgres_session_db
from tests.support.server import ServerProcess, flask_cli, start_server

pytestmark = pytest.mark.multiprocess

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
EMAIL = "facilitator@example.org"
PASSWORD = "correct horse battery staple"
WAIT = 10.0  # seconds an event may take to cross from one process to the other
CHANNEL = f"tavle-multiprocess-{uuid.uuid4().hex[:12]}"


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _redis_url() -> str:
    url = os.environ.get("TAVLE_TEST_REDIS_URL") or DEFAULT_REDIS_URL
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001 - any failure means there is no usable Redis
        _unavailable(f"Redis is not reachable at {url}: {exc}")
    return url


def _postgres_base_url() -> str:
    base = os.environ.get("TAVLE_TEST_DATABASE_URL") or ""
    return base if base.startswith("postgres") else DEFAULT_POSTGRES_URL


@pytest.fixture(scope="module")
def redis_url() -> str:
    return _redis_url()


@pytest.fixture(scope="module")
def shared_database_url():
    """A fresh PostgreSQL database for this module, dropped at the end."""
    base = _postgres_base_url()
    try:
        url, drop = _postgres_session_db(base)
    except Exception as exc:  # noqa: BLE001 - server down, no such role, no driver...
        _unavailable(f"PostgreSQL is not usable at {base}: {exc}")
    yield url
    drop()


@pytest.fixture(scope="module")
def two_servers(shared_database_url, redis_url, tmp_path_factory):
    """Servers A and B on their own ports, one database, Redis as their message queue."""
    instance = tmp_path_factory.mktemp("multiprocess-instance")
    flask_cli(["db", "upgrade"], shared_database_url, instance)
    flask_cli(["users", "create", "--email", EMAIL, "--name", "Frida Fasilitator", "--password", PASSWORD],
              shared_database_url, instance)
    # A channel of their own: another run of this suite on the same Redis shares nothing with them.
    extra = {"TAVLE_REDIS_URL": redis_url, "TAVLE_REDIS_CHANNEL": CHANNEL}
    servers: list[ServerProcess] = []
    try:
        servers.append(start_server(shared_database_url, instance / "a", extra=extra))
        servers.append(start_server(shared_database_url, instance / "b", extra=extra))
        yield servers[0], servers[1]
    finally:
        for server in servers:
            server.stop()


def _csrf(session: requests.Session, url: str) -> str:
    response = session.get(url, timeout=10)
    assert response.status_code == 200, (url, response.status_code)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', response.text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def _cookie_header(session: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


class Recorder:
    """A Socket.IO client's received events, with a way to wait for one that matches."""

    def __init__(self, client: socketio.Client, namespace: str, events: tuple[str, ...]) -> None:
        self.events: list[tuple[str, Any]] = []
        self._cond = threading.Condition()
        for event in events:
            client.on(event, self._handler(event), namespace=namespace)

    def _handler(self, event: str) -> Callable[..., None]:
        def handle(*args):
            with self._cond:
                self.events.append((event, args[0] if args else None))
                self._cond.notify_all()

        return handle

    def wait_for(self, event: str, predicate: Callable[[Any], bool], timeout: float = WAIT) -> Any:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for name, data in self.events:
                    if name == event and predicate(data):
                        return data
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(n, d) for n, d in self.events if n == event]
                    raise AssertionError(f"no matching {event!r} within {timeout}s; got {seen[-5:]!r}")
                self._cond.wait(remaining)


class Actors:
    """Opens Socket.IO clients against the servers; closes them all at the end."""

    def __init__(self) -> None:
        self.clients: list[socketio.Client] = []

    def connect(self, base_url: str, namespace: str, code: str, cookies: str = "",
                events: tuple[str, ...] = ()) -> tuple[socketio.Client, Recorder]:
        client = socketio.Client(reconnection=False)
        recorder = Recorder(client, namespace, events)
        client.connect(base_url, namespaces=[namespace], transports=["websocket"], auth={"code": code},
                       headers={"Cookie": cookies} if cookies else {}, wait_timeout=10)
        self.clients.append(client)
        return client, recorder

    def close(self) -> None:
        for client in self.clients:
            try:
                client.disconnect()
            except Exception:  # noqa: BLE001 - closing a client that already dropped
                pass


@pytest.fixture
def actors():
    opened = Actors()
    yield opened
    opened.close()


def _login(base_url: str) -> requests.Session:
    session = requests.Session()
    token = _csrf(session, f"{base_url}/login")
    response = session.post(f"{base_url}/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
                            allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return session


def _create_workshop(session: requests.Session, base_url: str, title: str) -> str:
    token = _csrf(session, f"{base_url}/f/new")
    response = session.post(f"{base_url}/f/new", data={"title": title, "language": "nb", "show_names": "y", "csrf_token": token},
                            allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    match = re.search(r"/f/([A-Z0-9]+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def _add_round(session: requests.Session, base_url: str, code: str, **fields: Any) -> None:
    token = _csrf(session, f"{base_url}/f/{code}")
    data = {"budget": 5, "cap": 3, "top_k": 8, "source_round_id": 0, **fields, "csrf_token": token}
    response = session.post(f"{base_url}/f/{code}/rounds", data=data, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text


def _join(base_url: str, code: str, name: str) -> str:
    """Join through the web form on ``base_url``; returns the Cookie header naming the participant."""
    session = requests.Session()
    token = _csrf(session, f"{base_url}/w/{code}")
    response = session.post(f"{base_url}/w/{code}/join",
                            data={"name": name, "organisation": "Helse Bergen", "sector": "health_service", "csrf_token": token},
                            allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    assert any(c.name.startswith("tavle_p") for c in session.cookies), session.cookies
    return _cookie_header(session)


def _ok(ack: Any) -> Any:
    assert isinstance(ack, dict) and ack.get("ok") is True, ack
    return ack


def _rounds(facilitator: socketio.Client) -> dict[str, int]:
    state = _ok(facilitator.call("sync", {}, namespace="/facilitator", timeout=10))["state"]
    return {r["title"]: r["id"] for r in state["rounds"]}


def test_events_cross_between_two_server_processes(two_servers, actors):
    server_a, server_b = two_servers
    # Unique titles: anything else on the same Redis (another run of this suite) cannot match.
    tag = uuid.uuid4().hex[:8]
    try:
        _run_scenario(server_a, server_b, actors, tag)
    except AssertionError:
        print(f"\n--- server A log ---\n{server_a.log()[-6000:]}\n--- server B log ---\n{server_b.log()[-6000:]}")
        raise


def _run_scenario(server_a: ServerProcess, server_b: ServerProcess, actors: Actors, tag: str) -> None:
    # The facilitator logs in and works on A; the login cookie is valid on B too (one secret key).
    web = _login(server_a.url)
    code = _create_workshop(web, server_a.url, f"Scaled-out workshop {tag}")
    _add_round(web, server_a.url, code, kind="brainstorm", title=f"Ideas {tag}")
    console, console_events = actors.connect(server_a.url, "/facilitator", code, _cookie_header(web),
                                             events=("idea_added", "tally", "round_state"))
    brainstorm_id = _rounds(console)[f"Ideas {tag}"]
    _ok(console.call("open_round", {"round_id": brainstorm_id}, namespace="/facilitator", timeout=10))

    # An idea submitted on B reaches the console connected to A.
    phone_b, _ = actors.connect(server_b.url, "/participant", code, _join(server_b.url, code, "Berit"))
    first_title = f"Shared patient record {tag}"
    first = _ok(phone_b.call("submit_idea", {"round_id": brainstorm_id, "op_id": f"idea-{tag}-1", "title": first_title},
                             namespace="/participant", timeout=10))["idea"]
    added = console_events.wait_for("idea_added", lambda d: d.get("title") == first_title)
    assert added["id"] == first["id"] and added["round_id"] == brainstorm_id
    assert added["author"] == "Berit"

    # A participant on A adds a second idea (and sees it on A, the ordinary way, too).
    arne = _join(server_a.url, code, "Arne")
    phone_a, phone_a_events = actors.connect(server_a.url, "/participant", code, arne, events=("ballot",))
    second_title = f"Genomics in primary care {tag}"
    second = _ok(phone_a.call("submit_idea", {"round_id": brainstorm_id, "op_id": f"idea-{tag}-2", "title": second_title},
                              namespace="/participant", timeout=10))["idea"]
    console_events.wait_for("idea_added", lambda d: d.get("title") == second_title)

    # A dot vote over those ideas, opened and revealed from the console on A.
    _add_round(web, server_a.url, code, kind="dot_vote", title=f"Dots {tag}", source_round_id=brainstorm_id,
               budget=5, cap=3)
    dots_id = _rounds(console)[f"Dots {tag}"]
    _ok(console.call("open_round", {"round_id": dots_id}, namespace="/facilitator", timeout=10))
    _ok(console.call("reveal_results", {"round_id": dots_id, "revealed": True}, namespace="/facilitator", timeout=10))

    # The projector follows the workshop on B.
    projector, projector_events = actors.connect(server_b.url, "/display", code, events=("tally", "round_state"))
    state = _ok(projector.call("sync", {}, namespace="/display", timeout=10))["state"]
    assert state["round"]["id"] == dots_id and state["round"]["results_revealed"] is True
    assert {o["id"] for o in state["options"]} == {first["id"], second["id"]}

    def totals(tally: dict) -> dict[int, int]:
        return {s["idea_id"]: s["score"] for s in tally["standings"]}

    def tally_with(expected: dict[int, int], voters: int) -> Callable[[Any], bool]:
        titles = {first["id"]: first_title, second["id"]: second_title}
        return lambda d: (
            d.get("round_id") == dots_id
            and totals(d) == expected
            and d.get("voters") == voters
            and all(s["title"] == titles[s["idea_id"]] for s in d["standings"])
        )

    # Arne has a second tab open, connected to B.
    tab_b, tab_b_events = actors.connect(server_b.url, "/participant", code, arne, events=("ballot",))

    # Votes cast on A reach the projector on B as a tally with the new totals.
    ack = _ok(phone_a.call("cast_dots", {"round_id": dots_id, "idea_id": first["id"], "count": 2, "op_id": f"vote-{tag}-1"},
                           namespace="/participant", timeout=10))
    assert ack["ballot"] == {str(first["id"]): 2}
    # His other tab, on the other process, shows the new ballot; the tab that voted has it in its ack.
    tab_b_events.wait_for("ballot", lambda d: d.get("round_id") == dots_id and d.get("ballot") == {str(first["id"]): 2})
    tally = projector_events.wait_for("tally", tally_with({first["id"]: 2, second["id"]: 0}, voters=1))
    assert tally["live"] is True, tally

    _ok(phone_a.call("cast_dots", {"round_id": dots_id, "idea_id": second["id"], "count": 3, "op_id": f"vote-{tag}-2"},
                     namespace="/participant", timeout=10))
    projector_events.wait_for("tally", tally_with({first["id"]: 2, second["id"]: 3}, voters=1))

    # And the other way round: a vote on B reaches the console on A, and the projector on B.
    _ok(phone_b.call("cast_dots", {"round_id": dots_id, "idea_id": first["id"], "count": 1, "op_id": f"vote-{tag}-3"},
                     namespace="/participant", timeout=10))
    console_events.wait_for("tally", tally_with({first["id"]: 3, second["id"]: 3}, voters=2))
    projector_events.wait_for("tally", tally_with({first["id"]: 3, second["id"]: 3}, voters=2))

    assert not [data for name, data in phone_a_events.events if name == "ballot"], "the voting tab got its own ballot back"

    for server in (server_a, server_b):
        assert server.proc.poll() is None, f"server on port {server.port} exited:\n{server.log()}"


def test_a_tally_claimed_by_a_process_that_died_is_sent_by_another(two_servers, actors, redis_url):
    """One process counts each round's tally for all; when its claim's holder is gone (here a
    claim left by a process that no longer exists), another takes over and the last tally
    still reaches every projector."""
    import redis

    server_a, server_b = two_servers
    tag = uuid.uuid4().hex[:8]
    web = _login(server_a.url)
    code = _create_workshop(web, server_a.url, f"Failover {tag}")
    _add_round(web, server_a.url, code, kind="brainstorm", title=f"Ideas {tag}")
    console, _ = actors.connect(server_a.url, "/facilitator", code, _cookie_header(web))
    brainstorm_id = _rounds(console)[f"Ideas {tag}"]
    _ok(console.call("open_round", {"round_id": brainstorm_id}, namespace="/facilitator", timeout=10))
    phone, _ = actors.connect(server_a.url, "/participant", code, _join(server_a.url, code, "Kari"))
    idea = _ok(phone.call("submit_idea", {"round_id": brainstorm_id, "op_id": f"idea-{tag}", "title": f"Idea {tag}"},
                          namespace="/participant", timeout=10))["idea"]
    _add_round(web, server_a.url, code, kind="dot_vote", title=f"Dots {tag}", source_round_id=brainstorm_id, budget=5, cap=3)
    dots_id = _rounds(console)[f"Dots {tag}"]
    _ok(console.call("open_round", {"round_id": dots_id}, namespace="/facilitator", timeout=10))
    _ok(console.call("reveal_results", {"round_id": dots_id, "revealed": True}, namespace="/facilitator", timeout=10))
    projectors = [actors.connect(s.url, "/display", code, events=("tally",))[1] for s in (server_a, server_b)]

    # A process that held the claim and was killed: its claim lives on for a while in Redis.
    client = redis.Redis.from_url(redis_url)
    client.set(f"{CHANNEL}:tally-sender:{dots_id}", "a-process-that-was-killed", px=1500)
    voted = time.monotonic()
    _ok(phone.call("cast_dots", {"round_id": dots_id, "idea_id": idea["id"], "count": 3, "op_id": f"vote-{tag}"},
                   namespace="/participant", timeout=10))
    for events in projectors:
        events.wait_for("tally", lambda d: d.get("round_id") == dots_id
                        and {s["idea_id"]: s["score"] for s in d["standings"]} == {idea["id"]: 3})
    # Nobody sent it while the claim stood: the processes left the round to its holder.
    assert time.monotonic() - voted >= 1.4
    holder = client.get(f"{CHANNEL}:tally-sender:{dots_id}")
    assert holder not in (None, b"a-process-that-was-killed"), holder
