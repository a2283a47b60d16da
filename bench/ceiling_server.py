"""The ceiling for the live benchmark: the least a Flask-SocketIO server can do for a dot vote.

It serves the same shapes as Tavle, so the benchmark's phones cannot tell the difference:

* ``GET /w/<CODE>``: a join page with a CSRF-like token in a hidden ``csrf_token`` field and
  a signed session cookie; ``POST /w/<CODE>/join`` checks the token, stores the participant
  in SQLite and sets a signed ``tavle_p<workshop id>`` cookie;
* ``/participant`` over Socket.IO: the connection must carry that cookie and
  ``auth {"code": CODE}``; ``cast_dots`` (``round_id``, ``idea_id``, ``count``, ``op_id``) is one
  SQLite upsert, then the ack; ``sync`` answers the participant's ballot and the tally;
* a ``tally`` shaped like Tavle's (every idea with its title, rank, score, dots and voters)
  read from the database and broadcast at most ``--tally-hz`` times a second, only after
  votes changed something, so the last state always goes out.

Eventlet with the same tricks as ``wsgi.py``: a listening socket with TCP_NODELAY and without
SO_REUSEPORT, and eventlet's connection limit raised. SQLite in WAL mode with
``synchronous=NORMAL``, as Tavle sets it. Started by ``bench/live_bench.py``::

    .venv/bin/python bench/ceiling_server.py --port 5055 --database /tmp/c.sqlite3 \\
        --code ABC123 --workshop-id 1 --round-id 2 --ideas '[[3, "Idea 1"], [4, "Idea 2"]]'
"""
import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import errno  # noqa: E402
import hashlib  # noqa: E402
import hmac  # noqa: E402
import json  # noqa: E402
import secrets  # noqa: E402
import socket  # noqa: E402
import sqlite3  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from flask import Flask, abort, make_response, redirect, request, session  # noqa: E402
from flask_socketio import ConnectionRefusedError, Namespace, SocketIO, join_room  # noqa: E402

BUDGET, CAP = 5, 3
METHOD_CARD = ("Each participant had 5 dots, at most 3 on one idea. An idea's score is the total number of dots it "
               "received. Ideas with equal results share a place (for example 1, 2, 2, 4); no tie was broken automatically.")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", required=True, help="SQLite file (created)")
    parser.add_argument("--code", required=True, help="the workshop code phones join with")
    parser.add_argument("--workshop-id", type=int, required=True, help="names the participant cookie tavle_p<id>")
    parser.add_argument("--round-id", type=int, required=True)
    parser.add_argument("--ideas", required=True, help='JSON list of [id, title]')
    parser.add_argument("--tally-hz", type=float, default=10.0)
    parser.add_argument("--max-connections", type=int, default=4000)
    return parser.parse_args(argv)


args = parse_args()
IDEAS = {int(i): str(t) for i, t in json.loads(args.ideas)}
COOKIE = f"tavle_p{args.workshop_id}"
SECRET = secrets.token_bytes(32)

db = sqlite3.connect(args.database, isolation_level=None, check_same_thread=False)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=NORMAL")
db.executescript("""
    CREATE TABLE IF NOT EXISTS participant (id INTEGER PRIMARY KEY, name TEXT NOT NULL, organisation TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS dots (
        participant_id INTEGER NOT NULL, idea_id INTEGER NOT NULL, count INTEGER NOT NULL, op_id TEXT NOT NULL,
        PRIMARY KEY (participant_id, idea_id));
""")

app = Flask(__name__)
app.secret_key = SECRET
socketio = SocketIO(app, async_mode="eventlet", cors_allowed_origins=[], logger=False, engineio_logger=False)


def sign(participant_id: int) -> str:
    mac = hmac.new(SECRET, str(participant_id).encode(), hashlib.sha256).hexdigest()[:32]
    return f"{participant_id}.{mac}"


def verify(token: str | None) -> int | None:
    if not token or "." not in token:
        return None
    pid = token.split(".", 1)[0]
    return int(pid) if pid.isdigit() and hmac.compare_digest(sign(int(pid)), token) else None


@app.get("/healthz")
def healthz():
    return "ok"


@app.get("/w/<code>")
def home(code: str):
    if code != args.code:
        abort(404)
    token = session.get("csrf") or secrets.token_urlsafe(24)
    session["csrf"] = token
    return (f'<!doctype html><meta name="csrf-token" content="{token}"><form method="post" action="/w/{code}/join">'
            f'<input id="csrf_token" name="csrf_token" type="hidden" value="{token}">'
            '<input name="name"><input name="organisation"><button>Join</button></form>')


@app.post("/w/<code>/join")
def join(code: str):
    if code != args.code:
        abort(404)
    if not session.get("csrf") or request.form.get("csrf_token") != session["csrf"]:
        abort(400)
    cursor = db.execute("INSERT INTO participant (name, organisation) VALUES (?, ?)",
                        (request.form.get("name", ""), request.form.get("organisation", "")))
    response = make_response(redirect(f"/w/{code}"))
    response.set_cookie(COOKIE, sign(cursor.lastrowid), httponly=True, samesite="Lax")
    return response


