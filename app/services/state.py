"""Plain-data views of a workshop for each audience: what pages render and sockets send."""
from __future__ import annotations

import copy
import time
from typing import Any

from flask import current_app
from flask_babel import format_decimal, gettext, ngettext
from sqlalchemy import func, select

from app import i18n
from app.extensions import db
from app.models import Ballot, Idea, Participant, Round, RoundState, SurveyState, Voter, Workshop
from app.payloads import IdeaPayload, RoundPayload, StatePayload, StoredResult, TallyPayload, WorkshopPayload
from app.rounds import kind_of
from app.sectors import sector_label
from app.services import agenda, attribution, curation, roster, surveys, timers
from app.services.rounds import compute_result
from app.voting import method_card

FACILITATOR, PARTICIPANT, DISPLAY = "facilitator", "participant", "display"


def idea_payload(idea: Idea, workshop: Workshop, origin: attribution.Attribution | None = None) -> IdeaPayload:
    """An idea as clients see it: the author's name only where the workshop shows names, and
    where it came from as ``attribution`` decides (``origin``: the workshop's rule, built once
    for a list of ideas; built here when not given)."""
    author = idea.author
    origin = origin if origin is not None else attribution.for_workshop(workshop)
    return {
        "id": idea.id,
        "round_id": idea.round_id,
        "title": idea.title,
        "details": idea.details,
        "hidden": idea.hidden,
        "author": author.name if (author and workshop.show_names and author.name) else None,
        "attribution": origin.label(author, idea.group_id),
        "group_id": idea.group_id,
        "theme": idea.theme,
        "merged_into": idea.merged_into_id,
        "created_at": idea.created_at.isoformat() if idea.created_at else None,
    }


def load_authors(ideas) -> list[Participant]:
    """Read the authors of ``ideas`` in one query, so ``idea.author`` finds them loaded
    (one query per idea made a phone's ``sync`` cost 50 queries at 50 ideas). The session
    holds objects weakly: the caller keeps the returned list while it reads the ideas."""
    ids = {i.participant_id for i in ideas if i.participant_id is not None}
    return list(db.session.scalars(select(Participant).where(Participant.id.in_(ids)))) if ids else []


def round_payload(round_: Round) -> RoundPayload:
    """A round's public facts: kind, state and settings."""
    return {
        "id": round_.id,
        "kind": round_.kind,
        "kind_label": str(kind_of(round_).label),
        "title": round_.title,
        "state": round_.state.value,
        "settings": dict(round_.settings or {}),
        "results_revealed": round_.results_revealed,
        "position": round_.position,
        "timer": timers.payload(round_),
        "result_pending": bool(round_.result_pending),
    }


def current_round(workshop: Workshop) -> Round | None:
    """The open round, else the one closed last (whose result the room is looking at)."""
    if workshop.open_round is not None:
        return workshop.open_round
    closed = [r for r in workshop.rounds if r.state is RoundState.CLOSED and r.closed_at]
    return max(closed, key=lambda r: r.closed_at) if closed else None


def card(method: str, params: dict[str, Any], lang: str) -> str:
    """The method card of ``method`` in ``lang``: a tally is shared by every audience (phones, the
    projector, the console), so its card speaks the workshop's language, as do the files."""
    with i18n.in_language(lang):
        return method_card(method, params, gettext=gettext, ngettext=ngettext, number=format_decimal)


def result_payload(data: StoredResult, titles: dict[int, str], *, live: bool, lang: str = "en") -> TallyPayload:
    """A result (live tally or stored snapshot) with idea titles and its method card filled in."""
    # The card says how ties were broken when the result records it (earlier round, facilitator),
    # and that a secret vote showed only its count of voters until it closed.
    card_params = {**data.get("params", {}), "tie_break": data.get("tie_break"), "anonymous": bool(data.get("anonymous"))}
    return {
        "method": data["method"],
        "method_card": card(data["method"], card_params, lang),
        "ballots": data["ballots"],
        "params": data.get("params", {}),
        "live": live,
        "sealed": False,
        "tie_break": data.get("tie_break"),
        "standings": [
            {
                "idea_id": s["option"],
                "title": titles.get(s["option"], data.get("titles", {}).get(str(s["option"]), "")),
                "rank": s["rank"],
                "score": s["score"],
                "tied": s["tied"],
                "extra": s.get("extra") or {},
            }
            for s in data["standings"]
        ],
    }


