"""Sessions that end: facilitator logins and participant tokens stop working when they are ended.

Facilitator side: a session cookie or remember-me cookie copied before a logout, a password
change or disabling the account opens nothing afterwards, and an open console socket is closed
and refused. Participant side: a revoked participant's open phone is disconnected (also from
another server process, through Redis) and any event it still sends is refused with nothing
stored; "Not you? Join again" ends the token on the server. Plus the login redirect and the
login's timing, which must not tell which e-mail addresses have accounts.
"""
from __future__ import annotations

import statistics
import time
import uuid

import pytest
import requests
import socketio as socketio_client

from app import transaction
from app.extensions import db
from app.models import Idea, Participant, User
from tests.realtime.test_multiprocess import (  # noqa: F401 - fixtures are used by name
    CHANNEL,
    EMAIL, PASSWORD, WAIT, Actors, _add_round, _cookie_header, _create_workshop, _csrf, _join, _login, _ok, actors,
    redis_url, shared_database_url, two_servers,
)
from tests.support.server import flask_cli, start_server
from tests.support.web import csrf_token

P, F = "/participant", "/facilitator"
REMEMBER = "remember_token"


def call(client, namespace, event, payload=None):
    return client.emit(event, payload, namespace=namespace, callback=True)


def _login_remembered(app, user):
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": user["email"], "password": user["password"], "remember": "y",
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def _captured(client) -> dict[str, str]:
    """The login cookies a thief would copy from this browser."""
    cookies = {name: client.get_cookie(name) for name in ("session", REMEMBER)}
    assert all(cookies.values()), cookies
    return {name: cookie.value for name, cookie in cookies.items()}


def _browser_with(app, name: str, value: str):
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def _opens_console(app, sio, name, value, code) -> bool:
    """Whether a browser holding only this cookie gets the console page and its socket."""
    page = _browser_with(app, name, value).get(f"/f/{code}")
    socket = sio(F, _browser_with(app, name, value), code)
    return page.status_code == 200 and socket.is_connected(F)


def _assert_captured_cookies_dead(app, sio, captured, code):
    for name, value in captured.items():
        assert not _opens_console(app, sio, name, value, code), f"the {name} cookie still opens the console"
        response = _browser_with(app, name, value).get("/f/")
        assert response.status_code == 302 and "/login" in response.headers["Location"], name


def test_captured_cookies_work_before_logout(app, make_user, make_workshop, sio):
    # The control for the tests below: the copied cookies do open everything while the login lasts.
    user = make_user()
    browser = _login_remembered(app, user)
    code = make_workshop(user["id"])
    for name, value in _captured(browser).items():
        assert _opens_console(app, sio, name, value, code), name


def test_logout_ends_every_session_and_remember_cookie(app, make_user, make_workshop, sio):
    user = make_user()
    browser = _login_remembered(app, user)
    other_computer = _login_remembered(app, user)
    code = make_workshop(user["id"])
    captured = _captured(browser)
    console = sio(F, other_computer, code)
    assert console.is_connected(F)

    response = browser.post("/logout", data={"csrf_token": csrf_token(browser, "/f/")})
    assert response.status_code == 302

    _assert_captured_cookies_dead(app, sio, captured, code)
    # The other computer's login ended too, and its open console was closed.
    assert other_computer.get("/f/").status_code == 302
    assert not console.is_connected(F)


def test_an_open_console_is_refused_on_its_next_event_after_logout(app, make_user, make_workshop, sio):
    # As when the disconnect could not reach the console's process: the event itself checks the login.
    user = make_user()
    browser = _login_remembered(app, user)
    code = make_workshop(user["id"])
    console = sio(F, browser, code)
    assert call(console, F, "sync")["ok"] is True
    from app.services import accounts

    with app.app_context():
        transaction.run(lambda: accounts.end_sessions(db.session.get(User, user["id"])))
    ack = call(console, F, "sync")
    assert ack["ok"] is False and ack["error"]["code"] == "login_required", ack
    ack = call(console, F, "open_round", {"round_id": 1})
    assert ack["ok"] is False and ack["error"]["code"] == "login_required", ack


