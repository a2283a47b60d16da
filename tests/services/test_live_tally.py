"""The live tally of a dot vote or points allocation is summed by the database; it must give
exactly what counting every ballot gives (the stored result's way), on SQLite and PostgreSQL."""
from __future__ import annotations

import random

import pytest

from app import transaction
from app.services import curation, ideas, rounds


def _both(round_):
    live = rounds.compute_result(round_, live=True)
    counted = rounds.compute_result(round_)
    return live.to_dict(), counted.to_dict()


@pytest.mark.parametrize("kind, payload_key, budget", [("dot_vote", "count", 5), ("points", "points", 100)])
def test_live_sums_equal_counting_every_ballot(make, kind, payload_key, budget):
    rng = random.Random(20191031)
    w = make.workshop("Plenary")
    people = make.participants(w, 12)
    b = make.round(w, "brainstorm", "Ideas", open_=True)
    made = make.ideas(b, people, [f"Idea {i}" for i in range(6)])
    settings = {"budget": budget, "cap": 3} if kind == "dot_vote" else {"budget": budget}
    r = make.round(w, kind, "Vote", open_=True, source=b, **settings)
    action = "cast_dots" if kind == "dot_vote" else "allocate_points"

    live, counted = _both(r)
    assert live == counted and live["ballots"] == 0  # no ballots yet

    for person in people[:10]:
        left = budget
        for idea in rng.sample(made, 3):
            amount = rng.randint(0, min(left, 3 if kind == "dot_vote" else left))
            left -= amount
            make.vote(person, r, action, idea_id=idea.id, **{payload_key: amount})
    # One ballot taken back to zero: stored empty, and no ballot for either way of counting.
    make.vote(people[10], r, action, idea_id=made[0].id, **{payload_key: 2})
    make.vote(people[10], r, action, idea_id=made[0].id, **{payload_key: 0})
    live, counted = _both(r)
    assert live == counted
    assert 1 <= live["ballots"] <= 10 and sum(s["score"] for s in live["standings"]) > 0
    assert live["params"] == settings

    # An idea hidden since: left out of both.
    transaction.run(lambda: ideas.set_hidden(made[1], True))
    live, counted = _both(r)
    assert live == counted and made[1].id not in [s["option"] for s in live["standings"]]

    # Merged ideas are counted the long way (caps apply to the merged amounts), still equal.
    transaction.run(lambda: curation.merge(w, made[2].id, [made[3].id]))
    live, counted = _both(r)
    assert live == counted and made[3].id not in [s["option"] for s in live["standings"]]


def test_a_stored_result_checks_every_ballot_again(make):
    """Only the live tally trusts the sums; closing counts every ballot through the method."""
    w = make.workshop("Plenary")
    people = make.participants(w, 3)
    b = make.round(w, "brainstorm", "Ideas", open_=True)
    made = make.ideas(b, people, ["A", "B"])
    r = make.round(w, "dot_vote", "Dots", open_=True, source=b)
    make.dots(people[0], r, made[0], 2)
    from app.extensions import db
    from app.models import Ballot

    # A ballot over the budget, as no vote could have stored it.
    ballot = db.session.query(Ballot).filter_by(round_id=r.id).one()
    ballot.content = {str(made[0].id): 50}
    db.session.commit()
    assert rounds.compute_result(r, live=True).to_dict()["standings"][0]["score"] == 50
    from app.voting import BallotError

    with pytest.raises(BallotError):
        rounds.compute_result(r)
