"""Live benchmark: N phones dot-voting against Tavle and against a bare transport ceiling.

One command, one JSON object on stdout (progress on stderr). By default it:

1. prepares a workshop in a fresh SQLite database in a temporary folder, through the app's own
   services (a brainstorm of ideas, then an open dot vote with its results revealed), and
   starts a real ``python wsgi.py`` (eventlet) on it;
2. joins ``--clients`` phones over HTTP as phones do (``GET /w/<CODE>``, the CSRF token from
   the form, ``POST /w/<CODE>/join``, the ``tavle_p<id>`` cookie), opens each one's websocket with
   that cookie and ``auth {"code": CODE}``, and sends ``sync`` as a phone does on connect;
3. votes with ``cast_dots``: ``--paced RATE`` votes a second in all (default 200, at most one
   vote in flight per phone), or ``--closed-loop`` (every phone sends its next vote when the
   last one is acknowledged), for ``--seconds``; each phone alternates 1 and 2 dots on two
   ideas of its own, so no vote is refused for the budget (5) or the cap (3);
4. reads the totals from the database and waits for every phone's last ``tally`` to show them;
5. does the same against ``bench/ceiling_server.py`` with the same clients, and counts the SQL
   statements of one ``cast_dots`` and one ``sync`` in-process at 200 joined participants.

The phones are a raw Engine.IO v4 / Socket.IO v5 client over aiohttp websockets (text frames
written and parsed by hand), several times cheaper per message than python-socketio's
``AsyncClient``, so one benchmark process can drive 1,000 phones.

Scenarios instead of the app/ceiling comparison:

* ``--with-exports``: 200 phones at 100 votes/s, first alone, then while a logged-in
  facilitator downloads a 500-participant workshop's PDF, DOCX, XLSX and backup;
* ``--scaled``: two app processes with Redis and a throw-away PostgreSQL database, phones split
  over them, against one process with SQLite.

Usage::

    .venv/bin/python bench/live_bench.py                       # 1,000 phones, 200 votes/s, 10 s
    .venv/bin/python bench/live_bench.py --closed-loop
    .venv/bin/python bench/live_bench.py --with-exports
    .venv/bin/python bench/live_bench.py --scaled --clients 400

Only addresses on this machine are contacted; every run is bounded by ``--seconds`` and timeouts.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BUDGET, CAP = 5, 3
NS = "/participant"
CONNECT_PREFIX = f"40{NS},"
REFUSED_PREFIX = f"44{NS},"
EVENT_PREFIX = f"42{NS},"
TALLY_PREFIX = f'42{NS},["tally",'
ACK_PREFIX = f"43{NS},"
FACILITATOR = {"email": "bench@example.org", "name": "Bench Facilitator", "password": "benchmark password 1234"}
EXPORT_FORMATS = ("pdf", "docx", "xlsx", "json")

#: What the product must reach; each one is reported beside the measured value, never asserted.
TARGETS = {
    "paced_lost": 0,
    "paced_ack_p99_ms": 250.0,
    "paced_convergence_ms": 1000.0,
    "closed_loop_acked_per_s_share_of_ceiling": 0.9,
    "cpu_ms_per_vote_ratio_to_ceiling": 1.5,
    "exports_ack_p99_increase_ms": 100.0,
    "scaled_cpu_ms_per_vote_ratio_to_one_process": 2.0,
}


def log(message: str) -> None:
    """Progress goes to stderr; stdout carries only the JSON result."""
    print(f"[live-bench] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--paced", type=float, metavar="RATE", default=None,
                      help="votes per second, all phones together (default 200; 100 with --with-exports)")
    mode.add_argument("--closed-loop", action="store_true", help="each phone sends its next vote when the last is acked")
    scenario = parser.add_mutually_exclusive_group()
    scenario.add_argument("--with-exports", action="store_true",
                          help="votes alone, then while a facilitator downloads a 500-participant workshop's reports")
    scenario.add_argument("--scaled", action="store_true", help="two app processes + Redis + PostgreSQL vs one with SQLite")
    parser.add_argument("--app-only", action="store_true", help="skip the ceiling server and the SQL count")
    parser.add_argument("--clients", type=int, default=None, help="phones (default 1,000; 200 with --with-exports)")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to vote (default 10)")
    parser.add_argument("--ideas", type=int, default=20, help="ideas in the vote (default 20)")
    parser.add_argument("--connect-concurrency", type=int, default=50, help="phones joining or connecting at once (50)")
    parser.add_argument("--ack-timeout", type=float, default=30.0, help="seconds a vote may wait for its ack (30)")
    parser.add_argument("--settle-timeout", type=float, default=10.0,
                        help="seconds after the last ack for every phone's tally to match the database (10)")
    parser.add_argument("--redis-url", default=os.environ.get("TAVLE_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0",
                        help="Redis for --scaled")
    parser.add_argument("--postgres-url", default=os.environ.get("TAVLE_TEST_DATABASE_URL")
                        or "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server for --scaled (a throw-away database is made next to it)")
    parser.add_argument("--export-participants", type=int, default=500,
                        help="size of the exported workshop (500; at least 300, as bench/export_bench.py builds it)")
    parser.add_argument("--export-timeout", type=float, default=300.0,
                        help="seconds one download may take with --with-exports before it is given up (300)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (databases, server logs)")
    args = parser.parse_args(argv)
    if args.clients is None:
        args.clients = 200 if args.with_exports else 1000
    if args.paced is None and not args.closed_loop:
        args.paced = 100.0 if args.with_exports else 200.0
    if args.with_exports and args.closed_loop:
        parser.error("--with-exports measures paced votes")
    if args.clients < 2 or args.seconds <= 0 or args.ideas < 2 or (args.paced is not None and args.paced <= 0):
        parser.error("--clients at least 2, --ideas at least 2, --seconds and --paced positive")
    if args.export_participants < 300:
        parser.error("--export-participants at least 300 (the survey has 300 responses)")
    if args.clients > 5000:
        parser.error("--clients at most 5,000: load tests stay bounded")
    return args


# --- readings from /proc -----------------------------------------------------------------------

def rss_kib(pid: int) -> int | None:
    """The process's resident set size in KiB (VmRSS in /proc/<pid>/status)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used, in seconds (utime + stime of /proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pids_named(*names: str) -> list[int]:
    """Every process whose command name (``/proc/<pid>/comm``) is one of ``names``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in names:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


class CpuMeter:
    """CPU seconds used by a changing set of processes between ``start`` and ``stop``.

    A process that starts in between (a new PostgreSQL backend) counts from zero.
    """

    def __init__(self, pids: Callable[[], list[int]]) -> None:
        self._pids = pids
        self._before: dict[int, float] = {}
        self.seconds = 0.0

    def start(self) -> None:
        self._before = {pid: cpu_seconds(pid) for pid in self._pids()}

    def stop(self) -> float:
        after = {pid: cpu_seconds(pid) for pid in self._pids()}
        used_by = {pid: max(0.0, used - self._before.get(pid, 0.0)) for pid, used in after.items()}
        self.seconds = sum(used_by.values())
        self.by_command: dict[str, float] = {}
        for pid, used in used_by.items():
            name = _command(pid)
            self.by_command[name] = self.by_command.get(name, 0.0) + used
        return self.seconds


def _command(pid: int) -> str:
    """A process's command name, with the app's own processes named "app" (they run Python)."""
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "gone"
    return "app" if name.startswith("python") else name


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all cores together, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


# --- the workshop, prepared in this process through the app's own services ---------------------

@dataclass
class Prepared:
    workshop_id: int
    code: str
    round_id: int
    ideas: list[tuple[int, str]]
    export_code: str | None = None

    @property
    def idea_ids(self) -> list[int]:
        return [i for i, _ in self.ideas]


def make_app(database_url: str):
    """The app against ``database_url``, without sockets of its own (it only reads and writes)."""
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TAVLE_ASYNC_MODE": "threading", "TAVLE_REDIS_URL": None})


def seed_vote(n_ideas: int, participants_too: int = 0):
    """An open brainstorm filled with ideas, then an open, revealed dot vote over them."""
    from app.extensions import db
    from app.services import ideas, participants, rounds, workshops

    workshop = workshops.create_workshop(None, title="Live benchmark", language="en")
    brainstorm = rounds.add_round(workshop, kind="brainstorm", title="Ideas")
    rounds.open_round(brainstorm)
    author = participants.join(workshop, name="Idea author", organisation="Bench")
    made = []
    for i in range(n_ideas):
        submitted = ideas.submit_idea(author, brainstorm, op_id=f"bench-idea-{i:04d}", title=f"Idea number {i + 1}")
        made.append((submitted.idea.id, submitted.idea.title))
    vote = rounds.add_round(workshop, kind="dot_vote", title="Dot vote",
                            settings={"source_round_id": brainstorm.id, "budget": BUDGET, "cap": CAP})
    rounds.open_round(vote)  # closes the brainstorm
    rounds.set_revealed(vote, True)  # phones and the projector get the live tally
    people = [participants.join(workshop, name=f"Seeded {i}", organisation="Bench") for i in range(participants_too)]
    db.session.flush()
    return workshop, vote, made, people


def prepare(database_url: str, n_ideas: int, *, export_participants: int = 0) -> Prepared:
    """Migrate, then add the vote's workshop (and, for the export scenario, a facilitator's big workshop)."""
    from flask_migrate import upgrade

    from app import transaction
    from app.extensions import db

    app = make_app(database_url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))

        def build() -> Prepared:
            workshop, vote, made, _ = seed_vote(n_ideas)
            return Prepared(workshop.id, workshop.code, vote.id, made)

        prepared = transaction.run(build)
        if export_participants:
            prepared.export_code = build_export_workshop(export_participants)
        db.session.remove()
        db.engine.dispose()
    return prepared


def build_export_workshop(n_participants: int) -> str:
    """The workshop ``bench/export_bench.py`` exports, owned by the benchmark's facilitator."""
    import random

    from app import transaction
    from app.extensions import db
    from app.services import accounts
    from bench.export_bench import build

    user = transaction.run(lambda: accounts.create_user(FACILITATOR["email"], FACILITATOR["name"], FACILITATOR["password"]))
    sizes = argparse.Namespace(participants=n_participants, ideas=300, votes=20_000)
    workshop, _ = build(sizes, random.Random(7))  # commits
    workshop.owner_id = user.id
    db.session.commit()
    return workshop.code


