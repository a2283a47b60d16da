import threading

import pytest

from app import transaction
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.models import Ballot, Idea, Round, RoundState
from app.services import ballots, ideas, participants, rounds, workshops


@pytest.fixture
def room(make):
    """A workshop with four participants and a brainstorm holding five ideas."""
    w = make.workshop()
    people = make.participants(w, 4)
    b = make.round(w, "brainstorm", "Ideas", open_=True)
    made = make.ideas(b, people, [f"Idea {i}" for i in range(5)])
    return w, people, b, made


@pytest.fixture
def dots(make):
    return make.dots


def test_idea_limits_and_closed_round(room, op_id):
    w, people, b, _ = room
    with pytest.raises(DomainError) as exc:
        ideas.submit_idea(people[0], b, op_id=op_id(), title="x" * 121)
    assert exc.value.code == "title_too_long" and "120" in exc.value.message
    with pytest.raises(DomainError) as exc:
        ideas.submit_idea(people[0], b, op_id=op_id(), title="ok", details="y" * 1001)
    assert exc.value.code == "details_too_long"
    with pytest.raises(DomainError) as exc:
        ideas.submit_idea(people[0], b, op_id=op_id(), title="   ")
    assert exc.value.code == "title_required"
    with pytest.raises(DomainError) as exc:
        ideas.submit_idea(people[0], b, op_id="bad id!", title="ok")
    assert exc.value.code == "bad_op_id"
    db.session.rollback()
    rounds.close_round(b)
    db.session.commit()
    with pytest.raises(Conflict) as exc:
        ideas.submit_idea(people[0], b, op_id=op_id(), title="Late idea")
    assert exc.value.code == "round_closed"
    db.session.rollback()
    assert db.session.query(Idea).count() == 5


def test_same_op_id_applies_once(room, op_id):
    w, people, b, _ = room
    op = op_id()
    first = transaction.run(lambda: ideas.submit_idea(people[1], b, op_id=op, title="Once"))
    again = transaction.run(lambda: ideas.submit_idea(people[1], b, op_id=op, title="Once"))
    assert again.replayed and again.idea.id == first.idea.id
    assert db.session.query(Idea).filter_by(title="Once").count() == 1


def test_one_round_open_at_a_time_and_result_snapshots(room, dots):
    w, people, b, made = room
    d = rounds.add_round(w, kind="dot_vote", title="Dots", settings={"source_round_id": b.id})
    changed = rounds.open_round(d)
    db.session.commit()
    assert [r.id for r in changed] == [b.id, d.id]
    assert b.state is RoundState.CLOSED and d.state is RoundState.OPEN
    dots(people[0], d, made[0], 3)
    rounds.close_round(d)
    db.session.commit()
    assert len(d.results) == 1 and d.latest_result.data["standings"][0]["option"] == made[0].id
    rounds.open_round(d)  # reopen
    dots(people[1], d, made[1], 3)
    dots(people[2], d, made[1], 1)
    rounds.close_round(d)
    db.session.commit()
    assert len(d.results) == 2
    assert d.results[0].data["standings"][0]["option"] == made[0].id  # the old snapshot is kept as it was
    assert d.latest_result.data["standings"][0]["option"] == made[1].id
    assert d.latest_result.data["ballots"] == 3


def test_dot_budget_cap_and_refusals(room, dots, op_id, make):
    w, people, b, made = room
    d = make.round(w, "dot_vote", "Dots", open_=True, source=b, budget=5, cap=3)
    p = people[0]
    with pytest.raises(Conflict) as exc:
        dots(p, d, made[0], 4)
    assert exc.value.code == "over_cap"
    dots(p, d, made[0], 3)
    dots(p, d, made[1], 2)
    with pytest.raises(Conflict) as exc:  # a sixth dot
        dots(p, d, made[2], 1)
    assert exc.value.code == "over_budget"
    with pytest.raises(DomainError) as exc:
        dots(p, d, made[0], -1)
    with pytest.raises(DomainError) as exc:  # an idea that is not in the round
        ballot = transaction.run(lambda: ballots.cast(p, d, op_id=op_id(), payload={"idea_id": 999999, "count": 1}, action="cast_dots"))
    assert exc.value.code == "unknown_idea"
    # Moving a dot is allowed: take one off idea 1 and put it on idea 2.
    dots(p, d, made[1], 1)
    dots(p, d, made[2], 1)
    ballot = ballots.current_ballot(p, d)
    assert ballot.content == {str(made[0].id): 3, str(made[1].id): 1, str(made[2].id): 1}
    # A hidden idea drops out of the vote.
    ideas.set_hidden(made[4], True)
    db.session.commit()
    with pytest.raises(DomainError) as exc:
        dots(people[1], d, made[4], 1)
    assert exc.value.code == "unknown_idea"
    rounds.close_round(d)
    db.session.commit()
    with pytest.raises(Conflict) as exc:
        dots(people[1], d, made[0], 1)
    assert exc.value.code == "round_closed"


