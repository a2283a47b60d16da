"""Limits that hold, against real server processes (``python wsgi.py``), with rate limits on.

- Guessing workshop codes is stopped on every route and socket that takes a code, in one
  bucket per client address, while browsers that belong to the workshop carry on.
- A participant flooding ideas is refused with ``rate_limited`` and told when to send again;
  the phone's outbox keeps the idea and sends it then (in Chromium).
- Every kind of response carries the security headers.

The server trusts one proxy (``TAVLE_PROXY_COUNT=1``), so each test plays its own client
address with ``X-Forwarded-For`` and starts with an empty bucket.
"""
from __future__ import annotations

import os
import re
import threading
import time
import uuid

import pytest
import requests
import socketio

from tests.realtime.test_multiprocess import (
    EMAIL, PASSWORD, _add_round, _cookie_header, _create_workshop, _csrf, _login, _redis_url, _rounds,
)
from tests.support.server import flask_cli, start_server

FAILED_LOOKUPS = 30
_address_counter = iter(range(1, 250))


def new_address() -> str:
    return f"203.0.113.{next(_address_counter)}"


@pytest.fixture(scope="module", params=["memory", "redis"])
def limited_server(request, tmp_path_factory):
    """A server with rate limits on, counting in its own memory or in Redis (behind one proxy)."""
    instance = tmp_path_factory.mktemp(f"limits-{request.param}")
    base = os.environ.get("TAVLE_TEST_DATABASE_URL") or ""
    drop = None
    if base.startswith("postgres"):
        from tests.support.db import postgres_session_db

        database_url, drop = postgres_session_db(base)
    else:
        database_url = "sqlite:///" + str(instance / "limits.sqlite3")
    flask_cli(["db", "upgrade"], database_url, instance)
    flask_cli(["users", "create", "--email", EMAIL, "--name", "Frida Fasilitator", "--password", PASSWORD], database_url, instance)
    extra = {"TAVLE_RATELIMIT": "true", "TAVLE_PROXY_COUNT": "1"}
    channel = None
    if request.param == "redis":
        channel = f"tavle-test-{uuid.uuid4().hex[:8]}"
        extra.update({"TAVLE_REDIS_URL": _redis_url(), "TAVLE_REDIS_CHANNEL": channel})
    server = start_server(database_url, instance, extra=extra)
    server.channel = channel
    yield server
    server.stop()
    if drop:
        drop()


class Client:
    """HTTP and Socket.IO from one client address (as the proxy would forward it)."""

    def __init__(self, base_url: str, address: str) -> None:
        self.base_url = base_url
        self.address = address
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = address
        self.sockets: list[socketio.Client] = []

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base_url + path, allow_redirects=False, timeout=10, **kwargs)

    def join(self, code: str, name: str) -> None:
        token = _csrf(self.http, f"{self.base_url}/w/{code}")
        response = self.http.post(f"{self.base_url}/w/{code}/join", allow_redirects=False, timeout=10,
                                  data={"name": name, "organisation": "Helse Bergen", "sector": "health_service", "csrf_token": token})
        assert response.status_code == 302, response.text

    def connect(self, namespace: str, code: str) -> tuple[bool, dict | None]:
        """Open a socket on ``namespace`` for ``code``: (connected, the refusal's data)."""
        client = socketio.Client(reconnection=False)
        refusal: dict = {}
        client.on("connect_error", lambda data=None: refusal.update(data or {}), namespace=namespace)
        headers = {"X-Forwarded-For": self.address}
        cookies = _cookie_header(self.http)
        if cookies:
            headers["Cookie"] = cookies
        try:
            client.connect(self.base_url, namespaces=[namespace], transports=["websocket"], auth={"code": code},
                           headers=headers, wait_timeout=10)
        except socketio.exceptions.ConnectionError:
            client.disconnect()
            return False, refusal
        self.sockets.append(client)
        return True, None

    def close(self) -> None:
        for client in self.sockets:
            client.disconnect()


