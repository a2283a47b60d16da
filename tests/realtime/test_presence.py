"""Presence against real server processes and a real Redis: exact counts after mass
disconnects, one deployment's phones invisible to another's, and a killed process's phones
dropped once its heartbeat expires.

Outside CI a missing Redis (or PostgreSQL, for the two-process test) skips; under CI it fails.
"""
from __future__ import annotations

import asyncio
import os
import re
import signal
import time
import uuid
from typing import Any

import pytest
import requests
import socketio

from tests.realtime.test_multiprocess import (  # noqa: F401 - shared_database_url is a fixture
    EMAIL, PASSWORD, Actors, _cookie_header, _create_workshop, _csrf, _login, _ok, _redis_url, shared_database_url,
)
from tests.support.server import ServerProcess, flask_cli, start_server

pytestmark = pytest.mark.multiprocess

#: Log lines that mean a handler or background task failed.
FAILURES = ("Traceback", "MaxConnectionsError", "ERROR", "Exception")


@pytest.fixture(scope="module")
def redis_url() -> str:
    return _redis_url()


@pytest.fixture
def actors():
    opened = Actors()
    yield opened
    opened.close()


def _sqlite_deployment(tmp_path, name: str, extra: dict[str, str]) -> ServerProcess:
    """One server process with its own SQLite database and a facilitator account."""
    instance = tmp_path / name
    instance.mkdir()
    url = f"sqlite:///{instance / 'tavle.sqlite3'}"
    flask_cli(["db", "upgrade"], url, instance)
    flask_cli(["users", "create", "--email", EMAIL, "--name", "Frida Fasilitator", "--password", PASSWORD], url, instance)
    return start_server(url, instance / "server", extra=extra)


def _join_many(base_url: str, code: str, n: int) -> tuple[int, list[str]]:
    """Join ``n`` participants through the web form; returns the workshop id and their Cookie headers."""
    web = requests.Session()
    token = _csrf(web, f"{base_url}/w/{code}")
    headers, workshop_id = [], None
    for i in range(n):
        response = web.post(f"{base_url}/w/{code}/join", allow_redirects=False, timeout=20, data={
            "name": f"Phone {i + 1}", "organisation": f"Org {i % 7}", "sector": "health_service" if i % 2 else "industry",
            "csrf_token": token})
        assert response.status_code == 302, response.text[:500]
        cookie = next(c for c in web.cookies if c.name.startswith("tavle_p"))
        workshop_id = int(cookie.name[len("tavle_p"):])
        headers.append(f"{cookie.name}={cookie.value}")
        web.cookies.clear(cookie.domain, cookie.path, cookie.name)  # the next POST joins someone new
    web.close()
    return workshop_id, headers


def _console(actors: Actors, server: ServerProcess, code: str, web: requests.Session):
    return actors.connect(server.url, "/facilitator", code, _cookie_header(web), events=("presence",))


def _counts(console: socketio.Client) -> dict[str, Any]:
    state = _ok(console.call("sync", {}, namespace="/facilitator", timeout=20))["state"]
    return {"connected": state["connected"], "connected_by_group": state["connected_by_group"]}


