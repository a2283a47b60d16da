"""What every round kind provides: settings, the ideas it runs over, ballots, and a tally."""
from __future__ import annotations

from typing import Any, ClassVar, Mapping

from app.errors import DomainError
from app.models import Idea, Round
from app.voting import BallotError, Result


class RoundKind:
    """One kind of round. Subclasses are registered by name in ``app.rounds.KINDS``."""

    name: ClassVar[str]
    label: ClassVar[str]
    #: Participants submit ideas in this kind of round.
    collects_ideas: ClassVar[bool] = False
    #: Participants cast ballots over ideas in this kind of round.
    votes: ClassVar[bool] = False

    def default_settings(self) -> dict[str, Any]:
        """Settings a new round of this kind starts with."""
        return {}

    def clean_settings(self, round_: Round, settings: Mapping[str, Any]) -> dict[str, Any]:
        """Validated settings for ``round_``; raises ``DomainError`` naming what is wrong."""
        return dict(settings)

    def options(self, round_: Round) -> list[Idea]:
        """The ideas this round runs over, in the order participants first see them."""
        return []

    def check_can_open(self, round_: Round) -> None:
        """Raise a ``DomainError`` if the round cannot be opened yet."""
        if self.votes and not self.options(round_):
            from app.errors import Conflict

            raise Conflict("no_ideas", f"“{round_.title}” has no ideas to vote on yet.")

    def empty_ballot(self) -> Any:
        """A ballot before the participant has done anything."""
        return None

    def apply(self, round_: Round, options: list[Idea], current: Any, payload: Mapping[str, Any]) -> Any:
        """The ballot after applying a participant's submission to ``current``; raises on bad input."""
        raise DomainError("not_a_vote", "This round does not take votes.")

    def tally(self, round_: Round, options: list[Idea], ballots: list[Any]) -> Result | None:
        """The result of ``ballots`` over ``options`` (None for kinds that do not vote)."""
        return None

    def ballot_payload(self, content: Any) -> Any:
        """A stored ballot as sent to its participant."""
        return content


def ballot_error(exc: BallotError) -> DomainError:
    """A voting-core refusal as the domain error clients receive."""
    from app.errors import Conflict

    cls = Conflict if exc.code in {"over_budget", "over_cap"} else DomainError
    return cls(exc.code, exc.message)


def int_setting(settings: Mapping[str, Any], key: str, default: int, lo: int, hi: int, label: str) -> int:
    """An integer setting within ``lo..hi``; raises a ``DomainError`` saying the allowed range."""
    raw = settings.get(key, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise DomainError("bad_setting", f"{label} must be a whole number.") from None
    if not lo <= value <= hi:
        raise DomainError("bad_setting", f"{label} must be between {lo} and {hi}.")
    return value


def source_round(round_: Round, settings: Mapping[str, Any], kinds: tuple[str, ...], label: str) -> Round:
    """The earlier round of this workshop that ``settings['source_round_id']`` names."""
    try:
        source_id = int(settings.get("source_round_id") or 0)
    except (TypeError, ValueError):
        source_id = 0
    source = next((r for r in round_.workshop.rounds if r.id == source_id), None)
    if source is None or source.id == round_.id:
        raise DomainError("bad_source_round", f"Choose the {label} round this round works over.")
    if source.kind not in kinds:
        raise DomainError("bad_source_round", f"“{source.title}” is not a {label} round.")
    return source
