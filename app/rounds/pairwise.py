"""Pairwise comparison: two ideas at a time, pick one or skip; Bradley–Terry ranks them."""
from __future__ import annotations

import itertools
import random
from typing import Any, Mapping

from typing_extensions import NotRequired

from flask_babel import lazy_gettext as _l
from pydantic import ConfigDict, with_config

from app.errors import DomainError
from app.models import Idea, Round
from app.numbers import record_id
from app.rounds.base import VotingKind, VotingStateFields, ballot_error, by_idea
from app.voting import BallotError, validate_comparison

#: Pairs handed to a phone at a time (it asks for more by syncing).
PAIRS_AHEAD = 30


@with_config(ConfigDict(extra="forbid"))
class PairwiseStateFields(VotingStateFields):
    #: A phone's: pairs ``[a, b]`` it has neither compared nor skipped, in an order of its own.
    pairs: NotRequired[list[list[int]]]


class Pairwise(VotingKind):
    name = "pairwise"
    label = _l("Pairwise comparison")
    action = "compare_pair"
    method_name = "pairwise"
    state_fields = PairwiseStateFields

    def empty_ballot(self) -> dict[str, list]:
        return {"comparisons": [], "skipped": []}

    def is_empty(self, content: Any) -> bool:
        return not (content or {}).get("comparisons")

    def _pair(self, options: list[Idea], raw: Any) -> tuple[int, int]:
        if not isinstance(raw, (list, tuple)) or len(raw) != 2:
            raise DomainError("bad_request", _l("Send the two ideas of the pair."))
        pair = (record_id(raw[0], "the first idea of the pair", "idea"), record_id(raw[1], "the second idea of the pair", "idea"))
        try:
            return validate_comparison(pair, [i.id for i in options])
        except BallotError as exc:
            raise ballot_error(exc) from None

    def apply(self, round_: Round, options: list[Idea], current: Any, payload: Mapping[str, Any]) -> dict[str, list]:
        content = {**self.empty_ballot(), **(current or {})}
        comparisons = [list(c) for c in content["comparisons"]]
        skipped = [list(s) for s in content["skipped"]]
        if payload.get("skip"):
            a, b = self._pair(options, payload.get("pair"))
            key = sorted((a, b))
            if key not in skipped:
                skipped.append(key)
        else:
            winner, loser = self._pair(options, (payload.get("winner"), payload.get("loser")))
            done = {frozenset(c) for c in comparisons}
            if frozenset((winner, loser)) in done:
                # Changing one's mind about a pair replaces the earlier choice.
                comparisons = [c for c in comparisons if frozenset(c) != frozenset((winner, loser))]
            comparisons.append([winner, loser])
            skipped = [s for s in skipped if frozenset(s) != frozenset((winner, loser))]
        return {"comparisons": comparisons, "skipped": skipped}

    def clean_whole(self, round_: Round, options: list[Idea], ballot: Any) -> dict[str, list]:
        raw = ballot.get("comparisons") if isinstance(ballot, Mapping) else ballot
        if not isinstance(raw, list):
            raise DomainError("bad_request", _l("Send your comparisons as a list of [picked, other] pairs."))
        pairs = [list(self._pair(options, c)) for c in raw]
        if len({frozenset(p) for p in pairs}) != len(pairs):
            raise DomainError("duplicate_idea", _l("Each pair can be compared once."))
        return {"comparisons": pairs, "skipped": []}

    def to_method(self, content: Any) -> list[tuple[int, int]]:
        return [(int(w), int(l)) for w, l in (content or {}).get("comparisons", [])]

    def remap(self, round_: Round, ballot: Any, merged: dict[int, int]) -> list[tuple[int, int]]:
        pairs = [(merged.get(w, w), merged.get(l, l)) for w, l in ballot]
        return [(w, l) for w, l in pairs if w != l]

    def restrict(self, ballot: Any, allowed: set[int]) -> list[tuple[int, int]]:
        return [(w, l) for w, l in ballot if w in allowed and l in allowed]

    def tally(self, round_, options, contents, method=None):
        # Each ballot is a list of comparisons; the method takes them all as one list.
        from app.voting import METHODS

        option_ids = [i.id for i in options]
        allowed = set(option_ids)
        merged = self.merge_map(round_)
        comparisons = [
            c for content in contents for c in self.restrict(self.remap(round_, self.to_method(content), merged), allowed)
        ]
        return METHODS["pairwise"](comparisons, option_ids)

    def next_pairs(self, round_: Round, options: list[Idea], content: Any, seed: int) -> list[list[int]]:
        """Pairs this participant has not compared or skipped, in an order of their own.

        Each participant gets every pair in a different shuffled order, so the room as a whole
        covers all pairs early even if each person compares only a few.
        """
        content = {**self.empty_ballot(), **(content or {})}
        done = {frozenset(c) for c in content["comparisons"]} | {frozenset(s) for s in content["skipped"]}
        pairs = [list(p) for p in itertools.combinations([i.id for i in options], 2)]
        rng = random.Random(seed * 1_000_003 + round_.id)
        rng.shuffle(pairs)
        for p in pairs:
            rng.shuffle(p)
        return [p for p in pairs if frozenset(p) not in done][:PAIRS_AHEAD]

    # --- live: vote event, what a phone needs -------------------------------------------------
    action_doc = "Pick ``winner`` over ``loser`` in a pairwise round, or ``skip`` a ``pair``."

    def participant_extras(self, round_: Round, participant, options: list[Idea], ballot: Any) -> dict[str, Any]:
        # A secret ballot is not sent back, so a phone in an anonymous round gets every pair.
        content = ballot if not round_.settings.get("anonymous") else None
        return {"pairs": self.next_pairs(round_, options, content, participant.id)}

    # --- reports and backups ----------------------------------------------------------------
    report_name = _l("Pairwise comparison")
    sheet_note_label = _l("beats")

    def sheet_rows(self, content: Any, idea) -> list[dict[str, Any]]:
        # One row per comparison: the idea picked, with the other one as the note.
        rows = []
        for pair in (content or {}).get("comparisons", []):
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                continue
            no, title = idea(pair[0])
            _, loser = idea(pair[1])
            rows.append({"idea_no": no, "idea": title, "value": 1, "note": loser})
        return by_idea(rows)

    def map_ballot(self, content: Any, ids: Any, where: str) -> dict[str, list]:
        c = ids.as_dict(content, where)
        pairs = lambda key: [ids.ideas(p, where) for p in ids.as_list(c.get(key), where)]  # noqa: E731
        return {"comparisons": pairs("comparisons"), "skipped": pairs("skipped")}

    def ballot_shape_ok(self, content: Any) -> bool:
        return isinstance(content, dict) and all(
            isinstance(content.get(k, []), list) and all(isinstance(p, list) and len(p) == 2 for p in content.get(k, []))
            for k in ("comparisons", "skipped")
        )
