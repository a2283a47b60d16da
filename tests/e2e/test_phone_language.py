"""A phone speaks its workshop's language, in a real browser: the texts the browser modules
draw (the status, the stage of a brainstorm, a dot vote and a star rating, the results) come
from the page's ``js`` catalog, and numbers are written the language's way (4,0 in nynorsk).

The facilitator's console stays in the facilitator's own language (English here).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.e2e.devices import DESKTOP, PHONE
from tests.e2e.test_workshop_flow import LIVE, add_round, create_workshop, log_in, round_action, vote_item

pytestmark = pytest.mark.e2e

A, B = "Shared genomic data platform", "Joint funding calls"

# What the phone must say, by the workshop's language.
TEXTS = {
    "nn": {
        "connected": "Tilkopla",
        "waiting": "Ventar på at fasilitatoren startar ein runde…",
        "send_idea": "Send idé",
        "closed": "Denne runden er lukka.",
        "dots_left": "3 av 3 prikkar att · maks 2 på éin idé",
        "dots_after": "2 av 3 prikkar att · maks 2 på éin idé",
        "add_dot": f"Legg ein prikk på {A}",
        "saved": "Lagra ✓",
        "stars_help": "Gi kvar idé frå 1 (lågast) til 5 (høgast).",
        "results": "Resultat",
        "scores": ["5,0", "4,0"],
    },
    "en": {
        "connected": "Connected",
        "waiting": "Waiting for the facilitator to start a round…",
        "send_idea": "Send idea",
        "closed": "This round is closed.",
        "dots_left": "3 of 3 dots left · at most 2 on one idea",
        "dots_after": "2 of 3 dots left · at most 2 on one idea",
        "add_dot": f"Add a dot to {A}",
        "saved": "Saved ✓",
        "stars_help": "Rate each idea from 1 (lowest) to 5 (highest).",
        "results": "Results",
        "scores": ["5.0", "4.0"],
    },
}


def set_language(database_url: str, code: str, lang: str) -> None:
    """Give workshop ``code`` the language ``lang`` (straight in the server's database: what is
    checked here is the browser's side, whichever way the facilitator chose the language)."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE workshop SET language = :lang WHERE code = :code"), {"lang": lang, "code": code})
    finally:
        engine.dispose()


def join(context, code: str, name: str):
    """Join with the form's fields by their ids (their labels are in the workshop's language)."""
    page = context.new_page()
    page.goto(f"/w/{code}")
    page.locator("#name").fill(name)
    page.locator("#organisation").fill("Helse Vest")
    page.locator("#sector").select_option("health_service")
    page.locator("#join-form button[type=submit]").click()
    expect(page.locator("#phone")).to_be_visible()
    return page


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_a_phone_speaks_the_workshops_language(lang, live_server, e2e_database_url, new_context, shots):
    say = TEXTS[lang]
    fac = new_context("console", **DESKTOP).new_page()
    log_in(fac, live_server)
    code = create_workshop(fac, f"Workshop in {lang}")
    set_language(e2e_database_url, code, lang)

    phone = join(new_context("phone", **PHONE), code, "Kari Nordmann")
    expect(phone.locator("html")).to_have_attribute("lang", lang)
    expect(phone.locator("#status")).to_have_text(say["connected"], timeout=LIVE)
    expect(phone.locator("#stage .waiting")).to_have_text(say["waiting"])

    # A brainstorm: the form's button, and the note under the closed round.
    brainstorm = add_round(fac, "brainstorm", "Ideas")
    round_action(fac, brainstorm, "Open", "open")
    send = phone.locator(".idea-form button[type=submit]")
    expect(send).to_have_text(say["send_idea"], timeout=LIVE)
    for title in (A, B):
        phone.locator("#idea-title").fill(title)
        send.click()
        expect(phone.locator("#ideas li.mine", has_text=title)).to_be_visible(timeout=LIVE)
    round_action(fac, brainstorm, "Close", "closed")
    expect(phone.locator("#stage")).to_contain_text(say["closed"], timeout=LIVE)

    # A dot vote: the dots left, a button's name, the status once the server has the dot.
    vote = add_round(fac, "dot_vote", "Dots", source=brainstorm, budget=3, cap=2)
    round_action(fac, vote, "Open", "open")
    left = phone.locator("#dots-left")
    expect(left).to_have_text(say["dots_left"], timeout=LIVE)
    first = int(phone.locator("#vote-list li", has_text=A).get_attribute("data-idea-id"))
    plus = vote_item(phone, first).locator(".plus")
    expect(plus).to_have_attribute("aria-label", say["add_dot"])
    plus.tap()
    expect(phone.locator("#status")).to_have_text(say["saved"], timeout=LIVE)
    expect(left).to_have_text(say["dots_after"])
    shots(phone, f"phone-{lang}-dot-vote")
    round_action(fac, vote, "Close", "closed")

    # A star rating: its help, and the results with the means written the language's way.
    stars = add_round(fac, "score", "Stars", source=brainstorm, scale_min=1, scale_max=5)
    round_action(fac, stars, "Open", "open")
    expect(phone.locator("#stage .hint")).to_contain_text(say["stars_help"], timeout=LIVE)
    for title, value in ((A, 4), (B, 5)):
        idea = int(phone.locator("#vote-list li", has_text=title).get_attribute("data-idea-id"))
        vote_item(phone, idea).locator(f'.star-btn[data-value="{value}"]').tap()
        expect(phone.locator("#status")).to_have_text(say["saved"], timeout=LIVE)
    round_action(fac, stars, "Close", "closed")
    expect(phone.locator("#stage h2")).to_have_text(say["results"], timeout=LIVE)
    expect(phone.locator(".results li .title")).to_have_text([B, A])
    expect(phone.locator(".results li .score")).to_have_text(say["scores"])
    shots(phone, f"phone-{lang}-results", full_page=True)

    # The console speaks the facilitator's language, with its numbers.
    expect(fac.locator("#live-meta")).to_have_text("1 of 1 has voted")
    expect(fac.locator("#live-tally .score")).to_have_text(["5.0", "4.0"])