class AppTotals:
    """Dots per idea summed straight from the app's stored ballots, and the number of voters.

    One app (and engine) for every reading, so reading again while phones settle stays cheap.
    """

    def __init__(self, database_url: str, prepared: Prepared) -> None:
        self.database_url, self.round_id = database_url, prepared.round_id
        self._app = None
        self._lock = threading.Lock()

    def __call__(self) -> tuple[dict[int, int], int]:
        from app.extensions import db
        from app.models import Round
        from app.services import rounds

        with self._lock:
            self._app = self._app or make_app(self.database_url)
            with self._app.app_context():
                try:
                    contents = rounds.ballots_of(db.session.get(Round, self.round_id))
                finally:
                    db.session.remove()
        totals: Counter = Counter()
        voters = 0
        for content in contents:
            dots = {int(k): int(v) for k, v in (content or {}).items() if int(v)}
            totals.update(dots)
            voters += bool(dots)
        return dict(totals), voters

    def close(self) -> None:
        from app.extensions import db

        if self._app is not None:
            with self._app.app_context():
                db.engine.dispose()


def ceiling_totals(path: Path) -> tuple[dict[int, int], int]:
    """The same from the ceiling server's SQLite file."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        totals = dict(conn.execute("SELECT idea_id, SUM(count) FROM dots WHERE count > 0 GROUP BY idea_id"))
        voters = conn.execute("SELECT COUNT(DISTINCT participant_id) FROM dots WHERE count > 0").fetchone()[0]
    return {int(k): int(v) for k, v in totals.items()}, voters


# --- servers -----------------------------------------------------------------------------------

@dataclass
class Server:
    """A server process the phones talk to; ``stop`` ends it."""

    url: str
    pid: int
    stop: Callable[[], None]
    log: Callable[[], str]


def start_app(database_url: str, instance: Path, extra: dict[str, str] | None = None) -> Server:
    from tests.support.server import start_server

    server = start_server(database_url, instance, extra=extra, timeout=90)
    return Server(server.url, server.proc.pid, server.stop, server.log)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ceiling(database: Path, prepared: Prepared, logdir: Path) -> Server:
    """``bench/ceiling_server.py`` for the same workshop code, round and ideas."""
    import urllib.request

    port = free_port()
    logdir.mkdir(parents=True, exist_ok=True)
    log_path = logdir / f"ceiling-{port}.log"
    out = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "ceiling_server.py"), "--port", str(port), "--database", str(database),
         "--code", prepared.code, "--workshop-id", str(prepared.workshop_id), "--round-id", str(prepared.round_id),
         "--ideas", json.dumps(prepared.ideas)],
        cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def stop() -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        out.close()

    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"ceiling server exited:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return Server(url, proc.pid, stop, lambda: log_path.read_text(errors="replace"))
        except OSError:
            time.sleep(0.2)
    stop()
    raise RuntimeError("ceiling server did not start")


# --- the phones: a raw Engine.IO v4 / Socket.IO v5 client --------------------------------------

def _csrf_from_form(html: str) -> str:
    match = (re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
             or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
             or re.search(r'<meta name="csrf-token" content="([^"]+)"', html))
    if not match:
        raise RuntimeError("no CSRF token on the join page")
    return match.group(1)


def _cookie_header(*responses) -> str:
    jar: dict[str, str] = {}
    for response in responses:
        for name, morsel in response.cookies.items():
            jar[name] = morsel.value
    return "; ".join(f"{k}={v}" for k, v in jar.items())


async def join_phone(http, base_url: str, code: str, cookie_name: str, index: int) -> str:
    """Join as a phone does; returns the Cookie header the phone's websocket carries."""
    async with http.get(f"{base_url}/w/{code}") as page:
        html = await page.text()
        if page.status != 200:
            raise RuntimeError(f"join page: HTTP {page.status}")
        session_cookies = _cookie_header(page)
    form = {"name": f"Phone {index + 1}", "organisation": "Bench", "sector": "health_service",
            "csrf_token": _csrf_from_form(html)}
    async with http.post(f"{base_url}/w/{code}/join", data=form, allow_redirects=False,
                         headers={"Cookie": session_cookies}) as response:
        await response.read()
        if response.status != 302 or cookie_name not in response.cookies:
            raise RuntimeError(f"join {index + 1} failed: HTTP {response.status}")
        return f"{cookie_name}={response.cookies[cookie_name].value}"


