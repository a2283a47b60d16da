"""A backup document checked and restored as a new workshop (see ``app.services.backup``)."""
from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime, timezone
from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import N_, DomainError, lazy_decimal
from app.extensions import db
from app.models import (
    LANGUAGES,
    QUESTION_KINDS,
    SECTION_KINDS,
    AgendaItem,
    Ballot,
    Comment,
    Group,
    Idea,
    IdeaMerge,
    Participant,
    ReportSection,
    Round,
    RoundResult,
    RoundState,
    SecretBallot,
    Survey,
    SurveyQuestion,
    SurveyRespondent,
    SurveyResponse,
    SurveyState,
    User,
    Voter,
    Worksheet,
    WorksheetField,
    Workshop,
)
from app import payloads
from app.rounds import KINDS
from app.rounds.base import ballot_error
from app.sectors import SECTORS
from app.services import attribution
from app.services.backup.keys import (
    FORMAT,
    MISSING_ROW,
    VERSION,
    BadBackup,
    Ids,
    as_dict,
    as_list,
    map_settings,
    map_snapshot,
)
from app.voting import METHODS, BallotError

#: The most a restored workshop may hold (a full day of a large conference fits well within).
#: Counts are for the whole file (every round's ballots together, every survey's responses
#: together) and are checked by ``check_limits`` before a single row is built; the two
#: ``_chars`` limits are per round's settings and per stored result. docs/protocol.md lists them.
LIMITS = {
    "participants": 20_000, "groups": 500, "rounds": 500, "ideas": 20_000, "ballots": 50_000, "results": 1_000,
    "comments": 50_000, "worksheets": 200, "merges": 20_000, "agenda": 500, "surveys": 50, "questions": 200,
    "responses": 20_000, "organisers": 50, "report_sections": 1_000, "settings_chars": 200_000, "result_chars": 5_000_000,
}
#: The largest backup file read, in bytes (64 MiB); uploads may be a little larger (the form around it).
MAX_BYTES = 64 * 1024 * 1024

