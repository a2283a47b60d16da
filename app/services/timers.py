"""Round countdowns owned by the server: every screen shows the same time after a reconnect."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.errors import Conflict, DomainError
from app.models import Round, Workshop
from app.numbers import parse_whole

MAX_SECONDS = 6 * 3600


def _seconds(value: Any, *, extra: bool = False) -> int:
    """``value`` as a timer's seconds (``extra``: time added to a running timer), or refused."""
    seconds = parse_whole(value)
    if seconds is None:
        raise DomainError("bad_duration", _l("Give the extra time in whole seconds.") if extra
                          else _l("Give the time in whole seconds."))
    if not 1 <= seconds <= MAX_SECONDS:
        raise DomainError("bad_duration", _l("The extra time must be between 1 second and 6 hours.") if extra
                          else _l("The time must be between 1 second and 6 hours."))
    return seconds


def remaining(round_: Round) -> float | None:
    """Seconds left on the round's timer (None: no timer)."""
    if round_.timer_remaining is not None:
        return round_.timer_remaining
    if round_.timer_ends_at is None:
        return None
    return max(0.0, (round_.timer_ends_at - utcnow()).total_seconds())


def start(round_: Round, seconds: Any, *, auto_close: bool = False) -> Round:
    """Start (or restart) a countdown of ``seconds`` on an open round."""
    if not round_.is_open:
        raise Conflict("round_not_open", _l("Open “%(title)s” before starting its timer.", title=round_.title))
    round_.timer_ends_at = utcnow() + timedelta(seconds=_seconds(seconds))
    round_.timer_remaining = None
    round_.timer_auto_close = bool(auto_close)
    return round_


def pause(round_: Round) -> Round:
    if round_.timer_ends_at is None or round_.timer_remaining is not None:
        raise Conflict("timer_not_running", _l("The timer is not running."))
    round_.timer_remaining = remaining(round_)
    round_.timer_ends_at = None
    return round_


def resume(round_: Round) -> Round:
    if round_.timer_remaining is None:
        raise Conflict("timer_not_paused", _l("The timer is not paused."))
    round_.timer_ends_at = utcnow() + timedelta(seconds=round_.timer_remaining)
    round_.timer_remaining = None
    return round_


def extend(round_: Round, seconds: Any) -> Round:
    """Add time to a running or paused timer."""
    extra = _seconds(seconds, extra=True)
    if round_.timer_remaining is not None:
        round_.timer_remaining += extra
    elif round_.timer_ends_at is not None:
        round_.timer_ends_at = max(round_.timer_ends_at, utcnow()) + timedelta(seconds=extra)
    else:
        raise Conflict("no_timer", _l("Start a timer first."))
    return round_


def clear(round_: Round) -> Round:
    round_.timer_ends_at = None
    round_.timer_remaining = None
    round_.timer_auto_close = False
    return round_


def is_due(round_: Round) -> bool:
    """The timer has run out on an open round that closes itself."""
    return bool(round_.is_open and round_.timer_auto_close and round_.timer_ends_at is not None and round_.timer_ends_at <= utcnow())


def closes_in(round_: Round) -> float | None:
    """Seconds until the round's running timer closes it (None: nothing will close it).

    What a scheduler waits for after a timer command; when the wait is over it asks
    ``close_if_due`` again, since the timer may have been paused, extended or cleared since.
    """
    if not (round_.is_open and round_.timer_auto_close and round_.timer_ends_at is not None):
        return None
    return remaining(round_)


def due_round(workshop: Workshop) -> Round | None:
    """The workshop's open round if its timer has run out and it closes itself (else None)."""
    current = workshop.open_round
    return current if current is not None and is_due(current) else None


def close_if_due(round_: Round) -> bool:
    """Close ``round_`` if its timer has run out on it; returns whether it did.

    Run inside the caller's transaction (``app.transaction.run``), which publishes the new
    state when this returns True. Checked on the data the transaction reads, so a round
    closed by hand or by another process meanwhile is left alone, and a retried transaction
    asks again.
    """
    if not is_due(round_):
        return False
    from app.services import rounds

    rounds.close_round(round_, defer=rounds.counts_in_job(round_))
    return True


def payload(round_: Round) -> dict[str, Any] | None:
    """The timer as clients show it; ``server_now`` lets a phone correct its own clock."""
    if round_.timer_ends_at is None and round_.timer_remaining is None:
        return None
    return {
        "round_id": round_.id,
        "running": round_.timer_ends_at is not None,
        "ends_at": round_.timer_ends_at.isoformat() if round_.timer_ends_at else None,
        "remaining": remaining(round_),
        "auto_close": round_.timer_auto_close,
        "server_now": utcnow().isoformat(),
    }
