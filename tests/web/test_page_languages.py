"""Which language each page speaks, and that no template holds text outside the catalogs.

Phones, the projector and the printed sheets follow the workshop's language whatever the
browser asks for; the facilitator's own pages follow the facilitator's setting.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import nodes

from app import transaction
from app.extensions import db
from app.models import User
from tests.support.web import csrf_token

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"

#: Text a template may show as it is, in every language.
NOT_TRANSLATED = ("Tavle", "ABC 234", "CSV", "JSON")
#: Attributes a person reads (or hears from a screen reader).
VISIBLE_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description"}
#: Keyword arguments of the form macro that end up on the page.
VISIBLE_KWARGS = {"placeholder", "hint", "title", "aria_label", "label"}
# Blocks base.html puts inside an attribute (class names, the page's language code).
_ATTRIBUTE_BLOCK = re.compile(r"\{%-?\s*block\s+(body_class|main_class|lang)\s*-?%\}.*?\{%-?\s*endblock\b.*?%\}", re.S)
_TRANS_BLOCK = re.compile(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", re.S)
_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)
_TAG = re.compile(r"\{%.*?%\}", re.S)
_LETTER = re.compile(r"[^\W\d_]")


def _shown_literals(node: nodes.Node):
    """The string constants an expression may print as they are (``'Ja' if nb else 'No'``,
    ``name or 'Anonymous'``); a call (``_('…')``, ``url_for('…')``) prints its result, not its
    arguments, except the visible keyword arguments of a macro."""
    if isinstance(node, nodes.Const):
        if isinstance(node.value, str):
            yield node.value
    elif isinstance(node, nodes.CondExpr):
        yield from _shown_literals(node.expr1)
        if node.expr2 is not None:
            yield from _shown_literals(node.expr2)
    elif isinstance(node, (nodes.Or, nodes.And)):
        yield from _shown_literals(node.left)
        yield from _shown_literals(node.right)
    elif isinstance(node, nodes.Concat):
        for part in node.nodes:
            yield from _shown_literals(part)
    elif isinstance(node, nodes.Filter) and node.node is not None:
        yield from _shown_literals(node.node)
    elif isinstance(node, nodes.Call):
        for kwarg in node.kwargs:
            if kwarg.key in VISIBLE_KWARGS:
                yield from _shown_literals(kwarg.value)


def _expression_text(env, source: str) -> str:
    """What ``{{ source }}`` shows as literal text (joined), for the HTML check to judge."""
    template = env.parse("{{ " + source + " }}")
    return " ".join(text for output in template.find_all(nodes.Output) for child in output.nodes
                    if not isinstance(child, nodes.TemplateData) for text in _shown_literals(child))


class _VisibleText(HTMLParser):
    """Collects text nodes (outside scripts and styles) and the visible attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name in VISIBLE_ATTRIBUTES and value:
                self.found.append(f"{tag}[{name}]: {value}")
        is_button = tag == "button" or (tag == "input" and attrs.get("type") in ("submit", "button", "reset"))
        if is_button and attrs.get("value"):
            self.found.append(f"{tag}[value]: {attrs['value']}")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.found.append(data.strip())


def untranslated_text(env, source: str) -> list[str]:
    """Visible text of a template that does not go through ``trans`` / ``_()``."""
    source = _COMMENT.sub("", source)
    source = _ATTRIBUTE_BLOCK.sub("", source)
    source = _TRANS_BLOCK.sub("", source)
    source = _EXPRESSION.sub(lambda m: _expression_text(env, m.group(1)), source)
    source = _TAG.sub("", source)
    parser = _VisibleText()
    parser.feed(source)
    parser.close()
    offending = []
    for text in parser.found:
        rest = text.split(": ", 1)[1] if text.split(": ", 1)[0].endswith("]") else text
        for allowed in NOT_TRANSLATED:
            rest = rest.replace(allowed, "")
        if _LETTER.search(rest):
            offending.append(text)
    return offending


