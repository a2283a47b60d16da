"""How long closing a round takes in a 1,000-person workshop (result, breakdown, snapshot).

Run from the repository root::

    .venv/bin/python bench/close_round_bench.py [--participants 1000] [--ideas 50] [--database-url URL]

Builds a workshop in a fresh database (SQLite in a temporary folder unless a URL is given),
casts every ballot through the same services the app uses, then times ``close_round`` (count,
sector breakdown, consensus, comparison methods, snapshot write) and the live ``tally`` that
the coalescer sends, for a dot vote and a ranking. Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TAVLE_ENV", "testing")

SECTORS = ["health_service", "government", "industry", "research", "funder", "patient_org", "professional"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--ideas", type=int, default=50)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from app import create_app, transaction
    from app.extensions import db
    from app.models import Ballot
    from app.services import ideas, participants, rounds, state, workshops

    drop = None
    if args.database_url and args.database_url.startswith("postgres"):
        # A throw-away database beside the one named, never the named one itself.
        from tests.support.db import postgres_session_db as _postgres_session_db

        url, drop = _postgres_session_db(args.database_url)
    else:
        url = args.database_url or "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    rng = random.Random(7)
    out: dict = {"participants": args.participants, "ideas": args.ideas, "database": url.split(":")[0]}
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))
        w = workshops.create_workshop(None, title="Bench")
        people = [participants.join(w, name=f"P{i}", sector=rng.choice(SECTORS)) for i in range(args.participants)]
        b = rounds.add_round(w, kind="brainstorm", title="Ideas")
        rounds.open_round(b)
        made = [ideas.submit_idea(people[i % len(people)], b, op_id=f"bench-idea-{i:06d}", title=f"Idea {i}").idea for i in range(args.ideas)]
        d = rounds.add_round(w, kind="dot_vote", title="Dots", settings={"source_round_id": b.id, "budget": 5, "cap": 3})
        rounds.open_round(d)
        db.session.commit()
        weights = [1 / (k + 1) for k in range(args.ideas)]
        for p in people:
            chosen = rng.choices(made, weights=weights, k=5)
            content: dict[str, int] = {}
            for idea in chosen:
                if content.get(str(idea.id), 0) < 3:
                    content[str(idea.id)] = content.get(str(idea.id), 0) + 1
            db.session.add(Ballot(round_id=d.id, participant_id=p.id, content=content))
        db.session.commit()

        t = time.perf_counter()
        state.tally_payload(d)
        out["dot_vote_live_tally_s"] = round(time.perf_counter() - t, 4)
        t = time.perf_counter()
        transaction.run(lambda: rounds.close_round(d))
        out["dot_vote_close_s"] = round(time.perf_counter() - t, 4)

        r = rounds.add_round(w, kind="rank", title="Rank", settings={"source_round_id": d.id, "top_k": 8})
        transaction.run(lambda: rounds.open_round(r))
        from app.rounds import kind_of

        option_ids = [i.id for i in kind_of(r).options(r)]
        for p in people:
            order = sorted(option_ids, key=lambda i: rng.random() + option_ids.index(i) * 0.15)
            db.session.add(Ballot(round_id=r.id, participant_id=p.id, content=order))
        db.session.commit()
        t = time.perf_counter()
        state.tally_payload(r)
        out["rank_live_tally_s"] = round(time.perf_counter() - t, 4)
        t = time.perf_counter()
        transaction.run(lambda: rounds.close_round(r))
        out["rank_close_s"] = round(time.perf_counter() - t, 4)
        # What the event loop pays when the counting is left to a job worker (the live edges
        # do this from TAVLE_CLOSE_IN_JOB_BALLOTS ballots on), and what the worker then pays.
        for name, rnd in (("dot_vote", d), ("rank", r)):
            transaction.run(lambda: rounds.open_round(rnd))
            t = time.perf_counter()
            transaction.run(lambda: rounds.close_round(rnd, defer=rounds.counts_in_job(rnd)))
            out[f"{name}_close_in_loop_when_deferred_s"] = round(time.perf_counter() - t, 4)
            assert rnd.result_pending
            t = time.perf_counter()
            transaction.run(lambda: rounds.count_result(rnd))
            out[f"{name}_count_in_worker_s"] = round(time.perf_counter() - t, 4)
        out["rank_options"] = len(option_ids)
        db.session.remove()
        db.engine.dispose()
    if drop:
        drop()
    out["python"] = sys.version.split()[0]
    out["platform"] = platform.platform()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
