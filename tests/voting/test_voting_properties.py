"""Property-based tests (hypothesis) for invariants every count must keep."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.voting import (
    METHODS,
    BallotError,
    competition_ranks,
    dot_vote,
    schulze,
    validate_dots,
)

# No example database: running the tests must not write files into the tree.
SETTINGS = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def options_st(draw, min_size: int = 1, max_size: int = 6) -> list[int]:
    return draw(st.lists(st.integers(0, 1000), min_size=min_size, max_size=max_size, unique=True))


@st.composite
def rankings_st(draw, options: list[int], partial: bool = True, min_size: int = 0) -> list[list[int]]:
    def one():
        perm = st.permutations(options)
        if not partial:
            return perm
        return perm.flatmap(lambda p: st.integers(0, len(p)).map(lambda k: list(p[:k])))

    return draw(st.lists(one(), min_size=min_size, max_size=12))


@st.composite
def dot_ballots_st(draw, options: list[int], budget: int, cap: int) -> list[dict[int, int]]:
    """Valid dot ballots built by placing dots one at a time."""
    ballots = []
    for _ in range(draw(st.integers(0, 10))):
        ballot: dict[int, int] = {}
        for _ in range(draw(st.integers(0, budget))):
            free = [o for o in options if ballot.get(o, 0) < cap]
            if not free:
                break
            o = draw(st.sampled_from(free))
            ballot[o] = ballot.get(o, 0) + 1
        if draw(st.booleans()):
            # Explicit zeros (a slider left at 0) are allowed on ballots.
            ballot.setdefault(draw(st.sampled_from(options)), 0)
        ballots.append(ballot)
    return ballots


@st.composite
def election_st(draw):
    """A method name with matching options, ballots and parameters."""
    method = draw(st.sampled_from(sorted(METHODS)))
    options = draw(options_st(min_size=2, max_size=5))
    if method in ("borda", "schulze", "irv"):
        return method, options, draw(rankings_st(options)), {}
    if method == "dots":
        return method, options, draw(dot_ballots_st(options, budget=5, cap=3)), {"budget": 5, "cap": 3}
    if method == "points":
        ballots = draw(
            st.lists(st.dictionaries(st.sampled_from(options), st.integers(0, 25), max_size=4), max_size=10)
        )
        return method, options, ballots, {"budget": 100}
    if method == "score":
        ballots = draw(st.lists(st.dictionaries(st.sampled_from(options), st.integers(1, 5)), max_size=10))
        return method, options, ballots, {}
    if method == "impact_effort":
        pair = st.tuples(st.integers(1, 5), st.integers(1, 5))
        ballots = draw(st.lists(st.dictionaries(st.sampled_from(options), pair), max_size=10))
        return method, options, ballots, {}
    pairs = st.permutations(options).map(lambda p: (p[0], p[1]))
    return method, options, draw(st.lists(pairs, max_size=25)), {}


def _pairwise_preferences(ballots: list[list[int]], options: list[int]) -> dict[tuple[int, int], int]:
    """Brute-force d[a, b]: ballots ranking a above b (unranked are below ranked)."""
    d = {(a, b): 0 for a in options for b in options if a != b}
    for ballot in ballots:
        pos = {o: i for i, o in enumerate(ballot)}
        for a, b in d:
            if pos.get(a, len(options)) < pos.get(b, len(options)):
                d[(a, b)] += 1
    return d


@SETTINGS
@given(data=st.data())
def test_condorcet_winner_wins_schulze(data) -> None:
    options = data.draw(options_st(min_size=2, max_size=5))
    ballots = data.draw(rankings_st(options, min_size=1))
    d = _pairwise_preferences(ballots, options)
    winners = [c for c in options if all(d[(c, x)] > d[(x, c)] for x in options if x != c)]
    assume(winners)
    (condorcet,) = winners
    result = schulze(ballots, options)
    first = result.standings[0]
    assert first.option == condorcet and first.rank == 1 and not first.tied
    assert result.explanation["winners"] == [condorcet]


@SETTINGS
@given(election=election_st(), data=st.data())
def test_results_do_not_depend_on_ballot_order(election, data) -> None:
    method, options, ballots, params = election
    shuffled = data.draw(st.permutations(ballots))
    assert METHODS[method](shuffled, options, **params).to_dict() == METHODS[method](ballots, options, **params).to_dict()


@SETTINGS
@given(election=election_st(), data=st.data())
def test_renaming_options_changes_no_score(election, data) -> None:
    method, options, ballots, params = election
    new_ids = data.draw(st.lists(st.text(min_size=1, max_size=4), min_size=len(options), max_size=len(options), unique=True))
    rename = dict(zip(options, new_ids))

    def convert(ballot):
        if isinstance(ballot, dict):
            return {rename[o]: v for o, v in ballot.items()}
        return type(ballot)(rename[o] for o in ballot)

    before = METHODS[method](ballots, options, **params)
    after = METHODS[method]([convert(b) for b in ballots], [rename[o] for o in options], **params)
    assert after.ranking == [rename[o] for o in before.ranking]
    assert [(s.rank, s.score, s.tied, s.extra) for s in after.standings] == [
        (s.rank, s.score, s.tied, s.extra) for s in before.standings
    ]


@SETTINGS
@given(
    options=options_st(),
    budget=st.integers(0, 8),
    cap=st.integers(1, 8),
    data=st.data(),
)
def test_validate_dots_never_accepts_over_budget_or_cap(options, budget, cap, data) -> None:
    keys = st.one_of(st.sampled_from(options), st.integers(-5, 1005))
    ballot = data.draw(st.dictionaries(keys, st.integers(-3, 10), max_size=6))
    within_rules = (
        all(o in options for o in ballot)
        and all(0 <= v <= cap for v in ballot.values())
        and sum(ballot.values()) <= budget
    )
    try:
        cleaned = validate_dots(ballot, options, budget=budget, cap=cap)
    except BallotError:
        assert not within_rules
    else:
        assert within_rules
        assert sum(cleaned.values()) <= budget
        assert all(1 <= v <= cap for v in cleaned.values())
        assert cleaned == {o: v for o, v in ballot.items() if v}


@SETTINGS
@given(options=options_st(), budget=st.integers(1, 7), cap=st.integers(1, 7), data=st.data())
def test_dot_vote_total_score_equals_sum_of_ballots(options, budget, cap, data) -> None:
    ballots = data.draw(dot_ballots_st(options, budget, cap))
    result = dot_vote(ballots, options, budget=budget, cap=cap)
    total = sum(sum(b.values()) for b in ballots)
    assert sum(s.score for s in result.standings) == total
    assert result.explanation["total_dots"] == total
    for s in result.standings:
        assert s.score == sum(b.get(s.option, 0) for b in ballots)


@SETTINGS
@given(
    scores=st.lists(
        st.one_of(
            st.sampled_from([0.0, 1.0, 2.5, 7.0, 0.1 + 0.2, 0.3]),
            st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
        ),
        min_size=0,
        max_size=8,
    ),
    higher=st.booleans(),
)
def test_competition_rank_is_one_plus_strictly_better(scores, higher) -> None:
    options = list(range(len(scores)))
    by_option = dict(zip(options, scores))
    standings = competition_ranks(by_option, options, higher_is_better=higher)
    rounded = {o: round(v, 9) for o, v in by_option.items()}
    for s in standings:
        if higher:
            better = sum(1 for v in rounded.values() if v > rounded[s.option])
        else:
            better = sum(1 for v in rounded.values() if v < rounded[s.option])
        assert s.rank == 1 + better
        assert s.tied == (sum(1 for v in rounded.values() if v == rounded[s.option]) > 1)
    # Standings are in rank order, ties in the order options were passed.
    assert [s.rank for s in standings] == sorted(s.rank for s in standings)
    for a, b in itertools.pairwise(standings):
        if a.rank == b.rank:
            assert a.option < b.option
