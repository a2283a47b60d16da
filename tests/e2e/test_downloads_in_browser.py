"""A download in a real browser: the progress page follows the job and the file arrives by itself."""
from __future__ import annotations

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.e2e.devices import DESKTOP
from tests.e2e.test_workshop_flow import create_workshop, log_in

pytestmark = pytest.mark.e2e


def test_clicking_a_report_shows_progress_and_then_saves_the_file(new_context, live_server, shots):
    page = new_context("facilitator", **DESKTOP).new_page()
    log_in(page, live_server)
    code = create_workshop(page, "Downloads in a browser")
    page.goto(f"/f/{code}/exports")
    with page.expect_download(timeout=60_000) as saved:
        page.get_by_role("link", name="Report (Word)").click()
        expect(page.get_by_role("heading", name="Building the report…")).to_be_visible()
        shots(page, "facilitator-job-progress")
    download = saved.value
    assert download.suggested_filename == f"{code}-report.docx"
    doc = Document(io.BytesIO(open(download.path(), "rb").read()))
    assert any("Downloads in a browser" in p.text for p in doc.paragraphs)
    expect(page.locator("#job-ready")).to_be_visible()
    shots(page, "facilitator-job-ready")