def test_the_template_check_finds_text_outside_the_catalogs(app):
    env = app.jinja_env
    assert untranslated_text(env, "<p>Hello</p>") == ["Hello"]
    assert untranslated_text(env, "<button aria-label=\"Time left\">{{ _('Go') }}</button>") == ["button[aria-label]: Time left"]
    assert untranslated_text(env, "<p>{{ 'Ja' if nb else 'Yes' }}</p>") == ["Ja Yes"]
    assert untranslated_text(env, "<p>{{ name or 'Anonymous' }}</p>") == ["Anonymous"]
    assert untranslated_text(env, '{{ field(form.x, placeholder="e.g. this") }}') == ["e.g. this"]
    assert untranslated_text(env, '<input type="submit" value="Send">') == ["input[value]: Send"]
    # Translated, markup, scripts and data are fine.
    assert untranslated_text(env, "<p>{% trans %}Hello{% endtrans %} – Tavle</p>") == []
    assert untranslated_text(env, "<p class=\"{{ 'now' if x }}\">{{ _('Hi') }}</p>{# note #}") == []
    assert untranslated_text(env, '<script type="application/json">{"a": "text"}</script>') == []
    assert untranslated_text(env, "{% block body_class %}phone{% endblock %}{% block x %}Hi{% endblock %}") == ["Hi"]


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_visible_text_of_a_template_is_translated(app, path):
    assert untranslated_text(app.jinja_env, path.read_text(encoding="utf-8")) == []


# --- the workshop's language ------------------------------------------------------------------

def _html_lang(html: str) -> str:
    return re.search(r'<html lang="([a-z]+)"', html).group(1)


def _set_language(app, user_id: int, lang: str) -> None:
    from app.services import accounts

    with app.app_context():
        transaction.run(lambda: accounts.set_language(db.session.get(User, user_id), lang))


#: A few real strings of each workshop page, by language.
WORKSHOP_PAGES = {
    "nn": {
        "join": ["Du blir med i", "Namnet ditt", "Vel sektor", "Helseteneste", "Profesjonsforeiningar", "Bli med",
                 "Namnet ditt blir vist ved ideane dine."],
        "phone": ["Ikkje deg? Bli med på nytt", 'aria-label="Tid att"'],
        "display": ["deltakarar", "tilkopla", 'aria-label="Resultat direkte"'],
        "sheet": ["<title>Bli med i Workshop</title>", "Kode"],
    },
    "nb": {
        "join": ["Du blir med i", "Navnet ditt", "Velg sektor", "Helsetjeneste", "Profesjonsforeninger", "Bli med",
                 "Navnet ditt vises ved ideene dine."],
        "phone": ["Ikke deg? Bli med på nytt", 'aria-label="Tid igjen"'],
        "display": ["deltakere", "tilkoblet", 'aria-label="Resultater direkte"'],
        "sheet": ["<title>Bli med i Workshop</title>", "Kode"],
    },
    "en": {
        "join": ["You are joining", "Your name", "Choose a sector", "Health services", "Professional bodies", "Join",
                 "Your name is shown with your ideas."],
        "phone": ["Not you? Join again", 'aria-label="Time left"'],
        "display": ["participants", "connected", 'aria-label="Live results"'],
        "sheet": ["<title>Join Workshop</title>", "Code"],
    },
}
#: Strings that must not be there: another language's.
ELSEWHERE = {"nn": ["Navnet ditt", "Your name", "Ikke deg"], "nb": ["Namnet ditt", "Your name", "Ikkje deg"],
             "en": ["Navnet ditt", "Namnet ditt", "Bli med"]}
OTHER_BROWSER = {"nn": "en", "nb": "nn-NO,nn;q=0.9", "en": "nb-NO,nb;q=0.9"}
OTHER_FACILITATOR = {"nn": "en", "nb": "nn", "en": "nb"}


@pytest.mark.parametrize("lang", ["nn", "nb", "en"])
def test_workshop_pages_speak_the_workshops_language_whatever_the_browser_asks(
        app, lang, make_user, login, make_workshop, join_participant):
    user = make_user()
    _set_language(app, user["id"], OTHER_FACILITATOR[lang])
    facilitator = login(app.test_client(), user)
    code = make_workshop(user["id"], language=lang, title="Workshop", show_names=True)
    headers = {"Accept-Language": OTHER_BROWSER[lang]}
    expected = WORKSHOP_PAGES[lang]

    join = app.test_client().get(f"/w/{code}", headers=headers).get_data(as_text=True)
    phone = join_participant(code).get(f"/w/{code}", headers=headers).get_data(as_text=True)
    display = app.test_client().get(f"/w/{code}/display", headers=headers).get_data(as_text=True)
    sheet = facilitator.get(f"/f/{code}/join-sheet", headers=headers).get_data(as_text=True)
    pages = {"join": join, "phone": phone, "display": display, "sheet": sheet}
    for name, html in pages.items():
        assert _html_lang(html) == lang, name
        for text in expected[name]:
            assert text in html, (name, text)
    for text in ELSEWHERE[lang]:
        assert text not in join and text not in phone, text