@dataclass(eq=False)
class Phone:
    index: int
    base_url: str
    cookie: str
    ideas: tuple[int, int]
    ws: Any = None
    reader: Any = None
    next_ack: int = 0
    votes: int = 0
    pending: dict[int, Any] = field(default_factory=dict)  # ack id -> send time (vote) or Future (sync)
    ballot: dict[int, int] = field(default_factory=dict)
    tally_raw: str | None = None
    tally_at: float = 0.0
    tallies: int = 0
    closed: bool = False


class Crowd:
    """Every phone, with the counters of the vote phase in progress."""

    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.phones: list[Phone] = []
        self.reset()
        self.closed_loop_until = 0.0

    def reset(self) -> None:
        self.sent = 0
        self.acked_ok = 0
        self.refused: Counter = Counter()
        self.refused_example: dict | None = None
        self.latencies: list[float] = []
        self.last_ack = 0.0
        self.skipped_busy = 0

    # Frames out -----------------------------------------------------------------------------
    async def emit(self, phone: Phone, event: str, data: Any, waiter: Any) -> None:
        phone.next_ack += 1
        phone.pending[phone.next_ack] = waiter
        await phone.ws.send_str(f"{EVENT_PREFIX}{phone.next_ack}{json.dumps([event, data], separators=(',', ':'))}")

    async def vote(self, phone: Phone) -> None:
        """Alternate 1 and 2 dots on the phone's two ideas: at most 4 dots, at most 2 on one."""
        k = phone.votes
        phone.votes += 1
        payload = {"round_id": self.prepared.round_id, "idea_id": phone.ideas[k % 2], "count": 1 + (k // 2) % 2,
                   "op_id": f"lb-{phone.index}-{k}-{uuid.uuid4().hex[:8]}"}
        self.sent += 1
        await self.emit(phone, "cast_dots", payload, time.perf_counter())

    # Frames in ------------------------------------------------------------------------------
    async def read(self, phone: Phone) -> None:
        ws = phone.ws
        try:
            async for msg in ws:
                data = msg.data
                if not isinstance(data, str) or not data:
                    continue
                if data[0] == "2":
                    await ws.send_str("3")
                elif data.startswith(TALLY_PREFIX):
                    if data != phone.tally_raw:
                        phone.tally_raw, phone.tally_at = data, time.perf_counter()
                    phone.tallies += 1
                elif data.startswith(ACK_PREFIX):
                    bracket = data.index("[", len(ACK_PREFIX))
                    waiter = phone.pending.pop(int(data[len(ACK_PREFIX):bracket]), None)
                    body = json.loads(data[bracket:])[0]
                    if isinstance(waiter, float):
                        await self.vote_acked(phone, waiter, body)
                    elif waiter is not None and not waiter.done():
                        waiter.set_result(body)
        finally:
            phone.closed = True

    async def vote_acked(self, phone: Phone, sent_at: float, body: dict) -> None:
        now = time.perf_counter()
        self.latencies.append((now - sent_at) * 1000)
        self.last_ack = now
        if isinstance(body, dict) and body.get("ok"):
            self.acked_ok += 1
            phone.ballot = {int(k): int(v) for k, v in (body.get("ballot") or {}).items()}
        else:
            code = body.get("error", {}).get("code", "unknown") if isinstance(body, dict) else "bad_ack"
            self.refused[code] += 1
            self.refused_example = self.refused_example or {"phone": phone.index, "ack": body}
        if self.closed_loop_until and now < self.closed_loop_until and not phone.pending:
            await self.vote(phone)

    # Connecting -----------------------------------------------------------------------------
    async def connect(self, http, phone: Phone, timeout: float = 60.0) -> None:
        ws_url = phone.base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        ws = await asyncio.wait_for(http.ws_connect(ws_url, headers={"Cookie": phone.cookie}, autoping=False,
                                                    max_msg_size=0), timeout)
        opened = await ws.receive(timeout)
        if not isinstance(opened.data, str) or not opened.data.startswith("0"):
            raise RuntimeError(f"no Engine.IO open packet: {opened.data!r}")
        await ws.send_str(CONNECT_PREFIX + json.dumps({"code": self.prepared.code}))
        while True:
            msg = await ws.receive(timeout)
            data = msg.data if isinstance(msg.data, str) else ""
            if data.startswith(CONNECT_PREFIX):
                break
            if data.startswith(REFUSED_PREFIX):
                raise RuntimeError(f"connection refused: {data[len(REFUSED_PREFIX):]}")
            if data == "2":
                await ws.send_str("3")
            elif not data:
                raise RuntimeError(f"websocket closed while connecting: {msg.type}")
        phone.ws = ws
        phone.reader = asyncio.ensure_future(self.read(phone))
        synced = asyncio.get_running_loop().create_future()
        await self.emit(phone, "sync", {}, synced)  # as every phone does on connect
        state = await asyncio.wait_for(synced, timeout)
        if not (isinstance(state, dict) and state.get("ok")):
            raise RuntimeError(f"sync refused: {state}")

    async def close(self) -> None:
        async def one(phone: Phone) -> None:
            if phone.ws is not None:
                await phone.ws.close()
            if phone.reader is not None:
                phone.reader.cancel()
        await asyncio.gather(*(one(p) for p in self.phones), return_exceptions=True)


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return None
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return round(sorted_values[rank - 1], 2)


def shown(raw: str, cache: dict[str, tuple[dict[int, int], int]]) -> tuple[dict[int, int], int]:
    """Dots per idea (zeros left out) and voters of a raw ``tally`` frame; identical frames parse once."""
    if raw not in cache:
        tally = json.loads(raw[len(EVENT_PREFIX):])[1]
        dots = {int(s["idea_id"]): int(round(s["score"])) for s in tally.get("standings", []) if s.get("score")}
        cache[raw] = (dots, int(tally.get("voters", -1)))
    return cache[raw]


# --- one measured run --------------------------------------------------------------------------

class Run:
    """Join, connect, vote and check convergence against one set of server processes."""

    def __init__(self, name: str, servers: list[Server], prepared: Prepared, args: argparse.Namespace,
                 totals: Callable[[], tuple[dict[int, int], int]], cpu_pids: Callable[[], list[int]] | None = None) -> None:
        self.name, self.servers, self.prepared, self.args, self.totals = name, servers, prepared, args, totals
        self.cpu = CpuMeter(cpu_pids or (lambda: [s.pid for s in servers]))
        self.crowd = Crowd(prepared)
        self.result: dict[str, Any] = {}

    def rss(self) -> int:
        return sum(rss_kib(s.pid) or 0 for s in self.servers)

    async def setup(self, http) -> None:
        args, prepared = self.args, self.prepared
        cookie_name = f"tavle_p{prepared.workshop_id}"
        ids = prepared.idea_ids
        gate = asyncio.Semaphore(args.connect_concurrency)

        async def join(i: int) -> Phone:
            base = self.servers[i % len(self.servers)].url
            async with gate:
                cookie = await join_phone(http, base, prepared.code, cookie_name, i)
            return Phone(i, base, cookie, (ids[i % len(ids)], ids[(i + 1) % len(ids)]))

        log(f"{self.name}: joining {args.clients} phones over HTTP")
        started = time.perf_counter()
        self.crowd.phones = list(await asyncio.gather(*(join(i) for i in range(args.clients))))
        join_s = time.perf_counter() - started

        rss_before = self.rss()
        log(f"{self.name}: joined in {join_s:.1f}s; connecting")

        async def connect(phone: Phone) -> None:
            async with gate:
                await self.crowd.connect(http, phone)

        started = time.perf_counter()
        await asyncio.gather(*(connect(p) for p in self.crowd.phones))
        connect_s = time.perf_counter() - started
        await asyncio.sleep(0.5)
        rss_after = self.rss()
        self.result.update({
            "join_seconds": round(join_s, 2),
            "connect_seconds": round(connect_s, 2),
            "rss_kib": {"before_connect": rss_before, "connected": rss_after},
            "rss_kib_per_connection": round((rss_after - rss_before) / args.clients, 1),
        })
        log(f"{self.name}: {args.clients} phones connected (and synced) in {connect_s:.1f}s")

    async def vote_phase(self, *, rate: float | None, seconds: float, until: asyncio.Future | None = None,
                         label: str = "votes") -> dict[str, Any]:
        """Paced (``rate`` votes/s) or closed loop (``rate`` None), for ``seconds`` or until ``until`` is done."""
        crowd, args = self.crowd, self.args
        crowd.reset()
        machine_before = machine_busy()
        own_before = time.process_time()
        self.cpu.start()
        start = time.perf_counter()
        if rate is None:
            crowd.closed_loop_until = start + seconds
            await asyncio.gather(*(crowd.vote(p) for p in crowd.phones))
            await asyncio.sleep(seconds)
            crowd.closed_loop_until = 0.0
        else:
            phones, cursor, seq = crowd.phones, 0, 0
            interval = 1.0 / rate
            while True:
                now = time.perf_counter()
                if now - start >= seconds and (until is None or until.done()):
                    break
                target = start + seq * interval
                if target > now:
                    await asyncio.sleep(target - now)
                seq += 1
                for _ in range(len(phones)):  # the next phone without a vote in flight
                    phone = phones[cursor % len(phones)]
                    cursor += 1
                    if not phone.pending and not phone.closed:
                        await crowd.vote(phone)
                        break
                else:
                    crowd.skipped_busy += 1
        send_end = time.perf_counter()
        deadline = send_end + args.ack_timeout
        while any(p.pending for p in crowd.phones) and time.perf_counter() < deadline:
            await asyncio.sleep(0.02)
        end = max(crowd.last_ack, send_end)
        cpu = self.cpu.stop()
        own = time.process_time() - own_before
        machine_after = machine_busy()
        span = max(end - start, 1e-9)
        acked = len(crowd.latencies)
        latencies = sorted(crowd.latencies)
        log(f"{self.name}: {label}: sent {crowd.sent}, acked ok {crowd.acked_ok} in {span:.1f}s")
        return {
            "mode": "closed_loop" if rate is None else "paced",
            "target_rate_per_s": rate,
            "seconds": round(span, 2),
            "sent": crowd.sent,
            "acked_ok": crowd.acked_ok,
            "refused": dict(crowd.refused),
            "refused_example": crowd.refused_example,
            "lost": crowd.sent - crowd.acked_ok,
            "unanswered": crowd.sent - acked,
            "skipped_all_phones_busy": crowd.skipped_busy,
            "acked_per_s": round(crowd.acked_ok / span, 1),
            "ack_ms": {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
                       "p99": percentile(latencies, 99), "max": round(latencies[-1], 1) if latencies else None},
            "server_cpu_ms_per_vote": round(cpu * 1000 / acked, 3) if acked else None,
            "server_cpu_ms_per_vote_by_process": {
                name: round(used * 1000 / acked, 3) for name, used in sorted(self.cpu.by_command.items())
            } if acked else None,
            "server_cpu_share_of_one_core": round(cpu / span, 2),
            "bench_cpu_share_of_one_core": round(own / span, 2),
            "machine_busy_share_all_cores": round((machine_after[0] - machine_before[0])
                                                  / max(machine_after[1] - machine_before[1], 1), 2),
            "_last_ack": crowd.last_ack,
        }

    async def convergence(self, last_ack: float) -> dict[str, Any]:
        """Wait until every phone's last tally equals the database; how long after the last ack."""
        cache: dict[str, tuple[dict[int, int], int]] = {}
        deadline = time.perf_counter() + self.args.settle_timeout
        totals, voters = await asyncio.to_thread(self.totals)
        read_at = time.perf_counter()
        while True:
            behind = [p for p in self.crowd.phones if p.tally_raw is None or shown(p.tally_raw, cache) != (totals, voters)]
            if not behind or time.perf_counter() > deadline:
                break
            await asyncio.sleep(0.05)
            if time.perf_counter() - read_at > 0.5:  # a vote whose ack never came may still have been committed
                totals, voters = await asyncio.to_thread(self.totals)
                read_at = time.perf_counter()
        latest = max((p.tally_at for p in self.crowd.phones), default=0.0)
        ballots: Counter = Counter()
        for phone in self.crowd.phones:
            ballots.update({k: v for k, v in phone.ballot.items() if v})
        return {
            "phones_whose_last_tally_equals_database": len(self.crowd.phones) - len(behind),
            "all_equal": not behind,
            "last_tally_after_last_ack_ms": round((latest - last_ack) * 1000, 1) if not behind else None,
            "acked_ballots_equal_database": dict(ballots) == totals,
            "database": {"dots": sum(totals.values()), "voters": voters},
            "phones_disconnected": sum(p.closed for p in self.crowd.phones),
            "tallies_per_phone": round(sum(p.tallies for p in self.crowd.phones) / len(self.crowd.phones), 1),
            "tallies_per_phone_by_server": {
                url: round(sum(p.tallies for p in on) / len(on), 1)
                for url in sorted({p.base_url for p in self.crowd.phones})
                if (on := [p for p in self.crowd.phones if p.base_url == url])
            },
        }

    def summary(self, votes: dict[str, Any], converged: dict[str, Any]) -> dict[str, Any]:
        votes = dict(votes)
        votes.pop("_last_ack", None)
        return {**self.result, "votes": votes, "convergence": converged,
                "server_log_errors": sum(1 for s in self.servers for line in s.log().splitlines()
                                         if "Traceback" in line or " ERROR " in line)}


async def measure(run: Run, rate: float | None, seconds: float) -> dict[str, Any]:
    """Join, connect, one vote phase, convergence; every phone disconnected at the end."""
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http:
        try:
            await run.setup(http)
            votes = await run.vote_phase(rate=rate, seconds=seconds)
            converged = await run.convergence(votes["_last_ack"])
            return run.summary(votes, converged)
        finally:
            await run.crowd.close()
            getattr(run.totals, "close", lambda: None)()


# --- the in-process SQL count ------------------------------------------------------------------

def sql_counts(work: Path, participants: int = 200) -> dict[str, Any]:
    """SQL statements of one ``cast_dots`` and one ``sync`` at ``participants`` joined, counted in-process.

    The app is built with ``create_app`` on its own SQLite file; one participant connects with
    the Flask-SocketIO test client (its cookie on the Flask test client), and a
    ``before_cursor_execute`` listener counts the statements run by the handler's thread.
    """
    from flask_migrate import upgrade
    from sqlalchemy import event

    from app import transaction
    from app.extensions import db, socketio
    from app.realtime import broadcast
    from app.services import participants as participant_service

    app = make_app(f"sqlite:///{work / 'sql-count.sqlite3'}")
    counted: list[str] = []
    me = threading.get_ident()

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        if threading.get_ident() == me:
            counted.append(statement.split(None, 1)[0].upper())

    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))

        def build():
            workshop, vote, made, people = seed_vote(20, participants_too=participants)
            return workshop.code, workshop.id, vote.id, [i for i, _ in made], participant_service.issue_token(people[0]), \
                participant_service.cookie_name(workshop)

        code, workshop_id, round_id, idea_ids, token, cookie = transaction.run(build)
        db.session.remove()
        event.listen(db.engine, "before_cursor_execute", count)

    web = app.test_client()
    web.set_cookie(cookie, token)
    client = socketio.test_client(app, namespace=NS, auth={"code": code}, flask_test_client=web)
    if not client.is_connected(NS):
        raise RuntimeError("the SQL count's participant could not connect")

    def measured(event_name: str, data: Any) -> tuple[int, Counter]:
        counted.clear()
        ack = client.emit(event_name, data, namespace=NS, callback=True)
        if not (isinstance(ack, dict) and ack.get("ok")):
            raise RuntimeError(f"{event_name} refused in the SQL count: {ack}")
        return len(counted), Counter(counted)

    casts = [measured("cast_dots", {"round_id": round_id, "idea_id": idea_ids[k % 2], "count": 1 + (k // 2) % 2,
                                    "op_id": f"sql-count-{k}"}) for k in range(5)]
    sync = measured("sync", {})
    with app.app_context():
        from app.models import Round

        counted.clear()
        broadcast.send_tally(db.session.get(Round, round_id))
        tally = len(counted)
        db.session.remove()
    client.disconnect(namespace=NS)
    with app.app_context():
        event.remove(db.engine, "before_cursor_execute", count)
        db.session.remove()
        db.engine.dispose()
    steady = sorted(n for n, _ in casts[1:])[len(casts[1:]) // 2]
    return {
        "participants_joined": participants,
        "cast_dots": {"first": casts[0][0], "median_of_next_4": steady, "kinds_first": dict(casts[0][1])},
        "sync": {"statements": sync[0], "kinds": dict(sync[1])},
        "tally_flush": tally,
        "database": "sqlite",
    }


# --- scenarios ---------------------------------------------------------------------------------

def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def target(value: float | None, limit: float, *, at_most: bool = True) -> dict[str, Any]:
    passed = value is not None and (value <= limit if at_most else value >= limit)
    return {"value": value, "target": ("≤ " if at_most else "≥ ") + f"{limit:g}", "pass": passed}


def compare(args: argparse.Namespace, work: Path, env: dict[str, Any]) -> dict[str, Any]:
    """The app, then the ceiling, with the same phones; ratios and targets."""
    rate = None if args.closed_loop else args.paced
    app_url = f"sqlite:///{work / 'app.sqlite3'}"
    log(f"preparing the app's workshop ({args.ideas} ideas, SQLite)")
    prepared = prepare(app_url, args.ideas)
    out: dict[str, Any] = {"benchmark": "live", **env}
    server = start_app(app_url, work / "app")
    try:
        out["app"] = asyncio.run(measure(Run("app", [server], prepared, args, AppTotals(app_url, prepared)),
                                         rate, args.seconds))
    finally:
        server.stop()
    if args.app_only:
        return out
    ceiling_db = work / "ceiling.sqlite3"
    server = start_ceiling(ceiling_db, prepared, work / "ceiling")
    try:
        out["ceiling"] = asyncio.run(measure(Run("ceiling", [server], prepared, args, lambda: ceiling_totals(ceiling_db)),
                                             rate, args.seconds))
    finally:
        server.stop()
    log("counting SQL statements in-process")
    out["sql_statements"] = sql_counts(work)

    a, c = out["app"], out["ceiling"]
    out["app_over_ceiling"] = {
        "ack_p50": ratio(a["votes"]["ack_ms"]["p50"], c["votes"]["ack_ms"]["p50"]),
        "ack_p95": ratio(a["votes"]["ack_ms"]["p95"], c["votes"]["ack_ms"]["p95"]),
        "ack_p99": ratio(a["votes"]["ack_ms"]["p99"], c["votes"]["ack_ms"]["p99"]),
        "acked_per_s": ratio(a["votes"]["acked_per_s"], c["votes"]["acked_per_s"]),
        "lost": [a["votes"]["lost"], c["votes"]["lost"]],
        "last_tally_after_last_ack": ratio(a["convergence"]["last_tally_after_last_ack_ms"],
                                           c["convergence"]["last_tally_after_last_ack_ms"]),
        "server_cpu_ms_per_vote": ratio(a["votes"]["server_cpu_ms_per_vote"], c["votes"]["server_cpu_ms_per_vote"]),
        "rss_kib_per_connection": ratio(a["rss_kib_per_connection"], c["rss_kib_per_connection"]),
        "connect_seconds": ratio(a["connect_seconds"], c["connect_seconds"]),
        "join_seconds": ratio(a["join_seconds"], c["join_seconds"]),
    }
    targets = {"cpu_ms_per_vote_ratio_to_ceiling": target(out["app_over_ceiling"]["server_cpu_ms_per_vote"],
                                                          TARGETS["cpu_ms_per_vote_ratio_to_ceiling"])}
    if rate is None:
        targets["closed_loop_acked_per_s_share_of_ceiling"] = target(
            out["app_over_ceiling"]["acked_per_s"], TARGETS["closed_loop_acked_per_s_share_of_ceiling"], at_most=False)
    else:
        targets["paced_lost"] = target(a["votes"]["lost"], TARGETS["paced_lost"])
        targets["paced_ack_p99_ms"] = target(a["votes"]["ack_ms"]["p99"], TARGETS["paced_ack_p99_ms"])
        targets["paced_convergence_ms"] = target(a["convergence"]["last_tally_after_last_ack_ms"],
                                                 TARGETS["paced_convergence_ms"])
    note = "targets are set for 1,000 phones at 200 votes/s (paced) and 1,000 phones closed loop"
    out["targets"] = {"note": note, **targets}
    return out


async def download_exports(base_url: str, code: str, timings: dict[str, Any], limit: float) -> None:
    """Log in as the facilitator and download each format in turn, each within ``limit`` seconds."""
    import aiohttp

    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=None)) as http:
        async with http.get(f"{base_url}/login") as page:
            token = _csrf_from_form(await page.text())
        async with http.post(f"{base_url}/login", data={"email": FACILITATOR["email"], "password": FACILITATOR["password"],
                                                         "csrf_token": token}, allow_redirects=False) as response:
            if response.status != 302:
                raise RuntimeError(f"facilitator login failed: HTTP {response.status}")
        for fmt in EXPORT_FORMATS:
            started = time.perf_counter()
            try:
                timings[fmt] = await asyncio.wait_for(download(http, f"{base_url}/f/{code}/export.{fmt}"), limit)
            except asyncio.TimeoutError:
                timings[fmt] = {"error": f"no file within {limit:g} s"}
            timings[fmt]["seconds"] = round(time.perf_counter() - started, 2)
            log(f"export.{fmt}: {timings[fmt]}")


