"""Template helpers: labels, join links and QR codes."""
from __future__ import annotations

import io

import segno
from flask import Flask, current_app, request, url_for

from app.rounds import KINDS
from app.sectors import SECTORS, sector_label


def public_url(endpoint: str, **values) -> str:
    """An absolute URL for ``endpoint``, on ``TAVLE_PUBLIC_URL`` when it is set."""
    base = current_app.config.get("TAVLE_PUBLIC_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def join_url(code: str) -> str:
    """The link (and QR content) participants open to join workshop ``code``."""
    return public_url("participant.home", code=code)


def qr_svg(data: str, *, scale: int = 8) -> str:
    """An SVG QR code for ``data`` (medium error correction, survives a projector's blur)."""
    buf = io.BytesIO()
    segno.make(data, error="m").save(buf, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, dark="#111")
    return buf.getvalue().decode()


def format_code(code: str) -> str:
    """A join code split in two for reading aloud: ABC DEF."""
    return f"{code[:3]} {code[3:]}" if len(code) == 6 else code


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        join_url=join_url, KINDS=KINDS, SECTORS=SECTORS, sector_label=sector_label, format_code=format_code,
    )
    app.jinja_env.filters["code"] = format_code

    @app.context_processor
    def _request_path():
        return {"request_path": request.path}
