"""The workshop form's attribution threshold, and the demo badge on the console and projector."""
from __future__ import annotations

import pytest

from app import transaction
from app.extensions import db
from app.models import User, Workshop
from tests.support.web import csrf_token

NB = {"Accept-Language": "nb"}


@pytest.fixture(autouse=True)
def _speaks_bokmal(app, facilitator):
    """The facilitator's own pages in bokmål (their chosen language)."""
    from app.services import accounts

    with app.app_context():
        transaction.run(lambda: accounts.set_language(db.session.get(User, facilitator.user["id"]), "nb"))


def _code(facilitator, **extra) -> str:
    token = csrf_token(facilitator, "/f/new")
    response = facilitator.post("/f/new", data={"title": "Terskel", "language": "nb", "csrf_token": token, **extra})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[-1]


def _threshold(app, code: str) -> int:
    with app.app_context():
        return db.session.query(Workshop).filter_by(code=code).one().attribution_min


def test_the_threshold_is_set_on_the_workshop_form(app, facilitator):
    assert _threshold(app, _code(facilitator)) == 3  # a form without the field keeps the default
    code = _code(facilitator, attribution_min="5")
    assert _threshold(app, code) == 5
    page = facilitator.get(f"/f/{code}/edit", headers=NB).get_data(as_text=True)
    assert "Vis en organisasjon bare der den hadde minst så mange deltakere" in page
    assert 'name="attribution_min"' in page and 'value="5"' in page and 'min="1"' in page and 'max="50"' in page
    token = csrf_token(facilitator, f"/f/{code}/edit")
    saved = facilitator.post(f"/f/{code}/edit", data={"title": "Terskel", "language": "nb", "attribution_min": "2",
                                                      "csrf_token": token})
    assert saved.status_code == 302 and _threshold(app, code) == 2


@pytest.mark.parametrize("value, message", [
    ("0", "Et tall fra 1 til 50."), ("51", "Et tall fra 1 til 50."), ("", "Skriv et tall fra 1 til 50."),
    ("tre", "Ikke et gyldig heltall."),
])
def test_a_bad_threshold_is_refused_in_the_users_language(app, facilitator, value, message):
    code = _code(facilitator, attribution_min="4")
    token = csrf_token(facilitator, f"/f/{code}/edit")
    response = facilitator.post(f"/f/{code}/edit", headers=NB, data={
        "title": "Nytt navn", "language": "nb", "attribution_min": value, "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page, page[-3000:]
    assert 'value="Nytt navn"' in page  # what was typed is kept
    assert _threshold(app, code) == 4


def test_a_demo_workshop_is_marked_on_the_console_and_the_projector(app, facilitator):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        code = db.session.query(Workshop).one().code
    console = facilitator.get(f"/f/{code}", headers=NB).get_data(as_text=True)
    projector = app.test_client().get(f"/w/{code}/display").get_data(as_text=True)
    for page in (console, projector):
        assert 'id="demo-badge"' in page and "Demodata" in page
    real = _code(facilitator)
    assert 'id="demo-badge"' not in facilitator.get(f"/f/{real}").get_data(as_text=True)
    assert 'id="demo-badge"' not in app.test_client().get(f"/w/{real}/display").get_data(as_text=True)