def test_password_change_ends_the_other_sessions_and_keeps_this_one(app, make_user, make_workshop, sio):
    user = make_user()
    thief = _login_remembered(app, user)
    browser = _login_remembered(app, user)
    code = make_workshop(user["id"])
    captured = _captured(thief)
    console = sio(F, thief, code)

    wrong = browser.post("/account", data={"current": "not my password", "password": "a new long password",
                                           "confirm": "a new long password", "csrf_token": csrf_token(browser, "/account")})
    assert wrong.status_code == 400 and "Your current password is not right." in wrong.get_data(as_text=True)
    assert _opens_console(app, sio, "session", captured["session"], code)

    response = browser.post("/account", data={"current": user["password"], "password": "a new long password",
                                              "confirm": "a new long password", "csrf_token": csrf_token(browser, "/account")})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert browser.get("/f/").status_code == 200  # the browser that changed it stays logged in
    _assert_captured_cookies_dead(app, sio, captured, code)
    assert not console.is_connected(F)


def test_disabling_an_account_ends_its_sessions_and_refuses_login(app, make_user, make_workshop, sio):
    user = make_user()
    browser = _login_remembered(app, user)
    code = make_workshop(user["id"])
    captured = _captured(browser)
    console = sio(F, browser, code)

    result = app.test_cli_runner().invoke(args=["users", "disable", user["email"]])
    assert result.exit_code == 0, result.output
    _assert_captured_cookies_dead(app, sio, captured, code)
    assert not console.is_connected(F)

    fresh = app.test_client()
    response = fresh.post("/login", data={"email": user["email"], "password": user["password"],
                                          "csrf_token": csrf_token(fresh, "/login")})
    assert response.status_code == 400 and "This account is disabled." in response.get_data(as_text=True)

    assert app.test_cli_runner().invoke(args=["users", "enable", user["email"]]).exit_code == 0
    response = fresh.post("/login", data={"email": user["email"], "password": user["password"],
                                          "csrf_token": csrf_token(fresh, "/login")})
    assert response.status_code == 302


def test_cli_set_password_ends_sessions(app, make_user, make_workshop, sio):
    user = make_user()
    browser = _login_remembered(app, user)
    code = make_workshop(user["id"])
    captured = _captured(browser)
    runner = app.test_cli_runner()
    short = runner.invoke(args=["users", "set-password", user["email"], "--password", "short"])
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    missing = runner.invoke(args=["users", "set-password", "nobody@example.org", "--password", "long enough password"])
    assert missing.exit_code != 0 and "There is no facilitator with the e-mail" in missing.output
    result = runner.invoke(args=["users", "set-password", user["email"], "--password", "long enough password"])
    assert result.exit_code == 0, result.output
    _assert_captured_cookies_dead(app, sio, captured, code)
    fresh = app.test_client()
    response = fresh.post("/login", data={"email": user["email"], "password": "long enough password",
                                          "csrf_token": csrf_token(fresh, "/login")})
    assert response.status_code == 302


# --- participants ------------------------------------------------------------------------
@pytest.fixture
def workshop_with_phone(app, facilitator, make_workshop, make_round, join_participant, sio):
    code = make_workshop(facilitator.user["id"], language="en")
    brainstorm = make_round(code, "brainstorm", title="Ideas", open_=True)
    phone_http = join_participant(code, "Kari")
    phone = sio(P, phone_http, code)
    assert phone.is_connected(P)
    participant_id = call(phone, P, "sync")["state"]["me"]["id"]
    return code, brainstorm, phone_http, phone, participant_id


def _idea_count(app) -> int:
    with app.app_context():
        return db.session.query(Idea).count()


def test_revoked_participant_socket_is_refused_and_nothing_is_stored(app, workshop_with_phone):
    # As when the disconnect could not reach the phone's process: every event checks the token version.
    code, brainstorm, _, phone, participant_id = workshop_with_phone
    from app.services import participants

    with app.app_context():
        transaction.run(lambda: participants.revoke(db.session.get(Participant, participant_id)))
    ack = call(phone, P, "sync")
    assert ack["ok"] is False and ack["error"] == {
        "code": "signed_out", "message": "You have been signed out of this workshop. Join again with the code."}
    ack = call(phone, P, "submit_idea", {"round_id": brainstorm, "op_id": "op-revoked-0001", "title": "Sneaked in"})
    assert ack["ok"] is False and ack["error"]["code"] == "signed_out"
    assert _idea_count(app) == 0


def test_revoking_from_the_people_page_disconnects_the_phone(app, facilitator, workshop_with_phone, sio):
    code, _, phone_http, phone, participant_id = workshop_with_phone
    response = facilitator.post(f"/f/{code}/people/{participant_id}/revoke",
                                data={"csrf_token": csrf_token(facilitator, f"/f/{code}/people")})
    assert response.status_code == 302
    assert not phone.is_connected(P)
    again = sio(P, phone_http, code)  # the old cookie cannot reconnect
    assert not again.is_connected(P)


