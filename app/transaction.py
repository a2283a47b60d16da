"""The commit boundary: routes, socket handlers and CLI commands run one service call here."""
from __future__ import annotations

import logging
from typing import Callable, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db

T = TypeVar("T")
log = logging.getLogger(__name__)


class NeedsTransaction(Exception):
    """Raised by an action run with ``single_statements``: what it is about to write takes more
    than one statement, so it must run again inside one transaction."""


#: ``db.session.info`` key: this attempt runs each statement in its own transaction.
SINGLE_STATEMENTS = "tavle_single_statements"


def single_statements() -> bool:
    """Whether the running action's statements each commit by themselves (see ``run``)."""
    return bool(db.session.info.get(SINGLE_STATEMENTS))


def run(action: Callable[[], T], *, retries: int = 8, single_statements: bool = False) -> T:
    """Run ``action`` (a service call) and commit; retry when a concurrent writer got there first.

    A ballot changed by another tab between read and write raises ``StaleDataError`` (its
    version column no longer matches); two first ballots or two copies of one client operation
    raise ``IntegrityError`` on their UNIQUE constraints. Either way the action is run again on
    fresh data, where its own checks (budget, already-applied operation) decide.

    ``single_statements``: on a server database (PostgreSQL), run the action's statements
    without a surrounding transaction, each atomic by itself, for an action that reads, then
    writes everything in one statement guarded by what it read (a named vote: the ballot's
    version and the op id's UNIQUE constraint). That saves the BEGIN and COMMIT round trips
    every click would pay. An action that finds it has more to write raises
    ``NeedsTransaction`` and runs again, once, in a transaction. SQLite runs in-process,
    where a transaction costs no round trip: there this does nothing.
    """
    single = single_statements and db.engine.dialect.name == "postgresql"
    attempt = 0
    while True:
        try:
            if single and not db.session().in_transaction():
                db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
                db.session.info[SINGLE_STATEMENTS] = True
            result = action()
            db.session.commit()
            return result
        except NeedsTransaction:
            db.session.rollback()
            single = False
        except (StaleDataError, IntegrityError):
            db.session.rollback()
            if attempt == retries:
                raise
            attempt += 1
            log.debug("concurrent write, retrying (attempt %d)", attempt)
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.info.pop(SINGLE_STATEMENTS, None)
