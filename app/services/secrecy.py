"""Storing secret ballots and anonymous survey answers so that the database cannot link them.

An anonymous round keeps who has voted (``voter``) apart from what was voted
(``secret_ballot``), and an anonymous survey keeps who has answered (``survey_respondent``)
apart from the answers (``survey_response``). Separate tables are not enough on their own: an
operator holding the database file could pair the two by the order rows were stored in
(SQLite's rowid, PostgreSQL's physical order and row versions), by a record of applied
operations, or by a sector only one voter has. This module closes those paths:

* The tables have no rowid on SQLite and random primary keys, so rows are stored and read in
  random order; the "who" tables are keyed by participant.
* Every secret write rewrites ``k - 1`` randomly chosen earlier rows of the same round (or
  survey) together with the new one, in random order and with fresh ids. The rows a voter's
  transaction leaves behind (its physical place, its row version on PostgreSQL) therefore hold
  ``k`` ballots that are exchangeable: whatever later writes do, each of them is the voter's
  with the same probability.
* Closing rewrites every row of the round or survey in random order (and the "who" rows in
  participant order), so afterwards all rows share one write and carry no order at all.
* A re-sent submission is recognised by an HMAC of the participant and the op id under the
  app's secret key (``secret_op``), not by a ``client_op`` row naming the participant.
* A ballot keeps its sector only if at least ``k`` participants of the workshop have it, and
  closing turns any sector with fewer than ``k`` ballots into no sector.
"""
from __future__ import annotations

import hashlib
import hmac
import random
import secrets
from collections import Counter
from typing import Any, Iterable

from flask import current_app
from sqlalchemy import delete, func, insert, select

from app.extensions import db
from app.models import Participant, Round, SecretBallot, SecretOp, Survey, SurveyRespondent, SurveyResponse, Voter

#: The smallest group a secret ballot hides in (a round's ``min_cell`` can only raise it).
MIN_K = 3

_rng = random.SystemRandom()


def k_of(round_: Round) -> int:
    """The anonymity set size for ``round_``: its small-cell minimum, at least ``MIN_K``."""
    try:
        min_cell = int((round_.settings or {}).get("min_cell", MIN_K))
    except (TypeError, ValueError):
        min_cell = MIN_K
    return max(MIN_K, min_cell)


def _new_id() -> str:
    return secrets.token_hex(16)


# --- replays -------------------------------------------------------------------------------
def op_digest(participant: Participant, op_id: str, key: bytes | None = None) -> str:
    """The keyed hash that stands for "``participant`` sent ``op_id``" in ``secret_op``.

    HMAC-SHA256 under the app's secret key (or ``key``): anyone without the key cannot tell
    whose digest a row is; with the key one can only confirm a guessed participant *and* op
    id, and op ids are random 128-bit values generated on the phone and stored nowhere else.
    """
    secret = key if key is not None else str(current_app.config["SECRET_KEY"]).encode("utf-8")
    message = f"tavle-secret-op\x00{participant.id}\x00{op_id}".encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def applied(participant: Participant, op_id: str) -> bool:
    """Whether ``participant`` already made the secret submission ``op_id``."""
    digest = op_digest(participant, op_id)
    return db.session.scalar(select(SecretOp.digest).where(SecretOp.digest == digest)) is not None


def record(participant: Participant, op_id: str) -> None:
    """Remember that ``op_id`` was applied; the primary key refuses a concurrent twin.

    Written in the same transaction as the ballot, so a twin sent while the first is being
    written fails on the key, is retried by ``app.transaction.run`` and then finds the digest.
    """
    db.session.add(SecretOp(digest=op_digest(participant, op_id), workshop_id=participant.workshop_id))


# --- sectors -------------------------------------------------------------------------------
def sector_to_store(participant: Participant, k: int) -> str | None:
    """The sector a secret ballot may carry: the voter's, if at least ``k`` participants share it.

    A sector that fewer than ``k`` people of the workshop have would name its voter, so such a
    ballot is stored without a sector (it counts as "other" in breakdowns).
    """
    sector = participant.sector
    if not sector:
        return None
    sharing = db.session.scalar(
        select(func.count(Participant.id)).where(Participant.workshop_id == participant.workshop_id,
                                                 Participant.sector == sector)
    ) or 0
    return sector if sharing >= k else None