async def download(http, url: str) -> dict[str, Any]:
    """One download as a script makes it: the file itself, or a job's JSON status (202) polled
    every 0.5 s on the job's own ``url`` (the plain URL would start a new build after every
    vote, since the workshop changed), then the file from that ``url`` once it is done."""
    from urllib.parse import urljoin

    polls, target = 0, url
    while True:
        async with http.get(target, headers={"Accept": "application/json"}) as response:
            body = await response.read()
            if response.status == 200 and "attachment" in response.headers.get("Content-Disposition", ""):
                return {"bytes": len(body), "status_polls": polls}
            if response.status not in (200, 202):
                raise RuntimeError(f"{target}: HTTP {response.status}: {body[:200]!r}")
            status = json.loads(body) if "json" in response.headers.get("Content-Type", "") else {}
        target = urljoin(url, status["url"]) if status.get("url") else target
        if status.get("status") == "done":
            async with http.get(target) as response:
                body = await response.read()
                if response.status != 200:
                    raise RuntimeError(f"{target}: HTTP {response.status}: {body[:200]!r}")
                return {"bytes": len(body), "status_polls": polls}
        polls += 1
        await asyncio.sleep(0.5)


def with_exports(args: argparse.Namespace, work: Path, env: dict[str, Any]) -> dict[str, Any]:
    """Paced votes alone, then the same while the facilitator downloads every report of a big workshop."""
    app_url = f"sqlite:///{work / 'app.sqlite3'}"
    log(f"preparing the vote and a {args.export_participants}-participant workshop to export")
    prepared = prepare(app_url, args.ideas, export_participants=args.export_participants)
    server = start_app(app_url, work / "app")
    run = Run("app", [server], prepared, args, AppTotals(app_url, prepared))

    async def scenario() -> dict[str, Any]:
        import aiohttp

        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0),
                                         cookie_jar=aiohttp.DummyCookieJar()) as http:
            try:
                await run.setup(http)
                alone = await run.vote_phase(rate=args.paced, seconds=args.seconds, label="without exports")
                alone_converged = await run.convergence(alone["_last_ack"])
                timings: dict[str, Any] = {}
                downloads = asyncio.ensure_future(download_exports(server.url, prepared.export_code, timings, args.export_timeout))
                during = await run.vote_phase(rate=args.paced, seconds=args.seconds, until=downloads, label="with exports")
                await downloads  # raises if a download failed
                during_converged = await run.convergence(during["_last_ack"])
                return {**run.summary(alone, alone_converged), "with_exports": {
                    **run.summary(during, during_converged), "downloads": timings}}
            finally:
                await run.crowd.close()
                run.totals.close()

    try:
        measured = asyncio.run(scenario())
    finally:
        server.stop()
    p99_alone = measured["votes"]["ack_ms"]["p99"]
    p99_during = measured["with_exports"]["votes"]["ack_ms"]["p99"]
    increase = round(p99_during - p99_alone, 1) if p99_alone is not None and p99_during is not None else None
    return {"benchmark": "live-with-exports", **env, "app": measured,
            "ack_p99_ms": {"without_exports": p99_alone, "with_exports": p99_during, "increase": increase},
            "targets": {"exports_ack_p99_increase_ms": target(increase, TARGETS["exports_ack_p99_increase_ms"])}}


