"""Adding, opening, closing and reopening rounds; a closed round stores its result."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, bindparam, cast, distinct, func, select, true

from app.clock import utcnow
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.models import Ballot, Participant, Round, RoundResult, RoundState, SecretBallot, Workshop
from app.numbers import id_list, record_id
from app.rounds import KINDS, kind_of
from app.rounds.base import ballot_error
from app.voting import BallotError, Result, Standing, break_ties, by_sector, consensus, supporters_from_ballots
from app.services import scoped

TITLE_MAX = 200
#: A round id that names no round of the workshop.
UNKNOWN_ROUND = _l("That round does not exist in this workshop.")
#: The refusal of a tie decision that is not a list of the tied ideas.
TIE_ORDER_MESSAGE = _l("Send the tied ideas in the order you decide.")


def get_round(workshop: Workshop, round_id: Any) -> Round:
    """Round ``round_id`` of ``workshop``; a round of another workshop is not found."""
    return scoped.get(workshop, Round, round_id, field="round_id", thing=_l("round"), code="unknown_round",
                      message=UNKNOWN_ROUND)


@dataclass(frozen=True)
class RoundRef:
    """What a vote needs to know of its round, read as one plain row (no ORM object).

    Round kinds read ``settings``, ``id`` and ``workshop_id`` of the round they check a
    ballot against, so a vote can pass this instead of a loaded ``Round``.
    """

    id: int
    workshop_id: int
    kind: str
    title: str
    state: RoundState
    settings: dict
    #: The workshop's ``ideas_version`` read with it (None: not read, so nothing is reused).
    ideas_version: int | None = None

    @property
    def is_open(self) -> bool:
        return self.state is RoundState.OPEN


_ROUND_REF = select(Round.id, Round.workshop_id, Round.kind, Round.title, Round.state, Round.settings).where(
    Round.id == bindparam("round_id")
)


def round_ref(workshop_id: int, round_id: Any) -> RoundRef:
    """Round ``round_id`` of workshop ``workshop_id`` as a ``RoundRef`` (the vote path's
    ``get_round``: one indexed read, and it loads neither the workshop nor its other rounds)."""
    rid = record_id(round_id, "round_id", _l("round"))
    row = db.session.connection().execute(_ROUND_REF, {"round_id": rid}).first()
    if row is None or row.workshop_id != workshop_id:
        raise NotFound("unknown_round", UNKNOWN_ROUND)
    return RoundRef(row.id, row.workshop_id, row.kind, row.title, row.state, dict(row.settings or {}))


def add_round(workshop: Workshop, *, kind: str, title: str, settings: Mapping[str, Any] | None = None) -> Round:
    """Add a draft round of ``kind`` at the end of the workshop's list.

    Raises:
        DomainError: unknown kind, missing or over-long title, or settings the kind refuses.
    """
    if kind not in KINDS:
        raise DomainError("bad_kind", _l("Choose a kind of round from the list."))
    title = (title or "").strip()
    if not title:
        raise DomainError("title_required", _l("Give the round a title."))
    if len(title) > TITLE_MAX:
        raise DomainError("title_too_long", _l("The title can be at most %(max)s characters.", max=TITLE_MAX))
    position = max((r.position for r in workshop.rounds), default=0) + 1
    round_ = Round(workshop=workshop, kind=kind, title=title, position=position, settings={})
    merged = {**KINDS[kind].default_settings(), **(settings or {})}
    round_.settings = KINDS[kind].clean_settings(round_, merged)
    round_.results_revealed = not round_.settings.get("hide_results", False)
    db.session.add(round_)
    db.session.flush()
    return round_


def open_round(round_: Round) -> list[Round]:
    """Open ``round_``, closing the round that was open; returns every round whose state changed.

    One round is open at a time, so a facilitator moving on does not have to close the last
    round first: it is closed and its result stored as if they had.
    """
    changed = []
    current = round_.workshop.open_round
    if current is not None and current.id != round_.id:
        # Closed first: a rank round opened straight after its dot vote needs that result,
        # so it is counted here and now, however large. If this round then cannot open, the
        # caller's rollback reopens the other.
        close_round(current, defer=False)
        changed.append(current)
    kind = kind_of(round_)
    kind.check_can_open(round_)
    round_.open(utcnow())
    kind.on_open(round_)
    changed.append(round_)
    return changed


def close_round(round_: Round, *, defer: bool = False) -> RoundResult | None:
    """Close ``round_`` and store its result snapshot (for voting rounds); its timer stops.

    An anonymous round's voters and ballots are rewritten first (``secrecy.seal_round``): the
    ballots in a new random order, without any sector held by fewer than k ballots, so the
    stored breakdown and the table agree and no row keeps a trace of the voting order.

    With ``defer`` (the live edges pass ``counts_in_job(round_)``) a voting round is closed
    at once (no vote is taken after this commits) and left ``result_pending``: the caller has
    a job worker count it (``count_result``), so the event loop never does. Returns None then.
    """
    from app.services import secrecy

    round_.close(utcnow())
    round_.timer_ends_at = round_.timer_remaining = None
    round_.timer_auto_close = False
    secrecy.seal_round(round_)
    if defer and kind_of(round_).votes:
        round_.result_pending = True
        return None
    return store_result(round_)


def count_result(round_: Round) -> RoundResult | None:
    """Store the result of a round closed with its result pending (run by a job worker).

    Does nothing (returns None) when the round is no longer waiting for it: reopened since,
    or already counted by an earlier attempt.
    """
    if round_.state is not RoundState.CLOSED or not round_.result_pending:
        return None
    round_.result_pending = False
    return store_result(round_)


def counts_in_job(round_: Round) -> bool:
    """Whether closing ``round_`` should leave its counting to a job worker.

    Counting a round with its sector breakdown and the other methods' rankings takes tens of
    milliseconds of CPU at a few hundred ballots and over a hundred at a thousand, during
    which nothing else in the process runs: from ``TAVLE_CLOSE_IN_JOB_BALLOTS`` ballots on
    (300 by default; 0 sends every voting round) it is done by a worker instead.
    """
    if not kind_of(round_).votes:
        return False
    threshold = int(current_app.config.get("TAVLE_CLOSE_IN_JOB_BALLOTS", 300))
    return threshold <= 0 or ballot_count(round_) >= threshold


def ballot_count(round_: Round) -> int:
    """How many ballots ``round_`` holds (named or secret)."""
    model = SecretBallot if round_.settings.get("anonymous") else Ballot
    return db.session.scalar(select(func.count()).select_from(model).where(model.round_id == round_.id)) or 0


def pending_rounds(workshop: Workshop) -> list[Round]:
    """The workshop's closed rounds whose result a job worker has yet to count."""
    return [r for r in workshop.rounds if r.result_pending and r.state is RoundState.CLOSED]


