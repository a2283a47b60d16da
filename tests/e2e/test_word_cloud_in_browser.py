"""A word cloud in real browsers: a phone sends three words, the projector draws the cloud with
its list of words, the console hides a word and it leaves the projector."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.devices import DESKTOP, PHONE
from tests.e2e.test_day_rounds import add_round, saved
from tests.e2e.test_workshop_flow import LIVE, create_workshop, join, log_in, round_action

pytestmark = pytest.mark.e2e

PROJECTOR_HD = {"viewport": {"width": 1920, "height": 1080}}


def cloud_words(page) -> list:
    raw = page.locator("#word-cloud-wrap").get_attribute("data-words")
    return json.loads(raw) if raw else []


def expect_cloud(page, words: list) -> None:
    page.wait_for_function(
        "want => { const el = document.getElementById('word-cloud-wrap'); return el && el.dataset.words === want; }",
        arg=json.dumps(words, ensure_ascii=False, separators=(",", ":")), timeout=LIVE)


def canvas_has_ink(page) -> bool:
    # Some pixel of the canvas is drawn: the words are on it, not only in the list.
    return page.evaluate("""() => {
        const c = document.getElementById('word-cloud');
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < data.length; i += 4 * 7) if (data[i] > 0) return true;
        return false;
    }""")


def test_phone_sends_words_projector_draws_them_console_hides_one(live_server, new_context, shots):
    fac = new_context("console", **DESKTOP).new_page()
    log_in(fac, live_server)
    code = create_workshop(fac, "A word for the future")
    kari = join(new_context("kari", **PHONE), code, "Kari Nordmann", "Oslo universitetssykehus", "health_service")
    ola = join(new_context("ola", **PHONE), code, "Ola Hansen", "Biotek AS", "industry")
    proj = new_context("projector", **PROJECTOR_HD).new_page()
    proj.goto(f"/w/{code}/display")

    cloud = add_round(fac, "word_cloud", "One word for shared health data", max_words=3, max_length=30)
    round_action(fac, cloud, "Open", "open")
    expect(kari.locator("#word-1")).to_be_visible(timeout=LIVE)
    expect(kari.locator(".word-row input")).to_have_count(3)

    # A stop word alone is refused with a message; what was typed stays in the fields.
    kari.locator("#word-1").fill("Trust")
    kari.locator("#word-2").fill("og")
    kari.locator("#words-send").tap()
    expect(kari.locator("#error")).to_contain_text("too common to count on its own", timeout=LIVE)
    expect(kari.locator("#word-2")).to_have_attribute("aria-invalid", "true")
    expect(kari.locator("#word-1")).to_have_value("Trust")
    expect(kari.locator("#word-2")).to_have_value("og")
    shots(kari, "wordcloud-phone-refused")

    kari.locator("#word-2").fill("data sharing")
    kari.locator("#word-3").fill("Consent")
    kari.locator("#words-send").tap()
    saved(kari)
    expect(kari.locator("#my-words li")).to_have_text(["Trust", "data sharing", "Consent"])
    ola.locator("#word-1").fill("trust")
    ola.locator("#word-2").fill("Nonsense")
    ola.locator("#words-send").tap()
    saved(ola)

    expect_cloud(proj, [["Trust", 2], ["data sharing", 1], ["Consent", 1], ["Nonsense", 1]])  # ties in the order first sent
    expect(proj.locator("#word-list li")).to_have_count(4)
    expect(proj.locator("#word-list li").first).to_contain_text("Trust")
    expect(proj.locator("#word-cloud")).to_have_attribute("aria-label", "Word cloud of 4 words")
    proj.wait_for_function("() => { const c = document.getElementById('word-cloud'); return c && c.width > 1000 && c.height > 400; }",
                           timeout=LIVE)
    proj.wait_for_timeout(2500)  # the cloud is laid out a little after the words arrive
    assert canvas_has_ink(proj)
    shots(proj, "wordcloud-projector")
    shots(kari, "wordcloud-phone", full_page=True)

    # The console lists the words with counts; hiding one takes it off the projector at once.
    item = fac.locator("#cloud-words li", has_text="Nonsense")
    expect(item).to_be_visible(timeout=LIVE)
    expect(fac.locator("#cloud-words li", has_text="Trust").locator(".count")).to_have_text("2")
    item.get_by_role("button", name="Hide").click()
    expect(fac.locator("#hidden-words li")).to_have_text("Nonsense 1Show", timeout=LIVE)
    expect_cloud(proj, [["Trust", 2], ["data sharing", 1], ["Consent", 1]])
    expect(proj.locator("#word-list")).not_to_contain_text("Nonsense")
    shots(fac, "wordcloud-console", full_page=True)

    # The text alternative can be shown on the screen too.
    proj.locator("#word-list-toggle").click()
    expect(proj.locator("#word-list")).to_be_visible()
    expect(proj.locator("#word-list-toggle")).to_have_attribute("aria-expanded", "true")
    proj.locator("#word-list-toggle").click()

    # Focus survives an update on the phone: Ola types while Kari's words arrive.
    ola.locator("#word-3").focus()
    ola.keyboard.type("Open")
    kari.locator("#word-3").fill("Openness")  # in place of "Consent"
    kari.locator("#words-send").tap()
    saved(kari)
    expect_cloud(proj, [["Trust", 2], ["data sharing", 1], ["Openness", 1]])
    assert ola.evaluate("document.activeElement.id") == "word-3"
    expect(ola.locator("#word-3")).to_have_value("Open")

    # Closed: the final cloud stays on the projector, the results on the phones.
    round_action(fac, cloud, "Close", "closed")
    expect(proj.locator("#round-meta")).to_contain_text("Final result", timeout=LIVE)
    expect_cloud(proj, [["Trust", 2], ["data sharing", 1], ["Openness", 1]])
    expect(kari.locator(".results li .title")).to_have_text(["Trust", "data sharing", "Openness"], timeout=LIVE)
    proj.wait_for_timeout(2500)
    assert canvas_has_ink(proj)
    shots(proj, "wordcloud-projector-closed")
    shots(kari, "wordcloud-phone-closed", full_page=True)
