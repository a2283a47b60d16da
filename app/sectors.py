"""Stakeholder sectors a participant can belong to (the 2019 workshop's, plus "other")."""
from __future__ import annotations

SECTORS: dict[str, dict[str, str]] = {
    "health_service": {"nb": "Helsetjeneste", "en": "Health services"},
    "government": {"nb": "Forvaltning", "en": "Government and agencies"},
    "industry": {"nb": "Næringsliv", "en": "Industry"},
    "research": {"nb": "Akademia og forskning", "en": "Academia and research"},
    "funder": {"nb": "Finansiører", "en": "Funders"},
    "patient_org": {"nb": "Pasientorganisasjoner", "en": "Patient organisations"},
    "professional": {"nb": "Profesjonsforeninger", "en": "Professional bodies"},
    "other": {"nb": "Annet", "en": "Other"},
}


def sector_label(key: str | None, lang: str = "en") -> str:
    """The sector's name in ``lang``; an unknown or empty key gives an empty string."""
    if not key or key not in SECTORS:
        return ""
    return SECTORS[key].get(lang, SECTORS[key]["en"])
