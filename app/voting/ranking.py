"""Ranked-ballot methods: Borda count, Schulze and instant runoff.

A ranking ballot is a sequence of options, most preferred first. With
``partial=True`` a participant may rank only some of the ideas; each method
documents how it treats the ideas left out.

Identical ballots are grouped and counted with a weight first: workshops
often produce many identical rankings, and every tally below is then an
integer sum, which makes the result independent of ballot order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from itertools import compress
from operator import gt, lt

from .core import OPTION_KEYS, OPTION_LIST, OPTION_MATRIX, BallotError, Result, competition_ranks, option_list, option_set
from .messages import N_, Nn_

__all__ = ["borda", "instant_runoff", "schulze", "validate_ranking"]

BORDA_RULE = (
    "With n ideas, the idea ranked first on a ballot gets n-1 points, the next n-2, "
    "and so on down to 0. If a ballot leaves ideas unranked, the ranked ideas still "
    "get n-1, n-2, ... points and the unranked ideas share the remaining points "
    "equally (the averaged rule)."
)

SCHULZE_RULE = (
    "d[a][b] is the number of ballots that rank a above b; an idea that a ballot "
    "ranks is above every idea it leaves unranked, and unranked ideas are tied with "
    "each other. A direct link from a to b has strength d[a][b] when more ballots "
    "prefer a to b (winning votes), and p[a][b] is the strength of the strongest "
    "chain of links from a to b. a beats b when p[a][b] > p[b][a]; the score is the "
    "number of ideas an idea beats."
)

IRV_RULE = (
    "Each round counts every ballot for its highest-ranked idea still in the race; "
    "ballots with no such idea are exhausted. The idea with the fewest votes is "
    "eliminated. Ideas tied for the fewest votes are eliminated together, unless "
    "that would eliminate every remaining idea, in which case they all share the "
    "top remaining place. The final ranking is the reverse order of elimination, "
    "and ideas eliminated in the same round are tied."
)


#: Where each ranking method's explanation holds option ids (see ``core.OPTION_KEYS``):
#: Borda points per option; Schulze's two matrices and its unbeaten options; each
#: instant-runoff round's counts and the options it eliminated.
BORDA_OPTION_FIELDS = {"points": OPTION_KEYS}
SCHULZE_OPTION_FIELDS = {"d": OPTION_MATRIX, "p": OPTION_MATRIX, "winners": OPTION_LIST}
IRV_OPTION_FIELDS = {"rounds": [{"counts": OPTION_KEYS, "eliminated": OPTION_LIST}]}


def validate_ranking(order: Sequence, options: Collection, *, partial: bool = False) -> tuple:
    """Check one ranking ballot.

    Args:
        order: Options, most preferred first.
        options: The options of the vote.
        partial: Allow ranking only some of the options (including none).

    Returns:
        The ranking as a tuple.

    Raises:
        BallotError: ``bad_ballot`` (not a sequence), ``unknown_idea``,
            ``duplicate_idea``, or ``incomplete_ranking`` when ``partial`` is
            False and not every option is ranked.
    """
    # A string is a Sequence too, but a ballot of characters is never meant.
    if isinstance(order, (str, bytes, Mapping)) or not isinstance(order, Sequence):
        raise BallotError("bad_ballot", N_("This ballot should list the ideas in order of preference."))
    known = option_set(options)
    ranked = tuple(order)
    for option in ranked:
        if option not in known:
            raise BallotError("unknown_idea", N_("One of the ideas on this ballot is not part of this vote."))
    if len(set(ranked)) != len(ranked):
        raise BallotError("duplicate_idea", N_("Each idea can only be ranked once."))
    if not partial and len(ranked) != len(known):
        raise BallotError("incomplete_ranking", Nn_("Please rank the %(num)s idea.", "Please rank all %(num)s ideas."), num=len(known))
    return ranked


def _grouped(ballots: Iterable[Sequence], opts: list, partial: bool) -> tuple[Counter, int]:
    """Validate ballots and group identical ones into a Counter of weights."""
    known = frozenset(opts)
    groups: Counter = Counter()
    total = 0
    for ballot in ballots:
        groups[validate_ranking(ballot, known, partial=partial)] += 1
        total += 1
    return groups, total


def borda(ballots: Iterable[Sequence], options: Sequence, *, partial: bool = True) -> Result:
    """Count ranking ballots with the Borda count.

    With n options, the first-ranked option on a ballot gets n-1 points, the
    second n-2, ..., the last 0. Partial ballots use the averaged rule: the
    k ranked options get n-1, n-2, ..., n-k points and the n-k unranked
    options share the remaining points 0 + 1 + ... + (n-k-1) equally, i.e.
    (n-k-1)/2 each. Every ballot therefore hands out the same total, so a
    partial ballot neither gains nor loses weight. The same rule is given in
    plain language in ``explanation["rule"]``.

    Args:
        ballots: Rankings, most preferred first.
        options: All options, in display order (orders ties).
        partial: Accept ballots that rank only some options.

    Returns:
        A result with score = Borda points (halves are possible with partial
        ballots). ``explanation`` has ``rule``, ``points`` ({option: points})
        and ``position_points`` (points for 1st, 2nd, ... place).

    Raises:
        BallotError: If any ballot is invalid.
    """
    opts = option_list(options)
    n = len(opts)
    index = {o: i for i, o in enumerate(opts)}
    groups, total = _grouped(ballots, opts, partial)

    # Points are kept doubled so the half points of the averaged rule stay
    # exact integers; the result cannot depend on summation order.
    doubled = [0] * n
    shared_pool = 0  # doubled share handed to *every* option ...
    shared_back = [0] * n  # ... minus what ranked options must not receive
    for ranking, weight in groups.items():
        for position, option in enumerate(ranking):
            doubled[index[option]] += 2 * (n - 1 - position) * weight
        unranked = n - len(ranking)
        if unranked > 1:
            share = (unranked - 1) * weight  # doubled (unranked-1)/2 per option
            shared_pool += share
            for option in ranking:
                shared_back[index[option]] += share
    points = {o: (doubled[i] + shared_pool - shared_back[i]) / 2 for i, o in enumerate(opts)}

    return Result(
        method="borda",
        standings=competition_ranks(points, opts, extra={o: {"points": p} for o, p in points.items()}),
        ballots=total,
        params={"partial": partial},
        explanation={
            "rule": BORDA_RULE,
            "points": points,
            "position_points": list(range(n - 1, -1, -1)),
        },
    )


def _pairwise_counts(groups: Counter, n: int, index: Mapping[Hashable, int]) -> list[list[int]]:
    """Return d[a][b] = number of ballots ranking a above b (by index).

    Builds one position vector per option (unranked = n, i.e. below every
    ranked option and equal to other unranked ones) and compares vectors with
    C-level ``map``; this is much faster than looping over all pairs of every
    ballot in Python.
    """
    weights = list(groups.values())
    unit_weights = all(w == 1 for w in weights)
    positions = [[n] * len(weights) for _ in range(n)]
    for b, ranking in enumerate(groups):
        for position, option in enumerate(ranking):
            positions[index[option]][b] = position
    d = [[0] * n for _ in range(n)]
    for a in range(n):
        pa = positions[a]
        for b in range(a + 1, n):
            pb = positions[b]
            if unit_weights:
                d[a][b] = sum(map(lt, pa, pb))
                d[b][a] = sum(map(gt, pa, pb))
            else:
                d[a][b] = sum(compress(weights, map(lt, pa, pb)))
                d[b][a] = sum(compress(weights, map(gt, pa, pb)))
    return d


def schulze(ballots: Iterable[Sequence], options: Sequence, *, partial: bool = True) -> Result:
    """Count ranking ballots with the Schulze (beat-path) method.

    d[a][b] counts ballots ranking a above b. On a partial ballot, ranked
    options are above unranked ones and unranked options are tied with each
    other (no preference either way). Link strength uses *winning votes*:
    d[a][b] if d[a][b] > d[b][a], else 0. p[a][b], the strength of the
    strongest path, is computed with Floyd–Warshall. a beats b when
    p[a][b] > p[b][a]; this relation is transitive, so options that beat more
    options rank higher. The score is the number of options an option beats.
    The options ranked first are always Schulze winners (beaten by nobody);
    ``explanation["winners"]`` lists every unbeaten option, which can include
    options ranked lower only when the beat relation leaves some pairs
    undecided.

    Args:
        ballots: Rankings, most preferred first.
        options: All options, in display order (orders ties).
        partial: Accept ballots that rank only some options.

    Returns:
        A result with ``explanation`` keys ``rule``, ``strength``
        (``"winning_votes"``), ``d`` and ``p`` (``{a: {b: int}}``) and
        ``winners``. ``extra`` holds ``beats``, ``beaten_by`` and ``winner``.

    Raises:
        BallotError: If any ballot is invalid.
    """
    opts = option_list(options)
    n = len(opts)
    index = {o: i for i, o in enumerate(opts)}
    groups, total = _grouped(ballots, opts, partial)
    d = _pairwise_counts(groups, n, index)

    p = [[d[a][b] if d[a][b] > d[b][a] else 0 for b in range(n)] for a in range(n)]
    for i in range(n):
        row_i = p[i]
        for j in range(n):
            if j == i:
                continue
            p_ji = p[j][i]
            if not p_ji:
                continue  # no path j -> i, so nothing can improve via i
            row_j = p[j]
            for k in range(n):
                if k != i and k != j:
                    via = p_ji if p_ji < row_i[k] else row_i[k]
                    if via > row_j[k]:
                        row_j[k] = via

    beats = [sum(1 for b in range(n) if b != a and p[a][b] > p[b][a]) for a in range(n)]
    beaten_by = [sum(1 for b in range(n) if b != a and p[b][a] > p[a][b]) for a in range(n)]
    scores = {o: beats[i] for i, o in enumerate(opts)}
    extra = {
        o: {"beats": beats[i], "beaten_by": beaten_by[i], "winner": beaten_by[i] == 0}
        for i, o in enumerate(opts)
    }

    def matrix(m: list[list[int]]) -> dict:
        """Index a square matrix by option ids, leaving out the diagonal."""
        return {a: {b: m[i][j] for j, b in enumerate(opts) if j != i} for i, a in enumerate(opts)}

    return Result(
        method="schulze",
        standings=competition_ranks(scores, opts, extra=extra),
        ballots=total,
        params={"partial": partial},
        explanation={
            "rule": SCHULZE_RULE,
            "strength": "winning_votes",
            "d": matrix(d),
            "p": matrix(p),
            "winners": [o for i, o in enumerate(opts) if beaten_by[i] == 0],
        },
    )


def instant_runoff(ballots: Iterable[Sequence], options: Sequence, *, partial: bool = True) -> Result:
    """Count ranking ballots with instant runoff, producing a full ranking.

    Each round, every ballot counts for its highest-ranked option still in
    the race (a ballot with none left is *exhausted*) and the option with the
    fewest votes is eliminated. Ties for fewest are not broken: all tied
    options are eliminated together in that round and share a rank, unless
    that would eliminate every remaining option, in which case the counting
    stops and they all share the best remaining rank. Options with no
    first-choice votes at all are therefore eliminated together in round 1.
    Rounds continue until one option is left (rather than stopping at a
    majority), so the result ranks everything; the winner is the same.

    The score is the number of rounds an option survived.

    Args:
        ballots: Rankings, most preferred first.
        options: All options, in display order (orders ties).
        partial: Accept ballots that rank only some options.

    Returns:
        A result whose ``explanation["rounds"]`` is a list of
        ``{"counts": {option: votes}, "eliminated": [...], "exhausted": n}``
        and ``explanation["rule"]`` states the tie rule. ``extra`` holds
        ``eliminated_in_round`` (1-based, None if never eliminated) and
        ``last_votes`` (votes in the last round it took part in).

    Raises:
        BallotError: If any ballot is invalid.
    """
    opts = option_list(options)
    groups, total = _grouped(ballots, opts, partial)
    rankings = list(groups)
    weights = list(groups.values())

    # Each ballot sits on the pile of its current top option; eliminating an
    # option only moves that pile, so total work is linear in ballot length.
    pointer = [0] * len(rankings)
    piles: dict[Hashable, list[int]] = {o: [] for o in opts}
    votes: dict[Hashable, int] = {o: 0 for o in opts}
    exhausted = 0
    for b, ranking in enumerate(rankings):
        if ranking:
            piles[ranking[0]].append(b)
            votes[ranking[0]] += weights[b]
        else:
            exhausted += weights[b]

    remaining = list(opts)
    eliminated_in: dict[Hashable, int] = {}
    last_votes: dict[Hashable, int] = {}
    rounds: list[dict] = []
    while len(remaining) > 1:
        counts = {o: votes[o] for o in remaining}
        last_votes.update(counts)
        fewest = min(counts.values())
        lowest = [o for o in remaining if counts[o] == fewest]
        if len(lowest) == len(remaining):
            rounds.append({"counts": counts, "eliminated": [], "exhausted": exhausted})
            break
        round_no = len(rounds) + 1
        rounds.append({"counts": counts, "eliminated": lowest, "exhausted": exhausted})
        gone = set(lowest)
        for option in lowest:
            eliminated_in[option] = round_no
        remaining = [o for o in remaining if o not in gone]
        for option in lowest:
            for b in piles.pop(option):
                ranking = rankings[b]
                k = pointer[b] + 1
                while k < len(ranking) and ranking[k] in eliminated_in:
                    k += 1
                pointer[b] = k
                if k < len(ranking):
                    piles[ranking[k]].append(b)
                    votes[ranking[k]] += weights[b]
                else:
                    exhausted += weights[b]
    if len(remaining) == 1:
        last_votes[remaining[0]] = votes[remaining[0]]

    survived = {o: eliminated_in.get(o, len(rounds) + 1) - 1 for o in opts}
    extra = {
        o: {"eliminated_in_round": eliminated_in.get(o), "last_votes": last_votes.get(o, 0)}
        for o in opts
    }
    return Result(
        method="irv",
        standings=competition_ranks(survived, opts, extra=extra),
        ballots=total,
        params={"partial": partial},
        explanation={"rule": IRV_RULE, "rounds": rounds},
    )
