"""Writing the report in a real browser, in Norwegian: a section saves itself and the preview follows;
two writers on one section see a conflict with both texts; next steps get rows; phone and laptop.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serve
from tests.e2e.devices import PHONE
from tests.e2e.test_workshop_flow import log_in

pytestmark = pytest.mark.e2e
WIDE = {"viewport": {"width": 1920, "height": 1080}}
PREVIEW = 90_000  # a job builds the preview (its charts take a moment)


@pytest.fixture(scope="module")
def live_server(e2e_database_url, tmp_path_factory):
    """This module's server, with the demo workshop (bokmål) loaded."""
    server = serve(e2e_database_url, tmp_path_factory.mktemp("e2e-report"), demo=True)
    yield server
    server.process.stop()


def open_report(context, server):
    page = context.new_page()
    log_in(page, server)
    if page.locator("form.lang-switch button[aria-current]").inner_text() != "Bokmål":
        page.get_by_role("button", name="Bokmål").click()
    page.goto(f"/f/{server.code}/report")
    expect(page.get_by_role("heading", name="Rapport", exact=True)).to_be_visible()
    return page


def section(page, title: str):
    return page.locator("li.report-section").filter(has=page.locator(f'input[name="title"][value="{title}"]'))


def test_a_section_saves_itself_and_the_preview_follows(new_context, live_server, shots):
    page = open_report(new_context("laptop", **WIDE), live_server)
    preview = page.frame_locator("#report-preview")
    expect(preview.get_by_role("heading", name="1 Sammendrag")).to_be_visible(timeout=PREVIEW)
    expect(preview.get_by_text("1. Digitalt pakkeforløp for persontilpasset medisin")).to_be_visible()
    shots(page, "report-outline-editor-1920")

    background = section(page, "Bakgrunn")
    expect(background.locator("[data-empty-hint]")).to_be_visible()
    background.get_by_label("Tekst").fill("Planen kom i 2018.\n\n- første punkt\n- andre punkt")
    expect(background.locator("[data-status]")).to_have_text("Lagret ✓", timeout=10_000)
    expect(background.locator("[data-empty-hint]")).to_be_hidden()
    expect(preview.get_by_role("heading", name="3 Bakgrunn")).to_be_visible(timeout=PREVIEW)
    expect(preview.get_by_text("andre punkt")).to_be_visible()

    # Renamed and left out: the preview's contents follow.
    conclusion = page.locator("#" + section(page, "Konklusjon").get_attribute("id"))
    conclusion.get_by_label("Tittel").fill("Hva vi lærte")
    conclusion.get_by_label("Med i rapporten").uncheck()
    expect(conclusion.locator("[data-status]")).to_have_text("Lagret ✓", timeout=10_000)
    expect(preview.locator("nav.toc")).not_to_contain_text("Konklusjon", timeout=PREVIEW)
    expect(preview.locator("nav.toc")).not_to_contain_text("Hva vi lærte")
    conclusion.get_by_label("Med i rapporten").check()
    expect(conclusion.locator("[data-status]")).to_have_text("Lagret ✓", timeout=10_000)
    expect(preview.locator("nav.toc")).to_contain_text("Hva vi lærte", timeout=PREVIEW)

    # Next steps: a new row, typed and saved, in the preview's table.
    steps = section(page, "Veien videre")
    steps.get_by_role("button", name="Legg til en rad").click()
    row = steps.locator("[data-row]").last
    row.get_by_placeholder("Tiltak").fill("Sende rapporten til deltakerne")
    row.get_by_placeholder("Hvem").fill("Arrangørene")
    row.get_by_placeholder("Når").fill("Mars 2019")
    row.get_by_placeholder("Når").blur()
    expect(steps.locator("[data-status]")).to_have_text("Lagret ✓", timeout=10_000)
    expect(preview.get_by_role("cell", name="Sende rapporten til deltakerne")).to_be_visible(timeout=PREVIEW)

    # Moving a chapter reloads the page with the outline in its new order, nothing lost; the
    # buttons are named after the section's new title.
    conclusion.get_by_role("button", name="Flytt opp: Hva vi lærte").click()
    expect(page).to_have_url(re.compile(r"/report#section-\d+$"))
    titles = page.locator('li.report-section input[name="title"]').evaluate_all("els => els.map(e => e.value)")
    assert titles.index("Hva vi lærte") == titles.index("Oppsummering av dagen og neste steg") + 1
    assert titles[titles.index("Hva vi lærte") + 1].startswith("Spørreundersøkelse")
    expect(section(page, "Bakgrunn").get_by_label("Tekst")).to_have_value(re.compile("Planen kom i 2018"))


def test_two_writers_on_one_section_see_both_texts(new_context, live_server, shots):
    first = open_report(new_context("first", **WIDE), live_server)
    second = open_report(new_context("second", **WIDE), live_server)
    mine = section(first, "Introduksjon").get_by_label("Tekst")
    theirs = section(second, "Introduksjon").get_by_label("Tekst")
    mine.fill("Versjonen fra den første.")
    mine.blur()
    expect(section(first, "Introduksjon").locator("[data-status]")).to_have_text("Lagret ✓", timeout=10_000)
    # The second page still holds the version it loaded: its save is refused, both texts shown.
    theirs.fill("Versjonen fra den andre.")
    theirs.blur()
    box = section(second, "Introduksjon").locator("[data-conflict]")
    expect(box).to_be_visible(timeout=10_000)
    expect(box.locator("[data-conflict-text]")).to_have_text("Versjonen fra den første.")
    expect(box).to_contain_text("lagret dette kapitlet i mellomtiden")
    expect(theirs).to_have_value("Versjonen fra den andre.")
    expect(section(second, "Introduksjon").locator("[data-status]")).to_contain_text("endret dette kapitlet mens du skrev")
    shots(second, "report-outline-conflict-1920")
    box.get_by_role("button", name="Behold min").click()
    expect(section(second, "Introduksjon").locator("[data-status]")).to_have_text("Lagret ✓", timeout=10_000)
    expect(box).to_be_hidden()
    # The first writer is now behind: taking theirs puts the second's text in place.
    mine.fill("Et nytt forsøk.")
    mine.blur()
    first_box = section(first, "Introduksjon").locator("[data-conflict]")
    expect(first_box).to_be_visible(timeout=10_000)
    first_box.get_by_role("link", name="Ta deres").click()
    expect(mine).to_have_value("Versjonen fra den andre.")
    expect(first_box).to_be_hidden()


def test_the_editor_and_preview_on_a_phone(new_context, live_server, shots):
    page = open_report(new_context("phone", **PHONE), live_server)
    steps = section(page, "Veien videre")
    steps.scroll_into_view_if_needed()
    shots(page, "report-outline-phone-steps")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    page.locator("#report-preview").scroll_into_view_if_needed()
    expect(page.frame_locator("#report-preview").get_by_role("heading", name="1 Sammendrag")).to_be_visible(timeout=PREVIEW)
    shots(page, "report-outline-phone-preview")
    page.evaluate("window.scrollTo(0, 0)")
    shots(page, "report-outline-phone-top")