@pytest.fixture
def clients(limited_server):
    opened: list[Client] = []

    def make(address: str | None = None) -> Client:
        client = Client(limited_server.url, address or new_address())
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.close()


@pytest.fixture
def workshop(limited_server):
    """A workshop on the limited server, with the facilitator's logged-in session."""
    web = _login(limited_server.url)
    code = _create_workshop(web, limited_server.url, f"Limits {uuid.uuid4().hex[:6]}")
    return code, web


def unknown_codes(n: int) -> list[str]:
    # Join codes never contain 0 or 1 (CODE_ALPHABET), so these can never exist.
    return [f"ZZ{i:04d}" for i in range(n)]


def test_guessing_codes_is_stopped_on_every_lookup_while_the_room_carries_on(limited_server, clients, workshop):
    code, facilitator = workshop
    room = clients()  # the conference room's one NAT address
    phone = clients(room.address)
    phone.join(code, "Kari")  # a phone in the room that has already joined
    # Right codes from the room's address do not count: a whole room opens the join page.
    for _ in range(60):
        assert room.get(f"/w/{code}").status_code == 200

    # One guesser behind the same address: the 30 unknown codes a minute are answered 404...
    guesses = unknown_codes(FAILED_LOOKUPS + 5)
    for guess in guesses[:FAILED_LOOKUPS]:
        assert room.get(f"/w/{guess}").status_code == 404
    # ... and from then on every lookup from the address is refused, whatever the code, on every route.
    refused = room.get(f"/w/{guesses[-1]}", headers={"Accept": "application/json"})
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "rate_limited" and "unknown workshop codes" in error["message"]
    assert 1 <= error["retry_after"] <= 60 and int(refused.headers["Retry-After"]) == error["retry_after"]
    page = room.get(f"/w/{guesses[-2]}")
    assert page.status_code == 429 and "Too many unknown workshop codes" in page.text
    for path in (f"/w/{guesses[-3]}/display", f"/w/{guesses[-3]}/qr.svg", f"/w/{code}", f"/w/{code}/display", f"/w/{code}/qr.svg"):
        assert room.get(path).status_code == 429, path  # a refusal says nothing about whether the code exists
    token = _csrf(room.http, limited_server.url + "/")  # the start page's form takes no code
    form = room.http.post(limited_server.url + "/join", data={"code": code, "csrf_token": token}, allow_redirects=False, timeout=10)
    assert form.status_code == 429
    for namespace in ("/display", "/participant"):
        connected, data = room.connect(namespace, code)
        assert not connected and data["data"]["code"] == "rate_limited", (namespace, data)

    # The joined phone and the facilitator are not held up by the guesser.
    assert phone.get(f"/w/{code}").status_code == 200
    assert phone.connect("/participant", code)[0]
    facilitator.headers["X-Forwarded-For"] = room.address
    assert facilitator.get(f"{limited_server.url}/w/{code}/display", timeout=10).status_code == 200
    # A personal link (the same signed token a joined phone holds) opened on a new phone in the room.
    token = next(c.value for c in phone.http.cookies if c.name.startswith("tavle_p"))
    new_phone = clients(room.address)
    assert new_phone.get(f"/w/{code}/p/{token}").status_code == 302
    assert new_phone.get(f"/w/{code}/p/not-a-valid-token").status_code == 429
    # Another address is not affected.
    assert clients().get(f"/w/{code}").status_code == 200


def test_guessing_over_the_display_socket_counts_in_the_same_bucket(limited_server, clients, workshop):
    code, _ = workshop
    guesser = clients()
    for guess in unknown_codes(FAILED_LOOKUPS):
        connected, data = guesser.connect("/display", guess)
        assert not connected and data["data"]["code"] == "unknown_code", data
    connected, data = guesser.connect("/display", unknown_codes(FAILED_LOOKUPS + 1)[-1])
    assert not connected and data["data"]["code"] == "rate_limited" and data["data"]["retry_after"] >= 1, data
    assert "Too many unknown workshop codes" in data["message"]
    assert guesser.get(f"/w/{unknown_codes(1)[0]}").status_code == 429  # HTTP shares the bucket
    connected, data = guesser.connect("/display", code)
    assert not connected and data["data"]["code"] == "rate_limited", data
    assert clients().connect("/display", code)[0]  # the projector elsewhere connects


