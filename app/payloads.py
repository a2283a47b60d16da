"""The shapes of what Tavle sends: ideas, rounds, timers, the agenda, tallies and states.

Declared once, as ``TypedDict``s: ``app/services/state.py`` builds plain dicts of these shapes
(no validation on the live path: a ``sync`` or a ``tally`` costs what building the dict
costs), the report builder reads results through them, and the edges validate against them
with pydantic's ``TypeAdapter`` where data comes from outside or must be proved: the tests
validate real states of every audience and every example in ``docs/protocol.md``
(``tests/test_payloads.py``), so neither the code nor the document can drift from these.

An object declared here has exactly the keys it lists (``extra="forbid"``); ``NotRequired``
keys may be missing. A state's keys beyond the common ones belong to the current round's kind
(``RoundKind.state_fields`` in ``app/rounds/``).
"""
from typing import Annotated, Any, Literal

from typing_extensions import NotRequired, TypedDict

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError, with_config

from app.models import Idea, SurveyQuestion

_STRICT = ConfigDict(extra="forbid")

Id = Annotated[int, Field(ge=1)]
Count = Annotated[int, Field(ge=0)]
IsoTime = str


@with_config(_STRICT)
class IdeaPayload(TypedDict):
    """``<idea>``: an idea as clients see it; ``author`` only where the workshop shows names,
    ``attribution`` as ``app.services.attribution`` decides (a name, an organisation of at
    least k participants, the group, a sector of at least k, or None)."""

    id: Id
    round_id: Id
    title: Annotated[str, StringConstraints(max_length=Idea.TITLE_MAX)]
    details: Annotated[str, StringConstraints(max_length=Idea.DETAILS_MAX)] | None
    hidden: bool
    author: str | None
    attribution: str | None
    group_id: Id | None
    theme: str | None
    merged_into: Id | None
    created_at: IsoTime | None


@with_config(_STRICT)
class TimerPayload(TypedDict):
    """``<timer>``: a round's countdown; ``server_now`` lets a phone correct its own clock."""

    round_id: Id
    running: bool
    ends_at: IsoTime | None
    remaining: float | None
    auto_close: bool
    server_now: IsoTime


@with_config(_STRICT)
class RoundPayload(TypedDict):
    """``<round>``: a round's public facts."""

    id: Id
    kind: str
    kind_label: str
    title: str
    state: Literal["draft", "open", "closed"]
    settings: dict[str, Any]
    results_revealed: bool
    position: int
    timer: TimerPayload | None
    result_pending: bool


@with_config(_STRICT)
class AgendaItemPayload(TypedDict):
    id: Id
    start: str | None
    duration: Count | None
    title: str
    who: str | None
    round_id: Id | None
    now: bool


@with_config(_STRICT)
class AgendaPayload(TypedDict):
    """``<agenda>``: every item, the one marked as now and the next."""

    items: list[AgendaItemPayload]
    now: Id | None
    next: Id | None


@with_config(_STRICT)
class StandingPayload(TypedDict):
    """One idea's place in a tally, in rank order; ``extra`` holds the method's own numbers."""

    idea_id: int
    title: str
    rank: Annotated[int, Field(ge=1)]
    score: float
    tied: bool
    extra: dict[str, Any]


@with_config(ConfigDict(extra="allow"))
class StoredStanding(TypedDict):
    """A standing as a result is stored (``RoundResult.data``) and backed up."""

    #: The idea's id (in a backup file, the idea's key).
    option: int | str
    rank: Annotated[int, Field(ge=1)]
    score: float
    tied: bool
    extra: NotRequired[dict[str, Any] | None]


@with_config(ConfigDict(extra="allow"))
class StoredResult(TypedDict):
    """A stored result: ``voting.Result.to_dict()`` and what closing a round adds to it.
    Read by the state's tally, the report builder and backup restore."""

    method: str
    standings: list[StoredStanding]
    ballots: Count
    params: NotRequired[dict[str, Any]]
    explanation: NotRequired[Any]
    tie_break: NotRequired[dict[str, Any] | None]
    titles: NotRequired[dict[str, str]]
    closed_at: NotRequired[IsoTime | None]
    settings: NotRequired[dict[str, Any]]
    anonymous: NotRequired[bool]
    breakdown: NotRequired[dict[str, Any] | None]
    comparison: NotRequired[dict[str, list[Any]] | None]