#: Where each counted limit's rows are in the document: top-level lists, then lists in each round or survey.
_COUNTED = {
    "participants": ((), "participants"), "groups": ((), "groups"), "rounds": ((), "rounds"), "ideas": ((), "ideas"),
    "merges": ((), "merges"), "agenda": ((), "agenda"), "surveys": ((), "surveys"), "report_sections": ((), "report_sections"),
    "ballots": (("rounds",), "ballots", "secret_ballots", "voters"), "results": (("rounds",), "results"),
    "comments": (("rounds",), "comments"), "worksheets": (("rounds",), "worksheets"),
    "questions": (("surveys",), "questions"), "responses": (("surveys",), "responses", "respondents"),
}
#: What each counted limit counts, as the refusal names it ("it has 50002 ballots, …").
_LABELS = {
    "participants": N_("participants"), "groups": N_("groups"), "rounds": N_("rounds"), "ideas": N_("ideas"),
    "ballots": N_("ballots (named, secret and voters counted together)"), "results": N_("stored results"),
    "comments": N_("comments"), "worksheets": N_("worksheets"), "merges": N_("merges"), "agenda": N_("agenda items"),
    "surveys": N_("surveys"), "questions": N_("survey questions"), "responses": N_("survey responses (with respondents)"),
    "report_sections": N_("report sections"),
}
#: "Missing (it must name …)", per kind of row a required reference names.
_MUST_NAME = {
    "idea": N_("missing (it must name an idea)."),
    "group": N_("missing (it must name a group)."),
    "round": N_("missing (it must name a round)."),
    "participant": N_("missing (it must name a participant)."),
    "question": N_("missing (it must name a question)."),
}
#: Round and survey states as a backup writes them.
_STATES = N_("expected draft, open or closed.")


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class _Check:
    """Small typed readers that name the place of a bad value in their error."""

    @staticmethod
    def text(obj: dict, key: str, where: str, max_len: int, *, required: bool = False, nullable: bool = False) -> str | None:
        value = obj.get(key)
        if value is None and (nullable or not required):
            return None if nullable else ""
        if not isinstance(value, str):
            raise BadBackup(_l("expected text."), path=f"{where}.{key}")
        if required and not value.strip():
            raise BadBackup(_l("must not be empty."), path=f"{where}.{key}")
        if len(value) > max_len:
            raise BadBackup(_l("at most %(max)s characters (it has %(count)s).", max=max_len, count=len(value)),
                            path=f"{where}.{key}")
        if "\x00" in value:
            raise BadBackup(_l("contains a NUL character."), path=f"{where}.{key}")
        return value

    @staticmethod
    def boolean(obj: dict, key: str, where: str, default: bool = False) -> bool:
        value = obj.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise BadBackup(_l("expected true or false."), path=f"{where}.{key}")
        return value

    @staticmethod
    def integer(obj: dict, key: str, where: str, lo: int, hi: int, *, nullable: bool = False, default: int | None = None) -> int | None:
        value = obj.get(key, default)
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise BadBackup(_l("expected a whole number from %(lo)s to %(hi)s.", lo=lo, hi=hi), path=f"{where}.{key}")
        return value

    @staticmethod
    def number(obj: dict, key: str, where: str) -> float | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise BadBackup(_l("expected a number."), path=f"{where}.{key}")
        return value

    @staticmethod
    def when(obj: dict, key: str, where: str) -> datetime | None:
        value = obj.get(key)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise BadBackup(_l("expected a date and time (ISO 8601)."), path=f"{where}.{key}")
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)

    @staticmethod
    def items(doc: dict, key: str, where: str, limit: int) -> list[dict]:
        value = doc.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            raise BadBackup(_l("expected a list."), path=f"{where}{key}")
        if len(value) > limit:
            raise BadBackup(_l("at most %(max)s entries (the file has %(count)s).", max=limit, count=len(value)),
                            code="backup_too_large", path=f"{where}{key}", count=len(value), limit=limit)
        for n, item in enumerate(value):
            if not isinstance(item, dict):
                raise BadBackup(_l("expected an object."), path=f"{where}{key}[{n}]")
        return value

    @staticmethod
    def keys(rows: list[dict], prefix: str, where: str) -> list[str]:
        out, seen = [], set()
        for n, row in enumerate(rows):
            key = row.get("key")
            if not isinstance(key, str) or not re.fullmatch(prefix + r"\d{1,9}", key) or key in seen:
                raise BadBackup(_l("expected a unique key like “%(example)s”.", example=f"{prefix}1"), path=f"{where}[{n}].key")
            seen.add(key)
            out.append(key)
        return out

    @staticmethod
    def json_size(value: Any, where: str, limit: int) -> None:
        try:
            size = len(json.dumps(value))
        except (TypeError, ValueError):
            raise BadBackup(_l("holds values that are not plain JSON."), path=where) from None
        if size > limit:
            raise BadBackup(_l("too large (%(count)s characters, at most %(max)s).", count=size, max=limit),
                            code="backup_too_large", path=where, count=size, limit=limit)


