"""Cross-checks against independent reference implementations.

pref_voting (Borda, Schulze/"beat path", instant runoff) and choix
(Bradley–Terry) are test-only dependencies pinned in
requirements-voting-test.txt. They are imported at module level on purpose:
if they are missing, this module fails instead of being skipped.
"""

from __future__ import annotations

import math
import random

import choix
import numpy as np
import pytest
from pref_voting.iterative_methods import instant_runoff as pv_instant_runoff
from pref_voting.margin_based_methods import beat_path as pv_beat_path
from pref_voting.profiles import Profile
from pref_voting.scoring_methods import borda as pv_borda

from app.voting import borda, instant_runoff, pairwise, schulze


def _random_profiles(seed: int, count: int) -> list[tuple[list[int], list[list[int]]]]:
    """Random complete-ballot profiles; small sizes make ties and cycles common."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        n = rng.randint(2, 6)
        voters = rng.randint(1, 25)
        # A few distinct orders repeated gives more structure than pure noise.
        pool = [rng.sample(range(n), n) for _ in range(rng.randint(1, 6))]
        ballots = [list(rng.choice(pool)) for _ in range(voters)]
        out.append((list(range(n)), ballots))
    return out


PROFILES = _random_profiles(seed=2024, count=300)


def _winners(result) -> list:
    return sorted(s.option for s in result.standings if s.rank == 1)


def test_borda_scores_and_winners_match_pref_voting() -> None:
    for options, ballots in PROFILES:
        profile = Profile(ballots)
        ours = borda(ballots, options, partial=False)
        reference = profile.borda_scores()
        assert ours.explanation["points"] == {c: reference[c] for c in options}, ballots
        assert _winners(ours) == sorted(pv_borda(profile)), ballots


def test_schulze_winners_match_pref_voting_beat_path() -> None:
    unique = 0
    for options, ballots in PROFILES:
        profile = Profile(ballots)
        reference = sorted(pv_beat_path(profile))
        ours = schulze(ballots, options, partial=False)
        # With complete ballots, winning votes and margins give the same paths.
        assert sorted(ours.explanation["winners"]) == reference, ballots
        top = _winners(ours)
        assert set(top) <= set(reference), ballots
        if len(reference) == 1:
            unique += 1
            assert top == reference, ballots
    assert unique > 100  # the check above must not be vacuous


def test_instant_runoff_winners_match_pref_voting() -> None:
    for options, ballots in PROFILES:
        profile = Profile(ballots)
        ours = instant_runoff(ballots, options, partial=False)
        assert _winners(ours) == sorted(pv_instant_runoff(profile)), ballots


def _bt_comparisons(rng: random.Random, strengths: list[float], count: int) -> list[tuple[int, int]]:
    n = len(strengths)
    out = []
    for _ in range(count):
        a, b = rng.sample(range(n), 2)
        if rng.random() < strengths[a] / (strengths[a] + strengths[b]):
            out.append((a, b))
        else:
            out.append((b, a))
    return out


def test_bradley_terry_order_matches_choix() -> None:
    for seed in range(5):
        rng = random.Random(seed)
        n = 6
        # Clear signal: neighbouring ideas differ by a factor e in strength.
        true = [math.exp(2.5 - i) for i in range(n)]
        labels = rng.sample(range(100, 200), n)
        data = _bt_comparisons(rng, true, 3000)
        params = choix.mm_pairwise(n, data, alpha=0.0, max_iter=100_000)
        choix_order = [labels[i] for i in np.argsort(-params, kind="stable")]
        ours = pairwise([(labels[w], labels[l]) for w, l in data], labels)
        assert ours.ranking == choix_order
        assert ours.ranking == labels  # and both recover the true order


def test_bradley_terry_values_match_choix_with_equal_prior() -> None:
    """With the prior written as data, choix must find exactly our strengths.

    Our prior is half a win and half a loss per idea against a virtual idea
    of strength 1. Doubling every comparison and giving each idea one win and
    one loss against an extra virtual item gives choix (plain maximum
    likelihood) the same objective up to a factor 2; Bradley–Terry is scale
    free, so dividing by the virtual item's strength fixes it at 1.
    """
    for seed in range(5):
        rng = random.Random(100 + seed)
        n = rng.randint(3, 8)
        strengths = [rng.uniform(0.2, 5.0) for _ in range(n)]
        data = _bt_comparisons(rng, strengths, rng.randint(5, 60))
        if seed == 0:
            data += [(0, 1)] * 5  # a lopsided pair, as in real workshops
        compared = sorted({i for pair in data for i in pair})
        remap = {o: k for k, o in enumerate(compared)}
        virtual = len(compared)
        augmented = [(remap[w], remap[l]) for w, l in data for _ in range(2)]
        for k in range(len(compared)):
            augmented += [(k, virtual), (virtual, k)]
        params = choix.mm_pairwise(virtual + 1, augmented, alpha=0.0, max_iter=1_000_000, tol=1e-12)
        weights = np.exp(params - params[virtual])[:virtual]

        ours = pairwise(data, list(range(n)))
        by_option = {s.option: s for s in ours.standings}
        assert ours.explanation["converged"]
        for k, option in enumerate(compared):
            assert by_option[option].extra["strength"] == pytest.approx(float(weights[k]), rel=1e-6)
            assert by_option[option].score == pytest.approx(float(weights[k] / weights.sum()), rel=1e-6)

