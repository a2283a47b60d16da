"""Every Socket.IO event over the Flask-SocketIO test client, including the refusals."""
import time

import pytest

from app.extensions import db
from app.models import Ballot, Idea
from tests.support.sockets import D, F, P, call, events


@pytest.fixture
def live(app, facilitator, make_workshop, make_round, join_participant, sio, op_id):
    """A workshop in English with an open brainstorm, a facilitator console, a projector and two phones."""
    code = make_workshop(facilitator.user["id"], language="en")
    brainstorm = make_round(code, "brainstorm", title="Ideas", open_=True)
    kari, ola = join_participant(code, "Kari"), join_participant(code, "Ola", "Equinor", "industry")
    ns = type("Live", (), {})()
    ns.code, ns.brainstorm, ns.op_id = code, brainstorm, op_id
    ns.kari_http, ns.ola_http = kari, ola
    ns.kari, ns.ola = sio(P, kari, code), sio(P, ola, code)
    ns.console, ns.display = sio(F, facilitator, code), sio(D, app.test_client(), code)
    for c, n in ((ns.kari, P), (ns.ola, P), (ns.console, F), (ns.display, D)):
        assert c.is_connected(n)
    return ns


def test_connections_are_refused_without_the_right_identity(app, facilitator, make_workshop, make_user, login, sio):
    code = make_workshop(facilitator.user["id"])
    stranger = app.test_client()
    assert not sio(P, stranger, code).is_connected(P)  # never joined
    stranger.set_cookie("tavle_p1", "forged.token.value")
    assert not sio(P, stranger, code).is_connected(P)
    assert not sio(F, app.test_client(), code).is_connected(F)  # not logged in
    other = login(app.test_client(), make_user())
    assert not sio(F, other, code).is_connected(F)  # facilitator of another workshop
    assert not sio(D, app.test_client(), "WRONG1").is_connected(D)
    assert sio(D, app.test_client(), code.lower()).is_connected(D)


def test_sync_gives_each_audience_its_state(live):
    state = call(live.kari, P, "sync")["state"]
    assert state["round"]["kind"] == "brainstorm" and state["me"]["name"] == "Kari"
    assert state["participants"] == 2 and "rounds" not in state
    console = call(live.console, F, "sync")["state"]
    assert [r["id"] for r in console["rounds"]] == [live.brainstorm]
    assert call(live.display, D, "sync")["state"]["workshop"]["code"] == live.code


def test_idea_reaches_everyone_once(app, live, op_id):
    payload = {"round_id": live.brainstorm, "op_id": op_id(), "title": "Digital care pathway", "details": "Like the cancer pathways"}
    ack = call(live.kari, P, "submit_idea", payload)
    assert ack["ok"] and ack["idea"]["title"] == "Digital care pathway" and ack["replayed"] is False
    for client, ns in ((live.console, F), (live.display, D), (live.ola, P)):
        got = events(client, ns, "idea_added")
        assert [i["title"] for i in got] == ["Digital care pathway"]
    # The same submission again (a lost ack): applied once, answered the same, not broadcast again.
    again = call(live.kari, P, "submit_idea", payload)
    assert again["ok"] and again["replayed"] and again["idea"]["id"] == ack["idea"]["id"]
    assert events(live.console, F, "idea_added") == []
    with app.app_context():
        assert db.session.query(Idea).count() == 1


@pytest.mark.parametrize("payload, code", [
    ({"title": "x" * 121}, "title_too_long"),
    ({"title": ""}, "title_required"),
    ({"title": "ok", "details": "d" * 1001}, "details_too_long"),
    ({"title": "ok", "op_id": None}, "bad_op_id"),
    ({"title": "ok", "round_id": 999999}, "unknown_round"),
])
def test_bad_ideas_are_refused_with_a_message(app, live, payload, code, op_id):
    data = {"round_id": live.brainstorm, "op_id": op_id(), **payload}
    ack = call(live.kari, P, "submit_idea", data)
    assert ack["ok"] is False and ack["error"]["code"] == code and ack["error"]["message"]
    with app.app_context():
        assert db.session.query(Idea).count() == 0
    assert call(live.kari, P, "submit_idea", "not an object")["error"]["code"] == "bad_request"


