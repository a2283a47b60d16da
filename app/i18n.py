"""Languages: which one a page, a phone or a file speaks, and the gettext catalogs behind them.

One mechanism for every surface: Flask-Babel with the catalogs in ``app/translations/``
(``messages`` for Python and templates, ``js`` for the browser modules), English as the
source language. Who sees which language:

* phones, the projector, join sheets, personal links and every export follow the workshop's
  language (``use(workshop.language)`` in a view, ``in_language(lang)`` in a job);
* the facilitator's pages and console events follow the facilitator's own setting
  (``User.language``), guessed from ``Accept-Language`` until they choose one;
* anyone not logged in: the ``tavle_lang`` cookie set by the language switch, then
  ``Accept-Language``.

The workshop's language is looked up only when something is translated, so an event that
sends no text (a vote that is accepted) costs no query.
"""
from __future__ import annotations

import functools
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, Domain, force_locale, get_locale, refresh

#: The languages Tavle speaks, by code, each named in itself.
LANGUAGES: dict[str, str] = {"nb": "Norsk (bokmål)", "nn": "Norsk (nynorsk)", "en": "English"}
#: The same, short, for the switch in the top bar (it must fit a phone's width).
SWITCH_NAMES: dict[str, str] = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
#: The source language: its messages are the msgids.
SOURCE = "en"
#: The cookie the language switch sets for someone not logged in.
COOKIE = "tavle_lang"

babel = Babel()
js_domain = Domain(domain="js")

_CODE = re.compile(r"[A-Z0-9]{1,12}")
# Blueprints and Socket.IO namespaces whose pages speak the workshop's language.
_WORKSHOP_BLUEPRINTS = frozenset({"participant", "display"})
_WORKSHOP_NAMESPACES = frozenset({"/participant", "/display"})


#: The Babel locale each language formats with: British English writes 14 March 2025.
LOCALES: dict[str, str] = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}


def lang_of(value: object) -> str:
    """``value`` (a language, or a locale such as ``nb_NO``) as one of Tavle's languages, else
    the source language."""
    if isinstance(value, str):
        value = value.split("_")[0].split("-")[0]
        if value in LANGUAGES:
            return value
    return SOURCE


def locale_of(lang: object) -> str:
    """The Babel locale of a language (translations are found under the language's folder)."""
    return LOCALES[lang_of(lang)]


def guess(accept_languages) -> str:
    """The best of Tavle's languages for an ``Accept-Language`` header (``no`` is bokmål)."""
    best = accept_languages.best_match(["nb", "nn", "no", "en"], default=None)
    if best is None:
        # "nb-NO", "nn-NO" and "no-NO" match their base language only through best_match's
        # prefix rule in one direction; look at each entry's first part as well.
        for value, _quality in accept_languages:
            base = value.split("-")[0].lower()
            if base in ("nb", "nn", "no", "en"):
                best = base
                break
    return "nb" if best == "no" else lang_of(best)


def use(lang: str) -> None:
    """Speak ``lang`` for the rest of this request (a page of a workshop: its language)."""
    g.tavle_locale = lang_of(lang)
    refresh()


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Speak ``lang`` inside the block (a job building a workshop's file, a test)."""
    with force_locale(locale_of(lang)):
        yield


def current() -> str:
    """The language being spoken now (the source language outside a request)."""
    return lang_of(str(get_locale() or SOURCE))


def _workshop_language(**where) -> str | None:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Workshop

    if "id" in where:
        if where["id"] is None:
            return None
        # Usually already loaded by the event's handler: then no query at all.
        workshop = db.session.get(Workshop, where["id"])
        return workshop.language if workshop is not None else None
    return db.session.scalar(select(Workshop.language).where(Workshop.code == where["code"]))


def _user_language() -> str | None:
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        return getattr(current_user, "language", None)
    return None


def select_locale() -> str:
    """Flask-Babel's locale selector: see the module docstring for who sees which language."""
    return locale_of(_select_language())


def _select_language() -> str:
    if not has_request_context():
        return SOURCE
    forced = g.get("tavle_locale")
    if forced:
        return forced
    namespace = getattr(request, "namespace", None)
    if namespace is not None:  # a Socket.IO event
        if namespace in _WORKSHOP_NAMESPACES:
            # Before the connection knows its workshop (a refused connect), the browser's.
            lang = _workshop_language(id=session.get("ws_workshop_id"))
            return lang_of(lang) if lang else guess(request.accept_languages)
        return lang_of(_user_language() or guess(request.accept_languages))
    if request.blueprint in _WORKSHOP_BLUEPRINTS and request.view_args and "code" in request.view_args:
        code = re.sub(r"[\s\-]", "", str(request.view_args["code"])).upper()
        # Only what can be a code is looked up (PostgreSQL refuses a NUL in a query).
        lang = _workshop_language(code=code) if _CODE.fullmatch(code) else None
        if lang:
            return lang_of(lang)
    chosen = _user_language() or request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return guess(request.accept_languages)


@functools.lru_cache(maxsize=8)
def _js_catalog(lang: str) -> dict:
    with force_locale(locale_of(lang)):
        translations = js_domain.get_translations()
    messages: dict[str, str | list[str]] = {}
    plurals: dict[str, list[str]] = {}
    for key, value in getattr(translations, "_catalog", {}).items():
        if isinstance(key, tuple):  # (msgid, index) of a plural message
            msgid, index = key
            forms = plurals.setdefault(msgid, [])
            forms.extend([""] * (index + 1 - len(forms)))
            forms[index] = value
        elif key:  # "" is the catalog's header
            messages[key] = value
    messages.update(plurals)
    locale = Locale.parse(locale_of(lang))
    return {
        "locale": lang,
        # nb, nn and en all have two forms: one, and everything else.
        "plural": "one-other",
        "decimal": get_decimal_symbol(locale),
        "group": get_group_symbol(locale),
        "messages": messages,
    }


def js_catalog(lang: str | None = None) -> dict:
    """What the browser's ``i18n.js`` needs in ``lang`` (now: the request's language): the
    translated messages of the ``js`` domain (plural ones as a list of forms), and the
    decimal and group symbols."""
    return _js_catalog(lang_of(lang or current()))


def compile_catalogs(directory: Path) -> list[Path]:
    """Build each ``.mo`` whose ``.po`` is newer (or that is missing), so a checkout always
    speaks its current translations; written atomically, as several processes may start at
    once. Returns the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name, domain=po.stem)
        fd, tmp = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        try:
            with os.fdopen(fd, "wb") as target:
                write_mo(target, catalog, use_fuzzy=False)
            os.replace(tmp, mo)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        written.append(mo)
    return written


def init_app(app: Flask) -> None:
    try:
        compile_catalogs(Path(app.root_path) / "translations")
    except OSError as exc:  # a read-only install: its catalogs were compiled when it was built
        app.logger.warning("could not compile the translation catalogs: %s", exc)
    babel.init_app(app, locale_selector=select_locale, default_locale=LOCALES[SOURCE], default_domain="messages")
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.context_processor
    def _language():
        return {"ui_lang": current(), "LANGUAGES": LANGUAGES, "SWITCH_NAMES": SWITCH_NAMES, "js_catalog": js_catalog}