def test_counts_live_under_the_deployments_channel_in_redis(limited_server, clients):
    if limited_server.channel is None:
        pytest.skip("counts in process memory")
    import redis

    guesser = clients()
    assert guesser.get("/w/ZZ0000").status_code == 404
    client = redis.Redis.from_url(_redis_url())
    keys = [k.decode() for k in client.scan_iter(match="*code_lookup*")]
    assert keys and all(limited_server.channel in k for k in keys), keys
    assert any(guesser.address in k for k in keys), keys


def test_an_idea_flood_is_refused_per_participant_with_rate_limited(limited_server, clients, workshop):
    code, facilitator = workshop
    _add_round(facilitator, limited_server.url, code, kind="brainstorm", title="Ideas")
    console = socketio.Client(reconnection=False)
    console.connect(limited_server.url, namespaces=["/facilitator"], transports=["websocket"], auth={"code": code},
                    headers={"Cookie": _cookie_header(facilitator)}, wait_timeout=10)
    try:
        round_id = _rounds(console)["Ideas"]
        assert console.call("open_round", {"round_id": round_id}, namespace="/facilitator", timeout=10)["ok"]
    finally:
        console.disconnect()
    flooder, neighbour = clients(), clients()
    flooder.join(code, "Flo")
    neighbour.join(code, "Nina")
    assert flooder.connect("/participant", code)[0] and neighbour.connect("/participant", code)[0]
    phone = flooder.sockets[-1]

    acks: list[dict] = []
    done = threading.Event()
    total = 1320

    def record(ack):
        acks.append(ack)
        if len(acks) == total:
            done.set()

    started = time.monotonic()
    for i in range(total):
        phone.emit("submit_idea", {"round_id": round_id, "op_id": f"flood-{i:06d}", "title": f"Idea {i}"},
                   namespace="/participant", callback=record)
    assert done.wait(120), f"{len(acks)} of {total} acks"
    elapsed = time.monotonic() - started
    saved = [a for a in acks if a["ok"]]
    limited = [a["error"] for a in acks if not a["ok"]]
    assert len(saved) == 30, (len(saved), limited[:3])
    assert len(limited) == total - 30 and {e["code"] for e in limited} == {"rate_limited"}, limited[:3]
    # The workshop speaks bokmål, and so does every refusal its phones get.
    assert all(1 <= e["retry_after"] <= 60 and "sender veldig fort; ideen din blir sendt om" in e["message"] for e in limited)
    # Another participant on the same address is not held up by the flood.
    other = neighbour.sockets[-1].call("submit_idea", {"round_id": round_id, "op_id": "nina-000001", "title": "Mine"},
                                       namespace="/participant", timeout=10)
    assert other["ok"], other
    state = neighbour.sockets[-1].call("sync", {}, namespace="/participant", timeout=10)["state"]
    assert len(state["ideas"]) == 31
    print(f"{total} ideas answered in {elapsed:.1f} s")


def test_every_kind_of_response_carries_the_security_headers(limited_server, clients, workshop):
    code, facilitator = workshop
    visitor = clients()
    responses = {
        "page": visitor.get("/"),
        "json": visitor.get("/healthz"),
        "file": visitor.get("/static/js/live.js"),
        "svg": visitor.get(f"/w/{code}/qr.svg"),
        "error page": visitor.get(f"/w/{code}/nothing-here"),
        "redirect": visitor.get("/f/"),
        "console": facilitator.get(f"{limited_server.url}/f/{code}", timeout=10),
    }
    for kind, response in responses.items():
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        assert directives.get("script-src") == "'self'", (kind, csp)
        assert directives.get("frame-ancestors") == "'none'", (kind, csp)
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, (kind, csp)
        assert directives.get("connect-src", "").startswith("'self'"), (kind, csp)
        assert headers.get("X-Content-Type-Options") == "nosniff", kind
        assert headers.get("Referrer-Policy") == "no-referrer", kind
        assert headers.get("X-Frame-Options") == "DENY", kind
    assert responses["error page"].status_code == 404