def test_personal_links_speak_the_workshops_language(app, make_user, login, make_workshop, join_participant):
    user = make_user()
    _set_language(app, user["id"], "en")
    facilitator = login(app.test_client(), user)
    code = make_workshop(user["id"], language="nn", title="Workshop")
    join_participant(code)
    html = facilitator.get(f"/f/{code}/people/links").get_data(as_text=True)
    assert _html_lang(html) == "nn" and "personlege lenkjer for å bli med" in html


def test_the_workshop_form_offers_all_three_languages(facilitator):
    html = facilitator.get("/f/new").get_data(as_text=True)
    for code, name in [("nb", "Norsk (bokmål)"), ("nn", "Norsk (nynorsk)"), ("en", "English")]:
        assert re.search(f'<option (selected )?value="{code}">{re.escape(name)}</option>', html), code


# --- the facilitator's language ---------------------------------------------------------------

FACILITATOR_PAGES = {
    "nb": {
        "list": ["Workshopene dine", "Ny workshop", "1 deltaker ·", "0 runder"],
        "console": ["Legg til en runde", "Ingen runder ennå", "Steng runden ved null", "Projektorvisning", '"Helsetjeneste"'],
        "agenda": ["Ingen programpunkter ennå.", "Hvem", "Legg til et punkt", "Deltakere og grupper"],
        "people": ["Lag tverrsektorielle grupper", "Har blitt med", "<td>ja</td>", "Helsetjeneste", "Deltakere (1)"],
        "exports": ["Nedlastinger", "Hele workshopen", "på engelsk", "Sikkerhetskopi (JSON)"],
    },
    "nn": {
        "list": ["Workshopane dine", "Ny workshop", "1 deltakar ·", "0 rundar"],
        "console": ["Legg til ein runde", "Ingen rundar enno", "Steng runden ved null", "Projektorvising", '"Helseteneste"'],
        "agenda": ["Ingen programpunkt enno.", "Kven", "Legg til eit punkt", "Deltakarar og grupper"],
        "people": ["Lag tverrsektorielle grupper", "Har vorte med", "<td>ja</td>", "Helseteneste", "Deltakarar (1)"],
        "exports": ["Nedlastingar", "Heile workshopen", "på engelsk", "Tryggingskopi (JSON)"],
    },
}


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_facilitator_pages_speak_the_facilitators_language(app, lang, make_user, login, make_workshop, join_participant):
    user = make_user()
    _set_language(app, user["id"], lang)
    facilitator = login(app.test_client(), user)
    # An English workshop and an English browser: the facilitator's setting still wins.
    code = make_workshop(user["id"], language="en", title="Workshop")
    join_participant(code, sector="health_service")
    headers = {"Accept-Language": "en"}
    paths = {"list": "/f/", "console": f"/f/{code}", "agenda": f"/f/{code}/agenda", "people": f"/f/{code}/people",
             "exports": f"/f/{code}/exports"}
    for name, path in paths.items():
        response = facilitator.get(path, headers=headers)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, (name, html)
        assert _html_lang(html) == lang, name
        for text in FACILITATOR_PAGES[lang][name]:
            assert text in html, (name, text)


def test_wtforms_own_messages_speak_nynorsk(app, make_user, login, make_workshop):
    user = make_user()
    _set_language(app, user["id"], "nn")
    facilitator = login(app.test_client(), user)
    code = make_workshop(user["id"], language="en")
    token = csrf_token(facilitator, f"/f/{code}/agenda")
    answer = facilitator.post(f"/f/{code}/agenda", data={"title": "", "duration": "lenge", "round_id": 0,
                                                         "csrf_token": token})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "Ikkje eit gyldig heiltal." in html and "Gi programpunktet ein tittel." in html


