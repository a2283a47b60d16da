"""Every voting round kind through the services: ballots, results, anonymity, ties, sectors."""
import pytest
from sqlalchemy import inspect

from app.errors import Conflict, DomainError
from app.extensions import db
from app.models import Ballot, SecretBallot, Voter
from app.services import rounds, state

SECTORS = ["health_service"] * 4 + ["industry"] * 3 + ["research"] * 2


@pytest.fixture
def room(make):
    w = make.workshop(language="en")
    people = make.participants(w, len(SECTORS), sectors=SECTORS)
    b = make.round(w, "brainstorm", "Ideas", open_=True)
    made = make.ideas(b, people[:1], "ABCD")
    return w, people, b, [i.id for i in made]


@pytest.fixture
def vote(make):
    return make.vote


@pytest.fixture
def open_kind(make):
    """Open a round of ``kind`` over the ideas of brainstorm ``b``."""
    return lambda w, b, kind, **settings: make.round(w, kind, kind, open_=True, source=b, **settings)


def test_score_round(room, vote, open_kind):
    w, people, b, ids = room
    r = open_kind(w, b, "score", scale_min=1, scale_max=5)
    vote(people[0], r, "rate_idea", idea_id=ids[0], value=5)
    vote(people[0], r, "rate_idea", idea_id=ids[1], value=2)
    vote(people[1], r, "rate_idea", idea_id=ids[0], value=3)
    vote(people[1], r, "rate_idea", idea_id=ids[1], value=None)  # take back nothing: fine
    with pytest.raises(DomainError) as exc:
        vote(people[1], r, "rate_idea", idea_id=ids[1], value=6)
    assert exc.value.code == "out_of_scale"
    snap = rounds.close_round(r)
    db.session.commit()
    first = snap.data["standings"][0]
    assert first["option"] == ids[0] and first["score"] == 4 and first["extra"]["count"] == 2
    assert snap.data["standings"][-1]["tied"]  # C and D unrated: tied last


def test_points_round(room, vote, open_kind):
    w, people, b, ids = room
    r = open_kind(w, b, "points")
    assert r.settings["budget"] == 100
    vote(people[0], r, "allocate_points", idea_id=ids[2], points=70)
    vote(people[0], r, "allocate_points", idea_id=ids[3], points=30)
    with pytest.raises(Conflict) as exc:
        vote(people[0], r, "allocate_points", idea_id=ids[0], points=1)
    assert exc.value.code == "over_budget"
    snap = rounds.close_round(r)
    db.session.commit()
    assert [s["option"] for s in snap.data["standings"][:2]] == [ids[2], ids[3]]


def test_pairwise_round_serves_pairs_and_ranks(room, vote, open_kind):
    w, people, b, ids = room
    r = open_kind(w, b, "pairwise")
    s = state.snapshot(w, state.PARTICIPANT, people[0])
    assert len(s["pairs"]) == 6 and s["ballot"] == {"comparisons": [], "skipped": []}
    # Everyone prefers A > B > C > D.
    order = ids
    for p in people[:5]:
        for i in range(4):
            for j in range(i + 1, 4):
                vote(p, r, "compare_pair", winner=order[i], loser=order[j])
    vote(people[5], r, "compare_pair", skip=True, pair=[ids[0], ids[1]])
    assert len(state.snapshot(w, state.PARTICIPANT, people[5])["pairs"]) == 5
    assert state.snapshot(w, state.PARTICIPANT, people[0])["pairs"] == []
    with pytest.raises(DomainError) as exc:
        vote(people[6], r, "compare_pair", winner=ids[0], loser=ids[0])
    assert exc.value.code == "duplicate_idea"
    snap = rounds.close_round(r)
    db.session.commit()
    assert [s["option"] for s in snap.data["standings"]] == order
    assert snap.data["standings"][0]["extra"]["comparisons"] == 15


def test_impact_effort_round(room, vote, open_kind):
    w, people, b, ids = room
    r = open_kind(w, b, "impact_effort")
    vote(people[0], r, "rate_impact_effort", idea_id=ids[0], impact=5, effort=1)
    vote(people[0], r, "rate_impact_effort", idea_id=ids[1], impact=1, effort=5)
    with pytest.raises(DomainError):
        vote(people[0], r, "rate_impact_effort", idea_id=ids[1], impact=1)
    snap = rounds.close_round(r)
    db.session.commit()
    first = snap.data["standings"][0]
    assert first["option"] == ids[0] and first["extra"]["quadrant"] == "quick_win"


@pytest.mark.parametrize("method, winner", [("borda", 0), ("schulze", 0), ("irv", 0)])
def test_rank_methods_and_comparison(room, method, winner, vote, open_kind):
    w, people, b, ids = room
    r = open_kind(w, b, "rank", method=method, top_k=None)
    for n, p in enumerate(people):
        order = ids if n % 3 else [ids[1], ids[0], ids[2], ids[3]]
        vote(p, r, "submit_ranking", order=order)
    snap = rounds.close_round(r)
    db.session.commit()
    assert snap.method == method and snap.data["standings"][0]["option"] == ids[winner]
    assert set(snap.data["comparison"]) == {"borda", "schulze", "irv"} - {method}
    assert state.tally_payload(r)["method_card"]


