"""A report being built never holds up the room: a real server (eventlet, SQLite, its own job worker).

Before the job runner, the PDF of the demo workshop held the eventlet hub for 7–12 s and the
Word file for about 2 s: every phone, console and projector waited. Now the server answers a
socket ``sync`` while the report builds in the worker process beside it.
"""
from __future__ import annotations

import re
import threading
import time

import pytest
import requests
import socketio

from tests.support.server import flask_cli, start_server

EMAIL = "facilitator@example.org"
PASSWORD = "correct horse battery staple"
F = "/facilitator"
#: Generous for a slow, shared machine (its load is often 5 on 2 cores); the failure this
#: guards against is one round trip waiting the whole build, 2–12 seconds.
LIMIT = 0.5
WORST = 2.0


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    instance = tmp_path_factory.mktemp("loop-free")
    url = "sqlite:///" + str(instance / "tavle.sqlite3")
    flask_cli(["db", "upgrade"], url, instance)
    flask_cli(["users", "create", "--email", EMAIL, "--name", "Frida", "--password", PASSWORD], url, instance)
    out = flask_cli(["demo"], url, instance)
    code = re.search(r"code ([A-Z0-9]+)", out).group(1)
    proc = start_server(url, instance, extra={"TAVLE_ASYNC_MODE": "eventlet"})
    try:
        yield proc, code
    finally:
        proc.stop()


def _login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login", timeout=10).text
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    response = session.post(f"{base}/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
                            allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return session


@pytest.mark.parametrize("fmt, magic", [("pdf", b"%PDF-"), ("docx", b"PK")])
def test_sync_answers_while_the_report_builds(server, fmt, magic):
    proc, code = server
    session = _login(proc.url)
    progress: list[dict] = []
    client = socketio.Client(reconnection=False)
    client.on("job_progress", lambda data: progress.append(data), namespace=F)
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    client.connect(proc.url, namespaces=[F], transports=["websocket"], auth={"code": code},
                   headers={"Cookie": cookies}, wait_timeout=10)
    try:
        assert client.call("sync", {}, namespace=F, timeout=10)["ok"]
        result: dict = {}

        def build() -> None:
            # As the facilitator's browser would: start the download, follow it until the file is there.
            started = time.monotonic()
            response = session.get(f"{proc.url}/f/{code}/export.{fmt}", headers={"Accept": "application/json"}, timeout=60)
            result["first_answer"] = time.monotonic() - started
            while response.headers.get("Content-Type", "").startswith("application/json"):
                body = response.json()
                if response.status_code == 200 and body["status"] == "done":
                    response = session.get(proc.url + body["url"], timeout=60)
                    break
                assert response.status_code == 202, body
                time.sleep(0.2)
                response = session.get(proc.url + body["url"], headers={"Accept": "application/json"}, timeout=60)
            result["file"] = response.content
            result["seconds"] = time.monotonic() - started

        builder = threading.Thread(target=build)
        builder.start()
        times = []
        while builder.is_alive() or not times:
            started = time.monotonic()
            assert client.call("sync", {}, namespace=F, timeout=30)["ok"]
            times.append(time.monotonic() - started)
            time.sleep(0.05)
        builder.join()
        print(f"{fmt}: first answer {result['first_answer']:.3f}s, built in {result['seconds']:.1f}s, "
              f"{len(times)} syncs meanwhile, slowest {max(times):.3f}s, median {sorted(times)[len(times) // 2]:.3f}s")
        assert result["file"].startswith(magic), result["file"][:200]
        assert result["first_answer"] < LIMIT * 2, result
        median = sorted(times)[len(times) // 2]
        assert median < LIMIT and max(times) < WORST, \
            f"sync took {median:.2f}s (median), up to {max(times):.2f}s, while the {fmt} built for {result['seconds']:.1f}s"
        assert len(times) >= 3  # the build took a while: several round trips happened during it
        deadline = time.monotonic() + 5
        while not any(p["status"] == "done" for p in progress) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert any(p["status"] == "running" and p["progress"]["label"] == "sections" for p in progress), progress
        assert progress[-1]["status"] == "done"
    finally:
        client.disconnect()
