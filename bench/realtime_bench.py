"""Realtime benchmark: many phones dot-voting at once against one real Tavle server.

Starts ``python wsgi.py`` (eventlet) on a fresh database, prepares a workshop with a
brainstorm of ideas and an open, revealed dot vote, joins N participants through the web
form (each gets its own signed cookie), connects them and one projector over Socket.IO
(websocket transport) and has them cast ``cast_dots`` at a target rate. Prints one JSON
object to stdout:

* ack latency of ``cast_dots`` (p50/p95/p99/max, ms), votes sent, acked, refused, timed out;
* ``tally`` events the projector received per second (coalesced: at most ``TAVLE_TALLY_HZ``);
* whether the projector's last tally equals the totals in the database when the run ends;
* the server's resident memory (VmRSS) at start, with everyone connected, and at the end.

Usage::

    .venv/bin/python bench/realtime_bench.py --clients 200 --rate 200 --seconds 10
    .venv/bin/python bench/realtime_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/tavle_bench \\
        --redis-url redis://127.0.0.1:6379/0

With ``--database-url`` the database is migrated and a new workshop added to it: use a
throw-away database. Only addresses on this machine are contacted.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BUDGET, CAP = 5, 3


def log(message: str) -> None:
    """Progress goes to stderr; stdout carries only the JSON result."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200, help="participants connected at once (default 200)")
    parser.add_argument("--rate", type=float, default=200.0, help="votes per second, all participants together (default 200)")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to vote (default 10)")
    parser.add_argument("--ideas", type=int, default=20, help="ideas in the brainstorm the vote is over (default 20)")
    parser.add_argument("--database-url", default=None, help="database for the server (default: SQLite in a temporary folder)")
    parser.add_argument("--redis-url", default=None, help="run the server with this Redis as its Socket.IO message queue")
    parser.add_argument("--connect-concurrency", type=int, default=20, help="connections opened at the same time (default 20)")
    parser.add_argument("--ack-timeout", type=float, default=10.0, help="seconds to wait for one ack (default 10)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the votes (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, server log)")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.rate <= 0 or args.seconds <= 0 or args.ideas < 2:
        parser.error("--clients must be at least 1, --rate and --seconds positive, --ideas at least 2")
    return args


# --- setup, in this process, before the server starts -----------------------------------------

@dataclass
class Prepared:
    workshop_id: int
    code: str
    round_id: int
    idea_ids: list[int]


def make_app(database_url: str):
    """The app against ``database_url``, without sockets of its own (it only reads and writes)."""
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TAVLE_ASYNC_MODE": "threading", "TAVLE_REDIS_URL": None})


def normalise_url(url: str) -> str:
    """SQLAlchemy wants the driver named: the same rewriting the server does."""
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def prepare(database_url: str, n_ideas: int) -> Prepared:
    """Migrate, then add a workshop: an open brainstorm filled with ideas, then an open, revealed dot vote."""
    from flask_migrate import upgrade

    from app import transaction
    from app.extensions import db
    from app.services import ideas, participants, rounds, workshops

    app = make_app(database_url)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))

        def build() -> Prepared:
            workshop = workshops.create_workshop(None, title="Realtime benchmark", language="en")
            brainstorm = rounds.add_round(workshop, kind="brainstorm", title="Ideas")
            rounds.open_round(brainstorm)
            author = participants.join(workshop, name="Idea author", organisation="Bench")
            idea_ids = []
            for i in range(n_ideas):
                submitted = ideas.submit_idea(author, brainstorm, op_id=f"bench-idea-{i:04d}", title=f"Idea number {i + 1}")
                idea_ids.append(submitted.idea.id)
            vote = rounds.add_round(workshop, kind="dot_vote", title="Dot vote",
                                    settings={"source_round_id": brainstorm.id, "budget": BUDGET, "cap": CAP})
            rounds.open_round(vote)  # closes the brainstorm
            rounds.set_revealed(vote, True)  # the projector shows the live tally
            db.session.flush()
            return Prepared(workshop.id, workshop.code, vote.id, idea_ids)

        prepared = transaction.run(build)
        db.session.remove()
        db.engine.dispose()
    return prepared


def database_totals(database_url: str, round_id: int, idea_ids: list[int]) -> tuple[dict[int, int], int]:
    """Dots per idea summed straight from the stored ballots, and the number of ballots."""
    from app.extensions import db
    from app.services import rounds

    app = make_app(database_url)
    with app.app_context():
        from app.models import Round

        round_ = db.session.get(Round, round_id)
        contents = rounds.ballots_of(round_)
        totals = dict.fromkeys(idea_ids, 0)
        for content in contents:
            for idea_id, dots in (content or {}).items():
                totals[int(idea_id)] = totals.get(int(idea_id), 0) + int(dots)
        db.session.remove()
        db.engine.dispose()
    return totals, len(contents)


