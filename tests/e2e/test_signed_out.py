"""Ended identities in real browsers: a revoked phone and a logged-out console say so."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.devices import DESKTOP, PHONE
from tests.e2e.test_workshop_flow import LIVE, create_workshop, join, log_in

pytestmark = pytest.mark.e2e

SIGNED_OUT = "You have been signed out of this workshop. Join again with the code."


def test_revoked_phones_and_a_logged_out_console_say_so(new_context, live_server, shots):
    laptop = new_context("laptop", **DESKTOP).new_page()
    log_in(laptop, live_server)
    code = create_workshop(laptop, "Sessions that end")

    kari_context = new_context("kari", **PHONE)
    kari = join(kari_context, code, "Kari", "Oslo universitetssykehus", "health_service")
    # The same cookie in a second browser, as if copied: it is the same participant.
    copy_context = new_context("copy", **PHONE)
    copy_context.add_cookies(kari_context.cookies())
    copy = copy_context.new_page()
    copy.goto(f"/w/{code}")
    expect(copy.locator("#status")).to_have_text("Connected", timeout=LIVE)

    people = new_context("people", **DESKTOP).new_page()
    log_in(people, live_server)
    people.goto(f"/f/{code}/people")
    people.get_by_role("button", name="Sign out participant").first.click()
    expect(people.locator(".flash").first).to_contain_text("Signed out on every device")

    for phone in (kari, copy):
        expect(phone.locator("#signed-out")).to_contain_text(SIGNED_OUT, timeout=LIVE)
    shots(kari, "phone-signed-out")
    kari.get_by_role("link", name="Join again").click()
    expect(kari.get_by_label("Your name")).to_be_visible()

    # Logging out in one browser ends the console open in another.
    expect(laptop.locator("#connection")).to_have_text("live", timeout=LIVE)
    people.get_by_role("button", name="Log out").click()
    expect(laptop.locator("#connection")).to_have_text("logged out", timeout=LIVE)
    expect(laptop.locator("#console-error")).to_be_visible()
    shots(laptop, "console-logged-out")
    laptop.reload()
    expect(laptop.get_by_role("button", name="Log in")).to_be_visible()
