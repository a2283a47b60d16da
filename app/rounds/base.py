"""What every round kind provides: settings, the ideas it runs over, ballots, and a tally."""
from __future__ import annotations

from typing import Any, Callable, ClassVar, Mapping, NamedTuple

from typing_extensions import NotRequired, TypedDict

from flask_babel import lazy_gettext as _l, lazy_ngettext
from pydantic import ConfigDict, with_config

from sqlalchemy import and_, bindparam, func, select
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from app.errors import Conflict, DomainError
from app.extensions import db
from app.models import Idea, Round, RoundResult, RoundState
from app.numbers import MAX_ID, parse_whole, record_id, whole_number
from app.payloads import Count
from app.rounds.form import Setting, SettingsBlock
from app.statements import Prepared
from app.voting import METHODS, BallotError, Result

TIE_BREAKS = ("none", "prior_round", "facilitator")


def _source_choices(workshop) -> list[SelectChoice]:
    return [SelectChoice(0, "—")] + [
        SelectChoice(r.id, f"{r.title} ({str(KINDS_REF[r.kind].label).lower()})") for r in workshop.rounds
    ]


#: The earlier round worked over, and how many of its ideas (every voting kind, worksheets).
SOURCE_SETTINGS = SettingsBlock((
    Setting("source_round_id", SelectField(_l("Works over"), coerce=int, validate_choice=False, default=0),
            hint=_l("A brainstorm gives its visible ideas; a closed voting round gives its ranked ideas."),
            choices=_source_choices, read=lambda data: data or None),
    Setting("top_k", IntegerField(_l("Carry over the top K ideas"), validators=[Optional(), NumberRange(1, 200)]),
            hint=_l("How many of the best ideas to take. Blank: all (a ranking takes the top 8, worksheets the top 3). "
                    "Ideas tied at the last place all come in.")),
), position=10)

#: A round held in groups (brainstorms and every voting kind).
PER_GROUP_SETTINGS = SettingsBlock((
    Setting("per_group", BooleanField(_l("Held in groups: each group works on its own ideas"))),
), position=80)

#: The settings every voting kind shares (see ``VotingKind``).
VOTING_SETTINGS = SettingsBlock((
    Setting("group_top_n", IntegerField(_l("Ideas each group sends on to the plenary"),
                                        validators=[Optional(), NumberRange(1, 50)]),
            placeholder="3", hint=_l("How many of each group's ideas go on to the plenary."), when_checked="per_group"),
    Setting("tie_break", SelectField(_l("Ties"), choices=[
        SelectChoice("none", _l("Leave tied (shown as 2=)")),
        SelectChoice("prior_round", _l("Break by the earlier round's result")),
        SelectChoice("facilitator", _l("I decide after closing")),
    ], default="none")),
    Setting("anonymous", BooleanField(_l("Anonymous: ballots are stored without names and cannot be changed once sent"))),
    Setting("hide_results", BooleanField(_l("Keep results hidden until I reveal them"))),
    Setting("min_cell", IntegerField(_l("Smallest sector shown in breakdowns"), default=3,
                                     validators=[Optional(), NumberRange(1, 50)])),
), position=90)


@with_config(ConfigDict(extra="forbid"))
class ComparisonPlace(TypedDict):
    """One idea's place when the same ballots are counted by another method (``comparison``)."""

    option: int
    rank: int
    #: The place is shared (shown as 6=).
    tied: bool


@with_config(ConfigDict(extra="forbid"))
class VotingStateFields(TypedDict):
    """What a voting kind adds to a state (``app.payloads.StatePayload``)."""

    voters: NotRequired[Count]
    #: A phone's: whether this participant has voted.
    voted: NotRequired[bool]
    #: The console's: the result per sector, and the other rank methods' rankings.
    breakdown: NotRequired[dict[str, Any] | None]
    comparison: NotRequired[dict[str, list[ComparisonPlace]] | None]


