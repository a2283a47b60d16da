"""Who sees which language, and the catalogs behind it (app/i18n.py)."""
from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from werkzeug.datastructures import LanguageAccept

from app import i18n
from app.errors import DomainError
from app.extensions import db
from app.models import User


def _html_lang(response) -> str:
    return re.search(r'<html lang="([a-z]+)"', response.get_data(as_text=True)).group(1)


def _catalog(response) -> dict:
    html = response.get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="tavle-i18n">(.*?)</script>', html, re.S).group(1)
    return json.loads(block)


@pytest.mark.parametrize("header, expected", [
    ([("nb-NO", 1)], "nb"), ([("nn-NO", 1)], "nn"), ([("no", 1)], "nb"), ([("nn", 1), ("nb", 0.8)], "nn"),
    ([("en-GB", 1)], "en"), ([("sv-SE", 1), ("nn", 0.5)], "nn"), ([("de", 1)], "en"), ([], "en"),
])
def test_accept_language_guess(header, expected):
    assert i18n.guess(LanguageAccept(header)) == expected


def test_a_visitor_gets_their_browsers_language_and_the_switch_keeps_a_choice(client):
    page = client.get("/login", headers={"Accept-Language": "nn-NO,nn;q=0.9"})
    assert _html_lang(page) == "nn"
    assert "Innlogging for fasilitatorar" in page.get_data(as_text=True)
    assert _catalog(page)["locale"] == "nn" and _catalog(page)["decimal"] == ","

    english = client.get("/login", headers={"Accept-Language": "en"})
    assert _html_lang(english) == "en" and "Facilitator login" in english.get_data(as_text=True)

    from tests.support.web import csrf_token

    token = csrf_token(client, "/login")
    switched = client.post("/language", data={"language": "nb", "next": "/login", "csrf_token": token},
                           headers={"Accept-Language": "en"})
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/login")
    again = client.get("/login", headers={"Accept-Language": "en"})
    assert _html_lang(again) == "nb" and "Innlogging for fasilitatorer" in again.get_data(as_text=True)


def test_the_switch_refuses_unknown_languages_and_foreign_redirects(client):
    from tests.support.web import csrf_token

    token = csrf_token(client, "/login")
    answer = client.post("/language", data={"language": "xx", "next": "https://evil.example/", "csrf_token": token})
    assert answer.status_code == 302 and "evil" not in answer.headers["Location"]
    assert i18n.COOKIE not in (answer.headers.get("Set-Cookie") or "")


def test_a_facilitators_language_is_guessed_once_then_kept_on_the_account(app, make_user, client):
    user = make_user()
    from tests.support.web import csrf_token

    token = csrf_token(client, "/login")
    client.post("/login", data={"email": user["email"], "password": user["password"], "csrf_token": token},
                headers={"Accept-Language": "nn"})
    with app.app_context():
        assert db.session.get(User, user["id"]).language == "nn"
    # The stored choice wins over the browser's header from now on.
    page = client.get("/workshops", headers={"Accept-Language": "en"})
    assert _html_lang(page) == "nn" and "Logg ut" in page.get_data(as_text=True)

    token = csrf_token(client, "/workshops")
    client.post("/language", data={"language": "en", "next": "/workshops", "csrf_token": token})
    with app.app_context():
        assert db.session.get(User, user["id"]).language == "en"
    assert "Log out" in client.get("/workshops", headers={"Accept-Language": "nn"}).get_data(as_text=True)


def test_workshop_pages_speak_the_workshops_language_not_the_browsers(make_workshop, client):
    code = make_workshop(None, language="nn")
    page = client.get(f"/w/{code}", headers={"Accept-Language": "en"})
    assert _html_lang(page) == "nn"
    assert _catalog(page)["locale"] == "nn"
    assert "Du blir med i" in page.get_data(as_text=True)


def test_a_lazy_error_is_rendered_in_the_language_of_whoever_reads_it(app):
    from flask_babel import lazy_gettext as _l

    error = DomainError("bad_name", _l("Log out"))
    with app.test_request_context("/login", headers={"Accept-Language": "nb"}):
        assert error.message == "Logg ut" and error.to_dict()["message"] == "Logg ut"
    with app.test_request_context("/login", headers={"Accept-Language": "en"}):
        assert error.message == "Log out"
    with app.app_context(), i18n.in_language("nn"):
        assert str(error) == "Logg ut"


def test_catalogs_are_compiled_when_their_po_is_newer(tmp_path):
    po = tmp_path / "nn" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Yes"\nmsgstr "Ja"\n',
                  encoding="utf-8")
    assert i18n.compile_catalogs(tmp_path) == [po.with_suffix(".mo")]
    assert i18n.compile_catalogs(tmp_path) == []  # up to date: nothing written
    from babel.support import Translations

    assert Translations.load(str(tmp_path), ["nn"]).gettext("Yes") == "Ja"


# --- the catalogs are complete -----------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*(\w+)\s*\}\}|%\w")


@functools.lru_cache(maxsize=None)
def _extracted(domain: str) -> dict:
    config = "babel.cfg" if domain == "messages" else "babel-js.cfg"
    keywords = (["-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-k", "lazy_gettext", "-k", "_l",
                 "-k", "lazy_ngettext:1,2", "-k", "N_", "-k", "Nn_:1,2", "-k", "pgettext:1c,2", "-k", "lazy_pgettext:1c,2"] if domain == "messages"
                else ["-k", "gettext", "-k", "ngettext:1,2"])
    out = Path(tempfile.mkdtemp()) / f"{domain}.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), "-q", "extract", "-F", config, *keywords, "-o", str(out), "."],
                   cwd=ROOT, check=True)
    with out.open("rb") as f:
        return {(m.context, m.id): m for m in read_po(f) if m.id}


@pytest.mark.parametrize("domain", ["messages", "js"])
@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_message_is_translated_with_its_placeholders(domain, lang, tmp_path):
    wanted = _extracted(domain)
    with (ROOT / "app" / "translations" / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
        catalog = read_po(f, locale=lang)
    have = {(m.context, m.id): m for m in catalog if m.id}
    missing = [k for k in wanted if k not in have]
    assert not missing, f"{lang}/{domain}.po lacks {len(missing)} messages (run scripts/i18n.sh update): {missing[:5]}"
    stale = [k for k in have if k not in wanted]
    assert not stale, f"{lang}/{domain}.po keeps {len(stale)} messages the code no longer has: {stale[:5]}"
    problems = []
    for key, message in have.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if "fuzzy" in message.flags or not all(strings):
            problems.append(("untranslated", key))
            continue
        ids = key[1] if isinstance(key[1], tuple) else (key[1],)
        expected = {m.group(0) for m in _PLACEHOLDER.finditer(" ".join(ids))} - {"%d"}
        for text in strings:
            found = {m.group(0) for m in _PLACEHOLDER.finditer(text)} - {"%d"}
            # A plural's singular may say "one" instead of the number.
            if found - expected or (expected - found - {"%(num)d", "%(n)s", "%(count)s", "{{ count }}", "{{ num }}"}):
                problems.append(("placeholders", key, text))
    assert not problems, f"{lang}/{domain}.po: {len(problems)} problems, e.g. {problems[:5]}"