def sealed(round_: Round) -> bool:
    """Whether the round's tally is held back: an anonymous round while it is open.

    A live tally changes with every ballot, so anyone watching it (the projector needs only the
    join code; the console is often on a screen) could read each new secret ballot from the
    change and name its voter by who just tapped Submit. So an open anonymous round publishes,
    to every audience including the console, only how many have voted.
    """
    return round_.is_open and bool((round_.settings or {}).get("anonymous"))


def sealed_payload(round_: Round) -> dict[str, Any]:
    """The tally of an open anonymous round: the method and the number of voters, no standings."""
    kind = kind_of(round_)
    method, params = kind.method(round_), kind.params(round_)
    return {
        "method": method,
        "method_card": card(method, {**params, "anonymous": True}, round_.workshop.language),
        "ballots": voter_count(round_),
        "params": params,
        "live": True,
        "sealed": True,
        "tie_break": None,
        "standings": [],
        "round_id": round_.id,
    }


class TallyCache:
    """Live tallies shared by everyone who asks within one coalescing interval.

    After a round change every phone asks for the full state at once; without sharing, one
    click on the console cost one tally computation per phone. An entry is used only while it
    is younger than ``max_age`` and the round is in the same state with the same stored
    results and the same pending count. The coalescer always computes afresh (``fresh=True``) and stores what it sent, and
    it sends again after every vote, so a phone that got a slightly older tally is brought up
    to date by the next ``tally`` event: the last tally still equals the database.
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[float, tuple, dict[str, Any] | None]] = {}
        #: Bumped by ``clear``: a tally computed before a clear (an idea hidden while the
        #: coalescer counted) is not stored after it as if it were new.
        self.generation = 0

    @staticmethod
    def _key(round_: Round) -> tuple:
        latest = round_.latest_result
        # A round closed again and being counted by a job has the same state and stored
        # result as after its first close: ``result_pending`` tells the two apart.
        return (round_.state.value, latest.id if latest is not None else None, bool(round_.result_pending))

    def get(self, round_: Round, max_age: float) -> dict[str, Any] | None | bool:
        entry = self._entries.get(round_.id)
        if entry is None or time.monotonic() - entry[0] > max_age or entry[1] != self._key(round_):
            return False
        return copy.copy(entry[2])

    def put(self, round_: Round, payload: dict[str, Any] | None, generation: int) -> None:
        if generation == self.generation:
            self._entries[round_.id] = (time.monotonic(), self._key(round_), payload)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()


tally_cache = TallyCache()


def tally_payload(round_: Round, *, fresh: bool = False) -> TallyPayload | None:
    """The round's result now: the live tally while open, the stored snapshot once closed.

    Computed at most once per coalescing interval and shared (see ``TallyCache``), unless
    ``fresh``. An open anonymous round gives ``sealed_payload`` instead (counts only,
    ``sealed: True``).
    """
    max_age = 1.0 / float(current_app.config.get("TAVLE_TALLY_HZ", 10))
    if not fresh:
        cached = tally_cache.get(round_, max_age)
        if cached is not False:
            return cached
    generation = tally_cache.generation
    payload = _compute_tally_payload(round_)
    tally_cache.put(round_, payload, generation)
    return copy.copy(payload)


def _compute_tally_payload(round_: Round) -> dict[str, Any] | None:
    kind = kind_of(round_)
    if not kind.votes:
        return None
    if sealed(round_):
        return sealed_payload(round_)
    if round_.result_pending:
        # Being counted by a job worker: nothing is counted here, and an earlier close's
        # snapshot is not shown as this one's.
        return {"round_id": round_.id, "pending": True, "live": False, "standings": [], "ballots": None}
    lang = round_.workshop.language
    if round_.state is RoundState.CLOSED and round_.latest_result is not None:
        titles = {i.id: i.title for i in kind.options(round_)}
        payload = result_payload(round_.latest_result.data, titles, live=False, lang=lang)
        payload["snapshots"] = len(round_.results)
    else:
        result = compute_result(round_, live=round_.is_open)
        titles = kind.option_titles(round_)
        payload = result_payload(result.to_dict(), titles, live=round_.is_open, lang=lang)
    payload["round_id"] = round_.id
    return payload


def tally_is_per_group(round_: Round) -> bool:
    """A round held in groups that is still open: its tally is cut per group for phones."""
    return bool((round_.settings or {}).get("per_group")) and round_.is_open


def tally_of_group(payload: dict[str, Any], group_id: int | None) -> dict[str, Any]:
    """``payload`` with only the standings of group ``group_id``'s ideas (a round held in groups)."""
    return {**payload, "standings": [s for s in payload["standings"] if group_id and (s.get("extra") or {}).get("group_id") == group_id]}


