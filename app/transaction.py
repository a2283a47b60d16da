"""The commit boundary: routes, socket handlers and CLI commands run one service call here."""
from __future__ import annotations

import logging
from typing import Callable, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db

T = TypeVar("T")
log = logging.getLogger(__name__)


def run(action: Callable[[], T], *, retries: int = 8) -> T:
    """Run ``action`` (a service call) and commit; retry when a concurrent writer got there first.

    A ballot changed by another tab between read and write raises ``StaleDataError`` (its
    version column no longer matches); two first ballots or two copies of one client operation
    raise ``IntegrityError`` on their UNIQUE constraints. Either way the action is run again on
    fresh data, where its own checks (budget, already-applied operation) decide.
    """
    for attempt in range(retries + 1):
        try:
            result = action()
            db.session.commit()
            return result
        except (StaleDataError, IntegrityError):
            db.session.rollback()
            if attempt == retries:
                raise
            log.debug("concurrent write, retrying (attempt %d)", attempt + 1)
        except Exception:
            db.session.rollback()
            raise
    raise AssertionError("unreachable")
