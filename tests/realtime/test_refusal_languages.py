"""Refusals over Socket.IO in their reader's language: a phone's and the projector's is the
workshop's, whatever the browser says; a console's is its facilitator's own."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from app import transaction
from app.extensions import db, socketio
from app.models import User
from tests.support.sockets import D, F, P, call

#: Accept-Language headers that disagree with the workshop's language.
OTHER = {"nn": "en-GB,en;q=0.9", "nb": "en-GB,en;q=0.9", "en": "nn-NO,nn;q=0.9"}


@pytest.fixture
def connect(app):
    """A Socket.IO test client with the browser's ``Accept-Language``; all closed at the end."""
    opened = []

    def open_(namespace: str, flask_client, code: str, language: str):
        client = socketio.test_client(app, namespace=namespace, flask_test_client=flask_client, auth={"code": code},
                                      headers={"Accept-Language": language})
        opened.append(client)
        return client

    yield open_
    for client in opened:
        for ns in (P, F, D):
            if client.is_connected(ns):
                client.disconnect(ns)


def _joined(app, code: str, name: str):
    """A phone's test client holding the participant cookie of someone who joined ``code``
    (joined through the service: the join page is not what is tested here)."""
    from app.services import participants, workshops

    with app.app_context():
        workshop = workshops.by_code(code)
        participant = transaction.run(lambda: participants.join(workshop, name=name, sector="health_service"))
        cookie, token = participants.cookie_name(workshop), participants.issue_token(participant)
    client = app.test_client()
    client.set_cookie(cookie, token)
    return client


def _close(app, round_id: int) -> None:
    from app.models import Round
    from app.services import rounds

    with app.app_context():
        transaction.run(lambda: rounds.close_round(db.session.get(Round, round_id)))


def _set_language(app, user_id: int, language: str) -> None:
    from app.services import accounts

    with app.app_context():
        transaction.run(lambda: accounts.set_language(db.session.get(User, user_id), language))


@pytest.fixture
def closed_vote(app, facilitator, make_workshop, make_round, connect, op_id):
    """A workshop in ``lang`` with a closed dot vote "Prioritering", a phone whose browser
    speaks another language, and the facilitator's console."""

    def make(lang: str):
        code = make_workshop(facilitator.user["id"], language=lang)
        brainstorm = make_round(code, "brainstorm", title="Idear", open_=True)
        phone = connect(P, _joined(app, code, "Kari"), code, OTHER[lang])
        console = connect(F, facilitator, code, OTHER[lang])
        idea = call(phone, P, "submit_idea", {"round_id": brainstorm, "op_id": op_id(), "title": "Digital pasientreise"})["idea"]
        dots = make_round(code, "dot_vote", title="Prioritering", open_=True, source_round_id=brainstorm)
        _close(app, dots)
        return SimpleNamespace(code=code, phone=phone, console=console, dots=dots, idea=idea["id"])

    return make


@pytest.mark.parametrize("lang, message", [
    ("nn", "«Prioritering» er stengd: røysta di vart ikkje talt med."),
    ("nb", "«Prioritering» er stengt: stemmen din ble ikke talt med."),
    ("en", "“Prioritering” is closed: your vote was not counted."),
])
def test_a_phone_is_refused_in_its_workshops_language_whatever_its_browser_says(closed_vote, op_id, lang, message):
    room = closed_vote(lang)
    ack = call(room.phone, P, "cast_dots", {"round_id": room.dots, "idea_id": room.idea, "count": 1, "op_id": op_id()})
    assert ack["ok"] is False and ack["error"] == {"code": "round_closed", "message": message}


@pytest.mark.parametrize("lang, message", [
    ("nn", "Berre fasilitatoren for workshopen kan gjere det."),
    ("nb", "Bare fasilitatoren for workshopen kan gjøre det."),
    ("en", "Only the workshop's facilitator can do that."),
])
def test_an_event_no_handler_takes_is_refused_in_the_workshops_language(closed_vote, lang, message):
    room = closed_vote(lang)
    ack = call(room.phone, P, "open_round", {"round_id": room.dots})
    assert ack == {"ok": False, "error": {"code": "forbidden", "message": message}}
    unknown = call(room.phone, P, "dance", {})["error"]
    assert unknown["code"] == "unknown_event"
    assert unknown["message"] == {"nn": "Ukjend hending «dance».", "nb": "Ukjent hendelse «dance».", "en": "Unknown event “dance”."}[lang]


def test_a_console_is_refused_in_its_facilitators_language_in_an_english_workshop(app, facilitator, closed_vote, op_id):
    _set_language(app, facilitator.user["id"], "nb")
    room = closed_vote("en")
    timer = call(room.console, F, "start_timer", {"round_id": room.dots, "seconds": 60})
    assert timer["error"] == {"code": "round_not_open", "message": "Åpne «Prioritering» før du starter tidtakeren."}
    bad = call(room.console, F, "start_timer", {"round_id": "first"})
    assert bad["error"]["message"] == "round_id må være en runde-id (et heltall fra og med 1)."
    # The phone in the same workshop still reads English.
    phone = call(room.phone, P, "cast_dots", {"round_id": room.dots, "idea_id": room.idea, "count": 1, "op_id": op_id()})
    assert phone["error"]["message"] == "“Prioritering” is closed: your vote was not counted."


