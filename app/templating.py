"""Template helpers: labels, join links and QR codes."""
from __future__ import annotations

import io

import segno
from flask import Flask, current_app, request, url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from app.rounds import KINDS
from app.sectors import SECTORS, sector_label, sector_names

#: A round's or a survey's state, as a badge shows it.
STATE_LABELS = {"draft": _l("draft"), "open": _l("open"), "closed": _l("closed")}


#: Tavle's languages named in the language being spoken (the switch names each in itself).
LANGUAGE_NAMES = {"nb": _l("Norwegian bokmål"), "nn": _l("Norwegian nynorsk"), "en": _l("English")}


def language_name(code: str) -> str:
    """Language ``code`` named in the language being spoken."""
    name = LANGUAGE_NAMES.get(code)
    return str(name) if name is not None else code


def state_label(value: str) -> str:
    """The state ``value`` ("open") in the language being spoken; an unknown one as it is."""
    label = STATE_LABELS.get(value)
    return str(label) if label is not None else value


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
        join_url=join_url, KINDS=KINDS, SECTORS=SECTORS, sector_label=sector_label, sector_names=sector_names,
        state_label=state_label, language_name=language_name, format_code=format_code,
    )
    app.jinja_env.filters["code"] = format_code
    # A number as the page's language writes it (1 234 and 4,7 in Norwegian); dates use
    # Flask-Babel's own ``dateformat`` filter.
    app.jinja_env.filters["number"] = format_decimal

    @app.context_processor
    def _request_path():
        return {"request_path": request.path}
