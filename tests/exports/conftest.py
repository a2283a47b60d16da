"""The writers translate with the app's gettext catalogs, so each test runs in an application context."""
import pytest


@pytest.fixture(autouse=True)
def _app_context(ctx):
    """The application context the writers find their catalogs in (the CLI and job workers have one too)."""
    yield
