"""Closing a large round: it closes at once, and a job worker counts its result.

Counting a round of a thousand ballots with its sector breakdown and the other methods'
rankings takes over a hundred milliseconds of CPU, during which the event loop would answer
nobody. From ``TAVLE_CLOSE_IN_JOB_BALLOTS`` ballots on the round closes at once, says its
result is pending, and a real worker process (``flask jobs worker``) stores it.
"""
from __future__ import annotations


from app import transaction
from app.extensions import db
from app.models import Round, RoundResult
from app.services import rounds, workshops
from tests.support.jobs import wait_for
from tests.support.server import free_port

F, P = "/facilitator", "/participant"


def _voted_round(app, facilitator, make_workshop, make_round, join_participant, sio, voters: int = 4):
    code = make_workshop(facilitator.user["id"], title="Plenary", language="en")
    brainstorm = make_round(code, "brainstorm", title="Ideas", open_=True)
    phones = [sio(P, join_participant(code, f"P{i}"), code) for i in range(voters)]
    ideas = []
    for n, phone in enumerate(phones[:3]):
        ack = phone.emit("submit_idea", {"round_id": brainstorm, "op_id": f"op-idea-{n:04d}", "title": f"Idea {n}"},
                         namespace=P, callback=True)
        assert ack["ok"], ack
        ideas.append(ack["idea"]["id"])
    dots = make_round(code, "dot_vote", title="Dots", open_=True, source_round_id=brainstorm, budget=3, cap=2)
    for n, phone in enumerate(phones):
        for k, count in ((0, 2), (1 + n % 2, 1)):
            ack = phone.emit("cast_dots", {"round_id": dots, "idea_id": ideas[k], "count": count,
                                           "op_id": f"op-dot-{n:03d}-{k}"}, namespace=P, callback=True)
            assert ack["ok"], ack
    return code, dots, phones


def _results(app, round_id: int) -> list[RoundResult]:
    with app.app_context():
        found = list(db.session.query(RoundResult).filter_by(round_id=round_id).order_by(RoundResult.id))
        for r in found:
            db.session.expunge(r)
        return found


def test_a_large_round_closes_at_once_and_a_worker_counts_it(app, facilitator, make_workshop, make_round,
                                                            join_participant, sio, job_worker, monkeypatch):
    monkeypatch.setitem(app.config, "TAVLE_CLOSE_IN_JOB_BALLOTS", 4)
    code, dots, phones = _voted_round(app, facilitator, make_workshop, make_round, join_participant, sio)
    console = sio(F, facilitator, code)
    with app.app_context():
        expected = rounds.compute_result(db.session.get(Round, dots)).to_dict()["standings"]

    ack = console.emit("close_round", {"round_id": dots}, namespace=F, callback=True)
    assert ack["ok"], ack
    assert ack["round"]["state"] == "closed" and ack["round"]["result_pending"] is True
    # Closed now: a vote after the close is refused, whatever the worker is doing.
    late = phones[0].emit("cast_dots", {"round_id": dots, "idea_id": expected[0]["option"], "count": 0,
                                        "op_id": "op-dot-late-01"}, namespace=P, callback=True)
    assert not late["ok"] and late["error"]["code"] == "round_closed"

    def counted_state():
        for message in console.get_received(F):
            if message["name"] == "round_state":
                current = message["args"][0].get("round") or {}
                if current.get("id") == dots and current.get("result_pending") is False:
                    return message["args"][0]
        return None

    state = wait_for(counted_state, 60, "round_state with the counted result")
    stored = _results(app, dots)
    assert len(stored) == 1 and stored[0].ballots == 4
    assert stored[0].data["standings"] == expected
    assert [s["idea_id"] for s in state["tally"]["standings"]] == [s["option"] for s in expected]
    # Phones see the counted result on their next sync, and the pending flag is gone.
    synced = phones[1].emit("sync", {}, namespace=P, callback=True)
    assert synced["ok"] and synced["state"]["round"]["result_pending"] is False
    assert not synced["state"]["tally"].get("pending")


def test_a_pending_round_shows_no_old_result_and_a_reopened_one_is_not_counted(app, facilitator, make_workshop,
                                                                               make_round, join_participant, sio):
    code, dots, phones = _voted_round(app, facilitator, make_workshop, make_round, join_participant, sio)
    with app.app_context():
        workshop = workshops.by_code(code)
        round_ = db.session.get(Round, dots)
        transaction.run(lambda: rounds.close_round(round_))  # counted here: the first snapshot
        transaction.run(lambda: rounds.open_round(round_))
        transaction.run(lambda: rounds.close_round(round_, defer=True))
        assert round_.result_pending and [r.id for r in rounds.pending_rounds(workshop)] == [dots]
    synced = phones[0].emit("sync", {}, namespace=P, callback=True)
    tally = synced["state"]["tally"]
    # The first close's snapshot is not passed off as this close's result.
    assert tally["pending"] is True and tally["standings"] == []
    with app.app_context():
        round_ = db.session.get(Round, dots)
        transaction.run(lambda: rounds.open_round(round_))
        assert round_.result_pending is False
        assert transaction.run(lambda: rounds.count_result(round_)) is None
    assert len(_results(app, dots)) == 1


def test_with_the_job_queue_down_a_large_round_is_still_counted(app, facilitator, make_workshop, make_round,
                                                                join_participant, sio, monkeypatch):
    monkeypatch.setitem(app.config, "TAVLE_CLOSE_IN_JOB_BALLOTS", 1)
    code, dots, phones = _voted_round(app, facilitator, make_workshop, make_round, join_participant, sio)
    monkeypatch.setitem(app.config, "TAVLE_JOBS", "redis")
    monkeypatch.setitem(app.config, "TAVLE_JOBS_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    console = sio(F, facilitator, code)
    ack = console.emit("close_round", {"round_id": dots}, namespace=F, callback=True)
    assert ack["ok"], ack
    assert ack["round"]["result_pending"] is False
    stored = _results(app, dots)
    assert len(stored) == 1 and stored[0].ballots == 4