def _wait_connected(console: socketio.Client, expected: int, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        counts = _counts(console)
        if counts["connected"] == expected or time.monotonic() > deadline:
            return counts
        time.sleep(0.5)


def _clean_log(server: ServerProcess) -> None:
    log = server.log()
    bad = [line for line in log.splitlines() if any(word in line for word in FAILURES)]
    assert not bad, "\n".join(bad[:20]) + "\n--- log ---\n" + log[-4000:]


def test_presence_is_exact_after_two_hundred_phones_disconnect_at_once(tmp_path, redis_url, actors):
    channel = f"tavle-test-{uuid.uuid4().hex[:8]}"
    server = _sqlite_deployment(tmp_path, "one", {"TAVLE_REDIS_URL": redis_url, "TAVLE_REDIS_CHANNEL": channel})
    try:
        web = _login(server.url)
        code = _create_workshop(web, server.url, "Two hundred phones")
        workshop_id, cookies = _join_many(server.url, code, 200)
        console, events = _console(actors, server, code, web)
        groups = _ok(console.call("assign_groups", {"count": 4}, namespace="/facilitator", timeout=20))["groups"]
        sizes = {str(g["id"]): len(g["members"]) for g in groups}

        async def crowd() -> None:
            gate = asyncio.Semaphore(40)
            phones = []

            async def one(cookie: str) -> None:
                async with gate:
                    client = socketio.AsyncClient(reconnection=False)
                    await client.connect(server.url, headers={"Cookie": cookie}, auth={"code": code},
                                         transports=["websocket"], namespaces=["/participant"], wait_timeout=30)
                    phones.append(client)

            await asyncio.gather(*(one(c) for c in cookies))
            assert len(phones) == 200
            counts = await asyncio.to_thread(_wait_connected, console, 200, 30)
            # Per group from presence alone: the groups were made before anyone connected.
            assert counts == {"connected": 200, "connected_by_group": sizes}, counts
            # All at once.
            await asyncio.gather(*(p.disconnect() for p in phones))

        asyncio.run(crowd())
        assert _wait_connected(console, 0, 30) == {"connected": 0, "connected_by_group": {}}
        # The coalesced presence broadcasts end on the last state, and there were few of them.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (events.events and events.events[-1][1]["connected"] == 0):
            time.sleep(0.2)
        assert events.events[-1][1]["connected"] == 0, events.events[-3:]
        import redis

        store = redis.Redis.from_url(redis_url)
        try:
            assert store.hlen(f"{channel}:presence:{workshop_id}") == 0
        finally:
            store.close()
        _clean_log(server)
    except AssertionError:
        print(f"\n--- server log ---\n{server.log()[-6000:]}")
        raise
    finally:
        server.stop()


def test_two_deployments_on_one_redis_do_not_see_each_others_phones(tmp_path, redis_url, actors):
    tag = uuid.uuid4().hex[:8]
    one = _sqlite_deployment(tmp_path, "one", {"TAVLE_REDIS_URL": redis_url, "TAVLE_REDIS_CHANNEL": f"tavle-one-{tag}"})
    two = _sqlite_deployment(tmp_path, "two", {"TAVLE_REDIS_URL": redis_url, "TAVLE_REDIS_CHANNEL": f"tavle-two-{tag}"})
    try:
        web_one, web_two = _login(one.url), _login(two.url)
        code_one = _create_workshop(web_one, one.url, "Deployment one")
        code_two = _create_workshop(web_two, two.url, "Deployment two")
        id_one, cookies = _join_many(one.url, code_one, 3)
        id_two, _ = _join_many(two.url, code_two, 1)
        assert id_one == id_two, "both fresh databases number their first workshop alike"
        for cookie in cookies:
            actors.connect(one.url, "/participant", code_one, cookie)
        console_one, _ = _console(actors, one, code_one, web_one)
        console_two, _ = _console(actors, two, code_two, web_two)
        assert _wait_connected(console_one, 3, 10)["connected"] == 3
        assert _counts(console_two)["connected"] == 0
        projector_two = actors.connect(two.url, "/display", code_two)[0]
        assert _ok(projector_two.call("sync", {}, namespace="/display", timeout=10))["state"]["connected"] == 0
        _clean_log(one)
        _clean_log(two)
    finally:
        one.stop()
        two.stop()


def test_a_killed_process_stops_counting_after_its_heartbeat_expires(shared_database_url, redis_url, tmp_path, actors):
    ttl = 3
    extra = {"TAVLE_REDIS_URL": redis_url, "TAVLE_REDIS_CHANNEL": f"tavle-kill-{uuid.uuid4().hex[:8]}",
             "TAVLE_PRESENCE_TTL": str(ttl)}
    instance = tmp_path / "shared"
    flask_cli(["db", "upgrade"], shared_database_url, instance)
    flask_cli(["users", "create", "--email", EMAIL, "--name", "Frida Fasilitator", "--password", PASSWORD],
              shared_database_url, instance)
    a = start_server(shared_database_url, instance / "a", extra=extra)
    b = start_server(shared_database_url, instance / "b", extra=extra)
    try:
        web = _login(a.url)
        code = _create_workshop(web, a.url, "A process dies")
        workshop_id, on_a = _join_many(a.url, code, 2)
        _, on_b = _join_many(b.url, code, 5)
        for cookie in on_a:
            actors.connect(a.url, "/participant", code, cookie)
        for cookie in on_b:
            actors.connect(b.url, "/participant", code, cookie)
        console, _ = _console(actors, a, code, web)
        assert _wait_connected(console, 7, 10)["connected"] == 7
        # Alive processes keep their phones counted past the TTL: the heartbeat is refreshed.
        time.sleep(ttl * 2)
        assert _counts(console)["connected"] == 7
        # Redis loses the workshop's presence (a restart): each process writes its own back.
        import redis

        store = redis.Redis.from_url(redis_url)
        try:
            store.delete(f"{extra['TAVLE_REDIS_CHANNEL']}:presence:{workshop_id}")
        finally:
            store.close()
        assert _wait_connected(console, 7, ttl * 3)["connected"] == 7
        os.kill(b.proc.pid, signal.SIGKILL)
        b.proc.wait(10)
        started = time.monotonic()
        counts = _wait_connected(console, 2, ttl * 4)
        assert counts["connected"] == 2, counts
        assert time.monotonic() - started <= ttl + 5
        _clean_log(a)
    finally:
        a.stop()
        b.stop()
