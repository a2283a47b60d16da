"""Socket.IO events of the whole day: agenda, timers, groups, curation, comments, worksheets, survey, presence."""
import time

import pytest

from tests.support.sockets import D, F, P, call, events


@pytest.fixture
def day(app, facilitator, make_workshop, make_round, join_participant, sio):
    code = make_workshop(facilitator.user["id"], language="en")
    b = make_round(code, "brainstorm", title="Ideas", open_=True)
    phones = [join_participant(code, f"P{i}", "Org", "industry" if i % 2 else "health_service") for i in range(4)]
    ns = type("Day", (), {})()
    ns.code, ns.brainstorm = code, b
    ns.phones = [sio(P, c, code) for c in phones]
    ns.console = sio(F, facilitator, code)
    ns.display = sio(D, app.test_client(), code)
    return ns


def test_presence_counts_connected_phones(app, day):
    state = call(day.console, F, "sync")["state"]
    assert state["connected"] == 4 and state["participants"] == 4 and state["connected_by_group"] == {"none": 4}
    day.phones[0].disconnect(P)
    time.sleep(3 / app.config["TAVLE_PRESENCE_HZ"])  # presence counts are coalesced
    assert events(day.console, F, "presence")[-1]["connected"] == 3


def test_agenda_now_marker_reaches_phones_and_projector(app, day):
    from app import transaction
    from app.services import agenda, workshops

    with app.app_context():
        w = workshops.by_code(day.code)
        ids = [transaction.run(lambda t=t: agenda.add_item(w, start=s, title=t)).id for s, t in [("09:00", "Welcome"), ("10:00", "Group work")]]
    ack = call(day.console, F, "set_agenda_now", {"item_id": ids[0]})
    assert ack["ok"] and ack["agenda"]["now"] == ids[0] and ack["agenda"]["next"] == ids[1]
    assert events(day.phones[1], P, "agenda")[-1]["now"] == ids[0]
    assert events(day.display, D, "agenda")[-1]["now"] == ids[0]
    assert call(day.phones[0], P, "set_agenda_now", {"item_id": ids[1]})["error"]["code"] == "forbidden"
    assert call(day.console, F, "set_agenda_now", {"item_id": 999999})["error"]["code"] == "unknown_agenda_item"


def test_timer_counts_down_and_closes_the_round(app, day, op_id):
    ack = call(day.console, F, "start_timer", {"round_id": day.brainstorm, "seconds": 1, "auto_close": True})
    assert ack["ok"] and ack["timer"]["running"] and ack["timer"]["remaining"] <= 1
    assert events(day.phones[0], P, "timer")[-1]["auto_close"] is True
    # A phone that reconnects gets the same timer from its state.
    assert call(day.phones[2], P, "sync")["state"]["round"]["timer"]["ends_at"] == ack["timer"]["ends_at"]
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        states = events(day.phones[0], P, "round_state")
        if states and states[-1]["round"]["state"] == "closed":
            break
        time.sleep(0.1)
    else:
        pytest.fail("the round did not close when its timer ran out")
    late = call(day.phones[0], P, "submit_idea", {"round_id": day.brainstorm, "op_id": op_id(), "title": "Late"})
    assert late["error"]["code"] == "round_closed"
    assert call(day.console, F, "start_timer", {"round_id": day.brainstorm, "seconds": 30})["error"]["code"] == "round_not_open"


def test_timer_pause_extend_resume(app, day):
    call(day.console, F, "start_timer", {"round_id": day.brainstorm, "seconds": 120})
    paused = call(day.console, F, "pause_timer", {"round_id": day.brainstorm})["timer"]
    assert paused["running"] is False and 119 <= paused["remaining"] <= 120
    extended = call(day.console, F, "extend_timer", {"round_id": day.brainstorm, "seconds": 60})["timer"]
    assert extended["remaining"] == pytest.approx(paused["remaining"] + 60)
    assert call(day.console, F, "resume_timer", {"round_id": day.brainstorm})["timer"]["running"] is True
    assert call(day.console, F, "pause_timer", {"round_id": day.brainstorm, "seconds": "x"})["ok"]
    assert call(day.console, F, "extend_timer", {"round_id": day.brainstorm, "seconds": -5})["error"]["code"] == "bad_duration"