class RoundKind:
    """One kind of round. Subclasses are registered by name in ``app.rounds.KINDS``."""

    name: ClassVar[str]
    #: What the kind is called on the console (a lazy message: the reader's language).
    label: ClassVar[Any]
    #: Participants submit ideas in this kind of round.
    collects_ideas: ClassVar[bool] = False
    #: Participants cast ballots over ideas in this kind of round.
    votes: ClassVar[bool] = False
    #: A closed vote of this kind can give the workshop's final ranked list (a word cloud cannot).
    final_list: ClassVar[bool] = True
    #: The Socket.IO event that changes one part of a ballot (None: whole ballots only).
    action: ClassVar[str | None] = None
    #: The keys this kind adds to a state, as a ``TypedDict`` (None: none beyond the common
    #: ones of ``app.payloads.StatePayload``); the tests validate real states against it.
    state_fields: ClassVar[type | None] = None

    def default_settings(self) -> dict[str, Any]:
        """Settings a new round of this kind starts with."""
        return {}

    def clean_settings(self, round_: Round, settings: Mapping[str, Any]) -> dict[str, Any]:
        """Validated settings for ``round_``; raises ``DomainError`` naming what is wrong."""
        return {}

    def options(self, round_: Round) -> list[Idea]:
        """The ideas this round runs over, in the order participants first see them."""
        return []

    def check_can_open(self, round_: Round) -> None:
        """Raise a ``DomainError`` if the round cannot be opened yet."""

    def method(self, round_: Round) -> str | None:
        """The ``app.voting`` method that counts this round (None: no count)."""
        return None

    # --- live: settings form, what each audience sees, what happens as the round runs ------
    #: Participants comment on the round's fixed items (``submit_comment``).
    collects_comments: ClassVar[bool] = False
    #: Groups work the round's ideas out on worksheets (the worksheets page, ``edit_worksheet``).
    has_worksheets: ClassVar[bool] = False
    #: The blocks of the console's round form that hold this kind's settings.
    settings_form: ClassVar[tuple[SettingsBlock, ...]] = ()

    def facilitator_payload(self, round_: Round) -> dict[str, Any]:
        """What the console's state holds of the current round beyond its public facts
        (``state.snapshot``): keys added to, or replacing, the state's defaults."""
        return {}

    def display_payload(self, round_: Round) -> dict[str, Any]:
        """What the projector's state holds of the current round (as ``facilitator_payload``)."""
        return {}

    def participant_payload(self, round_: Round, participant) -> dict[str, Any]:
        """What ``participant``'s phone state holds of the current round (as ``facilitator_payload``)."""
        return {}

    def submitted_count(self, round_: Round) -> int:
        """How many participants have put something into the round (counts only)."""
        return 0

    def ideas_by_group(self, round_: Round) -> bool:
        """Whether each group's phones see only their own group's ideas of this round."""
        return bool((round_.settings or {}).get("per_group"))

    def on_open(self, round_: Round) -> None:
        """Called as the round opens (after ``check_can_open``), in the same transaction."""

    def on_idea_hidden(self, round_: Round, idea: Idea) -> None:
        """Called when the facilitator hides ``idea`` of this round or shows it again, in the same transaction."""

    def result_extras(self, round_: Round, result: Result) -> dict[str, Any]:
        """Entries stored beside ``result`` in the round's result snapshot."""
        return {}

    # --- reports and backups ----------------------------------------------------------------
    #: The kind's name in the files a workshop exports (a lazy message, rendered in the file's
    #: language; None: its ``label``).
    report_name: ClassVar[Any] = None
    #: The text put before a ballot row's note in the workbook (a lazy message; None: the note alone).
    sheet_note_label: ClassVar[Any] = None

    def commented_items(self, round_: Round) -> list[str]:
        """The fixed items participants comment on in this round (none but in comment rounds)."""
        return []

    def report_section(self, round_: Round) -> dict[str, Any]:
        """What this kind adds to its round in the report (``reporting.round_report``), as plain data.

        The export writers render a round by the parts it holds (``result``, ``items``,
        ``sheets``, ``ideas``; see ``app.exports.document``), never by its kind's name.
        """
        return {}

    def sheet_rows(self, content: Any, idea: Callable[[Any], tuple[int | None, str]]) -> list[dict[str, Any]]:
        """One stored ballot as workbook rows ``{idea_no, idea, value, note}``, in the order shown.

        ``idea`` gives a stored idea reference's number in the workshop and its title. The
        default is the shape most ballots have, a map from idea to a value (a pair of values
        is written ``a / b``), one row per idea in the order of the ideas' numbers.
        """
        rows: list[dict[str, Any]] = []
        if isinstance(content, dict):
            for raw, value in content.items():
                no, title = idea(raw)
                if isinstance(value, (list, tuple)):
                    value = " / ".join(str(v) for v in value)
                rows.append({"idea_no": no, "idea": title, "value": value, "note": ""})
        return by_idea(rows)

    def map_ballot(self, content: Any, ids: Any, where: str) -> Any:
        """A stored ballot with every idea it names translated by ``ids``.

        ``ids`` is the translator of ``app.services.backup.keys``: database ids to backup keys
        when a backup is written, keys to the new ids when one is restored (``idea``,
        ``ideas``, ``keyed``, ``as_dict``, ``as_list``; each names ``where`` in its refusals). The
        default is the shape most ballots have: a map from idea to a number.
        """
        return ids.keyed(content, where)

    def dump_ballot(self, content: Any, ids: Any, where: str) -> Any:
        """A stored ballot as a backup holds it (its ideas named by their keys)."""
        return self.map_ballot(content, ids, where)

    def ballot_shape_ok(self, content: Any) -> bool:
        """Whether a ballot read from a backup has the shape of this kind's (a recount checks it counts)."""
        return isinstance(content, dict) and all(is_whole(v) and v >= 0 for v in content.values())

    def load_ballot(self, content: Any, ids: Any, where: str) -> Any:
        """A ballot read from a backup at ``where`` as stored again; refuses one of the wrong shape."""
        if not self.ballot_shape_ok(content):
            raise ids.error(_l("%(where)s.content: not a ballot of a %(kind)s round.", where=where,
                               kind=self.name.replace("_", " ")))
        return self.map_ballot(content, ids, where)

    def load_settings(self, round_: Round, settings: dict[str, Any], ids: Any, where: str) -> None:
        """Refuse settings read from a backup (references already translated) this kind would not accept."""
        try:
            self.clean_settings(round_, settings)
        except DomainError as exc:
            raise ids.error(_l("%(where)s.settings: %(problem)s", where=where, problem=exc)) from None