def test_participant_cannot_call_facilitator_events(app, live):
    for event in ("open_round", "close_round", "hide_idea", "reveal_results"):
        ack = call(live.kari, P, event, {"round_id": live.brainstorm})
        assert ack == {"ok": False, "error": {"code": "forbidden", "message": "Only the workshop's facilitator can do that."}}
        ack = call(live.display, D, event, {"round_id": live.brainstorm})
        assert ack["error"]["code"] == "forbidden"
    assert call(live.kari, P, "drop_tables", {})["error"]["code"] == "unknown_event"
    assert call(live.console, F, "sync")["state"]["round"]["state"] == "open"


def test_facilitator_controls_rounds_and_ideas(app, live, make_round, op_id):
    idea = call(live.kari, P, "submit_idea", {"round_id": live.brainstorm, "op_id": op_id(), "title": "Spam"})["idea"]
    live.display.get_received(D)
    ack = call(live.console, F, "hide_idea", {"idea_id": idea["id"], "hidden": True})
    assert ack["ok"] and ack["idea"]["hidden"]
    assert events(live.display, D, "idea_updated") == [{"id": idea["id"], "round_id": live.brainstorm, "hidden": True}]
    assert call(live.ola, P, "sync")["state"]["ideas"] == []
    assert call(live.console, F, "hide_idea", {"idea_id": 424242})["error"]["code"] == "unknown_idea"
    ack = call(live.console, F, "close_round", {"round_id": live.brainstorm})
    assert ack["ok"] and ack["round"]["state"] == "closed"
    states = events(live.kari, P, "round_state")
    assert states and states[-1]["round"]["state"] == "closed"
    assert call(live.console, F, "close_round", {"round_id": live.brainstorm})["error"]["code"] == "round_not_open"
    assert call(live.console, F, "open_round", {"round_id": "nope"})["error"]["code"] == "bad_request"
    late = call(live.kari, P, "submit_idea", {"round_id": live.brainstorm, "op_id": op_id(), "title": "Too late"})
    assert late["error"]["code"] == "round_closed"
    assert call(live.console, F, "open_round", {"round_id": live.brainstorm})["round"]["state"] == "open"


def test_facilitator_cannot_touch_another_workshop(app, live, make_user, login, make_workshop, make_round, sio):
    other_user = make_user()
    other_client = login(app.test_client(), other_user)
    other_code = make_workshop(other_user["id"])
    sio_other = sio(F, other_client, other_code)
    ack = call(sio_other, F, "close_round", {"round_id": live.brainstorm})
    assert ack["error"]["code"] == "unknown_round"
    assert call(live.console, F, "sync")["state"]["round"]["state"] == "open"


def _dot_round(live, make_round, n_ideas=4, **settings):
    ids = [call(live.kari, P, "submit_idea", {"round_id": live.brainstorm, "op_id": live.op_id(), "title": f"Idea {i}"})["idea"]["id"] for i in range(n_ideas)]
    rid = make_round(live.code, "dot_vote", title="Dots", source_round_id=live.brainstorm, **settings)
    assert call(live.console, F, "open_round", {"round_id": rid})["ok"]
    for c, n in ((live.kari, P), (live.ola, P), (live.console, F), (live.display, D)):
        c.get_received(n)
    return rid, ids


def dot(client, rid, idea, count, op):
    return call(client, P, "cast_dots", {"round_id": rid, "idea_id": idea, "count": count, "op_id": op})