def test_groups_curation_comments_over_sockets(app, day, make_round, op_id):
    groups = call(day.console, F, "assign_groups", {"count": 2})
    assert groups["ok"] and len(groups["groups"]) == 2
    me = call(day.phones[0], P, "sync")["state"]["me"]
    assert me["group"] in {g["name"] for g in groups["groups"]} and me["table"]
    a = call(day.phones[0], P, "submit_idea", {"round_id": day.brainstorm, "op_id": op_id(), "title": "Data sharing"})["idea"]
    b = call(day.phones[1], P, "submit_idea", {"round_id": day.brainstorm, "op_id": op_id(), "title": "Sharing data"})["idea"]
    merged = call(day.console, F, "merge_ideas", {"target_id": a["id"], "source_ids": [b["id"]]})
    assert merged["ok"] and merged["merges"][0]["source_id"] == b["id"]
    assert [i["id"] for i in call(day.display, D, "sync")["state"]["ideas"]] == [a["id"]]
    assert call(day.console, F, "undo_merge", {"merge_id": merged["merges"][0]["id"]})["merges"][0]["undone"]
    assert call(day.console, F, "set_theme", {"idea_id": a["id"], "theme": "Data"})["idea"]["theme"] == "Data"
    edited = call(day.console, F, "edit_idea", {"idea_id": a["id"], "title": "Data sharing across sectors"})
    assert edited["idea"]["title"] == "Data sharing across sectors"
    assert call(day.phones[0], P, "merge_ideas", {"target_id": a["id"], "source_ids": [b["id"]]})["error"]["code"] == "forbidden"

    c = make_round(day.code, "comment", title="Measures", items="Felles løft\nInternasjonalt samarbeid")
    assert call(day.console, F, "open_round", {"round_id": c})["ok"]
    ack = call(day.phones[2], P, "submit_comment", {"round_id": c, "op_id": op_id(), "item_index": 1, "text": "Use Nordic PerMed"})
    assert ack["ok"] and ack["comment"]["item_index"] == 1
    assert events(day.display, D, "comment_added")[-1]["text"] == "Use Nordic PerMed"
    star = call(day.console, F, "flag_comment", {"comment_id": ack["comment"]["id"], "starred": True})
    assert star["comment"]["starred"] and events(day.phones[3], P, "comment_updated")[-1]["starred"]
    bad = call(day.phones[2], P, "submit_comment", {"round_id": c, "op_id": op_id(), "item_index": 5, "text": "x"})
    assert bad["error"]["code"] == "unknown_item"


def test_worksheet_conflict_over_sockets(app, day, make_round, op_id):
    call(day.console, F, "assign_groups", {"count": 1})
    for n, phone in enumerate(day.phones[:3]):
        call(phone, P, "submit_idea", {"round_id": day.brainstorm, "op_id": op_id(), "title": f"Idea {n}"})
    w = make_round(day.code, "worksheet", title="Work out", source_round_id=day.brainstorm, top_k=2)
    assert call(day.console, F, "open_round", {"round_id": w})["ok"]
    sheets = call(day.phones[0], P, "sync")["state"]["worksheets"]
    assert len(sheets) == 2 and [f["key"] for f in sheets[0]["fields"]] == ["challenge", "idea", "first_steps"]
    sid = sheets[0]["id"]
    first = call(day.phones[0], P, "edit_worksheet", {"worksheet_id": sid, "key": "idea", "text": "A national hub", "base_version": 0})
    assert first["ok"] and first["field"]["version"] == 1
    assert events(day.phones[1], P, "worksheet_field")[-1]["text"] == "A national hub"
    clash = call(day.phones[1], P, "edit_worksheet", {"worksheet_id": sid, "key": "idea", "text": "A registry", "base_version": 0})
    assert clash["error"]["code"] == "edit_conflict"
    assert clash["error"]["details"]["current"]["text"] == "A national hub"
    fixed = call(day.phones[1], P, "edit_worksheet", {"worksheet_id": sid, "key": "idea", "text": "A national hub with a registry", "base_version": 1})
    assert fixed["field"]["version"] == 2
    assert call(day.console, F, "edit_worksheet", {"worksheet_id": sid, "key": "challenge", "text": "Fragmentation", "base_version": 0})["ok"]


def test_survey_over_sockets(app, day, op_id):
    from app import transaction
    from app.services import surveys, workshops

    with app.app_context():
        w = workshops.by_code(day.code)
        s = transaction.run(lambda: surveys.create_survey(w, title="After the day"))
        q = transaction.run(lambda: surveys.add_question(s, kind="scale", text="Useful?", required=True))
        transaction.run(s.open)
        sid, qid = s.id, q.id
    state = call(day.phones[0], P, "sync")["state"]
    assert state["surveys"] == [{"id": sid, "title": "After the day", "responded": False}]
    ack = call(day.phones[0], P, "submit_survey", {"survey_id": sid, "answers": {str(qid): 4}, "op_id": op_id()})
    assert ack["ok"]
    assert events(day.console, F, "survey_results")[-1]["respondents"] == 1
    twice = call(day.phones[0], P, "submit_survey", {"survey_id": sid, "answers": {str(qid): 2}, "op_id": op_id()})
    assert twice["error"]["code"] == "already_responded"
    assert call(day.phones[0], P, "sync")["state"]["surveys"][0]["responded"] is True
