"""Hostile input: every event of every namespace and every route with an id answers, clearly.

The events are enumerated from the namespace classes' ``on_*`` methods and the routes from
``app.url_map``, so a new event or route is fuzzed without touching this file. The payloads
come from a seeded generator: the same run every time, and a failure names the payload.
"""
from __future__ import annotations

import json
import random
import re

import pytest

from app.realtime.display import DisplayNamespace
from app.realtime.facilitator import FacilitatorNamespace
from app.realtime.participant import ParticipantNamespace

P, F, D = "/participant", "/facilitator", "/display"
NAMESPACES = {P: ParticipantNamespace, F: FacilitatorNamespace, D: DisplayNamespace}
PAYLOADS_PER_EVENT = 80


def events_of(cls) -> list[str]:
    return sorted(n[3:] for n in dir(cls) if n.startswith("on_") and n not in ("on_connect", "on_disconnect"))


#: Values no client of ours sends where an id, a number, a flag or a text belongs.
HOSTILE = [
    None, True, False, 0, -1, -(2**31), 2**31, 2**63, 2**63 - 1, 2**64, -(2**63) - 1, 10**40,
    1.5, 2.0, -0.0, 1e308, float("inf"), float("-inf"), float("nan"),
    "", " ", "0", "-1", " 1", "1 ", "1.0", "1e3", "0x10", "²", "١٢", "１", "9" * 30, "abc", "\x00", "null",
    "x" * 5000, [], [None], [1, "a"], [2**64], [[[]]], {}, {"id": 1}, {"a": {"b": [None, {}]}},
    {"__proto__": {"admin": True}}, [float("inf")], {"1": "x", "-1": None},
]
#: Top-level payloads that are not an object at all (``MISSING``: the event sent with no payload).
MISSING = object()
TOP_LEVEL = [MISSING, None, [], "x", 0, -1, 2**64, float("inf"), True, [{"round_id": 1}], "{\"round_id\": 1}"]
FIELDS = [
    "round_id", "idea_id", "op_id", "title", "details", "worksheet_id", "survey_id", "answers", "comment_id",
    "participant_id", "group_id", "item_id", "order", "seconds", "count", "target_id", "source_ids", "merge_id",
    "key", "text", "base_version", "item_index", "value", "winner", "loser", "pair", "skip", "impact", "effort",
    "ballot", "points", "revealed", "hidden", "starred", "theme", "auto_close", "words",
]
#: The round kind that is open while an event is fuzzed, so its payload is read past the lookups.
OPEN_FOR = {
    "cast_dots": "dot_vote", "submit_ranking": "rank", "rate_idea": "score", "allocate_points": "points",
    "compare_pair": "pairwise", "rate_impact_effort": "impact_effort", "submit_comment": "comment",
    "edit_worksheet": "worksheet", "submit_ballot": "rank", "send_words": "word_cloud",
}


