"""What each audience receives: no participant's name where the workshop hides names, and in a
round held in groups no phone receives another group's ideas.

A whole day runs through the Socket.IO test client; every event each phone and the projector
received, every ack and every synced state is collected and walked, string by string.
"""
from __future__ import annotations

import time
from typing import Any, Iterator

import pytest

P, F, D = "/participant", "/facilitator", "/display"

#: Distinctive names: none of them can turn up in a payload by accident.
NAMES = ["Zorvath Quibblesen", "Ymmelina Braskvik", "Xandrup Oylestad", "Wulfgarda Pimsrud"]
SECTORS = ["health_service", "industry", "health_service", "industry"]


def walk(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string in a JSON value (keys too), with the path that leads to it."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path + (key,), str(key)
            yield from walk(item, path + (key,))
    elif isinstance(value, (list, tuple)):
        for n, item in enumerate(value):
            yield from walk(item, path + (n,))
    elif isinstance(value, str):
        yield path, value


def leaks(collected: list[Any], names: list[str], allowed: set[tuple] = frozenset()) -> list[tuple[tuple, str]]:
    """(path, text) of every string that contains one of ``names``, outside ``allowed`` paths."""
    found = []
    for n, item in enumerate(collected):
        for path, text in walk(item, (n,)):
            if path[1:] in allowed:
                continue
            if any(name.lower() in text.lower() or part.lower() in text.lower().split()
                   for name in names for part in name.split()):
                found.append((path, text))
    return found


class Audience:
    """A Socket.IO test client whose every received event and ack is kept."""

    def __init__(self, client, namespace: str) -> None:
        self.client, self.ns = client, namespace
        self.collected: list[Any] = []

    def drain(self) -> list[dict]:
        received = self.client.get_received(self.ns)
        self.collected.extend({"event": m["name"], "args": m["args"]} for m in received)
        return received

    def call(self, event: str, payload: Any = None) -> dict:
        ack = self.client.emit(event, payload, namespace=self.ns, callback=True)
        self.collected.append({"ack": event, "data": ack})
        self.drain()
        return ack

    def ok(self, event: str, payload: Any = None) -> dict:
        ack = self.call(event, payload)
        assert ack.get("ok") is True, (event, ack)
        return ack

    def events(self, name: str) -> list[Any]:
        self.drain()
        return [c["args"][0] for c in self.collected if c.get("event") == name]


@pytest.fixture
def hidden_day(app, facilitator, make_workshop, make_round, join_participant, sio):
    code = make_workshop(facilitator.user["id"], language="en", show_names=False)
    phones = [Audience(sio(P, join_participant(code, name, "Fjordkraft Labs", sector), code), P)
              for name, sector in zip(NAMES, SECTORS)]
    day = type("Day", (), {})()
    day.code, day.phones = code, phones
    day.console = Audience(sio(F, facilitator, code), F)
    day.display = Audience(sio(D, app.test_client(), code), D)
    return day


def _run_day(app, day, make_round) -> dict:
    from app import transaction
    from app.services import surveys, workshops

    console, display, phones = day.console, day.display, day.phones
    console.ok("assign_groups", {"count": 2})
    me = [p.ok("sync")["state"]["me"] for p in phones]
    group_of = {n: m["group_id"] for n, m in enumerate(me)}
    assert len(set(group_of.values())) == 2

    # A brainstorm held in groups: each phone adds an idea; one is hidden, shown, edited, themed.
    b = make_round(day.code, "brainstorm", title="Ideas in groups", per_group=True)
    console.ok("open_round", {"round_id": b})
    for p in phones:
        p.ok("sync")
    idea_group = {}
    for n, p in enumerate(phones):
        idea = p.ok("submit_idea", {"round_id": b, "op_id": f"leak-idea-{n:04d}", "title": f"Idea number {n}"})["idea"]
        idea_group[idea["id"]] = group_of[n]
    first = min(idea_group)
    console.ok("hide_idea", {"idea_id": first, "hidden": True})
    console.ok("hide_idea", {"idea_id": first, "hidden": False})
    console.ok("edit_idea", {"idea_id": first, "title": "Idea number 0, sharpened"})
    console.ok("set_theme", {"idea_id": first, "theme": "Data"})
    for p in phones:
        p.ok("sync")
    display.ok("sync")
    console.ok("close_round", {"round_id": b})

    # A dot vote held in groups over those ideas, results shown while it runs.
    v = make_round(day.code, "dot_vote", title="Dots", source_round_id=b, budget=3, cap=3, per_group=True, group_top_n=2)
    console.ok("open_round", {"round_id": v})
    console.ok("reveal_results", {"round_id": v, "revealed": True})
    for n, p in enumerate(phones):
        options = p.ok("sync")["state"]["options"]
        assert options and all(idea_group[o["id"]] == group_of[n] for o in options)
        p.ok("cast_dots", {"round_id": v, "idea_id": options[0]["id"], "count": 2, "op_id": f"leak-dot-{n:05d}"})
    # The coalesced tallies go out (at most ten a second): wait for the projector's, however
    # busy the machine.
    deadline = time.monotonic() + 10
    while not any(t["round_id"] == v and t["live"] for t in display.events("tally")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    for p in phones:
        p.ok("sync")
    display.ok("sync")
    console.ok("close_round", {"round_id": v})

    # Comments on items: added, starred, hidden.
    c = make_round(day.code, "comment", title="Measures", items="Shared records\nNordic trials")
    console.ok("open_round", {"round_id": c})
    comment_ids = [p.ok("submit_comment", {"round_id": c, "op_id": f"leak-cmt-{n:05d}", "item_index": n % 2,
                                            "text": f"Comment {n}"})["comment"]["id"] for n, p in enumerate(phones)]
    console.ok("flag_comment", {"comment_id": comment_ids[0], "starred": True})
    console.ok("flag_comment", {"comment_id": comment_ids[1], "hidden": True})
    for p in phones:
        p.ok("sync")
    display.ok("sync")

    # Worksheets of the top ideas, written by phones of their group (one conflict) and the console.
    w = make_round(day.code, "worksheet", title="Work out", source_round_id=v, top_k=2)
    console.ok("open_round", {"round_id": w})
    sheets = phones[0].ok("sync")["state"]["worksheets"]
    for n, p in enumerate(phones):
        own = [s for s in sheets if s["group_id"] == group_of[n]]
        assert own, "every group has a worksheet"
        sheet = p.ok("sync")["state"]["worksheets"]
        field = next(f for s in sheet if s["id"] == own[0]["id"] for f in s["fields"] if f["key"] == "idea")
        saved = p.call("edit_worksheet", {"worksheet_id": own[0]["id"], "key": "idea", "text": f"Plan {n}",
                                          "base_version": field["version"]})
        assert saved["ok"] or saved["error"]["code"] == "edit_conflict", saved
        # A stale save from the same phone: the conflict names who saved the field.
        clash = p.call("edit_worksheet", {"worksheet_id": own[0]["id"], "key": "idea", "text": "Stale", "base_version": 0})
        assert clash["error"]["code"] == "edit_conflict"
    console.ok("edit_worksheet", {"worksheet_id": sheets[0]["id"], "key": "challenge", "text": "Fragmentation", "base_version": 0})
    for p in phones:
        p.ok("sync")
    display.ok("sync")
    console.ok("sync")

    # A follow-up survey.
    with app.app_context():
        ws = workshops.by_code(day.code)
        s = transaction.run(lambda: surveys.create_survey(ws, title="After the day"))
        q = transaction.run(lambda: surveys.add_question(s, kind="scale", text="Useful?", required=True))
        transaction.run(s.open)
        sid, qid = s.id, q.id
    for n, p in enumerate(phones):
        p.ok("sync")
        p.ok("submit_survey", {"survey_id": sid, "answers": {str(qid): 4}, "op_id": f"leak-svy-{n:05d}"})
    console.ok("close_round", {"round_id": w})
    for audience in (*phones, display, console):
        audience.ok("sync")
    return {"brainstorm": b, "vote": v, "group_of": group_of, "idea_group": idea_group}


def test_no_name_reaches_phones_or_projector_where_names_are_hidden(app, hidden_day, make_round):
    _run_day(app, hidden_day, make_round)
    display = hidden_day.display
    assert len(display.collected) > 20
    assert leaks(display.collected, NAMES) == []
    for n, phone in enumerate(hidden_day.phones):
        others = [name for m, name in enumerate(NAMES) if m != n]
        assert leaks(phone.collected, others) == [], NAMES[n]
        # A phone's own name comes back to it only as its own "me" in a synced state.
        assert leaks(phone.collected, [NAMES[n]], allowed={("data", "state", "me", "name")}) == [], NAMES[n]
    # The console keeps the editor's name: the walk does find names where they are.
    console_updates = hidden_day.console.events("worksheet_field")
    assert any(u["updated_by"] in NAMES for u in console_updates), console_updates


def test_phones_receive_only_their_groups_ideas(app, hidden_day, make_round):
    day = _run_day(app, hidden_day, make_round)
    b, group_of, idea_group = day["brainstorm"], day["group_of"], day["idea_group"]
    for n, phone in enumerate(hidden_day.phones):
        seen = set()
        for item in phone.collected:
            if item.get("event") in ("idea_added", "idea_updated"):
                idea = item["args"][0]
                if idea["round_id"] == b:
                    seen.add(idea["id"])
            state = (item.get("data") or {}).get("state") if item.get("ack") == "sync" else None
            if state and state["round"] and state["round"]["id"] == b:
                seen.update(i["id"] for i in state["ideas"])
        assert seen and all(idea_group[i] == group_of[n] for i in seen), (n, seen, idea_group)
    # While the vote held in groups runs, a phone's live tallies list its group's ideas only.
    v = day["vote"]
    for n, phone in enumerate(hidden_day.phones):
        tallies = [i["args"][0] for i in phone.collected if i.get("event") == "tally" and i["args"][0]["live"]]
        tallies += [i["data"]["state"]["tally"] for i in phone.collected if i.get("ack") == "sync"
                    and (i["data"]["state"]["round"] or {}).get("id") == v and i["data"]["state"]["round"]["state"] == "open"
                    and i["data"]["state"]["tally"]]
        shown = {s["idea_id"] for t in tallies if t["round_id"] == v for s in t["standings"]}
        assert shown and all(idea_group[i] == group_of[n] for i in shown), (n, shown)
    display_tallies = [t for t in hidden_day.display.events("tally") if t["round_id"] == v and t["live"]]
    assert {s["idea_id"] for s in display_tallies[-1]["standings"]} == set(idea_group)
    # The projector and the console see every group's ideas.
    for audience in (hidden_day.display, hidden_day.console):
        added = {i["id"] for i in audience.events("idea_added") if i["round_id"] == b}
        assert added == set(idea_group)


def test_a_moved_participant_follows_its_new_group(app, hidden_day, make_round):
    console, phones = hidden_day.console, hidden_day.phones
    groups = console.ok("assign_groups", {"count": 2})["groups"]
    b = make_round(hidden_day.code, "brainstorm", title="Groups", per_group=True)
    console.ok("open_round", {"round_id": b})
    mover = phones[0]
    home = mover.ok("sync")["state"]["me"]["group_id"]
    other = next(g["id"] for g in groups if g["id"] != home)
    console.ok("move_participant", {"participant_id": mover.ok("sync")["state"]["me"]["id"], "group_id": other})
    assert mover.events("round_state"), "a move makes phones sync"
    assert mover.ok("sync")["state"]["me"]["group_id"] == other
    mover.drain()
    mover.collected.clear()
    by_group = {}
    for n, p in enumerate(phones[1:], start=1):
        gid = p.ok("sync")["state"]["me"]["group_id"]
        by_group.setdefault(gid, p)
    by_group[home].ok("submit_idea", {"round_id": b, "op_id": "move-op-00001", "title": "From the old group"})
    by_group[other].ok("submit_idea", {"round_id": b, "op_id": "move-op-00002", "title": "From the new group"})
    titles = [i["title"] for i in mover.events("idea_added")]
    assert titles == ["From the new group"]


def test_worksheet_editor_is_shown_where_names_are_shown(app, facilitator, make_workshop, make_round, join_participant, sio):
    code = make_workshop(facilitator.user["id"], language="en", show_names=True)
    phones = [Audience(sio(P, join_participant(code, name, "Fjordkraft Labs"), code), P) for name in NAMES[:2]]
    display = Audience(sio(D, app.test_client(), code), D)
    console = Audience(sio(F, facilitator, code), F)
    b = make_round(code, "brainstorm", title="Ideas", open_=True)
    phones[0].ok("submit_idea", {"round_id": b, "op_id": "shown-op-0001", "title": "One"})
    w = make_round(code, "worksheet", title="Work out", source_round_id=b, top_k=1)
    console.ok("open_round", {"round_id": w})
    sheet = phones[0].ok("sync")["state"]["worksheets"][0]
    phones[0].ok("edit_worksheet", {"worksheet_id": sheet["id"], "key": "idea", "text": "Plan", "base_version": 0})
    assert display.events("worksheet_field")[-1]["updated_by"] == NAMES[0]
    clash = phones[1].call("edit_worksheet", {"worksheet_id": sheet["id"], "key": "idea", "text": "X", "base_version": 0})
    assert clash["error"]["details"]["current"]["updated_by"] == NAMES[0]