def test_dot_budget_cap_and_second_tab(app, live, make_round, sio, op_id):
    rid, ids = _dot_round(live, make_round, budget=5, cap=3)
    assert dot(live.kari, rid, ids[0], 3, op_id())["ballot"] == {str(ids[0]): 3}
    over_cap = dot(live.kari, rid, ids[0], 4, op_id())
    assert over_cap["error"]["code"] == "over_cap" and "3" in over_cap["error"]["message"]
    # A second tab of the same participant sees the ballot change and shares the budget.
    tab2 = sio(P, live.kari_http, live.code)
    tab2.get_received(P)
    assert dot(live.kari, rid, ids[1], 2, op_id())["ok"]
    assert events(tab2, P, "ballot")[-1] == {"round_id": rid, "ballot": {str(ids[0]): 3, str(ids[1]): 2}, "voted": True}
    sixth = dot(tab2, rid, ids[2], 1, op_id())
    assert sixth["ok"] is False and sixth["error"]["code"] == "over_budget"
    assert "5" in sixth["error"]["message"]
    state = call(tab2, P, "sync")["state"]
    assert state["ballot"] == {str(ids[0]): 3, str(ids[1]): 2}
    assert dot(live.ola, rid, 999999, 1, op_id())["error"]["code"] == "unknown_idea"
    assert call(live.ola, P, "submit_ranking", {"round_id": rid, "order": ids, "op_id": op_id()})["error"]["code"] == "wrong_action"
    call(live.console, F, "close_round", {"round_id": rid})
    assert dot(live.ola, rid, ids[0], 1, op_id())["error"]["code"] == "round_closed"
    with app.app_context():
        ballots = {b.participant_id: b.content for b in db.session.query(Ballot).all()}
        assert list(ballots.values()) == [{str(ids[0]): 3, str(ids[1]): 2}]


def test_replayed_vote_is_applied_once(app, live, make_round, op_id):
    rid, ids = _dot_round(live, make_round)
    old = op_id()
    first = dot(live.ola, rid, ids[0], 1, old)
    dot(live.ola, rid, ids[0], 2, op_id())
    replay = dot(live.ola, rid, ids[0], 1, old)  # the old op, re-sent late
    assert first["replayed"] is False and replay["replayed"] is True
    assert replay["ballot"] == {str(ids[0]): 2}  # the later change stands


