"""The backup's key translation follows what the methods and the kinds declare, and nothing else."""
from __future__ import annotations

import json

import pytest

from app.errors import DomainError
from app.rounds import KINDS
from app.services.backup.keys import Ids, map_snapshot
from app.voting import METHODS, OPTION_FIELDS

IDEAS = [9101, 9102, 9103, 9104]
KEYS = {str(i): f"i{n}" for n, i in enumerate(IDEAS, start=1)}

#: Ballots that give every method's explanation something about every idea.
BALLOTS = {
    "dots": ([{9101: 2, 9102: 1}, {9103: 3}, {9104: 1, 9101: 1}], {"budget": 3, "cap": 3}),
    "points": ([{9101: 60, 9103: 40}, {9102: 100}, {9104: 10}], {"budget": 100}),
    "borda": ([[9101, 9102, 9103, 9104], [9102, 9101, 9104, 9103], [9103, 9104, 9101, 9102]], {}),
    "schulze": ([[9101, 9102, 9103, 9104], [9102, 9101, 9104, 9103], [9103, 9104, 9101, 9102]], {}),
    "irv": ([[9101, 9102], [9102, 9103], [9103, 9101], [9104, 9101], [9101]], {}),
    "score": ([{9101: 5, 9102: 3}, {9103: 1, 9104: 2}], {}),
    "impact_effort": ([{9101: (5, 1), 9102: (1, 5)}, {9103: (4, 4), 9104: (2, 1)}], {}),
    "pairwise": ([(9101, 9102), (9102, 9103), (9103, 9104), (9104, 9101), (9101, 9103)], {}),
    "word_count": ([[9101, 9102], [9102], [9103, 9104]], {"max_words": 3}),
}


def idea_ids_in(value, path="") -> list[str]:
    """Every place in a JSON value where one of ``IDEAS`` is still named (as a key or a value)."""
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            if str(k) in KEYS:
                found.append(f"{path}.{k}")
            found += idea_ids_in(v, f"{path}.{k}")
    elif isinstance(value, list):
        for n, v in enumerate(value):
            found += idea_ids_in(v, f"{path}[{n}]")
    elif str(value) in KEYS and not isinstance(value, bool):
        found.append(path)
    return found


def test_every_method_is_declared():
    assert set(OPTION_FIELDS) == set(METHODS) == set(BALLOTS)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_the_declared_fields_hold_every_idea_of_an_explanation(method):
    """A field a method adds to its explanation with ideas in it, undeclared, fails here."""
    ballots, params = BALLOTS[method]
    result = json.loads(json.dumps(METHODS[method](ballots, IDEAS, **params).to_dict()))
    if OPTION_FIELDS[method]:
        assert idea_ids_in(result["explanation"]), "the sample ballots name no idea in the explanation"
    else:
        assert idea_ids_in(result["explanation"]) == [], "an explanation names ideas in undeclared fields"
    ids = Ids(KEYS, {}, {}, strict=False)
    mapped = map_snapshot(result, ids, "result")
    assert idea_ids_in(mapped) == []
    # Nothing was lost on the way: translated back, it is the explanation again.
    back = map_snapshot(mapped, Ids({v: int(k) for k, v in KEYS.items()}, {}, {}, strict=True), "result")
    assert back["explanation"] == result["explanation"]


#: A stored ballot of each voting kind, over ``IDEAS``.
STORED = {
    "dot_vote": {"9101": 2, "9103": 1},
    "points": {"9102": 70, "9104": 30},
    "score": {"9101": 4},
    "impact_effort": {"9101": [5, 2], "9104": [1, 1]},
    "rank": [9103, 9101, 9102],
    "pairwise": {"comparisons": [[9101, 9102], [9104, 9103]], "skipped": [[9101, 9103]]},
    "word_cloud": ["Bergen", "grønn omstilling"],
}


@pytest.mark.parametrize("kind", sorted(STORED))
def test_a_ballot_dumped_and_loaded_by_its_kind_is_the_same_ballot(kind):
    dumped = KINDS[kind].dump_ballot(STORED[kind], Ids(KEYS, {}, {}, strict=False), "round r1")
    assert idea_ids_in(dumped) == []
    loaded = KINDS[kind].load_ballot(json.loads(json.dumps(dumped)),
                                     Ids({v: int(k) for k, v in KEYS.items()}, {}, {}, strict=True), "rounds[r1].ballots[0]")
    assert json.loads(json.dumps(loaded)) == json.loads(json.dumps(STORED[kind]))


@pytest.mark.parametrize("kind, content", [
    ("dot_vote", {"i1": "lots"}), ("dot_vote", ["i1"]), ("rank", {"i1": 1}), ("rank", ["i1", "i1"]),
    ("pairwise", {"comparisons": [["i1"]]}), ("impact_effort", {"i1": 3}), ("score", {"i1": -1}),
    ("word_cloud", {"i1": 1}), ("word_cloud", [3]), ("word_cloud", ["a", "b", "c", "d", "e", "f"]),
])
def test_a_ballot_of_another_shape_is_refused_naming_its_kind(kind, content):
    with pytest.raises(DomainError) as exc:
        KINDS[kind].load_ballot(content, Ids({"i1": 1}, {}, {}, strict=True), "rounds[r2].ballots[0]")
    assert exc.value.code == "bad_backup"
    assert exc.value.message == f"rounds[r2].ballots[0].content: not a ballot of a {kind.replace('_', ' ')} round."
