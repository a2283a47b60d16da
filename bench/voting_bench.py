"""Time the vote-counting methods on workshop-sized (and larger) inputs.

Run from the repository root::

    PYTHONPATH=. .venv/bin/python bench/voting_bench.py

Prints one JSON object: seconds per method, plus the Python version and
platform. Inputs come from a seeded ``random.Random`` so runs are comparable.
"""

from __future__ import annotations

import json
import platform
import random
import sys
import time
from collections.abc import Callable
from typing import Any

from app.voting import borda, dot_vote, instant_runoff, pairwise, points_vote, schulze, score_vote

SEED = 20240601
IDEAS = 50
RANKING_BALLOTS = 10_000
SCORE_BALLOTS = 10_000
POINTS_BALLOTS = 10_000
COMPARISONS = 20_000
DOT_BALLOTS = 20_000
DOTS_PER_BALLOT = 5


def _timed(fn: Callable[[], Any]) -> float:
    """Return the wall-clock seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return round(time.perf_counter() - start, 4)


def _ranking_ballots(rng: random.Random, options: list[int]) -> list[list[int]]:
    """Complete rankings with a mild shared preference, so results are not flat."""
    ballots = []
    for _ in range(RANKING_BALLOTS):
        # Sorting by (noise - bias) makes lower ids more popular on average.
        keyed = sorted(options, key=lambda o: rng.random() * IDEAS + o * 0.3)
        ballots.append(keyed)
    return ballots


def _score_ballots(rng: random.Random, options: list[int]) -> list[dict[int, int]]:
    """Each participant rates a random 10 of the ideas on 1..5."""
    return [{o: rng.randint(1, 5) for o in rng.sample(options, 10)} for _ in range(SCORE_BALLOTS)]


def _points_ballots(rng: random.Random, options: list[int]) -> list[dict[int, int]]:
    """Each participant splits 100 points over up to 5 ideas."""
    ballots = []
    for _ in range(POINTS_BALLOTS):
        chosen = rng.sample(options, 5)
        cuts = sorted(rng.randint(0, 100) for _ in range(4))
        amounts = [b - a for a, b in zip([0, *cuts], [*cuts, 100])]
        ballots.append(dict(zip(chosen, amounts)))
    return ballots


def _comparisons(rng: random.Random, options: list[int]) -> list[tuple[int, int]]:
    """Comparisons drawn from a Bradley–Terry model with spread-out strengths."""
    strength = {o: 2.0 ** (-o / 10) for o in options}
    out = []
    for _ in range(COMPARISONS):
        a, b = rng.sample(options, 2)
        if rng.random() < strength[a] / (strength[a] + strength[b]):
            out.append((a, b))
        else:
            out.append((b, a))
    return out


def _dot_ballots(rng: random.Random, options: list[int]) -> list[dict[int, int]]:
    """5 dots each, at most 3 on one idea (100,000 dots in total)."""
    ballots = []
    for _ in range(DOT_BALLOTS):
        ballot: dict[int, int] = {}
        placed = 0
        while placed < DOTS_PER_BALLOT:
            o = rng.choice(options)
            if ballot.get(o, 0) < 3:
                ballot[o] = ballot.get(o, 0) + 1
                placed += 1
        ballots.append(ballot)
    return ballots


def main() -> None:
    """Generate the inputs, time every method and print the JSON report."""
    rng = random.Random(SEED)
    options = list(range(IDEAS))
    rankings = _ranking_ballots(rng, options)
    scores = _score_ballots(rng, options)
    points = _points_ballots(rng, options)
    comparisons = _comparisons(rng, options)
    dots = _dot_ballots(rng, options)

    seconds = {
        "borda": _timed(lambda: borda(rankings, options, partial=False)),
        "schulze": _timed(lambda: schulze(rankings, options, partial=False)),
        "irv": _timed(lambda: instant_runoff(rankings, options, partial=False)),
        "score": _timed(lambda: score_vote(scores, options)),
        "points": _timed(lambda: points_vote(points, options, budget=100)),
        "pairwise": _timed(lambda: pairwise(comparisons, options)),
        "dots": _timed(lambda: dot_vote(dots, options, budget=5, cap=3)),
    }
    report = {
        "seconds": seconds,
        "total_seconds": round(sum(seconds.values()), 4),
        "inputs": {
            "ideas": IDEAS,
            "ranking_ballots": RANKING_BALLOTS,
            "score_ballots": SCORE_BALLOTS,
            "points_ballots": POINTS_BALLOTS,
            "comparisons": COMPARISONS,
            "dot_ballots": DOT_BALLOTS,
            "dots": DOT_BALLOTS * DOTS_PER_BALLOT,
            "seed": SEED,
        },
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
    }
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