@pytest.fixture
def room(app, facilitator, make_workshop, make_round, join_participant, sio):
    """A workshop with every kind of round, ideas, groups, a comment, worksheets, agenda and a survey."""
    from app import transaction
    from app.extensions import db
    from app.models import Worksheet
    from app.services import agenda, comments, curation, ideas, participants, roster, rounds, surveys, workshops

    code = make_workshop(facilitator.user["id"], language="en")
    brainstorm = make_round(code, "brainstorm", title="Ideas", open_=True)
    kari_http, ola_http = join_participant(code, "Kari"), join_participant(code, "Ola", "Equinor", "industry")
    kinds = {"brainstorm": brainstorm}
    with app.app_context():
        w = workshops.by_code(code)
        kari = next(p for p in w.participants if p.name == "Kari")
        b = rounds.get_round(w, brainstorm)
        idea_ids = [transaction.run(lambda n=n: ideas.submit_idea(kari, b, op_id=f"seed-op-{n:05d}", title=f"Idea {n}")).idea.id
                    for n in range(4)]
        transaction.run(lambda: roster.assign_groups(w, 1))
        transaction.run(lambda: rounds.close_round(b))
    for kind, settings in (("dot_vote", {}), ("rank", {}), ("score", {}), ("points", {}), ("pairwise", {}),
                           ("impact_effort", {}), ("worksheet", {"top_k": 2})):
        kinds[kind] = make_round(code, kind, title=kind, source_round_id=brainstorm, **settings)
    kinds["comment"] = make_round(code, "comment", title="Measures", items="One\nTwo")
    kinds["word_cloud"] = make_round(code, "word_cloud", title="Words")
    with app.app_context():
        w = workshops.by_code(code)
        kari = next(p for p in w.participants if p.name == "Kari")
        for kind in ("worksheet", "comment"):
            transaction.run(lambda kind=kind: rounds.open_round(rounds.get_round(w, kinds[kind])))
        comment, _ = transaction.run(lambda: comments.submit_comment(
            kari, rounds.get_round(w, kinds["comment"]), op_id="seed-comment-1", item_index=0, text="A comment"))
        merge = transaction.run(lambda: curation.merge(w, idea_ids[0], [idea_ids[3]]))[0]
        items = [transaction.run(lambda t=t: agenda.add_item(w, start="09:00", title=t)).id for t in ("Welcome", "Work")]
        survey = transaction.run(lambda: surveys.create_survey(w, title="After the day"))
        questions = [transaction.run(lambda: surveys.add_question(survey, kind="scale", text="Useful?")).id,
                     transaction.run(lambda: surveys.add_question(survey, kind="multi", text="Which?", choices=["A", "B"])).id]
        transaction.run(survey.open)
        valid = {
            "round_id": list(kinds.values()), "idea_id": idea_ids, "target_id": idea_ids, "winner": idea_ids,
            "loser": idea_ids, "source_ids": [[i] for i in idea_ids[1:]], "order": [idea_ids, idea_ids[:3], items],
            "pair": [idea_ids[:2]], "worksheet_id": [s.id for s in db.session.query(Worksheet)],
            "survey_id": [survey.id], "answers": [{str(questions[0]): 3, str(questions[1]): ["A"]}],
            "comment_id": [comment.id], "participant_id": [p.id for p in w.participants],
            "group_id": [g.id for g in w.groups], "item_id": items, "merge_id": [merge.id],
            "seconds": [21600], "count": [1, 2], "value": [1, 3], "impact": [2], "effort": [4], "points": [10],
            "base_version": [0, 1], "item_index": [0, 1], "key": ["idea", "challenge"], "title": ["A title"],
            "text": ["Some text"], "details": ["Details"], "theme": ["Data"], "skip": [False],
            "ballot": [{str(idea_ids[1]): 1}, idea_ids[:3], {str(idea_ids[1]): [2, 3]}, {"comparisons": [idea_ids[:2]]}],
            "revealed": [True, False], "hidden": [False], "starred": [True],
            "words": [["Trust"], ["data sharing", "Trust"], []],
            # A countdown that closes the round would outlive this test: never ask for one.
            "auto_close": [False],
        }
        assert participants  # the join above went through the web form
    ns = type("Room", (), {})()
    ns.code, ns.kinds, ns.valid = code, kinds, valid
    ns.clients = {P: sio(P, kari_http, code), F: sio(F, facilitator, code), D: sio(D, app.test_client(), code)}
    for name, client in ns.clients.items():
        assert client.is_connected(name)
    return ns


def hostile_payloads(rng: random.Random, valid: dict, n: int):
    """``n`` payloads: a few of the wrong shape, the rest valid objects with one to three fields spoilt."""
    for i in range(n):
        if i < len(TOP_LEVEL):
            yield TOP_LEVEL[i]
            continue
        payload = {field: rng.choice(valid[field]) for field in FIELDS if field in valid}
        payload["op_id"] = f"fuzz-op-{rng.getrandbits(48):012x}"
        for field in rng.sample(FIELDS, rng.randint(1, 3)):
            if field == "auto_close":
                continue
            if rng.random() < 0.2:
                payload.pop(field, None)
            else:
                payload[field] = rng.choice(HOSTILE)
        yield payload


def _open(app, code: str, round_id: int) -> None:
    from app import transaction
    from app.models import RoundState
    from app.services import rounds, workshops

    with app.app_context():
        round_ = rounds.get_round(workshops.by_code(code), round_id)
        if round_.state is not RoundState.OPEN:
            transaction.run(lambda: rounds.open_round(round_))


