"""Helpers for driving pages with the Flask test client."""
from __future__ import annotations

import re


def csrf_token(client, path: str = "/") -> str:
    """The CSRF token from a page's ``<meta name="csrf-token">`` (fetching it sets the session)."""
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)