def test_a_console_follows_its_facilitators_setting_not_the_browser(app, facilitator, closed_vote):
    _set_language(app, facilitator.user["id"], "nn")
    room = closed_vote("nb")  # the console's browser asks for English
    ack = call(room.console, F, "decide_tie", {"round_id": room.dots, "order": "first"})
    assert ack["error"] == {"code": "bad_tie_break", "message": "Send ideane med delt plass i den rekkjefølgja du avgjer."}


def test_a_busy_or_failing_server_answers_in_the_connections_language_without_the_database(
        app, closed_vote, op_id, monkeypatch):
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from app import i18n
    from app.services import ballots

    room = closed_vote("nn")

    def no_database(**_where):
        raise AssertionError("the language was looked up in the database")

    def busy(*_args, **_kwargs):
        raise PoolTimeout("QueuePool limit reached")

    monkeypatch.setattr(i18n, "_workshop_language", no_database)
    monkeypatch.setattr(ballots, "cast", busy)
    vote = {"round_id": room.dots, "idea_id": room.idea, "count": 1, "op_id": op_id()}
    ack = call(room.phone, P, "cast_dots", vote)
    assert ack["error"]["code"] == "busy" and ack["error"]["message"].startswith("Tenaren har mykje å gjere")

    def crash(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ballots, "cast", crash)
    ack = call(room.phone, P, "cast_dots", vote)
    assert ack["error"] == {"code": "internal_error",
                            "message": "Noko gjekk gale på tenaren; det siste du gjorde, vart ikkje lagra. Prøv igjen."}


def test_a_rate_limited_phone_is_told_in_its_workshops_language(app, closed_vote, op_id, monkeypatch):
    from limits.storage import MemoryStorage
    from limits.strategies import FixedWindowRateLimiter

    from app import limits
    from app.services import rounds, workshops

    room = closed_vote("nn")
    with app.app_context():
        workshop = workshops.by_code(room.code)
        brainstorm = next(r for r in workshop.rounds if r.kind == "brainstorm")
        transaction.run(lambda: rounds.open_round(brainstorm))
        brainstorm_id = brainstorm.id
    monkeypatch.setattr(limits, "enabled", lambda: True)
    monkeypatch.setattr(limits, "limiter", SimpleNamespace(limiter=FixedWindowRateLimiter(MemoryStorage())))
    monkeypatch.setitem(app.config, "TAVLE_LIMIT_IDEAS", "1/minute")
    first = call(room.phone, P, "submit_idea", {"round_id": brainstorm_id, "op_id": op_id(), "title": "Ein til"})
    second = call(room.phone, P, "submit_idea", {"round_id": brainstorm_id, "op_id": op_id(), "title": "Og ein til"})
    assert first["ok"] and second["ok"] is False and second["error"]["code"] == "rate_limited"
    seconds = second["error"]["retry_after"]
    assert 1 <= seconds <= 60
    assert second["error"]["message"] == f"Du sender veldig fort; ideen din blir sendt om {seconds} s."


def _connect_error(app, namespace: str, code: str, language: str, monkeypatch) -> dict:
    """What a refused connection is told (the test client keeps only that it was refused)."""
    from flask_socketio import ConnectionRefusedError

    handler = type(socketio.server.namespace_handlers[namespace])
    on_connect = handler.on_connect
    refused = []

    def told(self, auth=None):
        try:
            return on_connect(self, auth)
        except ConnectionRefusedError as exc:
            refused.append(exc.error_args)
            raise

    monkeypatch.setattr(handler, "on_connect", told)
    client = socketio.test_client(app, namespace=namespace, flask_test_client=app.test_client(), auth={"code": code},
                                  headers={"Accept-Language": language})
    monkeypatch.undo()
    assert not client.is_connected(namespace) and len(refused) == 1
    return refused[0]


def test_a_refused_connection_speaks_the_workshops_language_once_the_code_is_known(app, make_workshop, monkeypatch):
    code = make_workshop(None, language="nn")
    refused = _connect_error(app, P, code, "en-GB", monkeypatch)
    assert refused["data"]["code"] == "not_joined"
    assert refused["message"].startswith("Du har ikkje vorte med i denne workshopen enno")
    # An unknown code has no workshop: the browser's language, not always English.
    unknown = _connect_error(app, P, "NOSUCH", "nn-NO,nn;q=0.9", monkeypatch)
    assert unknown["data"]["code"] == "unknown_code" and unknown["message"].startswith("Det finst ingen workshop med den koden")
    english = _connect_error(app, D, "NOSUCH", "en", monkeypatch)
    assert english["message"].startswith("There is no workshop with that code")
