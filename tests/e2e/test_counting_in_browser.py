"""Closing a large round in a real browser: the console says the votes are being counted, its
jobs list follows the worker, and the result arrives on the console and the projector by itself.

The server counts every voting round in its job worker here (``TAVLE_CLOSE_IN_JOB_BALLOTS=1``),
so the demo's dot vote of 53 ballots stands in for a plenary of a thousand.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serve
from tests.e2e.devices import DESKTOP, PROJECTOR
from tests.e2e.test_workshop_flow import log_in

pytestmark = pytest.mark.e2e
DOTS = "Prioritering med prikker"


@pytest.fixture(scope="module")
def live_server(e2e_database_url, tmp_path_factory):
    """This module's server (``new_context`` opens pages on it), with the demo workshop loaded."""
    server = serve(e2e_database_url, tmp_path_factory.mktemp("e2e-counting"), demo=True,
                   extra={"TAVLE_CLOSE_IN_JOB_BALLOTS": "1"})
    yield server
    server.process.stop()


def test_a_round_counted_by_a_worker_shows_counting_then_its_result(new_context, live_server, shots):
    server, code = live_server, live_server.code
    context = new_context("facilitator", **DESKTOP)
    page = context.new_page()
    log_in(page, server)
    page.goto(f"/f/{code}")
    expect(page.locator("#connection")).to_have_text("live", timeout=20_000)
    projector = new_context("projector", **PROJECTOR).new_page()
    projector.goto(f"/w/{code}/display")

    dots = page.locator("#rounds li.round", has_text=DOTS)
    dots.get_by_role("button", name="Reopen").click()
    expect(dots.get_by_role("button", name="Close")).to_be_visible()
    # Remember whether the console ever said it was counting: the worker may be quick.
    page.evaluate("""() => {
        window.sawCounting = false;
        const note = () => { if (document.querySelector('#live-tally .pending')) window.sawCounting = true; };
        new MutationObserver(note).observe(document.getElementById('live-tally'), { childList: true, subtree: true });
    }""")
    dots.get_by_role("button", name="Close").click()

    jobs = page.locator("#console-jobs")
    expect(jobs.locator("li.job[data-kind='count_result']")).to_contain_text("Counting the votes…", timeout=30_000)
    expect(jobs.locator("li.job-done[data-kind='count_result']")).to_be_visible(timeout=60_000)
    expect(page.locator("#live-tally .bar-row").first).to_be_visible(timeout=30_000)
    assert page.evaluate("window.sawCounting") is True
    expect(page.locator("#live-tally .pending")).to_have_count(0)
    shots(page, "console-counted-by-worker")
    # The projector shows the final list once the worker has counted it.
    expect(projector.locator("#final li").first).to_be_visible(timeout=30_000)
    shots(projector, "projector-counted-by-worker")
