import re

from app.extensions import db
from app.models import Participant, User, Workshop
from tests.support.web import csrf_token


def test_setup_link_creates_first_account_once(app, client):
    with app.app_context():
        from app.services import accounts

        token = accounts.setup_token()
    page = client.get(f"/setup/{token}")
    assert page.status_code == 200 and "Create the first facilitator account" in page.get_data(as_text=True)
    data = {"name": "Ola", "email": "ola@example.org", "password": "long enough pw", "confirm": "long enough pw", "csrf_token": csrf_token(client, f"/setup/{token}")}
    response = client.post(f"/setup/{token}", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/f/")
    assert client.get("/f/").status_code == 200  # logged in
    again = app.test_client().get(f"/setup/{token}")
    assert again.status_code == 404 and "Setup is done" in again.get_data(as_text=True)
    assert app.test_client().get("/setup/forged-token").status_code == 404


def test_login_errors_and_redirects(app, client, make_user):
    user = make_user()
    token = csrf_token(client, "/login")
    bad = client.post("/login", data={"email": user["email"], "password": "wrong password", "csrf_token": token})
    assert bad.status_code == 400 and "Wrong e-mail or password." in bad.get_data(as_text=True)
    assert client.get("/f/").status_code == 302  # still anonymous → login
    evil = client.post("/login?next=//evil.example/", data={"email": user["email"], "password": user["password"], "csrf_token": token})
    assert evil.headers["Location"] == "/f/"


def test_forms_need_csrf(facilitator):
    response = facilitator.post("/f/new", data={"title": "No token", "language": "nb"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)


def test_create_workshop_shows_code_and_qr(app, facilitator):
    token = csrf_token(facilitator, "/f/new")
    response = facilitator.post("/f/new", data={"title": "Persontilpasset medisin", "language": "nb", "date": "2019-01-31", "show_names": "y", "csrf_token": token})
    assert response.status_code == 302
    code = response.headers["Location"].rsplit("/", 1)[-1]
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", code)
    console = facilitator.get(f"/f/{code}").get_data(as_text=True)
    assert "Persontilpasset medisin" in console and f"/w/{code}" in console
    qr = app.test_client().get(f"/w/{code}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    display = app.test_client().get(f"/w/{code}/display")
    assert display.status_code == 200 and "<svg" in display.get_data(as_text=True)


def test_create_workshop_validation_message(facilitator):
    token = csrf_token(facilitator, "/f/new")
    response = facilitator.post("/f/new", data={"title": "", "language": "nb", "csrf_token": token})
    assert response.status_code == 400 and "Give the workshop a title." in response.get_data(as_text=True)


def test_wrong_code_on_start_page(client):
    token = csrf_token(client, "/")
    response = client.post("/join", data={"code": "zzz-zzz", "csrf_token": token})
    assert response.status_code == 400
    assert "There is no workshop with that code" in response.get_data(as_text=True)
    assert client.get("/w/ZZZZZZ").status_code == 404


def test_join_flow_cookie_and_double_submit(app, make_workshop, client):
    code = make_workshop(None, allow_anonymous=False)
    token = csrf_token(client, f"/w/{code.lower()}")
    missing = client.post(f"/w/{code}/join", data={"name": "", "csrf_token": token})
    assert missing.status_code == 400 and "Skriv navnet ditt." in missing.get_data(as_text=True)  # the workshop's bokmål
    ok = client.post(f"/w/{code}/join", data={"name": "Kari", "organisation": "NTNU", "sector": "research", "csrf_token": token})
    assert ok.status_code == 302
    cookie = ok.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    twice = client.post(f"/w/{code}/join", data={"name": "Kari", "csrf_token": token})
    assert twice.status_code == 302
    with app.app_context():
        assert db.session.query(Participant).count() == 1
    phone = client.get(f"/w/{code}").get_data(as_text=True)
    assert 'id="phone"' in phone and "Kari" in phone


def test_closed_workshop_refuses_joining(app, make_workshop, client):
    code = make_workshop(None, language="en")
    with app.app_context():
        w = db.session.query(Workshop).filter_by(code=code).one()
        w.join_open = False
        db.session.commit()
    token = csrf_token(client, f"/w/{code}")
    response = client.post(f"/w/{code}/join", data={"name": "Kari", "csrf_token": token})
    assert response.status_code == 400 and "closed for joining" in response.get_data(as_text=True)


def test_facilitator_pages_are_private(app, facilitator, make_user, login, make_workshop, join_participant):
    code = make_workshop(facilitator.user["id"])
    other = login(app.test_client(), make_user())
    assert other.get(f"/f/{code}").status_code == 403
    assert "Only this workshop&#39;s facilitator" in other.get(f"/f/{code}").get_data(as_text=True)
    assert other.get(f"/f/{code}/export.md").status_code == 403
    phone = join_participant(code)
    assert phone.get(f"/f/{code}").status_code == 302  # a participant is sent to the login page
    token = csrf_token(other, "/f/")
    assert other.post(f"/f/{code}/rounds", data={"kind": "brainstorm", "title": "Hijack", "csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.query(Workshop).filter_by(code=code).one().rounds == []


def test_console_round_forms(app, facilitator, make_workshop):
    code = make_workshop(facilitator.user["id"])
    token = csrf_token(facilitator, f"/f/{code}")
    assert facilitator.post(f"/f/{code}/rounds", data={"kind": "brainstorm", "title": "Ideas", "csrf_token": token}).status_code == 302
    with app.app_context():
        w = db.session.query(Workshop).filter_by(code=code).one()
        rid = w.rounds[0].id
    facilitator.post(f"/f/{code}/rounds/{rid}/open", data={"csrf_token": token})
    bad = facilitator.post(f"/f/{code}/rounds", data={"kind": "dot_vote", "title": "Dots", "source_round_id": 0, "csrf_token": token}, follow_redirects=True)
    assert "Choose the earlier round whose ideas this round works over." in bad.get_data(as_text=True)
    with app.app_context():
        w = db.session.query(Workshop).filter_by(code=code).one()
        assert [r.state.value for r in w.rounds] == ["open"]


def test_users_create_cli(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "a@example.org", "--name", "A", "--password", "short"])
    assert result.exit_code != 0 and "at least 10 characters" in result.output
    result = runner.invoke(args=["users", "create", "--email", "a@example.org", "--name", "A", "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.query(User).filter_by(email="a@example.org").one().check_password("long enough pw")