# --- the server --------------------------------------------------------------------------------

def rss_kib(pid: int) -> int | None:
    """The process's resident set size in KiB (VmRSS in /proc/<pid>/status)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time the process has used, in seconds (from /proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[int, int]:
    """(busy, total) jiffies of all cores together, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def join_participants(base_url: str, code: str, workshop_id: int, n: int) -> list[str]:
    """Join ``n`` participants through the web form; returns each one's Cookie header."""
    import requests

    cookie = f"tavle_p{workshop_id}"
    web = requests.Session()
    page = web.get(f"{base_url}/w/{code}", timeout=10)
    page.raise_for_status()
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    if not match:
        raise RuntimeError("no CSRF token on the join page")
    token = match.group(1)
    headers = []
    for i in range(n):
        response = web.post(f"{base_url}/w/{code}/join", allow_redirects=False, timeout=10, data={
            "name": f"Participant {i + 1}", "organisation": "Bench", "sector": "health_service", "csrf_token": token,
        })
        value = response.cookies.get(cookie)
        if response.status_code != 302 or not value:
            raise RuntimeError(f"join {i + 1} failed: HTTP {response.status_code}\n{response.text[:500]}")
        # Forget this participant so the next POST joins a new one (the CSRF session stays).
        web.cookies.clear_expired_cookies()
        for c in list(web.cookies):
            if c.name == cookie:
                web.cookies.clear(c.domain, c.path, c.name)
        headers.append(f"{cookie}={value}")
    web.close()
    return headers


# --- the clients -------------------------------------------------------------------------------

@dataclass
class Phone:
    index: int
    client: Any
    ballot: dict[int, int] = field(default_factory=dict)
    busy: bool = False


@dataclass
class Results:
    latencies_ms: list[float] = field(default_factory=list)
    sent: int = 0
    acked_ok: int = 0
    refused: Counter = field(default_factory=Counter)
    refused_examples: list[dict] = field(default_factory=list)
    timed_out: int = 0
    failed: Counter = field(default_factory=Counter)
    skipped_all_busy: int = 0
    tallies: list[tuple[float, dict]] = field(default_factory=list)


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return None
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return round(sorted_values[rank - 1], 2)


def next_vote(phone: Phone, idea_ids: list[int], rng: random.Random) -> tuple[int, int]:
    """A change to the phone's ballot that stays within the budget and the cap."""
    idea = rng.choice(idea_ids)
    current = phone.ballot.get(idea, 0)
    room = BUDGET - (sum(phone.ballot.values()) - current)
    choices = [c for c in range(0, min(CAP, room) + 1) if c != current] or [current]
    return idea, rng.choice(choices)


async def cast(phone: Phone, prepared: Prepared, seq: int, rng: random.Random, results: Results, timeout: float) -> None:
    import socketio

    idea, count = next_vote(phone, prepared.idea_ids, rng)
    payload = {"round_id": prepared.round_id, "idea_id": idea, "count": count, "op_id": f"bench-{phone.index:05d}-{seq:07d}"}
    before = dict(phone.ballot)
    results.sent += 1
    started = time.perf_counter()
    try:
        ack = await phone.client.call("cast_dots", payload, namespace="/participant", timeout=timeout)
    except socketio.exceptions.TimeoutError:
        results.timed_out += 1
        return
    except Exception as exc:  # noqa: BLE001 - a dropped connection counts, it does not stop the run
        results.failed[type(exc).__name__] += 1
        return
    finally:
        phone.busy = False
    results.latencies_ms.append((time.perf_counter() - started) * 1000)
    if isinstance(ack, dict) and ack.get("ok"):
        results.acked_ok += 1
        phone.ballot = {int(k): int(v) for k, v in (ack.get("ballot") or {}).items()}
    else:
        code = (ack or {}).get("error", {}).get("code", "unknown") if isinstance(ack, dict) else "bad_ack"
        results.refused[code] += 1
        if len(results.refused_examples) < 3:
            results.refused_examples.append({"participant": phone.index, "ballot_before": before, "vote": payload, "ack": ack})


