"""Payload shapes are declared once (``app/payloads.py``, and each kind's ``state_fields``):
real states of every audience and every round kind fit them, and so does every example of
them in ``docs/protocol.md``."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from app import payloads
from app.rounds import KINDS, kind_of
from app.services import rounds, state

PROTOCOL = Path(__file__).resolve().parents[1] / "docs" / "protocol.md"

#: Settings a kind needs to open.
SETTINGS = {"comment": {"items": "Measure 1\nMeasure 2"}}


def _opened(make, w, kind, brainstorm, vote_round):
    """An open round of ``kind``: worksheets over a closed vote, voting kinds over the brainstorm."""
    if KINDS[kind].has_worksheets:
        source = vote_round
    else:
        source = brainstorm if KINDS[kind].votes else None
    return make.round(w, kind, open_=True, source=source, **SETTINGS.get(kind, {}))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_audiences_state_fits_its_declaration(make, kind):
    w = make.workshop(language="en", show_names=True)
    people = make.participants(w, 3, sectors=["research", "industry", "research"])
    brainstorm = make.round(w, "brainstorm", open_=True)
    ideas = make.ideas(brainstorm, people, ["Shared data platform", "Joint training", "Regulatory sandbox"])
    dots = make.round(w, "dot_vote", open_=True, source=brainstorm)
    make.dots(people[0], dots, ideas[0], 2)
    from app import transaction

    transaction.run(lambda: rounds.close_round(dots))
    round_ = _opened(make, w, kind, brainstorm, dots)
    assert round_.is_open
    declared = kind_of(round_).state_fields
    for audience, who in ((state.FACILITATOR, None), (state.DISPLAY, None), (state.PARTICIPANT, people[1])):
        snapshot = state.snapshot(w, audience, who)
        payloads.check_state(json.loads(json.dumps(snapshot)), declared)
    # A closed round's stored result fits the tally's declaration too.
    transaction.run(lambda: rounds.close_round(round_))
    if round_.latest_result is not None:
        payloads.adapter(payloads.StoredResult).validate_python(json.loads(json.dumps(round_.latest_result.data)),
                                                              strict=True)
    assert (round_.latest_result is not None) == kind_of(round_).votes
    for audience, who in ((state.FACILITATOR, None), (state.PARTICIPANT, people[1])):
        payloads.check_state(json.loads(json.dumps(state.snapshot(w, audience, who))), declared)


def test_a_backup_with_a_malformed_standing_is_refused_by_the_declaration(make):
    from app.services.backup import BadBackup, dump, restore

    w = make.workshop(language="en")
    people = make.participants(w, 2)
    brainstorm = make.round(w, "brainstorm", open_=True)
    ideas = make.ideas(brainstorm, people, ["A", "B"])
    dots = make.round(w, "dot_vote", open_=True, source=brainstorm)
    make.dots(people[0], dots, ideas[0], 2)
    from app import transaction

    transaction.run(lambda: rounds.close_round(dots))
    doc = json.loads(json.dumps(dump(w)))
    voted = next(r for r in doc["rounds"] if r.get("results"))
    voted["results"][0]["data"]["standings"][0]["rank"] = True  # a bool is not a rank
    with pytest.raises(BadBackup, match="each standing needs"):
        restore(doc, None)


def test_a_key_no_declaration_names_is_refused(make):
    w = make.workshop(language="en")
    make.round(w, "brainstorm", open_=True)
    snapshot = json.loads(json.dumps(state.snapshot(w, state.DISPLAY)))
    payloads.check_state(snapshot, None)
    with pytest.raises(ValueError, match="surprise"):
        payloads.check_state({**snapshot, "surprise": 1}, None)
    snapshot["round"]["colour"] = "red"
    with pytest.raises(ValidationError, match="colour"):
        payloads.check_state(snapshot, None)


# --- the protocol document ----------------------------------------------------------------------

#: The document's example of each payload, by the name it goes by there.
EXAMPLES = {
    "`<idea>`:": payloads.IdeaPayload,
    "`<round>`:": payloads.RoundPayload,
    "`<timer>`:": payloads.TimerPayload,
    "`<agenda>`:": payloads.AgendaPayload,
    "`<tally>`:": payloads.TallyPayload,
}


def _json_after(text: str, marker: str) -> object:
    start = text.index(marker)
    block = re.search(r"```json\n(.*?)\n```", text[start:], re.S)
    assert block, f"no JSON example after {marker}"
    return json.loads(block.group(1))


def _shortened(value: object) -> bool:
    return "…" in json.dumps(value, ensure_ascii=False)


def _state_examples(text: str) -> list[tuple[str, dict]]:
    found = []
    for match in re.finditer(r"\*\*Example: (.*?)\*\*.*?```json\n(.*?)\n```", text, re.S):
        found.append((match.group(1), json.loads(match.group(2))["state"]))
    return found


@pytest.mark.parametrize("marker", sorted(EXAMPLES))
def test_the_protocols_payload_examples_fit_the_declarations(marker):
    payloads.adapter(EXAMPLES[marker]).validate_python(_json_after(PROTOCOL.read_text(encoding="utf-8"), marker))


def test_the_protocols_state_examples_fit_the_declarations():
    examples = _state_examples(PROTOCOL.read_text(encoding="utf-8"))
    assert len(examples) >= 3
    for title, example in examples:
        # The examples shorten repeated objects ("as above"); the full objects are checked above.
        for key in ("round", "rounds", "options"):
            value = example.get(key)
            if isinstance(value, list):
                example[key] = [v for v in value if isinstance(v, dict) and not _shortened(v)]
            elif isinstance(value, dict) and _shortened(value.get("timer") or {}):
                example[key] = {**value, "timer": None}
        kind = KINDS[example["round"]["kind"]]
        try:
            payloads.check_state(example, kind.state_fields)
        except (ValidationError, ValueError) as exc:
            raise AssertionError(f"the protocol's example “{title}” does not fit the declarations: {exc}") from exc


def test_the_protocols_state_table_names_the_declared_keys():
    text = PROTOCOL.read_text(encoding="utf-8")
    table = text[text.index("#### States"):text.index("By audience, a state also has")]
    keys = set(re.findall(r"^\| `([a-z_]+)` \|", table, re.M))
    declared = set(payloads.StatePayload.__required_keys__)
    kind_keys = {k for kind in KINDS.values() if kind.state_fields for k in kind.state_fields.__annotations__}
    assert declared <= keys, f"declared but not in the table: {declared - keys}"
    assert keys <= declared | kind_keys | {"submitted"}, f"in the table but declared nowhere: {keys - declared - kind_keys}"