def _emit(client, namespace: str, event: str, payload):
    if payload is MISSING:
        return client.emit(event, namespace=namespace, callback=True)
    return client.emit(event, payload, namespace=namespace, callback=True)


def _check(ack) -> str | None:
    """What is wrong with an ack (None: nothing)."""
    if not isinstance(ack, dict) or not isinstance(ack.get("ok"), bool):
        return f"no ack: {ack!r}"
    if ack["ok"]:
        return None
    error = ack.get("error") or {}
    if not isinstance(error.get("code"), str) or not error["code"] or not isinstance(error.get("message"), str) or not error["message"]:
        return f"an error without a code and a message: {ack!r}"
    if error["code"] == "internal_error":
        return f"internal_error: {ack!r}"
    return None


@pytest.mark.parametrize("namespace", list(NAMESPACES))
def test_every_event_answers_every_hostile_payload(app, room, namespace):
    rng = random.Random(f"tavle-fuzz-{namespace}")
    client = room.clients[namespace]
    failures, codes = [], {}
    for event in events_of(NAMESPACES[namespace]):
        open_id = room.kinds[OPEN_FOR.get(event, "brainstorm")]
        _open(app, room.code, open_id)
        valid = {**room.valid, "round_id": [open_id] * 8 + room.valid["round_id"]}
        for payload in hostile_payloads(rng, valid, PAYLOADS_PER_EVENT):
            ack = _emit(client, namespace, event, payload)
            problem = _check(ack)
            if problem:
                failures.append(f"{event} {payload!r}: {problem}")
            elif not ack["ok"]:
                codes[ack["error"]["code"]] = codes.get(ack["error"]["code"], 0) + 1
        client.get_received(namespace)
    assert not failures, f"{len(failures)} bad answers, the first ones:\n" + "\n".join(failures[:15])
    if namespace != D:
        # The payloads did reach the code that reads them: refusals name what was wrong.
        assert codes.get("bad_request", 0) > 0 and len(codes) > 5, codes


def test_a_payload_of_the_wrong_shape_is_a_bad_request(room):
    for namespace, event in ((P, "submit_idea"), (F, "open_round"), (F, "merge_ideas")):
        for payload in TOP_LEVEL:
            ack = _emit(room.clients[namespace], namespace, event, payload)
            assert ack["ok"] is False and ack["error"]["code"] == "bad_request", (event, payload, ack)
            assert "object" in ack["error"]["message"]


NOT_IDS = [True, 1.0, float("inf"), float("nan"), 2**31, 2**63, 2**64, -1, 0, "1e3", " 1", "²", "１", "", None, [1], {}]


def test_ids_that_cannot_be_ids_are_bad_requests_naming_the_field(room):
    for value in NOT_IDS:
        for namespace, event, field in ((P, "submit_idea", "round_id"), (F, "hide_idea", "idea_id"),
                                        (F, "flag_comment", "comment_id"), (P, "submit_survey", "survey_id"),
                                        (F, "undo_merge", "merge_id"), (F, "set_agenda_now", "item_id"),
                                        (F, "move_participant", "participant_id"), (F, "edit_worksheet", "worksheet_id")):
            if event == "set_agenda_now" and value in (None, "", 0):
                continue  # no item: the "now" marker is cleared
            ack = _emit(room.clients[namespace], namespace, event, {field: value, "op_id": "fuzz-op-id-0001"})
            assert ack["ok"] is False and ack["error"]["code"] == "bad_request", (event, value, ack)
            assert field in ack["error"]["message"], ack


def _raw(app, client, namespace: str, text: str):
    """Send the text of one Socket.IO event packet as it came off the wire; the ack it got."""
    from app.extensions import socketio

    client.callback_counter += 1
    client.acks = None
    socketio.server._handle_eio_message(client.eio_sid, f"2{namespace},{client.callback_counter}{text}")
    ack = client.acks
    client.acks = None
    return ack["args"][0] if ack else None


#: One event each namespace answers; the packets below name it as ``EVENT``.
READS_A_PAYLOAD = {P: "submit_idea", F: "open_round", D: "sync"}


