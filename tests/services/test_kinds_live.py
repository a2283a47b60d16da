"""A round kind owns its live behaviour: nothing outside ``app/rounds`` names a kind, and the
round form shows exactly the settings each kind declares."""
import ast
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from app.rounds import KINDS, SETTINGS_LAYOUT, kind_of, round_settings
from app.services import participants, rounds, state, workshops

APP = Path(__file__).resolve().parents[2] / "app"

#: Files that once branched on a kind's name and now ask the kind instead.
KIND_FREE = [
    "services/state.py", "services/rounds.py", "services/comments.py", "services/worksheets.py", "models/work.py",
    "participant/routes.py", "facilitator/forms.py", "facilitator/routes.py", "facilitator/day.py",
    "realtime/participant.py", "realtime/broadcast.py",
]


def _kind_comparisons(path: Path) -> list[str]:
    """Comparisons of a ``kind`` with a kind's name (``round_.kind == "rank"``, ``kind in ("comment", …)``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        names = {c.value for side in sides for c in ast.walk(side) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
        about_kind = any(
            (isinstance(s, ast.Attribute) and s.attr == "kind") or (isinstance(s, ast.Name) and s.id == "kind") for s in sides
        )
        if about_kind and names & set(KINDS):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_kind_names_outside_the_registry():
    found = [hit for name in KIND_FREE for hit in _kind_comparisons(APP / name)]
    assert found == []


def test_the_check_finds_a_kind_branch(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('if round_.kind != "worksheet":\n    pass\nif kind in ("rank", "x"):\n    pass\n', encoding="utf-8")
    assert _kind_comparisons(sample) == ["sample.py:1", "sample.py:3"]


def test_console_round_form_names_no_kind():
    html = (APP / "templates" / "facilitator" / "console.html").read_text(encoding="utf-8")
    form = html[html.index('id="round-form"'):html.index("</form>", html.index('id="round-form"'))]
    assert "data-for-kinds" in form
    assert not [k for k in KINDS if re.search(rf"\b{k}\b", form)]


def test_each_kind_shows_the_settings_it_has():
    """The form's fields for a kind are exactly the settings a round of that kind starts with."""
    shown: dict[str, set[str]] = {k: set() for k in KINDS}
    for block, kinds in SETTINGS_LAYOUT:
        for kind in kinds.split(" "):
            shown[kind] |= {s.name for s in block.settings}
    assert shown == {name: set(kind.default_settings()) for name, kind in KINDS.items()}


def test_console_form_marks_each_field_with_its_kinds(app, facilitator, make_workshop, make_round):
    code = make_workshop(facilitator.user["id"])
    make_round(code, "brainstorm", title="Ideas")
    html = facilitator.get(f"/f/{code}").get_data(as_text=True)
    form = html[html.index('id="round-form"'):html.index("</form>", html.index('id="round-form"'))]
    blocks = re.findall(r'<div data-for-kinds="([^"]*)"[^>]*>(.*?)</div>\s*(?=<div data-for-kinds|<button)', form, re.S)
    marked = {name: kinds for kinds, body in blocks for name in re.findall(r'name="(\w+)"', body)}
    declared = {s.name: kinds for block, kinds in SETTINGS_LAYOUT for s in block.settings}
    assert marked == declared
    assert marked["per_group"].split(" ") == [k for k, v in KINDS.items() if "per_group" in v.default_settings()]
    assert "Ideas (brainstorm)" in form  # the rounds to work over, filled in for this workshop
    assert 'data-when-checked="per_group"' in form


@pytest.mark.parametrize("kind, data, expected", [
    ("rank", {"source_round_id": "1", "method": "schulze", "top_k": ""},
     {"source_round_id": 1, "method": "schulze", "tie_break": "none", "min_cell": 3}),
    ("comment", {"items": "One\nTwo"}, {"source_round_id": None, "items": "One\nTwo", "tie_break": "none", "method": "borda", "min_cell": 3}),
])
def test_form_settings_take_blank_fields_as_defaults(app, kind, data, expected):
    from app.facilitator.forms import RoundForm

    with app.test_request_context(method="POST"):
        form = RoundForm(formdata=MultiDict({"kind": kind, "title": "T", **data}), meta={"csrf": False})
        settings = form.settings()
    # Unticked boxes are sent as False; the select fields and min_cell have form defaults.
    assert {k: v for k, v in settings.items() if v is not False} == expected
    assert [s.name for s in round_settings()][:2] == ["source_round_id", "top_k"]


def test_each_audience_gets_the_kinds_payload(ctx):
    w = workshops.create_workshop(None, title="W", language="en")
    people = [participants.join(w, name=f"P{i}") for i in range(2)]
    comment = rounds.add_round(w, kind="comment", title="Items", settings={"items": "a\nb"})
    rounds.open_round(comment)
    assert state.snapshot(w, state.FACILITATOR)["comments"] == [] == state.snapshot(w, state.PARTICIPANT, people[0])["comments"]
    assert kind_of(comment).collects_comments and not kind_of(comment).has_worksheets
    b = rounds.add_round(w, kind="brainstorm", title="Ideas")
    rounds.open_round(b)
    for audience, who in ((state.FACILITATOR, None), (state.DISPLAY, None), (state.PARTICIPANT, people[1])):
        s = state.snapshot(w, audience, who)
        assert "comments" not in s and "voters" not in s and s["ideas"] == []
    assert state.submitted_count(comment) == 0 and comment.state.value == "closed"