def test_a_forged_host_header_adds_nothing_to_the_policy(limited_server):
    response = requests.get(limited_server.url + "/", headers={"Host": "evil; script-src *"}, timeout=10)
    assert "script-src *" not in response.headers["Content-Security-Policy"]


@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="needs Debian's chromium")
def test_the_phone_keeps_a_rate_limited_idea_and_sends_it_when_told(tmp_path):
    """In Chromium: the third idea within the limit's window waits on the phone, says so, then goes."""
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, SHOTS

    instance = tmp_path / "instance"
    database_url = "sqlite:///" + str(tmp_path / "phone.sqlite3")
    flask_cli(["db", "upgrade"], database_url, instance)
    flask_cli(["users", "create", "--email", EMAIL, "--name", "Frida Fasilitator", "--password", PASSWORD], database_url, instance)
    server = start_server(database_url, instance, extra={"TAVLE_RATELIMIT": "true", "TAVLE_LIMIT_IDEAS": "2/8 seconds"})
    try:
        web = _login(server.url)
        token = _csrf(web, f"{server.url}/f/new")
        created = web.post(f"{server.url}/f/new", data={"title": "Flood on a phone", "language": "en", "csrf_token": token},
                           allow_redirects=False, timeout=10)
        code = created.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        _add_round(web, server.url, code, kind="brainstorm", title="Ideas")
        console = socketio.Client(reconnection=False)
        console.connect(server.url, namespaces=["/facilitator"], transports=["websocket"], auth={"code": code},
                        headers={"Cookie": _cookie_header(web)}, wait_timeout=10)
        round_id = _rounds(console)["Ideas"]
        assert console.call("open_round", {"round_id": round_id}, namespace="/facilitator", timeout=10)["ok"]
        console.disconnect()

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            errors: list[str] = []
            page = browser.new_page(base_url=server.url, locale="en-GB", viewport={"width": 390, "height": 844})
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.set_default_timeout(15_000)
            page.goto(f"/w/{code}")
            page.get_by_label("Your name").fill("Kari")
            page.get_by_label("Organisation").fill("Helse Bergen")
            page.get_by_label("Sector").select_option("health_service")
            page.get_by_role("button", name="Join").click()
            expect(page.locator("#status")).to_have_text("Connected")
            for title in ("First idea", "Second idea", "Third idea"):
                page.locator("#idea-title").fill(title)
                page.get_by_role("button", name="Send idea").click()
            status = page.locator("#status")
            expect(status).to_contain_text("You are sending very fast; your idea will be sent in")
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "phone-rate-limited.png"))
            outbox = page.evaluate(f"JSON.parse(localStorage.getItem('tavle-outbox:/participant:{code}'))")
            assert [item["payload"]["title"] for item in outbox] == ["Third idea"], outbox
            expect(page.locator("#ideas li.mine", has_text="Third idea")).to_be_visible(timeout=20_000)
            expect(status).to_have_text(re.compile("Saved ✓|Idea sent ✓"))
            assert page.evaluate(f"localStorage.getItem('tavle-outbox:/participant:{code}')") == "[]"
            assert not errors, errors
            browser.close()
    finally:
        server.stop()


# --- a burst of votes on PostgreSQL -----------------------------------------------------------

BURST_PHONES, VOTES_EACH = 300, 4  # 1,200 votes in flight at once


@pytest.fixture
def postgres_url():
    from tests.realtime.test_multiprocess import _postgres_base_url, _unavailable
    from tests.support.db import postgres_session_db

    base = _postgres_base_url()
    try:
        url, drop = postgres_session_db(base)
    except Exception as exc:  # noqa: BLE001 - server down, no such role, no driver...
        _unavailable(f"PostgreSQL is not usable at {base}: {exc}")
    yield url
    drop()