UNREADABLE = [
    ('["EVENT",' + "[" * 1000 + "]" * 1000 + "]", "nested"),
    ('["EVENT",' + '{"a":' * 1000 + "1" + "}" * 1000 + "]", "nested"),
    ('["EVENT",{"round_id":' + "9" * 5000 + "}]", "valid JSON"),
    ('["EVENT",{"round_id":1', "valid JSON"),
    ('["EVENT",{"round_id":1}', "valid JSON"),
    ('{"event":"EVENT"}', "list starting"),
    ("[]", "list starting"),
    ('[42,{"round_id":1}]', "list starting"),
    ('"EVENT"', "list starting"),
    ('["connect",{"code":"X"}]', "not an event"),
    ('["disconnect"]', "not an event"),
]


def test_unreadable_packets_are_answered(app, room):
    for text, says in UNREADABLE:
        for namespace, client in room.clients.items():
            ack = _raw(app, client, namespace, text.replace("EVENT", READS_A_PAYLOAD[namespace]))
            assert ack is not None, (namespace, text[:60])
            assert ack["ok"] is False and ack["error"]["code"] == "bad_request" and says in ack["error"]["message"], (namespace, ack)
            assert client.is_connected(namespace)


def test_payloads_within_the_depth_limit_still_work(app, room):
    from app.realtime.packets import MAX_DEPTH

    deep = {"round_id": room.kinds["brainstorm"], "op_id": "fuzz-op-deep-01", "title": "Deep", "details": ""}
    nested = deep
    for _ in range(MAX_DEPTH - 3):
        nested["extra"] = {}
        nested = nested["extra"]
    _open(app, room.code, room.kinds["brainstorm"])
    ack = _raw(app, room.clients[P], P, json.dumps(["submit_idea", deep]))
    assert ack["ok"], ack
    brackets = '"[[[[' * 50 + '"'  # brackets inside a string are text, not nesting
    ack = _raw(app, room.clients[P], P, json.dumps(["submit_idea", {**deep, "op_id": "fuzz-op-deep-02", "title": brackets[:100]}]))
    assert ack["ok"], ack


def test_odd_event_names_are_answered(room):
    client = room.clients[P]
    for name in ("", "on_sync", "__init__", "_vote", "me", "x" * 5000, "sync\x00", "SYNC"):
        ack = client.emit(name, {}, namespace=P, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] in ("unknown_event", "forbidden"), (name, ack)



#: What a URL can carry where an id (or a name, a format, a verb) belongs: always the numbers a
#: database column cannot hold and a NUL (which PostgreSQL refuses in text), then a seeded sample of the rest.
HUGE_PATH_VALUES = ["2147483648", "9223372036854775808", "9" * 40, "%00"]
ODD_PATH_VALUES = ["0", "-1", "1", "2147483647", "1.5", "1e3", "abc", "%C2%B2", "%D9%A1%D9%A2", "..%2F..",
                   "x" * 300, "open", "json", "%20"]