#: The source round with its active ideas, in one read: a round of ideas gives one row per idea,
#: any other round one row without an idea.
_SOURCE_IDEAS = Prepared(
    select(Round.id, Round.kind, Round.workshop_id, Idea.id.label("idea_id"), Idea.group_id, Idea.title)
    .select_from(Round)
    .outerjoin(Idea, and_(Idea.round_id == Round.id, Idea.hidden.is_(False), Idea.merged_into_id.is_(None)))
    .where(Round.id == bindparam("sid"))
    .order_by(Idea.id)
)
#: A voting round's latest stored result, and which of its chosen ideas are still active.
_LATEST_RESULT = (select(RoundResult.data).where(RoundResult.round_id == bindparam("rid"))
                  .order_by(RoundResult.id.desc()).limit(1))
_CHOSEN_IDEAS = select(Idea.id, Idea.group_id, Idea.title).where(
    Idea.id.in_(bindparam("ids", expanding=True)), Idea.hidden.is_(False), Idea.merged_into_id.is_(None))


#: Every merged idea of a workshop, and what it was merged into.
_MERGED_IDEAS = (
    select(Idea.id, Idea.merged_into_id).join(Round, Round.id == Idea.round_id)
    .where(Round.workshop_id == bindparam("wid"), Idea.merged_into_id.is_not(None))
)