def tally() -> dict:
    """The live tally from the stored dots, in Tavle's shape."""
    totals = dict.fromkeys(IDEAS, 0)
    voters_per_idea = dict.fromkeys(IDEAS, 0)
    for idea_id, dots, voters in db.execute(
            "SELECT idea_id, SUM(count), COUNT(*) FROM dots WHERE count > 0 GROUP BY idea_id"):
        totals[idea_id], voters_per_idea[idea_id] = dots, voters
    ballots = db.execute("SELECT COUNT(DISTINCT participant_id) FROM dots WHERE count > 0").fetchone()[0]
    order = sorted(IDEAS, key=lambda i: (-totals[i], i))
    standings, rank = [], 0
    for position, idea_id in enumerate(order):
        if position == 0 or totals[idea_id] != totals[order[position - 1]]:
            rank = position + 1
        tied = sum(1 for i in order if totals[i] == totals[idea_id]) > 1
        standings.append({"idea_id": idea_id, "title": IDEAS[idea_id], "rank": rank, "score": float(totals[idea_id]),
                          "tied": tied, "extra": {"dots": totals[idea_id], "voters": voters_per_idea[idea_id]}})
    return {"method": "dots", "method_card": METHOD_CARD, "ballots": ballots, "params": {"budget": BUDGET, "cap": CAP},
            "live": True, "tie_break": None, "standings": standings, "round_id": args.round_id, "voters": ballots}


class Coalescer:
    """At most ``hz`` tallies a second, each read from the database, the newest state last."""

    def __init__(self, hz: float) -> None:
        self.interval = 1.0 / hz
        self.dirty = False
        self.running = False
        self.last = 0.0

    def mark(self) -> None:
        self.dirty = True
        if not self.running:
            self.running = True
            socketio.start_background_task(self.run)

    def run(self) -> None:
        while True:
            delay = self.last + self.interval - time.monotonic()
            if delay > 0:
                socketio.sleep(delay)
            if not self.dirty:
                self.running = False
                return
            self.dirty = False
            self.last = time.monotonic()
            socketio.emit("tally", tally(), namespace="/participant", to="workshop")


tallies = Coalescer(args.tally_hz)


class Participant(Namespace):
    def on_connect(self, auth=None):
        if not isinstance(auth, dict) or auth.get("code") != args.code:
            raise ConnectionRefusedError("unknown_workshop")
        participant_id = verify(request.cookies.get(COOKIE))
        if participant_id is None:
            raise ConnectionRefusedError("not_joined")
        session["participant_id"] = participant_id
        session["ballot"] = {}
        join_room("workshop")

    def on_sync(self, data=None):
        return {"ok": True, "state": {"round": {"id": args.round_id}, "ballot": session.get("ballot", {}), "tally": tally()}}

    def on_cast_dots(self, data):
        if not isinstance(data, dict) or data.get("round_id") != args.round_id or data.get("idea_id") not in IDEAS:
            return {"ok": False, "error": {"code": "bad_request", "message": "The message was not understood."}}
        count, idea_id = data.get("count"), data["idea_id"]
        if not isinstance(count, int) or count < 0:
            return {"ok": False, "error": {"code": "negative", "message": "At least 0 dots."}}
        ballot = dict(session["ballot"])
        ballot[str(idea_id)] = count
        if count > CAP:
            return {"ok": False, "error": {"code": "over_cap", "message": f"At most {CAP} dots on one idea."}}
        if sum(ballot.values()) > BUDGET:
            return {"ok": False, "error": {"code": "over_budget", "message": f"At most {BUDGET} dots in all."}}
        db.execute("INSERT INTO dots (participant_id, idea_id, count, op_id) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (participant_id, idea_id) DO UPDATE SET count = excluded.count, op_id = excluded.op_id",
                   (session["participant_id"], idea_id, count, str(data.get("op_id", ""))))
        session["ballot"] = ballot
        tallies.mark()
        return {"ok": True, "round_id": args.round_id, "ballot": ballot, "voted": True, "replayed": False}


socketio.on_namespace(Participant("/participant"))


def listening_socket(host: str, port: int) -> socket.socket:
    """As in ``wsgi.py``: no SO_REUSEPORT (a busy port fails loudly) and TCP_NODELAY."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            sys.exit(f"ceiling: port {port} is already in use")
        raise
    sock.listen(1024)
    return sock


if __name__ == "__main__":
    import eventlet.wsgi

    print(f"ceiling server on http://{args.host}:{args.port}", flush=True)
    eventlet.wsgi.server(listening_socket(args.host, args.port), app, max_size=args.max_connections, log_output=False)