def test_leave_ends_the_token_on_the_server(app, workshop_with_phone, sio):
    code, brainstorm, phone_http, phone, _ = workshop_with_phone
    token = phone_http.get_cookie(f"tavle_p{_workshop_id(app, code)}").value
    second_tab = sio(P, phone_http, code)

    refused = phone_http.post(f"/w/{code}/leave")  # no CSRF token: refused, nothing ends
    assert refused.status_code == 400 and call(phone, P, "sync")["ok"] is True

    response = phone_http.post(f"/w/{code}/leave", data={"csrf_token": csrf_token(phone_http, f"/w/{code}")})
    assert response.status_code == 302
    assert phone_http.get_cookie(f"tavle_p{_workshop_id(app, code)}") is None
    assert not phone.is_connected(P) and not second_tab.is_connected(P)

    # A copy of the cookie taken before is dead: the join form, and no socket.
    copy = _browser_with(app, f"tavle_p{_workshop_id(app, code)}", token)
    assert "join" in copy.get(f"/w/{code}").get_data(as_text=True).lower()
    assert 'id="phone"' not in copy.get(f"/w/{code}").get_data(as_text=True)
    assert not sio(P, copy, code).is_connected(P)


def _workshop_id(app, code: str) -> int:
    from app.services import workshops

    with app.app_context():
        return workshops.by_code(code).id