def test_tallies_are_coalesced_and_the_last_one_is_right(app, live, make_round, op_id):
    rid, ids = _dot_round(live, make_round, budget=30, cap=30)
    start = time.monotonic()
    for n in range(30):
        dot(live.kari, rid, ids[n % 2], n // 2 + 1, op_id())
        dot(live.ola, rid, ids[2], n + 1, op_id())
    elapsed = time.monotonic() - start
    time.sleep(0.5)
    hz = app.config["TAVLE_TALLY_HZ"]
    for client, ns in ((live.console, F), (live.display, D), (live.kari, P)):
        tallies = [t for t in events(client, ns, "tally") if t["round_id"] == rid]
        assert 1 <= len(tallies) <= int(elapsed * hz) + 2, (len(tallies), elapsed)
        final = {s["idea_id"]: s["score"] for s in tallies[-1]["standings"]}
        assert final[ids[0]] == 15 and final[ids[1]] == 15 and final[ids[2]] == 30
        assert tallies[-1]["voters"] == 2


def test_hidden_results_reach_only_the_facilitator(app, live, make_round, op_id):
    rid, ids = _dot_round(live, make_round)
    assert call(live.console, F, "reveal_results", {"round_id": rid, "revealed": False})["ok"]
    for c, n in ((live.kari, P), (live.display, D), (live.console, F)):
        c.get_received(n)
    dot(live.ola, rid, ids[0], 1, op_id())
    time.sleep(0.4)
    assert events(live.console, F, "tally")
    assert events(live.display, D, "tally") == [] and events(live.kari, P, "tally") == []
    assert call(live.kari, P, "sync")["state"]["tally"] is None
    assert call(live.console, F, "sync")["state"]["tally"]["standings"][0]["score"] == 1


def test_rank_round_over_sockets(app, live, make_round, op_id):
    rid, ids = _dot_round(live, make_round)
    dot(live.kari, rid, ids[0], 3, op_id())
    dot(live.ola, rid, ids[1], 2, op_id())
    dot(live.ola, rid, ids[2], 1, op_id())
    rank_id = make_round(live.code, "rank", title="Rank", source_round_id=rid, top_k=3)
    assert call(live.console, F, "open_round", {"round_id": rank_id})["ok"]
    state = call(live.kari, P, "sync")["state"]
    assert [o["id"] for o in state["options"]] == [ids[0], ids[1], ids[2]] and state["ballot"] == []
    order = [ids[1], ids[0], ids[2]]
    for who in (live.kari, live.ola):
        ack = call(who, P, "submit_ranking", {"round_id": rank_id, "order": order, "op_id": op_id()})
        assert ack["ok"] and ack["ballot"] == order
    bad = call(live.kari, P, "submit_ranking", {"round_id": rank_id, "order": order[:2], "op_id": op_id()})
    assert bad["error"]["code"] == "incomplete_ranking"
    call(live.console, F, "close_round", {"round_id": rank_id})
    tally = call(live.display, D, "sync")["state"]["tally"]
    assert [s["idea_id"] for s in tally["standings"]] == order and tally["live"] is False
    assert [s["score"] for s in tally["standings"]] == [4, 2, 0]


def test_refused_connection_says_why(app, make_workshop, sio):
    """The refusal carries a sentence (``message``) and the error (``data``) for the page to show."""
    from flask_socketio import ConnectionRefusedError

    from app.extensions import socketio

    code = make_workshop(None, language="en")
    assert not sio(P, app.test_client(), code).is_connected(P)
    handler = socketio.server.namespace_handlers[P]
    with app.test_request_context("/socket.io/"), pytest.raises(ConnectionRefusedError) as refused:
        handler.on_connect({"code": code})
    assert refused.value.error_args["message"].startswith("You have not joined this workshop yet")
    assert refused.value.error_args["data"]["code"] == "not_joined"


def test_hidden_comment_text_reaches_only_facilitators(app, live, make_round, op_id):
    c = make_round(live.code, "comment", title="Measures", items="One\nTwo")
    call(live.console, F, "open_round", {"round_id": c})
    comment = call(live.kari, P, "submit_comment", {"round_id": c, "op_id": op_id(), "item_index": 0, "text": "Off-topic rant"})["comment"]
    for client, ns in ((live.ola, P), (live.display, D), (live.console, F)):
        client.get_received(ns)
    assert call(live.console, F, "flag_comment", {"comment_id": comment["id"], "hidden": "true"})["comment"]["hidden"] is True
    assert events(live.console, F, "comment_updated")[-1]["text"] == "Off-topic rant"
    for client, ns in ((live.ola, P), (live.display, D)):
        public = events(client, ns, "comment_updated")[-1]
        assert public["hidden"] is True and "text" not in public


def test_fractional_votes_are_refused(app, live, make_round, op_id):
    rid, ids = _dot_round(live, make_round)
    ack = call(live.kari, P, "cast_dots", {"round_id": rid, "idea_id": ids[0], "count": 1.5, "op_id": op_id()})
    assert ack["error"]["code"] == "bad_request"
    # Browsers send whole numbers without a fraction (JSON.stringify(2.0) is "2"): 2.0 is refused too.
    ack = call(live.kari, P, "cast_dots", {"round_id": rid, "idea_id": ids[0], "count": 2.0, "op_id": op_id()})
    assert ack["error"]["code"] == "bad_request" and "whole number" in ack["error"]["message"]
    assert call(live.kari, P, "cast_dots", {"round_id": rid, "idea_id": ids[0], "count": 2, "op_id": op_id()})["ok"]