def test_anonymous_round_keeps_voters_and_ballots_apart(room, vote, open_kind):
    w, people, b, ids = room
    r = open_kind(w, b, "dot_vote", anonymous=True, budget=3, cap=3)
    with pytest.raises(DomainError) as exc:
        vote(people[0], r, "cast_dots", idea_id=ids[0], count=1)
    assert exc.value.code == "anonymous_round"
    cast = vote(people[0], r, "submit_ballot", ballot={str(ids[0]): 2, str(ids[1]): 1})
    assert cast.content is None and cast.voted
    with pytest.raises(Conflict) as exc:
        vote(people[0], r, "submit_ballot", ballot={str(ids[2]): 1})
    assert exc.value.code == "already_voted"
    with pytest.raises(Conflict) as exc:
        vote(people[1], r, "submit_ballot", ballot={str(ids[2]): 4})
    assert exc.value.code == "over_cap"
    vote(people[1], r, "submit_ballot", ballot={str(ids[2]): 3})
    assert db.session.query(Ballot).count() == 0
    assert db.session.query(Voter).count() == 2 and db.session.query(SecretBallot).count() == 2
    # The secret ballot table has no column that points at a participant or a time.
    columns = {c["name"] for c in inspect(db.engine).get_columns("secret_ballot")}
    assert columns == {"id", "round_id", "sector", "content"}
    assert {c["name"] for c in inspect(db.engine).get_columns("voter")} == {"round_id", "participant_id"}
    s = state.snapshot(w, state.PARTICIPANT, people[0])
    assert s["ballot"] is None and s["voted"] is True and s["voters"] == 2
    snap = rounds.close_round(r)
    db.session.commit()
    assert snap.data["anonymous"] and snap.data["ballots"] == 2


def test_sector_breakdown_suppresses_small_sectors(room, vote, open_kind):
    w, people, b, ids = room
    r = open_kind(w, b, "dot_vote", budget=1, cap=1, min_cell=3)
    # Health (4 voters) all back A; industry (3) back A twice and B once; research (2) back B.
    picks = [0, 0, 0, 0, 0, 0, 1, 1, 1]
    for p, pick in zip(people, picks):
        vote(p, r, "cast_dots", idea_id=ids[pick], count=1)
    snap = rounds.close_round(r)
    db.session.commit()
    sectors = snap.data["breakdown"]["by_sector"]["sectors"]
    assert sectors["research"] == {"suppressed": True, "voters": 2}
    assert sectors["health_service"]["standings"][0]["score"] == 4
    agreement = snap.data["breakdown"]["consensus"]
    assert agreement[str(ids[0])]["sectors_counted"] == 2
    assert agreement[str(ids[0])]["consensus"] > agreement[str(ids[1])]["consensus"]


def test_tie_breaks_prior_round_and_facilitator(room, vote, open_kind, make):
    w, people, b, ids = room
    d = open_kind(w, b, "dot_vote", budget=3, cap=3)
    vote(people[0], d, "cast_dots", idea_id=ids[2], count=3)
    vote(people[1], d, "cast_dots", idea_id=ids[1], count=2)
    rounds.close_round(d)  # C 3, B 2, A/D 0
    db.session.commit()
    r = make.round(w, "score", "Stars", open_=True, source=d, tie_break="prior_round")
    for idea in [ids[1], ids[2]]:
        vote(people[2], r, "rate_idea", idea_id=idea, value=4)
    snap = rounds.close_round(r)
    db.session.commit()
    top = snap.data["standings"][:2]
    assert [s["option"] for s in top] == [ids[2], ids[1]] and not top[0]["tied"]
    assert snap.data["tie_break"]["rule"] == "prior_round"

    f = make.round(w, "score", "Stars 2", open_=True, source=b, tie_break="facilitator")
    for idea in [ids[0], ids[3]]:
        vote(people[3], f, "rate_idea", idea_id=idea, value=5)
    first = rounds.close_round(f)
    db.session.commit()
    assert first.data["standings"][0]["tied"]
    with pytest.raises(DomainError) as exc:
        rounds.decide_tie(f, [ids[0], ids[1]])
    assert exc.value.code == "bad_tie_break"
    decided = rounds.decide_tie(f, [ids[3], ids[0]])
    db.session.commit()
    assert [s["option"] for s in decided.data["standings"][:2]] == [ids[3], ids[0]]
    assert decided.data["tie_break"]["rule"] == "facilitator" and len(f.results) == 2
    assert f.results[0].data["standings"][0]["tied"]  # the first snapshot is unchanged


def test_hide_results_setting(room, open_kind):
    w, people, b, ids = room
    r = open_kind(w, b, "dot_vote", hide_results=True)
    assert r.results_revealed is False
    assert state.snapshot(w, state.PARTICIPANT, people[0])["tally"] is None
    assert state.snapshot(w, state.FACILITATOR)["tally"] is not None