def parse(raw: bytes | str) -> dict[str, Any]:
    """A backup file's bytes as a document; refuses what is not a Tavle backup, or is past ``LIMITS``."""
    if len(raw) > MAX_BYTES:
        raise BadBackup(_l("The file is too large: %(size)s MB, and Tavle imports backups of at most %(max)s MB.",
                           size=lazy_decimal(len(raw) / 2**20), max=MAX_BYTES // 2**20),
                        code="backup_too_large", count=len(raw), limit=MAX_BYTES)
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadBackup(_l("The file is not text in UTF-8: choose the .json file Tavle exported."),
                            code="backup_not_json") from None
    if not raw.strip():
        raise BadBackup(_l("The file is empty."), code="backup_not_json")
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadBackup(_l("The file is not valid JSON (%(reason)s).", reason=str(exc)), code="backup_not_json") from None
    doc = check_header(doc)
    check_limits(doc)
    return doc


def check_header(doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BadBackup(_l("This is not a Tavle workshop backup: choose the .json file from a workshop's downloads."),
                        code="backup_not_tavle")
    version = doc.get("version")
    if version != VERSION:
        raise BadBackup(_l("This backup has version %(version)s; this Tavle reads version %(supported)s.",
                           version=repr(version), supported=VERSION), code="backup_version")
    if not isinstance(doc.get("workshop"), dict):
        raise BadBackup(_l("expected an object with the workshop's title, date and language."), path="workshop")
    return doc


def count_rows(doc: dict[str, Any]) -> dict[str, int]:
    """How many rows of each counted kind (``LIMITS``) the document holds, in the whole file.

    Only lists are counted; a value of the wrong type is refused later, where it is read.
    """
    def length(value: Any) -> int:
        return len(value) if isinstance(value, list) else 0

    counts = {}
    for name, (parents, *keys) in _COUNTED.items():
        if not parents:
            counts[name] = length(doc.get(keys[0]))
            continue
        rows = doc.get(parents[0])
        counts[name] = sum(length(row.get(k)) for row in (rows if isinstance(rows, list) else []) if isinstance(row, dict)
                           for k in keys)
    return counts


def check_limits(doc: dict[str, Any]) -> None:
    """Refuse a document past any count in ``LIMITS`` before anything is built from it.

    Raises:
        BadBackup ``backup_too_large``: the first limit passed, with the file's count and the limit.
    """
    for name, count in count_rows(doc).items():
        if count > LIMITS[name]:
            raise BadBackup(_l("This backup is larger than Tavle imports: it has %(count)s %(things)s, at most %(max)s.",
                               count=count, things=_l(_LABELS[name]), max=LIMITS[name]),
                            code="backup_too_large", what=name, count=count, limit=LIMITS[name])


def restore(doc: Any, owner: User | None) -> Workshop:
    """Create a new workshop from a backup document (``parse`` or ``dump`` output), owned by ``owner``.

    Raises:
        DomainError: the document is not a Tavle backup, has another version, holds more rows
            than ``LIMITS`` allows (``backup_too_large``, checked before any row is built), or
            holds a bad value (the message names the place, such as ``participants[3].sector``).
    """
    from app.services import workshops
    from app.services.rounds import compute_result

    doc = check_header(doc)
    check_limits(doc)
    c = _Check
    w = doc["workshop"]
    title = c.text(w, "title", "workshop", workshops.TITLE_MAX, required=True)
    language = w.get("language")
    if language not in LANGUAGES:
        raise BadBackup(_l("expected “nb”, “nn” or “en”."), path="workshop.language")
    day = None
    if w.get("date") is not None:
        try:
            day = date.fromisoformat(w["date"]) if isinstance(w["date"], str) else None
        except ValueError:
            day = None
        if day is None:
            raise BadBackup(_l("expected a date such as 2019-01-31."), path="workshop.date")
    organisers = as_list(w.get("organisers"), "workshop.organisers")
    if len(organisers) > LIMITS["organisers"] or not payloads.valid(payloads.Organisers, organisers):
        raise BadBackup(_l("at most %(count)s names of at most %(max)s characters.", count=LIMITS["organisers"],
                           max=payloads.ORGANISER_MAX), path="workshop.organisers")
    workshop = Workshop(
        code=workshops.new_code(), title=title, date=day, language=language,
        description=c.text(w, "description", "workshop", workshops.DESCRIPTION_MAX),
        show_names=c.boolean(w, "show_names", "workshop", True), allow_anonymous=c.boolean(w, "allow_anonymous", "workshop"),
        join_open=c.boolean(w, "join_open", "workshop", True), owner_id=owner.id if owner else None,
        organisers=list(organisers),
        # Backups written before these settings existed get the defaults.
        attribution_min=c.integer(w, "attribution_min", "workshop", attribution.MIN_MIN, attribution.MAX_MIN,
                                  default=attribution.DEFAULT_MIN),
        is_demo=c.boolean(w, "is_demo", "workshop", False),
    )
    if w.get("created_at") is not None:
        workshop.created_at = c.when(w, "created_at", "workshop")
    db.session.add(workshop)
    db.session.flush()

    # Groups and participants.
    group_rows = c.items(doc, "groups", "", LIMITS["groups"])
    groups: dict[str, Group] = {}
    for key, row in zip(c.keys(group_rows, "g", "groups"), group_rows):
        where = f"groups[{key}]"
        groups[key] = Group(workshop=workshop, name=c.text(row, "name", where, 80, required=True),
                            table_label=c.text(row, "table_label", where, 40),
                            position=c.integer(row, "position", where, 0, 10**6, default=0))
        db.session.add(groups[key])
    db.session.flush()
    group_ref = lambda value, where: _ref(groups, value, where, "group")  # noqa: E731

    people_rows = c.items(doc, "participants", "", LIMITS["participants"])
    people: dict[str, Participant] = {}
    for key, row in zip(c.keys(people_rows, "p", "participants"), people_rows):
        where = f"participants[{key}]"
        sector = row.get("sector")
        if sector is not None and sector not in SECTORS:
            raise BadBackup(_l("unknown sector “%(value)s”.", value=sector), path=f"{where}.sector")
        group = group_ref(row.get("group"), f"{where}.group")
        p = Participant(workshop=workshop, name=c.text(row, "name", where, 80, nullable=True),
                        organisation=c.text(row, "organisation", where, 120, nullable=True), sector=sector,
                        email=c.text(row, "email", where, 254, nullable=True), group_id=group.id if group else None,
                        from_roster=c.boolean(row, "from_roster", where), joined_at=c.when(row, "joined_at", where))
        if row.get("created_at") is not None:
            p.created_at = c.when(row, "created_at", where)
        people[key] = p
        db.session.add(p)
    db.session.flush()
    person_ref = lambda value, where: _ref(people, value, where, "participant")  # noqa: E731

    # Rounds (settings come after every round has an id: they refer to each other).
    round_rows = c.items(doc, "rounds", "", LIMITS["rounds"])
    rounds: dict[str, Round] = {}
    for key, row in zip(c.keys(round_rows, "r", "rounds"), round_rows):
        where = f"rounds[{key}]"
        kind = row.get("kind")
        if kind not in KINDS:
            raise BadBackup(_l("unknown kind of round “%(value)s”.", value=kind), path=f"{where}.kind")
        state = row.get("state")
        if state not in {s.value for s in RoundState}:
            raise BadBackup(_l(_STATES), path=f"{where}.state")
        r = Round(workshop=workshop, kind=kind, title=c.text(row, "title", where, 200, required=True), settings={},
                  position=c.integer(row, "position", where, 0, 10**6, default=0), state=RoundState(state),
                  results_revealed=c.boolean(row, "results_revealed", where, True),
                  opened_at=c.when(row, "opened_at", where), closed_at=c.when(row, "closed_at", where),
                  timer_ends_at=c.when(row, "timer_ends_at", where), timer_remaining=c.number(row, "timer_remaining", where),
                  timer_auto_close=c.boolean(row, "timer_auto_close", where))
        if row.get("created_at") is not None:
            r.created_at = c.when(row, "created_at", where)
        rounds[key] = r
        db.session.add(r)
    if sum(r.state is RoundState.OPEN for r in rounds.values()) > 1:
        raise BadBackup(_l("at most one round can be open."), path="rounds")
    db.session.flush()

    # Ideas, in the order they came in (their new ids keep that order).
    idea_rows = c.items(doc, "ideas", "", LIMITS["ideas"])
    ideas: dict[str, Idea] = {}
    for key, row in zip(c.keys(idea_rows, "i", "ideas"), idea_rows):
        where = f"ideas[{key}]"
        round_ = _ref(rounds, row.get("round"), f"{where}.round", "round", required=True)
        author = person_ref(row.get("participant"), f"{where}.participant")
        group = group_ref(row.get("group"), f"{where}.group")
        idea = Idea(round=round_, participant_id=author.id if author else None,
                    title=c.text(row, "title", where, Idea.TITLE_MAX, required=True),
                    details=c.text(row, "details", where, Idea.DETAILS_MAX), hidden=c.boolean(row, "hidden", where),
                    group_id=group.id if group else None, theme=c.text(row, "theme", where, 60, nullable=True),
                    updated_at=c.when(row, "updated_at", where))
        if row.get("created_at") is not None:
            idea.created_at = c.when(row, "created_at", where)
        ideas[key] = idea
        db.session.add(idea)
    db.session.flush()  # one flush: rows of a kind are inserted in the order they were added
    for key, row in zip(ideas, idea_rows):
        target = _ref(ideas, row.get("merged_into"), f"ideas[{key}].merged_into", "idea")
        if target is not None:
            if target is ideas[key]:
                raise BadBackup(_l("an idea cannot be merged into itself."), path=f"ideas[{key}].merged_into")
            ideas[key].merged_into_id = target.id

    ids = Ids({k: v.id for k, v in ideas.items()}, {k: v.id for k, v in groups.items()},
               {k: v.id for k, v in rounds.items()}, strict=True)

    for key, row in zip(rounds, round_rows):
        _restore_round(rounds[key], row, f"rounds[{key}]", ids, people, groups, ideas)
    db.session.flush()

    for n, row in enumerate(c.items(doc, "merges", "", LIMITS["merges"])):
        where = f"merges[{n}]"
        target = _ref(ideas, row.get("target"), f"{where}.target", "idea", required=True)
        source = _ref(ideas, row.get("source"), f"{where}.source", "idea", required=True)
        m = IdeaMerge(target_id=target.id, source_id=source.id, undone_at=c.when(row, "undone_at", where))
        if row.get("created_at") is not None:
            m.created_at = c.when(row, "created_at", where)
        db.session.add(m)

    agenda_items: list[AgendaItem] = []
    for n, row in enumerate(c.items(doc, "agenda", "", LIMITS["agenda"])):
        where = f"agenda[{n}]"
        start = c.text(row, "start", where, 5)
        if start and not _TIME.match(start):
            raise BadBackup(_l("expected a time as HH:MM."), path=f"{where}.start")
        linked = _ref(rounds, row.get("round"), f"{where}.round", "round")
        item = AgendaItem(workshop_id=workshop.id, position=c.integer(row, "position", where, 0, 10**6, default=0),
                          start=start, duration_min=c.integer(row, "duration", where, 0, 1440, nullable=True),
                          title=c.text(row, "title", where, 300, required=True), who=c.text(row, "who", where, 200),
                          round_id=linked.id if linked else None, is_now=c.boolean(row, "now", where))
        agenda_items.append(item)
        db.session.add(item)

    survey_rows = c.items(doc, "surveys", "", LIMITS["surveys"])
    c.keys(survey_rows, "s", "surveys")
    restored_surveys = {}
    for row in survey_rows:
        restored_surveys[row["key"]] = _restore_survey(workshop, row, f"surveys[{row['key']}]", people)
    db.session.flush()
    _restore_report(workshop, doc, w, rounds, restored_surveys, agenda_items)

    # Every voting round's ballots must still count: a hand-edited ballot would break a recount.
    for key, r in rounds.items():
        if KINDS[r.kind].votes and r.state is not RoundState.DRAFT:
            try:
                compute_result(r)
            except DomainError:
                raise
            except Exception as exc:  # BallotError, or a ballot of the wrong shape
                reason = ballot_error(exc).lazy_message if isinstance(exc, BallotError) else str(exc)
                raise BadBackup(_l("its ballots cannot be counted (%(reason)s).", reason=reason), path=f"rounds[{key}]") from None
    return workshop


def _ref(rows: dict[str, Any], value: Any, where: str, what: str, *, required: bool = False) -> Any:
    if value is None:
        if required:
            raise BadBackup(_l(_MUST_NAME[what]), path=where)
        return None
    found = rows.get(value) if isinstance(value, str) else None
    if found is None:
        raise BadBackup(_l(MISSING_ROW[what], value=value), path=where)
    return found


def _restore_round(r: Round, row: dict, where: str, ids: Ids, people: dict, groups: dict, ideas: dict) -> None:
    c = _Check
    kind = KINDS[r.kind]
    c.json_size(row.get("settings"), f"{where}.settings", LIMITS["settings_chars"])
    settings = map_settings(row.get("settings"), ids, f"{where}.settings")
    if settings.get("source_round_id") == r.id:
        raise BadBackup(_l("a round cannot work over itself."), path=f"{where}.settings.source_round_id")
    kind.load_settings(r, settings, ids, where)
    r.settings = settings

    named = c.items(row, "ballots", f"{where}.", LIMITS["ballots"])
    seen = set()
    for n, b in enumerate(named):
        bw = f"{where}.ballots[{n}]"
        person = _ref(people, b.get("participant"), f"{bw}.participant", "participant", required=True)
        if person.id in seen:
            raise BadBackup(_l("a participant has one ballot in a round."), path=f"{bw}.participant")
        seen.add(person.id)
        ballot = Ballot(round_id=r.id, participant_id=person.id, content=kind.load_ballot(b.get("content"), ids, bw))
        if b.get("updated_at") is not None:
            ballot.updated_at = c.when(b, "updated_at", bw)
        db.session.add(ballot)
    voters = as_list(row.get("voters"), f"{where}.voters")
    if len(voters) > LIMITS["ballots"] or len(set(map(str, voters))) != len(voters):
        raise BadBackup(_l("at most %(max)s participants, each once.", max=LIMITS["ballots"]), path=f"{where}.voters")
    for value in voters:
        person = _ref(people, value, f"{where}.voters", "participant", required=True)
        db.session.add(Voter(round_id=r.id, participant_id=person.id))
    for n, b in enumerate(c.items(row, "secret_ballots", f"{where}.", LIMITS["ballots"])):
        bw = f"{where}.secret_ballots[{n}]"
        sector = b.get("sector")
        if sector is not None and sector not in SECTORS:
            raise BadBackup(_l("unknown sector “%(value)s”.", value=sector), path=f"{bw}.sector")
        db.session.add(SecretBallot(id=uuid.uuid4().hex, round_id=r.id, sector=sector,
                                    content=kind.load_ballot(b.get("content"), ids, bw)))
    for n, res in enumerate(c.items(row, "results", f"{where}.", LIMITS["results"])):
        rw = f"{where}.results[{n}]"
        c.json_size(res.get("data"), f"{rw}.data", LIMITS["result_chars"])
        data = as_dict(res.get("data"), f"{rw}.data")
        if data.get("method") not in METHODS or res.get("method") != data.get("method"):
            raise BadBackup(_l("unknown counting method “%(value)s”.", value=res.get("method")), path=f"{rw}.method")
        as_list(data.get("standings"), f"{rw}.data.standings")
        if not payloads.valid(list[payloads.StoredStanding], data["standings"]):
            raise BadBackup(_l("each standing needs an option, a rank, a score and tied."), path=f"{rw}.data.standings")
        c.integer(data, "ballots", f"{rw}.data", 0, 10**9)
        snapshot = RoundResult(round=r, method=data["method"], ballots=c.integer(res, "ballots", rw, 0, 10**9),
                               data=map_snapshot(data, ids, f"{rw}.data"))
        if res.get("created_at") is not None:
            snapshot.created_at = c.when(res, "created_at", rw)
        db.session.add(snapshot)
    items = len(kind.commented_items(r))
    for n, cm in enumerate(c.items(row, "comments", f"{where}.", LIMITS["comments"])):
        cw = f"{where}.comments[{n}]"
        author = _ref(people, cm.get("participant"), f"{cw}.participant", "participant")
        group = _ref(groups, cm.get("group"), f"{cw}.group", "group")
        comment = Comment(round_id=r.id, item_index=c.integer(cm, "item", cw, 0, max(items - 1, 0)),
                          participant_id=author.id if author else None, group_id=group.id if group else None,
                          text=c.text(cm, "text", cw, Comment.TEXT_MAX, required=True),
                          starred=c.boolean(cm, "starred", cw), hidden=c.boolean(cm, "hidden", cw))
        if cm.get("created_at") is not None:
            comment.created_at = c.when(cm, "created_at", cw)
        db.session.add(comment)
    sheet_ideas = set()
    for n, ws in enumerate(c.items(row, "worksheets", f"{where}.", LIMITS["worksheets"])):
        sw = f"{where}.worksheets[{n}]"
        idea = _ref(ideas, ws.get("idea"), f"{sw}.idea", "idea", required=True)
        if idea.id in sheet_ideas:
            raise BadBackup(_l("one worksheet per idea."), path=f"{sw}.idea")
        sheet_ideas.add(idea.id)
        group = _ref(groups, ws.get("group"), f"{sw}.group", "group")
        sheet = Worksheet(round_id=r.id, idea_id=idea.id, group_id=group.id if group else None,
                          position=c.integer(ws, "position", sw, 0, 10**6, default=0))
        keys = set()
        for m, f in enumerate(c.items(ws, "fields", f"{sw}.", 20)):
            fw = f"{sw}.fields[{m}]"
            key = c.text(f, "key", fw, 40, required=True)
            if key in keys:
                raise BadBackup(_l("each field once."), path=f"{fw}.key")
            keys.add(key)
            sheet.fields.append(WorksheetField(key=key, text=c.text(f, "text", fw, WorksheetField.TEXT_MAX),
                                               version=c.integer(f, "version", fw, 0, 10**9, default=0),
                                               updated_by=c.text(f, "updated_by", fw, 120),
                                               updated_at=c.when(f, "updated_at", fw)))
        db.session.add(sheet)


def _restore_report(workshop: Workshop, doc: dict, w: dict, rounds: dict, surveys: dict, agenda_items: list) -> None:
    """The report's options and sections (``report_outline``), checked as the Report page checks them."""
    from app.services import report_outline

    c = _Check
    options = as_dict(w.get("report_options"), "workshop.report_options")
    if set(options) - {"final_round", "recommended"}:
        raise BadBackup(_l("expected final_round and recommended only."), path="workshop.report_options")
    final = _ref(rounds, options.get("final_round"), "workshop.report_options.final_round", "round")
    workshop.report_options = {k: v for k, v in (
        ("final_round", final.id if final else None),
        ("recommended", c.integer(options, "recommended", "workshop.report_options", 1, 10_000, nullable=True))) if v is not None}
    for n, row in enumerate(c.items(doc, "report_sections", "", LIMITS["report_sections"])):
        where = f"report_sections[{n}]"
        kind = row.get("kind")
        if kind not in SECTION_KINDS:
            raise BadBackup(_l("unknown kind of report section “%(value)s”.", value=str(kind)[:40]), path=f"{where}.kind")
        round_ = _ref(rounds, row.get("round"), f"{where}.round", "round")
        survey = _ref(surveys, row.get("survey"), f"{where}.survey", "survey")
        item_index = c.integer(row, "agenda_item", where, 0, max(len(agenda_items) - 1, 0), nullable=True)
        if item_index is not None and not agenda_items:
            raise BadBackup(_l("there is no agenda item %(value)s in the file.", value=item_index), path=f"{where}.agenda_item")
        section = ReportSection(
            workshop_id=workshop.id, position=c.integer(row, "position", where, 0, 10**6, default=0), kind=kind,
            title=c.text(row, "title", where, ReportSection.TITLE_MAX), level=c.integer(row, "level", where, 1, 2, default=1),
            included=c.boolean(row, "included", where, True), body=c.text(row, "body", where, ReportSection.BODY_MAX),
            round_id=round_.id if round_ else None, survey_id=survey.id if survey else None,
            agenda_item_id=agenda_items[item_index].id if item_index is not None else None,
            version=c.integer(row, "version", where, 0, 10**9, default=0), updated_by=c.text(row, "updated_by", where, 120),
            updated_at=c.when(row, "updated_at", where), data={})
        data = as_dict(row.get("data"), f"{where}.data")
        role = data.get("role")
        if role is not None and (kind != "text" or role != report_outline.TALKS_ROLE):
            raise BadBackup(_l("unknown role “%(value)s”.", value=str(role)[:40]), path=f"{where}.data.role")
        items = list(KINDS[round_.kind].commented_items(round_)) if round_ is not None and kind == "round" else []
        try:
            section.data = report_outline.clean_data(kind, data, items, role)
        except DomainError as exc:
            raise BadBackup(exc.lazy_message, path=f"{where}.data") from None
        db.session.add(section)


def _restore_survey(workshop: Workshop, row: dict, where: str, people: dict) -> Survey:
    c = _Check
    state = row.get("state")
    if state not in {s.value for s in SurveyState}:
        raise BadBackup(_l(_STATES), path=f"{where}.state")
    survey = Survey(workshop_id=workshop.id, title=c.text(row, "title", where, 200, required=True),
                    intro=c.text(row, "intro", where, 5000), anonymous=c.boolean(row, "anonymous", where, True),
                    state=SurveyState(state))
    db.session.add(survey)
    q_rows = c.items(row, "questions", f"{where}.", LIMITS["questions"])
    questions: dict[str, SurveyQuestion] = {}
    for key, q in zip(c.keys(q_rows, "q", f"{where}.questions"), q_rows):
        qw = f"{where}.questions[{key}]"
        if q.get("kind") not in QUESTION_KINDS:
            raise BadBackup(_l("expected scale, single, multi or text."), path=f"{qw}.kind")
        choices = as_list(q.get("choices"), f"{qw}.choices")
        if not payloads.valid(payloads.Choices, choices):
            raise BadBackup(_l("at most %(count)s choices of at most %(max)s characters.", count=SurveyQuestion.CHOICES_MAX,
                               max=SurveyQuestion.CHOICE_MAX), path=f"{qw}.choices")
        question = SurveyQuestion(position=c.integer(q, "position", qw, 0, 10**6, default=0), kind=q["kind"],
                                  text=c.text(q, "text", qw, SurveyQuestion.TEXT_MAX, required=True), choices=list(choices),
                                  scale_min=c.integer(q, "scale_min", qw, 0, 10, default=1),
                                  scale_max=c.integer(q, "scale_max", qw, 0, 10, default=5),
                                  required=c.boolean(q, "required", qw))
        survey.questions.append(question)
        questions[key] = question
    db.session.flush()
    respondents = as_list(row.get("respondents"), f"{where}.respondents")
    if len(respondents) > LIMITS["responses"] or len(set(map(str, respondents))) != len(respondents):
        raise BadBackup(_l("each participant once."), path=f"{where}.respondents")
    for value in respondents:
        person = _ref(people, value, f"{where}.respondents", "participant", required=True)
        db.session.add(SurveyRespondent(survey_id=survey.id, participant_id=person.id))
    for n, resp in enumerate(c.items(row, "responses", f"{where}.", LIMITS["responses"])):
        rw = f"{where}.responses[{n}]"
        person = _ref(people, resp.get("participant"), f"{rw}.participant", "participant")
        answers = {}
        for qkey, value in as_dict(resp.get("answers"), f"{rw}.answers").items():
            question = _ref(questions, qkey, f"{rw}.answers", "question")
            if not payloads.valid(payloads.ANSWERS[question.kind], value):
                raise BadBackup(_l("not an answer to a %(kind)s question.", kind=question.kind), path=f"{rw}.answers.{qkey}")
            answers[str(question.id)] = value
        db.session.add(SurveyResponse(id=uuid.uuid4().hex, survey_id=survey.id,
                                      participant_id=person.id if person else None, answers=answers))
    return survey