def test_routes_with_ids_never_answer_500(app, room, facilitator, join_participant, monkeypatch):
    """Every route with an argument, as its facilitator (GET and POST), a participant and a stranger."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # reach the route itself, not the CSRF check
    rules = [r for r in app.url_map.iter_rules() if r.arguments and r.endpoint != "static"]
    assert len(rules) > 10
    others = {"participant": join_participant(room.code, "Fuzz"), "stranger": app.test_client()}
    rng = random.Random("tavle-http-fuzz")
    failures, answered = [], 0
    for rule in rules:
        for n, value in enumerate(HUGE_PATH_VALUES + rng.sample(ODD_PATH_VALUES, 4)):
            url = rule.rule
            for name in rule.arguments:
                url = re.sub(rf"<(?:[a-z]+:)?{name}>", room.code if name == "code" and n % 4 != 3 else value, url)
            calls = [("facilitator", facilitator, m) for m in sorted(rule.methods & {"GET", "POST"})]
            calls += [(who, c, "GET" if "GET" in rule.methods else "POST") for who, c in others.items() if n % 3 == 0]
            for who, client, method in calls:
                data = {"count": rng.choice(["-1", "2147483648", "x", "2"]), "group_id": rng.choice(["", "9" * 30, "abc", "1"])}
                response = client.open(url, method=method, data=data if method == "POST" else None)
                answered += 1
                if response.status_code >= 500:
                    failures.append(f"{who} {method} {url}: {response.status_code}")
    assert answered > 250
    assert not failures, f"{len(failures)} server errors, the first ones:\n" + "\n".join(failures[:15])


def test_a_huge_id_in_a_url_gets_the_normal_error_page(room, facilitator):
    for url in (f"/f/{room.code}/surveys/9223372036854775808", f"/f/{room.code}/rounds/99999999999999999999/worksheets"):
        response = facilitator.get(url)
        assert response.status_code in (400, 404), (url, response.status_code)
        assert "Tavle" in response.get_data(as_text=True) or response.is_json


def test_an_op_id_reused_by_another_kind_of_submission_is_refused(app, room):
    """A client that made a colliding id is told so and saves nothing; the first submission stands."""
    from app.extensions import db
    from app.models import Idea

    phone = room.clients[P]
    _open(app, room.code, room.kinds["dot_vote"])
    ideas = room.valid["idea_id"]
    vote = {"round_id": room.kinds["dot_vote"], "idea_id": ideas[1], "count": 1, "op_id": "colliding-op-01"}
    assert _emit(phone, P, "cast_dots", vote)["ok"]
    with app.app_context():
        before = db.session.query(Idea).count()
    _open(app, room.code, room.kinds["brainstorm"])
    reused = [
        ("submit_idea", {"round_id": room.kinds["brainstorm"], "op_id": "colliding-op-01", "title": "Same id"}),
        ("submit_comment", {"round_id": room.kinds["comment"], "op_id": "colliding-op-01", "item_index": 0, "text": "x"}),
        ("submit_survey", {"survey_id": room.valid["survey_id"][0], "op_id": "colliding-op-01", "answers": room.valid["answers"][0]}),
        ("submit_ranking", {"round_id": room.kinds["rank"], "op_id": "colliding-op-01", "order": ideas}),
        # The same kind of vote in another round is another submission too.
        ("cast_dots", {"round_id": room.kinds["points"], "idea_id": ideas[1], "count": 1, "op_id": "colliding-op-01"}),
    ]
    for event, payload in reused:
        ack = _emit(phone, P, event, payload)
        assert ack["ok"] is False and ack["error"]["code"] == "op_id_reused", (event, ack)
        assert "Reload" in ack["error"]["message"]
    with app.app_context():
        assert db.session.query(Idea).count() == before
    # Re-sending the first submission itself is still a replay.
    _open(app, room.code, room.kinds["dot_vote"])
    again = _emit(phone, P, "cast_dots", vote)
    assert again["ok"] and again["replayed"] is True


def test_a_deeply_nested_payload_over_a_real_socket_gets_an_ack(tmp_path):
    """The real server (``python wsgi.py``, eventlet) answers a 1,000-deep payload and stays up."""
    import websocket

    from tests.support.server import flask_cli, start_server

    url = "sqlite:///" + str(tmp_path / "fuzz.sqlite3")
    flask_cli(["db", "upgrade"], url, tmp_path)
    code = re.search(r"code (\w+)", flask_cli(["demo"], url, tmp_path))
    assert code, "the demo workshop prints its code"
    server = start_server(url, tmp_path)
    try:
        ws = websocket.create_connection(f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket", timeout=10)
        try:
            assert ws.recv().startswith("0{")  # the Engine.IO handshake
            ws.send('40/display,{"code":"%s"}' % code.group(1))
            assert ws.recv().startswith("40/display,{")
            ws.send('42/display,7["sync",' + "[" * 1000 + "]" * 1000 + "]")
            ws.send('42/display,8["sync",{}]')
            answers = {}
            while len(answers) < 2:
                message = ws.recv()
                if message == "2":  # an Engine.IO ping
                    ws.send("3")
                    continue
                found = re.match(r"43/display,(\d+)(.*)", message)
                if found:
                    answers[found.group(1)] = json.loads(found.group(2))[0]
        finally:
            ws.close()
    finally:
        server.stop()
    assert answers["7"]["ok"] is False and answers["7"]["error"]["code"] == "bad_request"
    assert "nøstet mer enn 32 nivåer" in answers["7"]["error"]["message"]  # the demo workshop speaks bokmål
    assert answers["8"]["ok"] is True  # the same connection still works