def test_vote_in_another_workshops_round_is_refused(room, op_id, make):
    w, people, b, made = room
    other = workshops.create_workshop(None, title="Other")
    stranger = participants.join(other, name="Stranger")
    d = make.round(w, "dot_vote", "Dots", open_=True, source=b)
    with pytest.raises(NotFound):
        ballots.cast(stranger, d, op_id=op_id(), payload={"idea_id": made[0].id, "count": 1}, action="cast_dots")
    with pytest.raises(NotFound):
        rounds.get_round(other, d.id)


def test_rank_round_over_top_k_with_ties_and_borda(room, dots, op_id, make):
    w, people, b, made = room
    d = make.round(w, "dot_vote", "Dots", open_=True, source=b, budget=5, cap=3)
    # idea0: 3, idea1: 2, idea2: 2 (tied 2=), idea3: 1, idea4: 0
    dots(people[0], d, made[0], 3)
    dots(people[0], d, made[1], 2)
    dots(people[1], d, made[2], 2)
    dots(people[1], d, made[3], 1)
    r = rounds.add_round(w, kind="rank", title="Rank", settings={"source_round_id": d.id, "top_k": 2})
    rounds.open_round(r)  # closes the dot vote first, then ranks its top 2 (+ the idea tied at 2)
    db.session.commit()
    from app.rounds import kind_of

    assert [i.id for i in kind_of(r).options(r)] == [made[0].id, made[1].id, made[2].id]
    order = [made[2].id, made[0].id, made[1].id]
    for p in people[:3]:
        transaction.run(lambda p=p, op=op_id(): ballots.cast(p, r, op_id=op, payload={"order": order}, action="submit_ranking"))
    with pytest.raises(DomainError) as exc:  # incomplete ranking
        ballots.cast(people[3], r, op_id=op_id(), payload={"order": order[:2]}, action="submit_ranking")
    with pytest.raises(DomainError) as exc:  # repeated idea
        ballots.cast(people[3], r, op_id=op_id(), payload={"order": [order[0]] * 3}, action="submit_ranking")
    with pytest.raises(DomainError) as exc:  # the wrong action for this round
        ballots.cast(people[3], r, op_id=op_id(), payload={"idea_id": made[0].id, "count": 1}, action="cast_dots")
    assert exc.value.code == "wrong_action"
    db.session.rollback()
    snapshot = rounds.close_round(r)
    db.session.commit()
    assert [s["option"] for s in snapshot.data["standings"]] == order
    assert [s["score"] for s in snapshot.data["standings"]] == [6, 3, 0]
    assert snapshot.method == "borda"


def test_rank_round_cannot_open_before_its_dot_vote_has_a_result(room):
    w, people, b, made = room
    d = rounds.add_round(w, kind="dot_vote", title="Dots", settings={"source_round_id": b.id})
    r = rounds.add_round(w, kind="rank", title="Rank", settings={"source_round_id": d.id})
    db.session.commit()
    with pytest.raises(Conflict) as exc:
        rounds.open_round(r)
    assert exc.value.code == "source_not_closed"


def test_bad_round_settings(room):
    w, people, b, made = room
    with pytest.raises(DomainError) as exc:
        rounds.add_round(w, kind="dot_vote", title="Dots", settings={"source_round_id": 12345})
    assert exc.value.code == "bad_source_round"
    with pytest.raises(DomainError) as exc:
        rounds.add_round(w, kind="dot_vote", title="Dots", settings={"source_round_id": b.id, "budget": 2, "cap": 3})
    assert exc.value.code == "bad_setting"
    with pytest.raises(DomainError) as exc:
        rounds.add_round(w, kind="poll", title="X")
    assert exc.value.code == "bad_kind"


