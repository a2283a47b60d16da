"""Security headers on every response: what a browser may load, frame, sniff and refer.

A small ``after_request`` rather than flask-talisman: Tavle needs four fixed headers, and
Talisman's defaults fight the deployment Tavle is made for (it redirects to HTTPS and forces
``Secure`` session cookies, while phones in a room reach the laptop over plain HTTP; HTTPS
behind a proxy is the proxy's business, see docs/deploy.md). Here nothing else changes.
"""
from __future__ import annotations

import re

from flask import Flask, request

#: A Host header that is a plain host name or address (with a port): anything else stays out of
#: the header, so a forged Host cannot add directives.
_PLAIN_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")

#: Everything a page loads comes from Tavle itself: no inline script, no inline style markup
#: (styles set from JavaScript through the CSSOM are allowed by CSP), no plugins, no framing.
#: ``data:`` images are the inline favicon; ``connect-src`` also names the page's own host
#: under ws:/wss:, which older Safari does not count as 'self'.
CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)

STATIC_HEADERS = {
    # The console, the phone page and the projector must not be framed by another site, where
    # a click could be stolen (frame-ancestors above; X-Frame-Options for older browsers).
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Personal join links carry the participant's token in the path: never send it onwards.
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def content_security_policy(host: str) -> str:
    """The policy for a page served from ``host`` (the Socket.IO connection goes back to it)."""
    connect = f"connect-src 'self' ws://{host} wss://{host}" if _PLAIN_HOST.match(host or "") else "connect-src 'self'"
    return "; ".join((*CSP_DIRECTIVES, connect))


def register_security_headers(app: Flask) -> None:
    """Add the headers to every response of ``app`` (pages, JSON, files, errors)."""

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy(request.host))
        for name, value in STATIC_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