#: The ideas a vote may name, by (workshop, its ideas version, round, source round, top K):
#: valid for as long as the version is the one a vote reads.
_OPTION_REFS: dict[tuple, tuple[Any, ...]] = {}
#: Each workshop's merged ideas (``merge_map``), by (workshop, its ideas version).
_MERGE_MAPS: dict[tuple, dict[int, int]] = {}
_CACHE_MAX = 512


def _keep(cache: dict, key: tuple, value: Any) -> Any:
    """``value`` stored under ``key`` in one of the caches above (emptied when full)."""
    if len(cache) >= _CACHE_MAX:
        cache.clear()
    cache[key] = value
    return value


class _IdeaRef(NamedTuple):
    """An active idea a vote may name: its id, group and title."""

    id: int
    group_id: int | None
    title: str


class VotingKind(RoundKind):
    """A round in which participants vote over the ideas of an earlier round.

    Settings every voting kind shares:

    * ``source_round_id``: the round whose ideas are voted on. A brainstorm gives its visible
      ideas; a voting round gives the ideas of its latest stored result, best first, cut at
      ``top_k`` places (ideas tied at the last place all come in).
    * ``anonymous``: ballots are stored without the voter (see ``app.models.ballot.Voter``);
      a participant then submits one whole ballot, final once sent.
    * ``hide_results``: the tally is shown only to facilitators until they reveal it.
    * ``tie_break``: ``none`` (ties stay, shown as 2=), ``prior_round`` (ties ordered by the
      source round's result) or ``facilitator`` (the facilitator orders tied ideas after
      closing; the decision is recorded with the result).
    * ``min_cell``: sectors with fewer voters than this are not shown in breakdowns.
    """

    votes = True
    default_top_k: ClassVar[int | None] = None
    #: Whether changing a ballot writes anything beside the ballot and its op record (a word
    #: cloud stores new words as ideas): such a vote always runs in one transaction.
    writes_beside_ballot: ClassVar[bool] = False

    # --- settings -------------------------------------------------------------------------
    def default_settings(self) -> dict[str, Any]:
        return {
            "source_round_id": None, "top_k": self.default_top_k, "anonymous": False,
            "hide_results": False, "tie_break": "none", "min_cell": 3, "per_group": False, "group_top_n": 3,
            **self.kind_defaults(),
        }

    def kind_defaults(self) -> dict[str, Any]:
        return {}

    def clean_settings(self, round_: Round, settings: Mapping[str, Any]) -> dict[str, Any]:
        source = source_round(round_, settings)
        top_k = settings.get("top_k")
        top_k = None if top_k in (None, "", 0) else int_setting(settings, "top_k", 8, 2, 200, _l("Ideas carried over (top K)"))
        tie_break = settings.get("tie_break") or "none"
        if tie_break not in TIE_BREAKS:
            raise DomainError("bad_setting", _l("Choose how ties are broken: leave tied, by the earlier round, or by your decision."))
        common = {
            "source_round_id": source.id,
            "top_k": top_k,
            "anonymous": bool(settings.get("anonymous")),
            "hide_results": bool(settings.get("hide_results")),
            "tie_break": tie_break,
            "min_cell": int_setting(settings, "min_cell", 3, 1, 50, _l("Smallest sector shown")),
            "per_group": bool(settings.get("per_group")),
            "group_top_n": int_setting(settings, "group_top_n", 3, 1, 50, _l("Ideas each group sends on")),
        }
        if common["per_group"] and common["anonymous"]:
            raise DomainError("bad_setting", _l("A round held in groups cannot also be anonymous."))
        return {**common, **self.clean_kind_settings(settings)}

    def clean_kind_settings(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    # --- options --------------------------------------------------------------------------
    def source(self, round_: Round) -> Round | None:
        sid = (round_.settings or {}).get("source_round_id")
        return next((r for r in round_.workshop.rounds if r.id == sid), None)

    def options(self, round_: Round) -> list[Idea]:
        source = self.source(round_)
        if source is None:
            return []
        if source.kind == "brainstorm" or not KINDS_REF[source.kind].votes:
            return [i for i in source.ideas if i.active]
        if source.latest_result is None:
            return []
        by_id = {i.id: i for r in round_.workshop.rounds for i in r.ideas}
        top_k = round_.settings.get("top_k")
        chosen = [s["option"] for s in source.latest_result.data["standings"] if top_k is None or s["rank"] <= top_k]
        return [by_id[i] for i in chosen if i in by_id and by_id[i].active]

    def option_refs(self, round_: Round, participant=None) -> list[Any]:
        """What ``options_for`` gives, as light ``(id, group_id)`` rows, in the same order.

        A vote checks its ballot against the round's ideas on every click. Reading only the
        ids with one or two small queries, instead of the source round, every round of the
        workshop and all their ideas as objects, is most of what makes a vote cheap; and a
        vote that read its workshop's ``ideas_version`` (``RoundRef.ideas_version``) reuses
        the ids read at that version without a query (see ``app.models.versioning``).
        """
        settings = round_.settings or {}
        version = getattr(round_, "ideas_version", None)
        key = (round_.workshop_id, version, round_.id, settings.get("source_round_id"), settings.get("top_k"))
        refs = _OPTION_REFS.get(key) if version is not None else None
        if refs is None:
            refs = self._read_option_refs(round_)
            if version is not None:
                _keep(_OPTION_REFS, key, refs)
        if settings.get("per_group") and participant is not None:
            return [r for r in refs if r.group_id is not None and r.group_id == participant.group_id]
        return list(refs)

    def _read_option_refs(self, round_: Round) -> tuple[Any, ...]:
        # Plain statements on the session's connection: no ORM bookkeeping for what is read
        # as ids (the session has nothing pending here that they would need flushed).
        sid = (round_.settings or {}).get("source_round_id")
        rows = _SOURCE_IDEAS.rows({"sid": sid}) if sid else []
        source = rows[0] if rows else None
        if source is None or source.workshop_id != round_.workshop_id:
            return ()
        if source.kind == "brainstorm" or not KINDS_REF[source.kind].votes:
            return tuple(_IdeaRef(r.idea_id, r.group_id, r.title) for r in rows if r.idea_id is not None)
        connection = db.session.connection()
        data = connection.scalar(_LATEST_RESULT, {"rid": source.id})
        if data is None:
            return ()
        top_k = round_.settings.get("top_k")
        chosen = [s["option"] for s in data["standings"] if top_k is None or s["rank"] <= top_k]
        found = {r.id: _IdeaRef(r.id, r.group_id, r.title) for r in connection.execute(_CHOSEN_IDEAS, {"ids": chosen})}
        return tuple(found[i] for i in chosen if i in found)

    def option_titles(self, round_: Round) -> dict[int, str]:
        """Idea id -> title of every idea the round votes on (a live tally's titles), from the
        light rows ``option_refs`` reuses while the workshop's ideas are unchanged."""
        return {r.id: r.title for r in self.option_refs(round_)}

    def options_for(self, round_: Round, participant) -> list[Idea]:
        """The ideas ``participant`` votes on: in a round held in groups, their group's ideas."""
        options = self.options(round_)
        if (round_.settings or {}).get("per_group"):
            return [i for i in options if i.group_id is not None and i.group_id == participant.group_id]
        return options

    def check_can_open(self, round_: Round) -> None:
        if self.options(round_):
            return
        source = self.source(round_)
        if source is not None and source.kind != "brainstorm" and source.latest_result is None:
            raise Conflict("source_not_closed", _l("Close “%(title)s” first: this round works over its result.",
                                                   title=source.title))
        raise Conflict("no_ideas", _l("“%(title)s” has no ideas to vote on yet.", title=round_.title))

    # --- ballots --------------------------------------------------------------------------
    def empty_ballot(self) -> Any:
        return {}

    def apply(self, round_: Round, options: list[Idea], current: Any, payload: Mapping[str, Any]) -> Any:
        """The stored ballot after one change (``action``) to ``current``; raises on bad input."""
        raise DomainError("bad_request", _l("Send your whole ballot."))

    def clean_whole(self, round_: Round, options: list[Idea], ballot: Any) -> Any:
        """A whole ballot (``submit_ballot``) checked and in its stored form."""
        raise NotImplementedError

    def to_method(self, content: Any) -> Any:
        """A stored ballot as the voting method takes it (idea ids as ints)."""
        return {int(k): v for k, v in (content or {}).items()}

    def ballot_payload(self, content: Any) -> Any:
        """A stored ballot as sent to its participant."""
        return content if content is not None else self.empty_ballot()

    def is_empty(self, content: Any) -> bool:
        return not content

    # --- counting -------------------------------------------------------------------------
    def method(self, round_: Round) -> str:
        return self.method_name

    method_name: ClassVar[str] = ""

    def params(self, round_: Round) -> dict[str, Any]:
        """Keyword parameters of the counting method."""
        return {}

    def restrict(self, ballot: Any, allowed: set[int]) -> Any:
        """``ballot`` (method form) without ideas that left the round (hidden since)."""
        return {k: v for k, v in ballot.items() if k in allowed}

    def merge_map(self, round_: Round) -> dict[int, int]:
        """Idea id -> the id of the idea it was merged into (followed to the end of a chain)."""
        # Only merged ideas matter, read as id pairs (a tally asks up to ten times a second),
        # and not again while the workshop's ideas version is the same (merges change it).
        version = getattr(round_, "ideas_version", None)
        key = (round_.workshop_id, version)
        if version is not None and key in _MERGE_MAPS:
            return dict(_MERGE_MAPS[key])
        into = dict(db.session.execute(_MERGED_IDEAS, {"wid": round_.workshop_id}).all())
        out = {}
        for idea_id, target in into.items():
            seen = {idea_id}
            while into.get(target) is not None and target not in seen:
                seen.add(target)
                target = into[target]
            out[idea_id] = target
        if version is not None:
            _keep(_MERGE_MAPS, key, dict(out))
        return out

    def live_result(self, round_: Round, options: list[Idea]) -> Result | None:
        """The open round's tally counted without reading every ballot, or None (the kind has
        no such way, or it would not give what ``tally`` gives) to count it from the ballots."""
        return None

    def combine(self, values: list[Any]) -> Any:
        """One participant's values for ideas that were merged into one (dots: summed, capped)."""
        return max(values)

    def remap(self, round_: Round, ballot: Any, merged: dict[int, int]) -> Any:
        """``ballot`` (method form) with merged ideas counted as the idea they were merged into.

        Stored ballots are never rewritten, so undoing a merge restores every count.
        """
        if not merged:
            return ballot
        grouped: dict[int, list[Any]] = {}
        for key, value in ballot.items():
            grouped.setdefault(merged.get(key, key), []).append(value)
        return {k: (v[0] if len(v) == 1 else self.combine(v)) for k, v in grouped.items()}

    def method_ballots(self, round_: Round, options: list[Idea], contents: list[Any]) -> list[Any]:
        """``contents`` (stored ballots) as the counting methods take them: empty ones left out,
        merged ideas counted as the idea they were merged into, ideas no longer in ``options`` dropped."""
        allowed = {i.id for i in options}
        merged = self.merge_map(round_)
        # Runs over every ballot up to ten times a second while a round is open: with no merged
        # ideas (the usual case) the remapping is skipped rather than copying each ballot.
        if merged:
            return [self.restrict(self.remap(round_, self.to_method(c), merged), allowed)
                    for c in contents if not self.is_empty(c)]
        return [self.restrict(self.to_method(c), allowed) for c in contents if not self.is_empty(c)]

    def tally(self, round_: Round, options: list[Idea], contents: list[Any], method: str | None = None) -> Result:
        """The result of ``contents`` (stored ballots) over ``options``."""
        ballots = self.method_ballots(round_, options, contents)
        return METHODS[method or self.method(round_)](ballots, [i.id for i in options], **self.params(round_))

    def robustness_counts(self, round_: Round, options: list[Idea], contents: list[Any],
                          top_n: int) -> dict[str, Result]:
        """The same ballots counted by the other rules that apply to them, for the report's check
        of whether the top ``top_n`` would change (``app.services.robustness``): method -> result
        (``approval``: counted as dots, one per idea a ballot supports).

        ``contents`` are the stored ballots, ``options`` the round's ideas; ``robustness_note``
        says which rules apply and why. None apply by default.
        """
        return {}

    def robustness_note(self, top_n: int) -> Any:
        """What the report's robustness check says of this kind's ballots (a lazy message)."""
        return _l("These ballots hold neither an order of the ideas nor amounts given to them, so no other "
                  "counting rule applies to them and the check is left out.")

    # --- live: settings form, what each audience sees ----------------------------------------
    settings_form = (SOURCE_SETTINGS, PER_GROUP_SETTINGS, VOTING_SETTINGS)
    state_fields = VotingStateFields
    #: What the kind's ``action`` event does, as listed in the protocol document.
    action_doc: ClassVar[str] = ""

    def facilitator_payload(self, round_: Round) -> dict[str, Any]:
        # The console sees the tally always (counts only while a secret round is open).
        from app.services import state

        out = {"options": ideas_payload(round_, self.options(round_)), "tally": state.tally_payload(round_),
               "voters": state.voter_count(round_)}
        out.update(self.facilitator_extras(round_))
        return out

    def display_payload(self, round_: Round) -> dict[str, Any]:
        from app.services import state

        out: dict[str, Any] = {"options": ideas_payload(round_, self.options(round_))}
        if round_.results_revealed:
            out["tally"] = state.tally_payload(round_)
        out["voters"] = state.voter_count(round_)
        return out

    def participant_payload(self, round_: Round, participant) -> dict[str, Any]:
        # A phone gets its own options (its group's, in a round held in groups) and ballot.
        from app.services import state
        from app.services.ballots import has_voted, own_ballot

        options = self.options_for(round_, participant)
        out: dict[str, Any] = {"options": ideas_payload(round_, options)}
        if round_.results_revealed:
            tally = state.tally_payload(round_)
            if tally is not None and state.tally_is_per_group(round_):
                tally = state.tally_of_group(tally, participant.group_id)
            out["tally"] = tally
        out["voters"] = state.voter_count(round_)
        out["ballot"] = own_ballot(participant, round_)
        out["voted"] = has_voted(participant, round_)
        out.update(self.participant_extras(round_, participant, options, out["ballot"]))
        return out

    def participant_extras(self, round_: Round, participant, options: list[Idea], ballot: Any) -> dict[str, Any]:
        """What a phone needs beyond its options and ballot to vote in this kind of round."""
        return {}

    def facilitator_extras(self, round_: Round) -> dict[str, Any]:
        """What only the console shows: the sector breakdown and the other methods' rankings."""
        from app.services.rounds import breakdown
        from app.services.state import sealed

        if round_.result_pending:
            return {}
        stored = round_.latest_result.data if (round_.state is RoundState.CLOSED and round_.latest_result) else None
        if stored is not None:
            comparison = stored.get("comparison")
            return {"breakdown": stored.get("breakdown"),
                    "comparison": {m: comparison_places(o) for m, o in comparison.items()} if comparison else comparison}
        if sealed(round_):
            return {"breakdown": None, "comparison": None}
        return {"breakdown": breakdown(round_), "comparison": None}

    def submitted_count(self, round_: Round) -> int:
        from app.services.state import voter_count

        return voter_count(round_)


#: Filled in by ``app.rounds`` once every kind is defined (a kind looks up its source's kind).
KINDS_REF: dict[str, RoundKind] = {}


def ideas_payload(round_: Round, ideas: list[Idea], keep=None) -> list[dict[str, Any]]:
    """``ideas`` (those ``keep(idea)`` accepts) as clients see them; their authors are read
    in one query first (see ``state.load_authors``), the attribution rule's counts once."""
    from app.services import attribution, state

    authors = state.load_authors(ideas)  # noqa: F841 - kept alive while read
    kept = [i for i in ideas if keep is None or keep(i)]
    origin = attribution.for_workshop(round_.workshop) if kept else None
    return [state.idea_payload(i, round_.workshop, origin) for i in kept]


def places(result: Result) -> list[dict[str, Any]]:
    """A result's order as a comparison stores it: each idea with its place, ties kept (6=, 6=)."""
    return [{"option": s.option, "rank": s.rank, "tied": s.tied} for s in result.standings]


def comparison_places(order: Any) -> list[dict[str, Any]]:
    """A stored comparison order as places (``places``). An order stored before places were
    kept is a list of idea ids, best first: its ideas get the places 1, 2, 3, ... unshared."""
    out = []
    for n, entry in enumerate(order or [], start=1):
        if isinstance(entry, Mapping):
            rank = entry.get("rank")
            out.append({"option": entry.get("option"), "rank": rank if is_whole(rank) and rank >= 1 else n,
                        "tied": entry.get("tied") is True})
        else:
            out.append({"option": entry, "rank": n, "tied": False})
    return out


def distinct_count(column, round_column, round_: Round) -> int:
    """How many different non-null values ``column`` has in the rows of ``round_``."""
    return db.session.scalar(select(func.count(func.distinct(column))).where(round_column == round_.id)) or 0


def ballot_error(exc: BallotError) -> DomainError:
    """A voting-core refusal as the domain error clients receive, its sentence translated
    where it is read (a phone: in the workshop's language)."""
    cls = Conflict if exc.code in {"over_budget", "over_cap"} else DomainError
    return cls(exc.code, exc.translated(_l, lazy_ngettext))


def int_setting(settings: Mapping[str, Any], key: str, default: int, lo: int, hi: int, label: Any) -> int:
    """An integer setting within ``lo..hi``; raises a ``DomainError`` saying the allowed range
    (``label``, a lazy message, names the setting)."""
    raw = settings.get(key, default)
    if raw in (None, ""):
        raw = default
    # Settings come from forms (strings), the console and backups (JSON numbers).
    text = raw.strip() if isinstance(raw, str) else raw
    value = parse_whole(text)
    if value is None and isinstance(text, str) and text.startswith("-"):
        value = -parse_whole(text[1:]) if parse_whole(text[1:]) is not None else None
    if value is None and isinstance(raw, float) and raw.is_integer() and abs(raw) <= MAX_ID:
        value = int(raw)
    if value is None:
        raise DomainError("bad_setting", _l("%(setting)s must be a whole number.", setting=label))
    if not lo <= value <= hi:
        raise DomainError("bad_setting", _l("%(setting)s must be between %(low)s and %(high)s.", setting=label, low=lo, high=hi))
    return value


def source_round(round_: Round, settings: Mapping[str, Any]) -> Round:
    """The earlier round of this workshop that ``settings['source_round_id']`` names."""
    source_id = parse_whole(settings.get("source_round_id"))
    source = next((r for r in round_.workshop.rounds if r.id == source_id), None)
    if source is None or source.id == round_.id:
        raise DomainError("bad_source_round", _l("Choose the earlier round whose ideas this round works over."))
    return source


def by_idea(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Workbook rows of a ballot in the order of their ideas' numbers (unknown ideas last), then notes."""
    rows.sort(key=lambda r: (r["idea_no"] is None, r["idea_no"] or 0, str(r["note"])))
    return rows


def is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def idea_id(payload: Mapping[str, Any]) -> int:
    return record_id(payload.get("idea_id"), "idea_id", "idea")


def int_value(payload: Mapping[str, Any], key: str, label: str) -> int:
    # The voting methods check the range (a cap, a scale), with messages of their own.
    return whole_number(payload.get(key), f"{label} ({key})", lo=-MAX_ID)
