"""What a word cloud costs in a 1,000-person workshop: the live tally, one send, the close.

Run from the repository root::

    .venv/bin/python bench/word_cloud_bench.py [--participants 1000] [--words 400] [--per-person 3]

Builds a workshop in a fresh SQLite database with one open word cloud, every participant's
words stored as ballots (``--per-person`` each, drawn from ``--words`` different words), then
times the live tally the coalescer sends (at most ``TAVLE_TALLY_HZ`` times a second), 50
``send_words`` through the vote service (each adding a new word), and closing the round.
Prints one JSON object (milliseconds).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TAVLE_ENV", "testing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--per-person", type=int, default=3, choices=range(1, 6))
    args = parser.parse_args()

    from flask_migrate import upgrade

    from app import create_app, transaction
    from app.extensions import db
    from app.models import Ballot, Idea
    from app.services import ballots, participants, rounds, state, workshops

    url = "sqlite:///" + str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    rng = random.Random(7)
    vocab = [f"word {n}" for n in range(args.words)]
    ms = lambda seconds: round(1000 * seconds, 1)  # noqa: E731
    out: dict = {"participants": args.participants, "words": args.words, "per_person": args.per_person,
                 "database": "sqlite", "python": platform.python_version()}
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))
        w = transaction.run(lambda: workshops.create_workshop(None, title="Bench"))
        people = transaction.run(lambda: [participants.join(w, name=f"P{i}") for i in range(args.participants)])
        cloud = transaction.run(lambda: rounds.add_round(w, kind="word_cloud", title="Cloud",
                                                         settings={"max_words": args.per_person}))
        transaction.run(lambda: rounds.open_round(cloud))

        def fill():
            db.session.add_all(Idea(round_id=cloud.id, title=v) for v in vocab)
            db.session.add_all(Ballot(round_id=cloud.id, participant_id=p.id, content=rng.sample(vocab, args.per_person))
                               for p in people)

        transaction.run(fill)
        tallies = []
        for _ in range(20):
            db.session.expire_all()
            start = time.perf_counter()
            state.tally_payload(cloud, fresh=True)
            tallies.append(time.perf_counter() - start)
        out["live_tally_ms"] = ms(statistics.median(tallies))
        sends = []
        for n in range(50):
            person, ref = people[n], rounds.round_ref(w.id, cloud.id)
            words = ["word 1", f"new word {n}"][: args.per_person]
            start = time.perf_counter()
            transaction.run(lambda: ballots.cast(person, ref, op_id=f"bench-op-{n:06d}", payload={"words": words},
                                                 action="send_words"))
            sends.append(time.perf_counter() - start)
        out["send_words_ms"] = ms(statistics.median(sends))
        start = time.perf_counter()
        transaction.run(lambda: rounds.close_round(cloud))
        out["close_ms"] = ms(time.perf_counter() - start)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