# --- real server processes -----------------------------------------------------------------
def _revoke_over_http(session: requests.Session, base_url: str, code: str, participant_id: int) -> None:
    token = _csrf(session, f"{base_url}/f/{code}/people")
    response = session.post(f"{base_url}/f/{code}/people/{participant_id}/revoke", data={"csrf_token": token},
                            allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text


def _phone(actors: Actors, base_url: str, code: str, cookies: str):
    client, events = actors.connect(base_url, P, code, cookies, events=("disconnect",))
    me = _ok(client.call("sync", {}, namespace=P, timeout=10))["state"]["me"]
    return client, events, me["id"]


def _refused_reconnect(base_url: str, code: str, cookies: str) -> dict:
    client = socketio_client.Client(reconnection=False)
    errors: list = []
    client.on("connect_error", lambda data=None: errors.append(data), namespace=P)
    with pytest.raises(socketio_client.exceptions.ConnectionError):
        client.connect(base_url, namespaces=[P], transports=["websocket"], auth={"code": code},
                       headers={"Cookie": cookies}, wait_timeout=10)
    client.disconnect()
    error = errors[0] if errors else {}
    return error.get("data", error) if isinstance(error, dict) else {}


@pytest.fixture(scope="module")
def one_server(tmp_path_factory):
    """One ``python wsgi.py`` on SQLite, without Redis (presence in the process's memory)."""
    instance = tmp_path_factory.mktemp("sessions-instance")
    url = "sqlite:///" + str(instance / "tavle.sqlite3")
    flask_cli(["db", "upgrade"], url, instance)
    flask_cli(["users", "create", "--email", EMAIL, "--name", "Frida Fasilitator", "--password", PASSWORD], url, instance)
    server = start_server(url, instance / "server")
    yield server
    server.stop()


def test_revocation_disconnects_the_phone_on_a_real_server(one_server, actors):
    web = _login(one_server.url)
    code = _create_workshop(web, one_server.url, "Sessions workshop")
    cookies = _join(one_server.url, code, "Kari")
    phone, events, participant_id = _phone(actors, one_server.url, code, cookies)
    _revoke_over_http(web, one_server.url, code, participant_id)
    events.wait_for("disconnect", lambda _: True)
    assert not phone.connected
    error = _refused_reconnect(one_server.url, code, cookies)
    assert error.get("code") == "signed_out", error


def test_revocation_on_one_process_disconnects_the_phone_on_the_other(two_servers, actors, shared_database_url,
                                                                      redis_url, tmp_path):
    server_a, server_b = two_servers
    tag = uuid.uuid4().hex[:8]
    web = _login(server_a.url)
    code = _create_workshop(web, server_a.url, f"Scaled-out sessions {tag}")
    _add_round(web, server_a.url, code, kind="brainstorm", title=f"Ideas {tag}")
    console, _ = actors.connect(server_a.url, F, code, _cookie_header(web))
    rounds = _ok(console.call("sync", {}, namespace=F, timeout=10))["state"]["rounds"]
    brainstorm_id = next(r["id"] for r in rounds if r["title"] == f"Ideas {tag}")
    _ok(console.call("open_round", {"round_id": brainstorm_id}, namespace=F, timeout=10))

    cookies = _join(server_b.url, code, "Berit")
    phone, events, participant_id = _phone(actors, server_b.url, code, cookies)
    try:
        _revoke_over_http(web, server_a.url, code, participant_id)  # on A; the phone is on B
        # Sent at once, racing the disconnect: refused either way, never stored.
        try:
            ack = phone.call("submit_idea", {"round_id": brainstorm_id, "op_id": f"revoked-{tag}", "title": f"Sneaked {tag}"},
                             namespace=P, timeout=5)
        except (socketio_client.exceptions.TimeoutError, socketio_client.exceptions.BadNamespaceError):
            ack = None  # the disconnect came first
        assert ack is None or (ack["ok"] is False and ack["error"]["code"] == "signed_out"), ack
        events.wait_for("disconnect", lambda _: True)
    except AssertionError:
        print(f"\n--- server A log ---\n{server_a.log()[-4000:]}\n--- server B log ---\n{server_b.log()[-4000:]}")
        raise
    assert not phone.connected
    assert _refused_reconnect(server_b.url, code, cookies).get("code") == "signed_out"
    state = _ok(console.call("sync", {}, namespace=F, timeout=10))["state"]
    assert state["round"]["id"] == brainstorm_id and state["ideas"] == []

    # The open console on B of a facilitator who logs out on A is closed too.
    console_b, console_events = actors.connect(server_b.url, F, code, _cookie_header(web), events=("disconnect",))
    response = web.post(f"{server_a.url}/logout", data={"csrf_token": _csrf(web, f"{server_a.url}/f/")},
                        allow_redirects=False, timeout=10)
    assert response.status_code == 302
    console_events.wait_for("disconnect", lambda _: True)
    assert not console_b.connected

    # A command run beside the servers reaches them through Redis too (the same password again:
    # only the logins end).
    web = _login(server_a.url)
    console_b, console_events = actors.connect(server_b.url, F, code, _cookie_header(web), events=("disconnect",))
    flask_cli(["users", "set-password", EMAIL, "--password", PASSWORD], shared_database_url, tmp_path,
              {"TAVLE_REDIS_URL": redis_url, "TAVLE_REDIS_CHANNEL": CHANNEL})
    console_events.wait_for("disconnect", lambda _: True)
    assert web.get(f"{server_a.url}/f/", allow_redirects=False, timeout=10).status_code == 302


# --- login ---------------------------------------------------------------------------------
BYPASSES = [
    "/%09/evil/x", "//evil.example", "/\\evil.example", "/\\\\evil.example", "\\\\evil.example", "\\/evil.example",
    "https://evil.example", "/%2F%2Fevil.example", "///evil.example", "/ /evil", "javascript:alert(1)",
    "http:evil.example", "%2F%2Fevil.example", "/%5Cevil.example", "%5C%5Cevil.example", "/%0A/evil.example",
    "/%0D%0A/evil.example", "https:/evil.example", "//evil.example/%2F..", "/%252F%252Fevil.example",
    "%09//evil.example", "http://127.0.0.1@evil.example", "evil.example",
]


def _login_with_next(app, user, raw_next: str) -> str:
    client = app.test_client()
    token = csrf_token(client, "/login")
    # The value goes into the query string exactly as an attacker's link would carry it.
    response = client.post(f"/login?next={raw_next}", data={"email": user["email"], "password": user["password"],
                                                            "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


@pytest.fixture
def one_user(make_user):
    return make_user()


@pytest.mark.parametrize("raw_next", BYPASSES)
def test_login_never_redirects_off_site(app, one_user, raw_next):
    assert _login_with_next(app, one_user, raw_next) == "/f/"


@pytest.mark.parametrize("raw_next", ["/f/ABC234", "/f/ABC234/people", "/f/ABC234?tab=results"])
def test_login_keeps_a_local_next(app, one_user, raw_next):
    assert _login_with_next(app, one_user, raw_next) == raw_next


def test_login_costs_the_same_for_unknown_and_known_emails(app, make_user):
    user = make_user()

    def cost(email: str) -> float:
        client = app.test_client()
        token = csrf_token(client, "/login")
        started = time.perf_counter()
        response = client.post("/login", data={"email": email, "password": "a wrong password", "csrf_token": token})
        elapsed = time.perf_counter() - started
        assert response.status_code == 400
        return elapsed

    cost("warm-up@example.org")
    known, unknown = [], []
    for _ in range(5):  # interleaved, so a busy machine slows both alike
        known.append(cost(user["email"]))
        unknown.append(cost("nobody-here@example.org"))
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 <= ratio <= 2, (ratio, known, unknown)