def _prepare_vote(database_url: str, instance) -> dict:
    """Migrate and add a workshop with an open dot vote over four ideas, in a process of its own
    (an app built here would re-bind this test process's extensions)."""
    import json
    import subprocess
    import sys

    from tests.support.server import ROOT, _env

    script = ("import json, sys; from bench.live_bench import prepare; p = prepare(sys.argv[1], 4); "
              "print(json.dumps({'workshop_id': p.workshop_id, 'code': p.code, 'round_id': p.round_id, 'idea_ids': p.idea_ids}))")
    result = subprocess.run([sys.executable, "-c", script, database_url], cwd=ROOT, env=_env(database_url, instance, None),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_burst_of_votes_on_postgresql_queues_and_every_vote_is_acked(postgres_url, tmp_path):
    """1,200 votes in flight from 300 raw clients on one eventlet process: none is answered
    ``internal_error``; a ``busy`` answer is sent again after ``retry_after``, as the outbox does."""
    import asyncio
    from collections import Counter

    import aiohttp

    from bench.live_bench import join_phone

    def join_participants(url: str, code: str, workshop_id: int, n: int) -> list[str]:
        async def all_of_them() -> list[str]:
            gate = asyncio.Semaphore(20)
            async with aiohttp.ClientSession() as http:
                async def one(i: int) -> str:
                    async with gate:
                        return await join_phone(http, url, code, f"tavle_p{workshop_id}", i)
                return await asyncio.gather(*(one(i) for i in range(n)))
        return asyncio.run(all_of_them())

    instance = tmp_path / "instance"
    prepared = _prepare_vote(postgres_url, instance)
    server = start_server(postgres_url, instance, extra={"TAVLE_ASYNC_MODE": "eventlet"})
    try:
        cookies = join_participants(server.url, prepared["code"], prepared["workshop_id"], BURST_PHONES)
        first_answers: Counter = Counter()
        retries: Counter = Counter()

        async def run() -> list[dict]:
            gate = asyncio.Semaphore(25)

            async def connect(cookie: str) -> socketio.AsyncClient:
                async with gate:
                    client = socketio.AsyncClient(reconnection=False)
                    await client.connect(server.url, headers={"Cookie": cookie}, auth={"code": prepared["code"]},
                                         transports=["websocket"], namespaces=["/participant"], wait_timeout=30)
                    return client

            phones = await asyncio.gather(*(connect(c) for c in cookies))

            async def vote(i: int, phone: socketio.AsyncClient, idea_id: int) -> dict:
                payload = {"round_id": prepared["round_id"], "idea_id": idea_id, "count": 1, "op_id": f"burst-{i:05d}-{idea_id:06d}"}
                first = True
                while True:
                    ack = await phone.call("cast_dots", payload, namespace="/participant", timeout=300)
                    code = ack["error"]["code"] if not ack["ok"] else "ok"
                    if first:
                        first_answers[code] += 1
                        first = False
                    if code != "busy":
                        return ack
                    retries[code] += 1
                    await asyncio.sleep(ack["error"]["retry_after"])

            started = time.monotonic()
            acks = await asyncio.gather(*(vote(i, phone, idea_id) for i, phone in enumerate(phones)
                                          for idea_id in prepared["idea_ids"][:VOTES_EACH]))
            print(f"{len(acks)} votes acked in {time.monotonic() - started:.1f} s; first answers {dict(first_answers)}, "
                  f"busy re-sends {retries['busy']}")
            await asyncio.gather(*(phone.disconnect() for phone in phones))
            return acks

        acks = asyncio.run(run())
        assert len(acks) == BURST_PHONES * VOTES_EACH
        assert first_answers["internal_error"] == 0, (dict(first_answers), server.log()[-3000:])
        assert all(a["ok"] for a in acks), Counter(a["error"]["code"] for a in acks if not a["ok"])
        assert all(len(a["ballot"]) >= 1 for a in acks)
        assert server.proc.poll() is None
    finally:
        server.stop()