def submitted_count(round_: Round) -> int:
    """How many participants have put something in: ideas, votes or comments (counts only)."""
    return kind_of(round_).submitted_count(round_)


def participant_count(workshop: Workshop) -> int:
    return db.session.scalar(select(func.count(Participant.id)).where(Participant.workshop_id == workshop.id)) or 0


def voter_count(round_: Round) -> int:
    """How many participants have voted in ``round_``."""
    model = Voter if round_.settings.get("anonymous") else Ballot
    return db.session.scalar(select(func.count()).select_from(model).where(model.round_id == round_.id)) or 0


def workshop_payload(workshop: Workshop) -> WorkshopPayload:
    return {
        "code": workshop.code,
        "title": workshop.title,
        "language": workshop.language,
        "show_names": workshop.show_names,
        "date": workshop.date.isoformat() if workshop.date else None,
    }


def snapshot(workshop: Workshop, audience: str, participant: Participant | None = None) -> StatePayload:
    """Everything a client needs to draw its page from scratch, sent on every (re)connect
    (its shape: ``app.payloads.StatePayload`` and the round kind's ``state_fields``).

    Facilitators get every round, hidden ideas and the tally always; participants and the
    projector get the current round, its visible ideas, and the tally only when revealed.
    Participants also get their own ballot.
    """
    current = current_round(workshop)
    state: dict[str, Any] = {
        "workshop": workshop_payload(workshop),
        "round": round_payload(current) if current else None,
        "ideas": [],
        "options": [],
        "tally": None,
        "ballot": None,
        "participants": participant_count(workshop),
        "agenda": agenda.payload(workshop),
    }
    if current is not None:
        # What a round shows beyond its public facts belongs to its kind (``RoundKind``).
        kind = kind_of(current)
        if audience == FACILITATOR:
            state.update(kind.facilitator_payload(current))
        elif participant is not None:
            state.update(kind.participant_payload(current, participant))
        else:
            state.update(kind.display_payload(current))
        state["submitted"] = submitted_count(current) if audience == FACILITATOR else None
    if audience == FACILITATOR:
        state["rounds"] = [round_payload(r) for r in workshop.rounds]
        state["groups"] = roster.groups_payload(workshop)
        state["merges"] = curation.merges_of(workshop)
    if participant is not None:
        group = participant.group
        state["me"] = {
            "id": participant.id,
            "name": participant.name,
            "organisation": participant.organisation,
            "sector": participant.sector,
            "sector_label": sector_label(participant.sector, workshop.language),
            "group_id": group.id if group else None,
            "group": group.name if group else None,
            "table": group.table_label if group else None,
        }
        state["surveys"] = [
            {"id": sv.id, "title": sv.title, "responded": surveys.has_responded(sv, participant)}
            for sv in surveys.surveys_of(workshop) if sv.state is SurveyState.OPEN
        ]
    return state