async def connect_all(base_url: str, prepared: Prepared, cookies: list[str], concurrency: int) -> list[Phone]:
    import socketio

    gate = asyncio.Semaphore(concurrency)

    async def one(i: int, cookie: str) -> Phone:
        async with gate:
            client = socketio.AsyncClient(reconnection=False)
            await client.connect(base_url, headers={"Cookie": cookie}, auth={"code": prepared.code},
                                 transports=["websocket"], namespaces=["/participant"], wait_timeout=30)
            return Phone(i, client)

    return list(await asyncio.gather(*(one(i, c) for i, c in enumerate(cookies))))


async def run_clients(base_url: str, server_pid: int, prepared: Prepared, cookies: list[str], args: argparse.Namespace,
                      database_url: str) -> dict[str, Any]:
    import socketio

    rng = random.Random(args.seed)
    results = Results()
    loop = asyncio.get_running_loop()

    display = socketio.AsyncClient(reconnection=False)

    async def on_tally(data):
        if isinstance(data, dict) and data.get("round_id") == prepared.round_id:
            results.tallies.append((loop.time(), data))

    display.on("tally", on_tally, namespace="/display")
    await display.connect(base_url, auth={"code": prepared.code}, transports=["websocket"], namespaces=["/display"],
                          wait_timeout=30)

    connect_started = time.perf_counter()
    phones = await connect_all(base_url, prepared, cookies, args.connect_concurrency)
    connect_seconds = time.perf_counter() - connect_started
    rss_connected = rss_kib(server_pid)
    log(f"{len(phones)} participants and 1 projector connected in {connect_seconds:.1f}s; voting")

    total_votes = int(round(args.rate * args.seconds))
    interval = 1.0 / args.rate
    tasks: set[asyncio.Task] = set()
    cursor = 0
    vote_start = loop.time()
    cpu_before = cpu_seconds(server_pid)
    own_before = time.process_time()
    machine_before = machine_cpu()
    max_send_lag = 0.0
    for seq in range(total_votes):
        target = vote_start + seq * interval
        delay = target - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            max_send_lag = max(max_send_lag, -delay)
        phone = None
        for _ in range(len(phones)):  # the next participant without a vote still in flight
            candidate = phones[cursor % len(phones)]
            cursor += 1
            if not candidate.busy:
                phone = candidate
                break
        if phone is None:
            results.skipped_all_busy += 1
            continue
        phone.busy = True  # now, not when the task first runs: a lagging sender must not pick it twice
        task = asyncio.ensure_future(cast(phone, prepared, seq, rng, results, args.ack_timeout))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    send_end = loop.time()
    if tasks:
        await asyncio.wait(set(tasks), timeout=args.ack_timeout + 5)
    last_ack = loop.time()
    cpu_after = cpu_seconds(server_pid)
    own_after = time.process_time()
    machine_after = machine_cpu()
    rss_end = rss_kib(server_pid)

    # Every acked vote is committed: the database holds the final totals now. The projector's
    # last tally must reach the same numbers within a few coalescing intervals.
    totals, ballots = await asyncio.to_thread(database_totals, database_url, prepared.round_id, prepared.idea_ids)

    def shown(tally: dict) -> dict[int, int]:
        return {s["idea_id"]: s["score"] for s in tally.get("standings", [])}

    settle_deadline = loop.time() + 5.0
    while loop.time() < settle_deadline:
        if results.tallies and shown(results.tallies[-1][1]) == totals and results.tallies[-1][1].get("voters") == ballots:
            break
        await asyncio.sleep(0.05)
    last_tally = results.tallies[-1][1] if results.tallies else {}
    final_matches = bool(last_tally) and shown(last_tally) == totals and last_tally.get("voters") == ballots
    last_tally_vs_last_ack_ms = round((results.tallies[-1][0] - last_ack) * 1000, 1) if results.tallies else None

    client_totals: Counter = Counter()
    for phone in phones:
        client_totals.update(phone.ballot)
    clients_match = all(client_totals.get(i, 0) == totals.get(i, 0) for i in prepared.idea_ids)

    # Tally events while votes were sent: mean per second, and the most in any one second.
    span = max(last_ack - vote_start, 1e-9)
    send_span = max(send_end - vote_start, 1e-9)
    window = [t for t, _ in results.tallies if vote_start <= t < send_end]
    per_second = Counter(int(t - vote_start) for t, _ in results.tallies if t >= vote_start)
    tally_max_per_s = max(per_second.values()) if per_second else 0

    await asyncio.gather(*(p.client.disconnect() for p in phones), display.disconnect(), return_exceptions=True)

    latencies = sorted(results.latencies_ms)
    answered = len(latencies)
    server_cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    return {
        "connect_seconds": round(connect_seconds, 2),
        "votes": {
            "target_rate_per_s": args.rate,
            "planned": total_votes,
            "sent": results.sent,
            "acked": answered,
            "acked_ok": results.acked_ok,
            "refused": dict(results.refused),
            "refused_examples": results.refused_examples,
            "timed_out": results.timed_out,
            "failed": dict(results.failed),
            "skipped_all_participants_busy": results.skipped_all_busy,
            "send_seconds": round(send_end - vote_start, 2),
            "achieved_send_rate_per_s": round(results.sent / max(send_end - vote_start, 1e-9), 1),
            "acked_ok_rate_per_s": round(results.acked_ok / span, 1),
            "max_send_lag_ms": round(max_send_lag * 1000, 1),
        },
        "ack_latency_ms": {
            "p50": percentile(latencies, 50),
            "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99),
            "max": round(latencies[-1], 2) if latencies else None,
            "mean": round(sum(latencies) / answered, 2) if answered else None,
        },
        "display_tally": {
            "events": len(results.tallies),
            "events_during_voting": len(window),
            "per_s_mean_while_voting": round(len(window) / send_span, 2),
            "per_s_max_in_any_second": tally_max_per_s,
            "final_matches_database": final_matches,
            "last_tally_vs_last_ack_ms": last_tally_vs_last_ack_ms,
            "final_voters": last_tally.get("voters"),
        },
        "database": {
            "ballots": ballots,
            "dots_total": sum(totals.values()),
            "clients_ballots_match_database": clients_match,
        },
        "server_rss_kib": {"connected": rss_connected, "end": rss_end},
        "bench_clients_cpu_share_of_one_core": round((own_after - own_before) / span, 2),
        "machine_cpu_busy_share_all_cores": round(
            (machine_after[0] - machine_before[0]) / max(machine_after[1] - machine_before[1], 1), 2),
        "server_cpu": {
            "seconds_while_voting": round(server_cpu, 2) if server_cpu is not None else None,
            "share_of_one_core": round(server_cpu / span, 2) if server_cpu is not None else None,
            "ms_per_acked_vote": round(server_cpu * 1000 / answered, 2) if server_cpu is not None and answered else None,
        },
    }