@with_config(_STRICT)
class TallyPayload(TypedDict):
    """``<tally>``: the live tally, the stored result, a sealed count or a pending count."""

    round_id: Id
    live: bool
    standings: list[StandingPayload]
    ballots: Count | None
    method: NotRequired[str]
    method_card: NotRequired[str]
    params: NotRequired[dict[str, Any]]
    sealed: NotRequired[bool]
    tie_break: NotRequired[dict[str, Any] | None]
    snapshots: NotRequired[Count]
    pending: NotRequired[Literal[True]]
    #: The ``tally`` event only: how many have voted.
    voters: NotRequired[Count]


@with_config(_STRICT)
class WorkshopPayload(TypedDict):
    code: str
    title: str
    language: Literal["nb", "nn", "en"]
    show_names: bool
    date: str | None


@with_config(_STRICT)
class MePayload(TypedDict):
    """A participant's own facts, on their phone only."""

    id: Id
    name: str | None
    organisation: str | None
    sector: str | None
    sector_label: str | None
    group_id: Id | None
    group: str | None
    table: str | None


@with_config(_STRICT)
class OpenSurveyPayload(TypedDict):
    id: Id
    title: str
    responded: bool


@with_config(_STRICT)
class MemberPayload(TypedDict):
    id: Id
    name: str | None
    organisation: str | None
    sector: str | None


@with_config(_STRICT)
class GroupPayload(TypedDict):
    id: Id
    name: str
    table: str | None
    members: list[MemberPayload]


@with_config(ConfigDict(extra="allow"))
class StatePayload(TypedDict):
    """A state: the answer to ``sync`` and the payload of ``round_state``.

    The common keys are declared here; what a round kind adds (``voters``, ``comments``,
    ``words``, …) is declared by the kind (``RoundKind.state_fields``) and checked by
    ``check_state``.
    """

    workshop: WorkshopPayload
    round: RoundPayload | None
    ideas: list[IdeaPayload]
    options: list[IdeaPayload]
    tally: TallyPayload | None
    ballot: Any
    participants: Count
    agenda: AgendaPayload
    submitted: NotRequired[Count | None]
    # The facilitator's
    rounds: NotRequired[list[RoundPayload]]
    groups: NotRequired[list[GroupPayload]]
    merges: NotRequired[list[dict[str, Any]]]
    connected: NotRequired[Count]
    connected_by_group: NotRequired[dict[str, Count]]
    # The participant's
    me: NotRequired[MePayload]
    surveys: NotRequired[list[OpenSurveyPayload]]


# --- what a backup file holds beyond what the live payloads declare ----------------------------

#: An organiser's name in a workshop's ``organisers``.
ORGANISER_MAX = 200
Organisers = list[Annotated[str, StringConstraints(max_length=ORGANISER_MAX)]]
Choice = Annotated[str, StringConstraints(max_length=SurveyQuestion.CHOICE_MAX)]
Choices = Annotated[list[Choice], Field(max_length=SurveyQuestion.CHOICES_MAX)]
#: A survey answer, by the kind of its question.
ANSWERS: dict[str, Any] = {
    "scale": int,
    "single": Choice,
    "multi": list[Choice],
    "text": Annotated[str, StringConstraints(max_length=SurveyQuestion.ANSWER_MAX)],
}


_ADAPTERS: dict[Any, TypeAdapter] = {}


def adapter(shape: Any) -> TypeAdapter:
    """The (cached) ``TypeAdapter`` validating ``shape``."""
    if shape not in _ADAPTERS:
        _ADAPTERS[shape] = TypeAdapter(shape)
    return _ADAPTERS[shape]


def valid(shape: Any, value: Any) -> bool:
    """Whether ``value`` fits ``shape`` (strictly: no coercion of strings to numbers)."""
    try:
        adapter(shape).validate_python(value, strict=True)
    except ValidationError:
        return False
    return True


def check_state(state: dict[str, Any], kind_fields: type | None) -> None:
    """Validate ``state`` against ``StatePayload`` and its round kind's ``state_fields``:
    raises ``pydantic.ValidationError`` naming what is wrong, including a key neither declares."""
    adapter(StatePayload).validate_python(state)
    extra = {k: v for k, v in state.items() if k not in StatePayload.__annotations__}
    if kind_fields is None:
        if extra:
            raise ValueError(f"State keys no declaration names: {sorted(extra)}")
        return
    adapter(kind_fields).validate_python(extra)
