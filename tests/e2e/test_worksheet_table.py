"""The first steps as a table in real browsers: a phone adds, fills in and removes rows, each cell
a labelled input, and the facilitator's worksheets page shows the rows as they are saved.

The demo workshop (Norwegian) is the room: its worksheet round is opened again, and its first
worksheet is given to any group so that a phone that has just joined may write in it.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.e2e.conftest import serve
from tests.e2e.devices import PHONE
from tests.e2e.test_workshop_flow import LIVE, log_in

pytestmark = pytest.mark.e2e
SHEETS = "Fra idé til vellykket prosjekt"
CONSOLE = {"viewport": {"width": 1920, "height": 1080}}


@pytest.fixture(scope="module")
def live_server(e2e_database_url, tmp_path_factory):
    """This module's server (``new_context`` opens pages on it), with the demo workshop loaded."""
    server = serve(e2e_database_url, tmp_path_factory.mktemp("e2e-worksheet-table"), demo=True)
    yield server
    server.process.stop()


def first_sheet_to_any_group(database_url: str) -> int:
    """The demo's first worksheet, given to no group (anyone may write in it); returns its id."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            sheet_id = connection.execute(text("SELECT id FROM worksheet WHERE position = 1")).scalar_one()
            connection.execute(text("UPDATE worksheet SET group_id = NULL WHERE id = :id"), {"id": sheet_id})
    finally:
        engine.dispose()
    return sheet_id


def test_a_phone_edits_the_first_steps_table(live_server, e2e_database_url, new_context):
    code = live_server.code
    sheet_id = first_sheet_to_any_group(e2e_database_url)
    console = new_context("facilitator", **CONSOLE).new_page()
    log_in(console, live_server)
    console.goto(f"/f/{code}")
    expect(console.locator("#connection")).to_have_text("live", timeout=LIVE)
    sheets = console.locator("#rounds li.round", has_text=SHEETS)
    sheets.get_by_role("button", name="Reopen").click()
    expect(sheets.locator(".badge.state")).to_have_text("open", timeout=LIVE)
    round_id = sheets.get_attribute("data-round-id")

    phone = new_context("phone", **PHONE).new_page()
    phone.goto(f"/w/{code}")
    phone.locator("#name").fill("Kari")
    phone.locator("#organisation").fill("Helse Vest")
    phone.locator("#sector").select_option("health_service")
    phone.locator("#join-form button[type=submit]").click()
    sheet = phone.locator(f'#my-worksheets .worksheet[data-worksheet-id="{sheet_id}"]')
    expect(sheet).to_be_visible(timeout=LIVE)
    table = sheet.get_by_role("group", name="Første steg – hvem bidrar med hva?")
    rows = table.locator(".ws-row")
    expect(rows).to_have_count(3)
    # Each cell is an input labelled with its column, in the workshop's language.
    expect(rows.nth(0).get_by_label("Aktør")).to_have_value("Aktørene som produserer, lagrer og bruker pasientdata")
    expect(rows.nth(2).get_by_label("Når")).to_have_value("Til slutt")

    status = sheet.locator(".ws-table .field-status")
    rows.nth(2).get_by_label("Når").fill("Høsten 2019")
    expect(status).to_have_text("Lagret ✓", timeout=LIVE)
    sheet.get_by_role("button", name="Legg til en rad").click()
    expect(rows).to_have_count(4)
    expect(rows.nth(3).get_by_label("Aktør")).to_be_focused()
    rows.nth(3).get_by_label("Aktør").fill("Pasientorganisasjonene")
    rows.nth(3).get_by_label("Bidrag").fill("Gi innspill til gevinstene")
    rows.nth(3).get_by_label("Når").fill("Våren 2020")
    expect(status).to_have_text("Lagret ✓", timeout=LIVE)
    table.get_by_role("button", name="Fjern rad 2").click()
    expect(rows).to_have_count(3)
    expect(rows.nth(1).locator("legend")).to_have_text("Rad 2")
    expect(status).to_have_text("Lagret ✓", timeout=LIVE)
    phone.screenshot(path="/tmp/method-appendix-phone-table.png", full_page=True)

    # The facilitator's worksheets page has the rows as saved, and hears of the next save live.
    console.goto(f"/f/{code}/rounds/{round_id}/worksheets")
    page_rows = console.locator(f'.worksheet[data-worksheet-id="{sheet_id}"] .ws-row')
    expect(page_rows).to_have_count(3)
    expect(page_rows.nth(1).get_by_label("Bidrag")).to_have_value("Beskrive gevinstene for pasienter, helsetjeneste og næringsliv")
    expect(page_rows.nth(2).get_by_label("Aktør")).to_have_value("Pasientorganisasjonene")
    expect(page_rows.nth(1).get_by_label("Når")).to_have_value("Høsten 2019")
    rows.nth(0).get_by_label("Når").fill("Januar 2019")
    expect(status).to_have_text("Lagret ✓", timeout=LIVE)
    expect(page_rows.nth(0).get_by_label("Når")).to_have_value("Januar 2019", timeout=LIVE)
    # The same page in the facilitator's Norwegian, for the screenshot.
    console.get_by_role("button", name="Bokmål").click()
    expect(page_rows.nth(0).locator("legend")).to_have_text("Rad 1")
    expect(page_rows.nth(0).get_by_label("Når")).to_have_value("Januar 2019")
    page_rows.nth(0).scroll_into_view_if_needed()
    console.screenshot(path="/tmp/method-appendix-console-table.png")