# --- main --------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="tavle-bench-"))
    # The in-process setup reads the configuration from the environment: keep it out of the
    # repository's instance folder and away from any Redis or database set for the shell.
    os.environ["TAVLE_INSTANCE_DIR"] = str(work / "setup")
    os.environ["TAVLE_SECRET_KEY"] = secrets.token_urlsafe(32)
    os.environ["TAVLE_ENV"] = "development"
    os.environ.pop("TAVLE_REDIS_URL", None)
    os.environ.pop("TAVLE_DATABASE_URL", None)
    database_url = normalise_url(args.database_url) if args.database_url else f"sqlite:///{work / 'bench.sqlite3'}"

    from tests.support.server import start_server

    server = None
    started = time.perf_counter()
    load_at_start = float(Path("/proc/loadavg").read_text().split()[0])
    try:
        log(f"preparing a workshop with {args.ideas} ideas in {database_url.split(':')[0]}")
        prepared = prepare(database_url, args.ideas)
        extra = {"TAVLE_REDIS_URL": args.redis_url} if args.redis_url else {}
        server = start_server(database_url, work / "server", extra=extra, timeout=60)
        time.sleep(0.5)  # let start-up allocations settle before the first RSS reading
        rss_start = rss_kib(server.proc.pid)
        log(f"server pid {server.proc.pid} on {server.url}; joining {args.clients} participants")
        join_started = time.perf_counter()
        cookies = join_participants(server.url, prepared.code, prepared.workshop_id, args.clients)
        join_seconds = time.perf_counter() - join_started
        measured = asyncio.run(run_clients(server.url, server.proc.pid, prepared, cookies, args, database_url))
        alive = server.proc.poll() is None
        result = {
            "benchmark": "realtime",
            "config": {
                "clients": args.clients, "rate_per_s": args.rate, "seconds": args.seconds, "ideas": args.ideas,
                "budget": BUDGET, "cap": CAP, "database": database_url.split(":")[0],
                "redis": bool(args.redis_url), "async_mode": "eventlet", "cpus": os.cpu_count(),
            },
            "loadavg_1min_at_start": load_at_start,
            "join_seconds": round(join_seconds, 2),
            **measured,
            "server_alive_at_end": alive,
            "wall_seconds": round(time.perf_counter() - started, 1),
        }
        result["server_rss_kib"] = {"start": rss_start, **result["server_rss_kib"]}
        errors = [line for line in server.log().splitlines() if "Traceback" in line or " ERROR " in line]
        result["server_log_errors"] = len(errors)
        print(json.dumps(result, indent=2))
        return 0
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