def scaled(args: argparse.Namespace, work: Path, env: dict[str, Any]) -> dict[str, Any]:
    """Two app processes + Redis + PostgreSQL against one app process with SQLite, same phones and rate."""
    from tests.support.db import postgres_session_db

    rate = None if args.closed_loop else args.paced
    out: dict[str, Any] = {"benchmark": "live-scaled", **env}
    sqlite_url = f"sqlite:///{work / 'app.sqlite3'}"
    log("preparing one process with SQLite")
    prepared = prepare(sqlite_url, args.ideas)
    server = start_app(sqlite_url, work / "one")
    try:
        out["one_process_sqlite"] = asyncio.run(measure(
            Run("one process", [server], prepared, args, AppTotals(sqlite_url, prepared)), rate, args.seconds))
    finally:
        server.stop()

    pg_url, drop = postgres_session_db(args.postgres_url)
    servers: list[Server] = []
    try:
        log("preparing two processes with Redis and PostgreSQL")
        prepared = prepare(pg_url, args.ideas)
        extra = {"TAVLE_REDIS_URL": args.redis_url, "TAVLE_REDIS_CHANNEL": f"tavle-bench-{uuid.uuid4().hex[:12]}"}
        servers = [start_app(pg_url, work / "a", extra), start_app(pg_url, work / "b", extra)]
        app_pids = [s.pid for s in servers]
        run = Run("two processes", servers, prepared, args, AppTotals(pg_url, prepared),
                  cpu_pids=lambda: app_pids + pids_named("redis-server", "postgres"))
        out["two_processes_redis_postgres"] = asyncio.run(measure(run, rate, args.seconds))
    finally:
        for server in servers:
            server.stop()
        drop()
    one = out["one_process_sqlite"]["votes"]["server_cpu_ms_per_vote"]
    two = out["two_processes_redis_postgres"]["votes"]["server_cpu_ms_per_vote"]
    out["cpu_ms_per_vote_counts"] = ("one process: the app; two: both app processes, every redis-server and every "
                                     "postgres process on the machine (other work's too)")
    out["scaled_over_one_process"] = {"server_cpu_ms_per_vote": ratio(two, one)}
    out["targets"] = {"scaled_cpu_ms_per_vote_ratio_to_one_process": target(
        ratio(two, one), TARGETS["scaled_cpu_ms_per_vote_ratio_to_one_process"])}
    return out