def coarsen(rows: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """``rows`` with every sector held by fewer than ``k`` of them replaced by None."""
    counts = Counter(r.get("sector") for r in rows)
    return [{**r, "sector": r.get("sector") if counts[r.get("sector")] >= k else None} for r in rows]


# --- shuffled writes -----------------------------------------------------------------------
def _write_shuffled(model, scope, scope_id: int, new_rows: list[dict[str, Any]], others: int | None,
                    rng: random.Random, finish=None) -> None:
    """Insert ``new_rows`` together with ``others`` random earlier rows of the scope (all if None).

    The earlier rows are deleted and written again with fresh ids, all in one random order,
    so the rows this transaction leaves cannot be told apart. Deleting with RETURNING takes
    exactly the rows this transaction removed: if a concurrent writer moved one first, it is
    simply not rewritten twice. On PostgreSQL the chosen rows are locked first, skipping rows
    a concurrent vote is rewriting, so two votes never wait on each other or deadlock; SQLite
    has one writer at a time anyway.
    """
    ids = list(db.session.scalars(select(model.id).where(scope == scope_id)))
    chosen = ids if others is None else rng.sample(ids, min(others, len(ids)))
    if chosen and others is not None:
        chosen = list(db.session.scalars(
            select(model.id).where(model.id.in_(chosen)).order_by(model.id).with_for_update(skip_locked=True)
        ))
    old: list[dict[str, Any]] = []
    if chosen:
        columns = [c for c in model.__table__.columns if c.key != "id"]
        statement = delete(model).where(model.id.in_(chosen)).returning(*columns)
        old = [dict(row._mapping) for row in db.session.execute(statement, execution_options={"synchronize_session": False})]
    rows = [*new_rows, *old]
    if finish is not None:
        rows = finish(rows)
    rng.shuffle(rows)
    if rows:
        db.session.execute(insert(model), [{**r, "id": _new_id()} for r in rows])


def add_secret_ballot(round_: Round, participant: Participant, content: Any, rng: random.Random | None = None) -> None:
    """Record that ``participant`` voted and store their ballot where nothing links the two.

    The voter row goes to ``voter``; the ballot (with a sector only if enough participants
    share it) is written to ``secret_ballot`` in one shuffled batch with ``k - 1`` random
    earlier ballots of the round, which are rewritten with fresh ids.
    """
    rng = rng or _rng
    k = k_of(round_)
    db.session.add(Voter(round_id=round_.id, participant_id=participant.id))
    db.session.flush()
    ballot = {"round_id": round_.id, "sector": sector_to_store(participant, k), "content": content}
    _write_shuffled(SecretBallot, SecretBallot.round_id, round_.id, [ballot], k - 1, rng)


def seal_round(round_: Round, rng: random.Random | None = None) -> None:
    """Rewrite an anonymous round's voters and ballots when it closes.

    Every ballot is written again in random order with a fresh id, sectors with fewer than
    ``k`` ballots are dropped, and the voter rows are written again in participant order: once
    closed, all rows of the round come from this one write and keep no trace of voting order.
    """
    rng = rng or _rng
    if not (round_.settings or {}).get("anonymous"):
        return
    k = k_of(round_)
    _write_shuffled(SecretBallot, SecretBallot.round_id, round_.id, [], None, rng, finish=lambda rows: coarsen(rows, k))
    _rewrite_sorted(Voter, Voter.round_id, round_.id)


def add_anonymous_response(survey: Survey, participant: Participant, answers: dict[str, Any],
                           rng: random.Random | None = None) -> None:
    """Record that ``participant`` answered ``survey`` and store the answers unlinked.

    Like a secret ballot: the respondent row names the participant, the answers carry none and
    are written in one shuffled batch with ``MIN_K - 1`` earlier responses of the survey.
    """
    rng = rng or _rng
    db.session.add(SurveyRespondent(survey_id=survey.id, participant_id=participant.id))
    db.session.flush()
    response = {"survey_id": survey.id, "participant_id": None, "answers": answers}
    _write_shuffled(SurveyResponse, SurveyResponse.survey_id, survey.id, [response], MIN_K - 1, rng)


def seal_survey(survey: Survey, rng: random.Random | None = None) -> None:
    """Rewrite an anonymous survey's responses (random order) and respondents (participant order)."""
    rng = rng or _rng
    if not survey.anonymous:
        return
    _write_shuffled(SurveyResponse, SurveyResponse.survey_id, survey.id, [], None, rng)
    _rewrite_sorted(SurveyRespondent, SurveyRespondent.survey_id, survey.id)


def _rewrite_sorted(model, scope, scope_id: int) -> None:
    """Delete and insert again every "who" row of the scope, in participant order."""
    deleted: Iterable[Any] = db.session.execute(
        delete(model).where(scope == scope_id).returning(model.participant_id),
        execution_options={"synchronize_session": False},
    )
    rows = sorted(pid for (pid,) in deleted)
    if rows:
        db.session.execute(insert(model), [{scope.key: scope_id, "participant_id": pid} for pid in rows])
