"""Browser fixtures: a real Tavle server (``python wsgi.py``) and Debian's Chromium via Playwright.

The server gets its own database for the module: SQLite in a temporary folder, or a fresh
PostgreSQL database when ``TAVLE_TEST_DATABASE_URL`` names a PostgreSQL server.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.db import postgres_session_db as _postgres_session_db
from tests.support.server import ServerProcess, flask_cli, start_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path("/tmp/tavle-shots")

FACILITATOR_EMAIL = "facilitator@example.org"
FACILITATOR_PASSWORD = "correct horse battery staple"


@dataclass
class LiveServer:
    """A running server and the facilitator account made for it."""

    process: ServerProcess
    email: str = FACILITATOR_EMAIL
    password: str = FACILITATOR_PASSWORD
    #: The demo workshop's code, when the server was started with it.
    code: str | None = None

    @property
    def url(self) -> str:
        return self.process.url


def _require_chromium() -> None:
    if os.path.exists(CHROMIUM):
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def e2e_database_url(tmp_path_factory):
    base = os.environ.get("TAVLE_TEST_DATABASE_URL")
    if base and base.startswith("postgres"):
        url, drop = _postgres_session_db(base)
        yield url
        drop()
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("e2e-db") / "e2e.sqlite3")


def serve(database_url: str, instance: Path, *, demo: bool = False, extra: dict[str, str] | None = None) -> LiveServer:
    """Migrate ``database_url``, add the facilitator (and the demo workshop: ``.code``), start the server."""
    _require_chromium()
    flask_cli(["db", "upgrade"], database_url, instance)
    flask_cli(["users", "create", "--email", FACILITATOR_EMAIL, "--name", "Frida Fasilitator",
               "--password", FACILITATOR_PASSWORD], database_url, instance)
    code = None
    if demo:
        code = re.search(r"code ([A-Z0-9]+)", flask_cli(["demo"], database_url, instance)).group(1)
    return LiveServer(start_server(database_url, instance, extra=extra), code=code)


@pytest.fixture(scope="module")
def live_server(e2e_database_url, tmp_path_factory):
    """A migrated database with one facilitator, served by ``python wsgi.py`` (eventlet)."""
    server = serve(e2e_database_url, tmp_path_factory.mktemp("e2e-instance"))
    yield server
    server.process.stop()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module; each actor gets its own context."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, live_server, request):
    """Open a browser context at ``live_server``.

    A JavaScript error or a console error on any page (other than a form page answered with
    status 400) fails the test; when a test fails, the
    browsers' console messages and the server log are printed.
    """
    contexts = []
    messages: list[str] = []
    errors: list[str] = []

    def make(name: str, **options):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
        context.set_default_timeout(10_000)

        def on_console(message):
            line = f"[{name}] console.{message.type}: {message.text} ({message.location.get('url', '')})"
            messages.append(line)
            # A form sent back with its errors has status 400, and a save refused as a conflict 409
            # (the page shows both texts): those answers are expected, not errors.
            if message.type == "error" and "status of 400" not in message.text and "status of 409" not in message.text:
                errors.append(line)

        def on_error(error):
            line = f"[{name}] page error: {error}"
            messages.append(line)
            errors.append(line)

        def record(page):
            page.on("console", on_console)
            page.on("pageerror", on_error)

        context.on("page", record)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        print("\n--- browser messages ---\n" + "\n".join(messages[-200:]))
        print("\n--- server log (tail) ---\n" + live_server.process.log()[-8000:])
    elif errors:
        pytest.fail("errors in the browser:\n" + "\n".join(errors), pytrace=False)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


@pytest.fixture
def shots():
    """Save a screenshot of ``page`` to /tmp/tavle-shots/<name>.png (for looking at, not asserting)."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(page, name: str, **options) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), **options)
        return path

    return shot