# --- main --------------------------------------------------------------------------------------

def run_benchmark(argv: list[str] | None = None) -> dict[str, Any]:
    """Parse ``argv``, run the chosen scenario and return its result (what ``main`` prints)."""
    args = parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 4 * args.clients + 256))
    if soft < wanted:  # every phone is a socket here and one in the server, which inherits this limit
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    work = Path(tempfile.mkdtemp(prefix="tavle-live-bench-"))
    # The in-process setup reads its configuration from the environment: keep it out of the
    # repository's instance folder and away from any Redis or database set for the shell.
    saved = {k: os.environ.get(k) for k in ("TAVLE_INSTANCE_DIR", "TAVLE_SECRET_KEY", "TAVLE_ENV", "TAVLE_REDIS_URL",
                                            "TAVLE_DATABASE_URL")}
    os.environ["TAVLE_INSTANCE_DIR"] = str(work / "setup")
    os.environ["TAVLE_SECRET_KEY"] = secrets.token_urlsafe(32)
    os.environ["TAVLE_ENV"] = "development"
    os.environ.pop("TAVLE_REDIS_URL", None)
    os.environ.pop("TAVLE_DATABASE_URL", None)
    env = {"config": {"clients": args.clients, "mode": "closed_loop" if args.closed_loop else "paced",
                      "rate_per_s": args.paced, "seconds": args.seconds, "ideas": args.ideas, "budget": BUDGET,
                      "cap": CAP, "cpus": os.cpu_count()},
           "loadavg_1min_at_start": loadavg()}
    started = time.perf_counter()
    try:
        if args.with_exports:
            result = with_exports(args, work, env)
        elif args.scaled:
            result = scaled(args, work, env)
        else:
            result = compare(args, work, env)
        result["loadavg_1min_at_end"] = loadavg()
        result["wall_seconds"] = round(time.perf_counter() - started, 1)
        return result
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    print(json.dumps(run_benchmark(argv), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