@pytest.mark.parametrize("single_statements", [False, True], ids=["in_a_transaction", "single_statements"])
def test_budget_holds_under_concurrent_tabs(app, room, op_id, make, single_statements):
    """Ten tabs of one participant each put one dot on a different idea at once: at most 5 land
    (also when each statement commits by itself, as a phone's vote does on PostgreSQL)."""
    w, people, b, made = room
    more = [ideas.submit_idea(people[0], b, op_id=op_id(), title=f"Extra {i}").idea for i in range(5)]
    d = make.round(w, "dot_vote", "Dots", open_=True, source=b, budget=5, cap=3)
    targets = [i.id for i in made + more]
    pid, rid = people[0].id, d.id
    outcomes = []
    barrier = threading.Barrier(len(targets))

    def tab(op, idea_id):
        with app.app_context():
            from app.models import Participant

            p = db.session.get(Participant, pid)
            r = db.session.get(Round, rid)
            barrier.wait()
            try:
                transaction.run(lambda: ballots.cast(p, r, op_id=op, payload={"idea_id": idea_id, "count": 1}, action="cast_dots"),
                                single_statements=single_statements)
                outcomes.append("ok")
            except Conflict as exc:
                outcomes.append(exc.code)
            except Exception as exc:  # noqa: BLE001 - report any other failure
                outcomes.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tab, args=(op_id(), idea_id)) for idea_id in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    db.session.expire_all()
    stored = db.session.query(Ballot).filter_by(round_id=rid, participant_id=pid).one().content
    assert sum(stored.values()) == 5
    assert outcomes.count("ok") == 5 and outcomes.count("over_budget") == 5, outcomes


def test_one_op_id_sent_by_many_tabs_at_once_is_applied_once(app, room, op_id, make):
    """A phone's outbox re-sending one vote while the first copy is still on its way: the
    ballot and the op record are written together once, every other copy is a replay."""
    w, people, b, made = room
    d = make.round(w, "dot_vote", "Dots", open_=True, source=b, budget=5, cap=3)
    pid, rid, idea_id, op = people[1].id, d.id, made[0].id, op_id()
    replays, barrier = [], threading.Barrier(8)

    def copy():
        with app.app_context():
            def vote():
                read = ballots.read_vote(pid, rid, op)
                return ballots.cast(read.participant, read.round, op_id=op, payload={"idea_id": idea_id, "count": 2},
                                    action="cast_dots", read=read)
            barrier.wait()
            try:
                replays.append(transaction.run(vote, single_statements=True).replayed)
            except Exception as exc:  # noqa: BLE001 - report any other failure
                replays.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=copy) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    db.session.expire_all()
    assert sorted(replays, key=str) == [False] + [True] * 7, replays
    stored = db.session.query(Ballot).filter_by(round_id=rid, participant_id=pid).one()
    assert stored.content == {str(idea_id): 2} and stored.version == 1
    from app.models import ClientOp

    assert db.session.query(ClientOp).filter_by(participant_id=pid, op_id=op).count() == 1


def test_a_tally_counted_before_the_cache_was_cleared_is_not_kept_after_it(make):
    from app.services import state

    w = make.workshop(language="en")
    people = make.participants(w, 2)
    brainstorm = make.round(w, "brainstorm", open_=True)
    ideas = make.ideas(brainstorm, people, ["A", "B"])
    dots = make.round(w, "dot_vote", open_=True, source=brainstorm)
    make.dots(people[0], dots, ideas[0], 2)
    state.tally_cache.clear()
    counted = state.tally_payload(dots)  # counted and kept
    assert state.tally_cache.get(dots, 60) == counted
    # A count that began before an idea was hidden (which clears the cache) ends after it:
    # it is sent, but not kept as the round's tally for the next phones that ask.
    generation = state.tally_cache.generation
    state.tally_cache.clear()
    state.tally_cache.put(dots, counted, generation)
    assert state.tally_cache.get(dots, 60) is False