def ballots_of(round_: Round) -> list[Any]:
    """The stored ballot contents of ``round_`` (named or secret), in no particular order."""
    model = SecretBallot if round_.settings.get("anonymous") else Ballot
    return list(db.session.scalars(select(model.content).where(model.round_id == round_.id)))


def ballots_with_sector(round_: Round) -> list[tuple[str, Any]]:
    """``(sector, ballot)`` for every ballot of the round; voters without a sector count as "other"."""
    if round_.settings.get("anonymous"):
        rows = db.session.execute(select(SecretBallot.sector, SecretBallot.content).where(SecretBallot.round_id == round_.id))
    else:
        rows = db.session.execute(
            select(Participant.sector, Ballot.content).join(Participant, Participant.id == Ballot.participant_id)
            .where(Ballot.round_id == round_.id)
        )
    return [(sector or "other", content) for sector, content in rows]


def allocation_sums(round_: Round) -> tuple[dict[int, int], dict[int, int], int]:
    """A named allocation round's sums, made by the database over the stored ballots
    (``{idea: amount}`` objects): amount and voters (more than zero) per idea, and how many
    ballots are not empty. Two statements, whatever the number of ballots."""
    each = func.json_each if db.engine.dialect.name == "sqlite" else func.json_each_text
    entry = each(Ballot.content).table_valued("key", "value")
    amount = cast(entry.c.value, Integer)
    rows = db.session.execute(
        select(entry.c.key, func.sum(amount), func.count())
        .select_from(Ballot).join(entry, true())
        .where(Ballot.round_id == round_.id, amount > 0)
        .group_by(entry.c.key)
    )
    totals, voters = {}, {}
    for key, total, count in rows:
        totals[int(key)], voters[int(key)] = int(total), int(count)
    ballots = db.session.scalar(
        select(func.count(distinct(Ballot.id))).select_from(Ballot).join(entry, true()).where(Ballot.round_id == round_.id)
    )
    return totals, voters, int(ballots or 0)


def compute_result(round_: Round, method: str | None = None, *, live: bool = False) -> Result | None:
    """The ``voting.Result`` of the round's current ballots (None for a round that does not vote).

    A round set to break ties by the earlier round orders tied ideas by the source round's
    stored ranking; the rule applied is recorded in the result. ``live``: the tally shown
    while the round is open, which a kind may count in the database (``live_result``); a
    round's stored result is always counted from its ballots, each checked again.
    """
    kind = kind_of(round_)
    if not kind.votes:
        return None
    if round_.settings.get("per_group"):
        return _per_group_result(round_, method)
    result = None
    if live and method is None and not round_.settings.get("anonymous"):
        # The light option rows, reused while the workshop's ideas are unchanged: a live
        # tally is asked for up to ten times a second in every process.
        result = kind.live_result(round_, kind.option_refs(round_))
    if result is None:
        result = kind.tally(round_, kind.options(round_), ballots_of(round_), method)
    return with_prior_rule(round_, result)


def with_prior_rule(round_: Round, result: Result) -> Result:
    """``result`` with the round's rule "ties broken by the earlier round" applied, if it has it
    (and the earlier round a stored result): ties ordered by that round's ranking."""
    if (round_.settings or {}).get("tie_break") != "prior_round":
        return result
    source = kind_of(round_).source(round_)
    if source is None or source.latest_result is None:
        return result
    return break_ties(result, rule="prior_round", prior=[s["option"] for s in source.latest_result.data["standings"]])


