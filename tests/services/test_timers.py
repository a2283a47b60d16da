"""The timer service decides when a round closes itself; the caller's transaction commits it."""
from datetime import timedelta

import pytest

from app import transaction
from app.models import RoundState
from app.services import rounds, timers


@pytest.fixture
def ended(make, monkeypatch):
    """An open brainstorm with an auto-closing timer, and ``ended()`` moving the clock past its end."""
    w = make.workshop()
    b = make.round(w, "brainstorm", "Ideas", open_=True)
    transaction.run(lambda: timers.start(b, 60, auto_close=True))
    later = b.timer_ends_at + timedelta(seconds=1)

    def ended():
        monkeypatch.setattr(timers, "utcnow", lambda: later)

    return w, b, ended


def test_closes_in_only_for_a_running_timer_that_closes_its_round(ended):
    w, b, _ = ended
    assert 59 <= timers.closes_in(b) <= 60
    timers.pause(b)
    assert timers.closes_in(b) is None
    timers.resume(b)
    b.timer_auto_close = False
    assert timers.closes_in(b) is None


def test_a_round_closes_once_when_its_time_is_up(ended):
    w, b, ended_now = ended
    assert timers.due_round(w) is None
    assert transaction.run(lambda: timers.close_if_due(b)) is False
    assert b.state is RoundState.OPEN
    ended_now()
    assert timers.due_round(w) is b
    assert transaction.run(lambda: timers.close_if_due(b)) is True
    assert b.state is RoundState.CLOSED and b.timer_ends_at is None and timers.due_round(w) is None
    assert transaction.run(lambda: timers.close_if_due(b)) is False


def test_a_round_closed_by_hand_is_left_alone(ended):
    w, b, ended_now = ended
    transaction.run(lambda: rounds.close_round(b))
    ended_now()
    assert timers.due_round(w) is None
    assert transaction.run(lambda: timers.close_if_due(b)) is False
    assert b.state is RoundState.CLOSED
