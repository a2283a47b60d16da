"""Rounds whose countdown runs out: the wait a timer command starts, and the check on sync."""
from datetime import timedelta

import pytest

from tests.support.sockets import F, P, call, events


@pytest.fixture
def room(app, facilitator, make_workshop, make_round, join_participant, sio):
    code = make_workshop(facilitator.user["id"], language="en")
    ns = type("Room", (), {})()
    ns.code, ns.brainstorm = code, make_round(code, "brainstorm", title="Ideas", open_=True)
    ns.phone = sio(P, join_participant(code, "Kari"), code)
    ns.console = sio(F, facilitator, code)
    return ns


def _ran_out_unwatched(app, round_id):
    """The round's auto-closing timer ended while no process waited for it (a restart)."""
    from app import transaction
    from app.clock import utcnow
    from app.extensions import db
    from app.models import Round
    from app.services import timers

    with app.app_context():
        round_ = db.session.get(Round, round_id)

        def ran_out():
            timers.start(round_, 60, auto_close=True)
            round_.timer_ends_at = utcnow() - timedelta(seconds=1)

        transaction.run(ran_out)


def _state_of(app, round_id):
    from app.extensions import db
    from app.models import Round

    with app.app_context():
        return db.session.get(Round, round_id).state.value


@pytest.mark.parametrize("who", ["phone", "console"])
def test_a_sync_closes_a_round_whose_timer_ran_out_unwatched(app, room, who):
    from app.realtime.scheduler import schedule

    _ran_out_unwatched(app, room.brainstorm)
    assert not schedule.waiting(room.brainstorm) and _state_of(app, room.brainstorm) == "open"
    client, ns = (room.phone, P) if who == "phone" else (room.console, F)
    assert call(client, ns, "sync")["ok"]
    assert _state_of(app, room.brainstorm) == "closed"
    assert events(room.console, F, "round_state")[-1]["rounds"][0]["state"] == "closed"
    # Closed once: the next sync has nothing to close and publishes nothing.
    assert call(client, ns, "sync")["ok"]
    assert events(room.console, F, "round_state") == []


def test_a_process_keeps_one_wait_per_round_and_drops_it_when_nothing_will_close(app, room):
    from app.realtime.scheduler import schedule

    rid = room.brainstorm
    assert call(room.console, F, "start_timer", {"round_id": rid, "seconds": 120})["ok"]
    assert not schedule.waiting(rid)  # no auto-close: nothing to wait for
    assert call(room.console, F, "start_timer", {"round_id": rid, "seconds": 120, "auto_close": True})["ok"]
    assert schedule.waiting(rid)
    assert call(room.console, F, "pause_timer", {"round_id": rid})["ok"]
    assert not schedule.waiting(rid)
    assert call(room.console, F, "resume_timer", {"round_id": rid})["ok"]
    assert schedule.waiting(rid)
    assert call(room.console, F, "clear_timer", {"round_id": rid})["ok"]
    assert not schedule.waiting(rid)
    assert _state_of(app, rid) == "open"


def test_an_extended_timer_closes_at_its_new_end_not_the_old_one(app, room):
    import time

    rid = room.brainstorm
    assert call(room.console, F, "start_timer", {"round_id": rid, "seconds": 1, "auto_close": True})["ok"]
    assert call(room.console, F, "extend_timer", {"round_id": rid, "seconds": 3})["ok"]
    time.sleep(1.5)
    assert _state_of(app, rid) == "open"
    deadline = time.monotonic() + 8
    while True:
        states = events(room.phone, P, "round_state")
        if states and states[-1]["round"]["state"] == "closed":
            break
        assert time.monotonic() < deadline, "the round did not close at the end of its extended timer"
        time.sleep(0.1)
    assert _state_of(app, rid) == "closed"