def _per_group_result(round_: Round, method: str | None) -> Result:
    """A round held in groups: each group's ballots over its own ideas, each group's top N kept.

    The standings list every group's top ``group_top_n`` ideas (group by group, with the place
    each had in its group), so a plenary round over this one works over their union; the full
    result of every group is kept under ``explanation['groups']``.
    """
    kind = kind_of(round_)
    options = kind.options(round_)
    rows = db.session.execute(
        select(Participant.group_id, Ballot.content).join(Participant, Participant.id == Ballot.participant_id)
        .where(Ballot.round_id == round_.id)
    ).all()
    top_n = int(round_.settings.get("group_top_n", 3))
    standings, groups, ballots = [], {}, 0
    for group in round_.workshop.groups:
        group_options = [i for i in options if i.group_id == group.id]
        if not group_options:
            continue
        contents = [content for gid, content in rows if gid == group.id]
        result = kind.tally(round_, group_options, contents, method)
        ballots += result.ballots
        groups[str(group.id)] = {"name": group.name, **result.to_dict()}
        for s in result.standings:
            if s.rank <= top_n:
                standings.append(Standing(option=s.option, rank=s.rank, score=s.score, tied=s.tied,
                                          extra={**dict(s.extra), "group_id": group.id, "group": group.name}))
    return Result(method=method or kind.method(round_), standings=tuple(standings), ballots=ballots,
                  params={**kind.params(round_), "group_top_n": top_n}, explanation={"groups": groups})


def breakdown(round_: Round) -> dict[str, Any] | None:
    """Results per stakeholder sector and a cross-sector consensus score per idea.

    Sectors with fewer voters than the round's ``min_cell`` are suppressed, so a breakdown
    never reveals how a small group (or one person) voted.
    """
    kind = kind_of(round_)
    if not kind.votes or round_.settings.get("per_group"):
        return None
    options = kind.options(round_)
    option_ids = [i.id for i in options]
    allowed = set(option_ids)
    min_cell = int(round_.settings.get("min_cell", 3))
    method = kind.method(round_)
    pairs = [
        (sector, kind.restrict(kind.to_method(content), allowed))
        for sector, content in ballots_with_sector(round_) if not kind.is_empty(content)
    ]
    params = kind.params(round_)
    by = by_sector(pairs, option_ids, method, min_cell=min_cell, **params)
    support: dict[str, dict[int, tuple[int, int]]] = {}
    voters: dict[str, int] = {}
    for sector, ballot in pairs:
        voters[sector] = voters.get(sector, 0) + 1
    for sector, ballot in pairs:
        supported = supporters_from_ballots(method, ballot, n_options=len(option_ids), **{k: v for k, v in params.items() if k.startswith("scale_")})
        cell = support.setdefault(sector, {o: (0, voters[sector]) for o in option_ids})
        for option in supported:
            s, n = cell[option]
            cell[option] = (s + 1, n)
    agreement = consensus(support, option_ids, min_cell=min_cell)
    return {"by_sector": by, "consensus": {str(k): v for k, v in agreement.items()}}


def store_result(round_: Round) -> RoundResult | None:
    """Snapshot the round's result; earlier snapshots are kept."""
    result = compute_result(round_)
    if result is None:
        return None
    return _snapshot(round_, result)


def _snapshot(round_: Round, result: Result) -> RoundResult:
    kind = kind_of(round_)
    options = kind.options(round_)
    data = result.to_dict()
    data["titles"] = {str(i.id): i.title for i in options}
    data["closed_at"] = round_.closed_at.isoformat() if round_.closed_at else None
    data["settings"] = dict(round_.settings)
    data["anonymous"] = bool(round_.settings.get("anonymous"))
    data["breakdown"] = breakdown(round_)
    data.update(kind.result_extras(round_, result))
    snapshot = RoundResult(round=round_, method=result.method, ballots=result.ballots, data=data)
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


def decide_tie(round_: Round, order: list[Any]) -> RoundResult:
    """Record the facilitator's order for tied ideas of a closed round, as a new snapshot.

    Raises:
        Conflict: the round is not closed or has no result.
        DomainError ``bad_tie_break``: ``order`` is not exactly the ideas of tie groups.
    """
    if round_.state is not RoundState.CLOSED or round_.latest_result is None:
        raise Conflict("round_not_closed", _l("Close the round first; then decide its ties."))
    decision = id_list(order, "order", _l("idea"), code="bad_tie_break", message=TIE_ORDER_MESSAGE)
    current = Result.from_dict(round_.latest_result.data)
    try:
        decided = break_ties(current, rule="facilitator", decision=decision)
    except BallotError as exc:
        raise ballot_error(exc) from None
    return _snapshot(round_, decided)


def set_revealed(round_: Round, revealed: bool) -> Round:
    """Show or hide the round's results on phones and the projector."""
    round_.results_revealed = bool(revealed)
    return round_

