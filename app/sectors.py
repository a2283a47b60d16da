"""Stakeholder sectors a participant can belong to (the 2019 workshop's, plus "other")."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

#: Sector key → its name, a lazy message: it becomes text in the language being spoken.
SECTORS: dict[str, LazyString] = {
    "health_service": _l("Health services"),
    "government": _l("Government and agencies"),
    "industry": _l("Industry"),
    "research": _l("Academia and research"),
    "funder": _l("Funders"),
    "patient_org": _l("Patient organisations"),
    "professional": _l("Professional bodies"),
    "other": _l("Other"),
}


def sector_label(key: str | None, lang: str | None = None) -> str:
    """The sector's name in ``lang`` (by default the language being spoken now); an unknown
    or empty key gives an empty string."""
    if not key or key not in SECTORS:
        return ""
    if lang is None:
        return str(SECTORS[key])
    from app import i18n

    with i18n.in_language(lang):
        return str(SECTORS[key])


def sector_names(lang: str | None = None) -> dict[str, str]:
    """Every sector's name by key, in ``lang`` (by default the language being spoken now)."""
    return {key: sector_label(key, lang) for key in SECTORS}