# --- forms of a workshop ------------------------------------------------------------------------

def test_a_join_error_is_shown_in_the_workshops_language_and_keeps_what_was_typed(app, make_workshop):
    code = make_workshop(None, language="nn")
    phone = app.test_client()
    token = csrf_token(phone, f"/w/{code}")
    long_name = "Kari " + "N" * 80
    answer = phone.post(f"/w/{code}/join", data={"name": long_name, "organisation": "Helse Bergen",
                                                 "sector": "research", "csrf_token": token},
                        headers={"Accept-Language": "en"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    # The browser's catalog embedded in the page holds English msgids; the page's own text must not.
    page_text = re.sub(r'<script type="application/json" id="tavle-i18n">.*?</script>', "", html, flags=re.S)
    assert "Høgst 80 teikn." in page_text and "characters" not in page_text
    assert f'value="{long_name}"' in html and 'value="Helse Bergen"' in html
    assert re.search(r'<option selected value="research">Akademia og forsking</option>', html)


def test_default_group_names_are_written_in_the_workshops_language(app, make_workshop, join_participant):
    from app.services import roster, workshops

    for lang, group, table in [("nn", "Gruppe 1", "Bord 1"), ("en", "Group 1", "Table 1")]:
        code = make_workshop(None, language=lang)
        join_participant(code)
        with app.app_context():
            workshop = workshops.by_code(code)
            groups = transaction.run(lambda: roster.assign_groups(workshop, 2))
            assert (groups[0].name, groups[0].table_label) == (group, table)


def test_a_roster_may_name_sectors_in_any_language(ctx, make):
    from app.services import roster

    workshop = make.workshop()
    result = roster.import_csv(workshop, "namn,organisasjon,sektor\nKari,OUS,Helseteneste\nOla,Roche,Næringsliv\n"
                                         "Per,UiO,Academia and research\n")
    assert result.errors == []
    assert [p.sector for p in result.added] == ["health_service", "industry", "research"]


def test_sector_label_in_a_language_or_the_one_spoken(app):
    from app import i18n
    from app.sectors import sector_label

    with app.app_context():
        assert sector_label("patient_org", "nn") == "Pasientorganisasjonar"
        assert sector_label("patient_org", "nb") == "Pasientorganisasjoner"
        assert sector_label("patient_org", "en") == "Patient organisations"
        assert sector_label("unknown", "nb") == "" and sector_label(None) == ""
        with i18n.in_language("nn"):
            assert sector_label("other") == "Anna"


# --- error pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("header, heading, sentence", [
    ("nn", "Ikkje funne", "Det finst ingenting på denne adressa."),
    ("nb", "Ikke funnet", "Det finnes ingenting på denne adressen."),
    ("en", "Not found", "There is nothing at this address."),
])
def test_error_pages_speak_the_readers_language(client, header, heading, sentence):
    page = client.get("/no/such/page", headers={"Accept-Language": header})
    html = page.get_data(as_text=True)
    assert page.status_code == 404 and _html_lang(html) == header
    assert heading in html and sentence in html


def test_http_errors_use_our_own_sentences_not_werkzeugs(client):
    answer = client.delete("/login", headers={"Accept-Language": "nn"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 405 and "Denne adressa tek ikkje imot dette." in html
    assert "The method is not allowed" not in html


def test_the_login_reminder_and_flash_messages_speak_the_readers_language(app, client, make_user, login,
                                                                          make_workshop):
    reminder = client.get("/f/", headers={"Accept-Language": "nn"}, follow_redirects=True)
    assert "Logg inn for å leie workshopar." in reminder.get_data(as_text=True)

    user = make_user()
    _set_language(app, user["id"], "nb")
    facilitator = login(app.test_client(), user)
    code = make_workshop(user["id"], language="nn", title="Dag")
    token = csrf_token(facilitator, f"/f/{code}/edit")
    saved = facilitator.post(f"/f/{code}/edit", data={"title": "Dag", "language": "nn", "join_open": "y",
                                                      "csrf_token": token}, follow_redirects=True)
    assert saved.status_code == 200 and "Lagret." in saved.get_data(as_text=True)
