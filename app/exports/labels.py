"""The language of the files: names of methods and parameters, and formatting by locale.

A workshop's language decides the language of every file made from it, whoever downloads it and
wherever it is built (a request, a job worker, the command line). Each writer builds its file
inside ``speaking(lang)`` (``app.i18n.in_language``), where the gettext messages of the writers
(``_("Rank")``, ``ngettext(...)``) and the lazy names below come out in that language; the
catalogs need the application's context, which every caller has.

Numbers, percentages, dates and lists go through Babel in the file's locale: ``4,7``, ``45 %``,
``31. januar 2019`` and ``a, b og c`` in Norwegian, ``4.7``, ``45%``, ``31 January 2019`` and
``a, b and c`` in English.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date
from typing import Any, Iterator, Mapping

from babel.dates import format_date as _babel_date
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent as _babel_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app import i18n

#: What each counting method is called inside a sentence of the files.
METHOD_NAMES = {
    "dots": _l("dot voting"),
    "points": _l("points allocation"),
    "borda": _l("Borda count"),
    "schulze": _l("Schulze method"),
    "irv": _l("instant-runoff"),
    "score": _l("mean rating"),
    "pairwise": _l("pairwise comparison (Bradley–Terry)"),
    "impact_effort": _l("impact minus effort"),
    "word_count": _l("participants per word"),
}

#: Round settings and result parameters worth a line in the report.
PARAM_NAMES = {
    "budget": _l("Dots or points per participant"),
    "cap": _l("Most on one idea"),
    "top_k": _l("Ideas carried over"),
    "scale": _l("Scale"),
    "partial": _l("Partial rankings counted"),
    "anonymous": _l("Anonymous"),
    "tie_break": _l("Ties"),
    "min_cell": _l("Smallest sector shown"),
    "per_group": _l("Held in groups"),
    "group_top_n": _l("Ideas each group sends on"),
    "method": _l("Counting rule"),
}

TIE_BREAK_NAMES = {
    "none": _l("left tied (shown as 2=)"),
    "prior_round": _l("broken by the earlier round"),
    "facilitator": _l("broken by the facilitator"),
}

#: The per-idea numbers a method stores beside the score (``Standing.extra``), as the workbook heads them.
EXTRA_NAMES = {
    "dots": _l("Dots"),
    "points": _l("Points"),
    "voters": _l("Voters"),
    "wins": _l("Wins"),
    "losses": _l("Losses"),
    "comparisons": _l("Comparisons"),
    "strength": _l("Strength"),
    "beats": _l("Beats"),
    "beaten_by": _l("Beaten by"),
    "winner": _l("Winner"),
    "eliminated_in_round": _l("Eliminated in count"),
    "last_votes": _l("Votes when eliminated"),
    "mean": _l("Mean"),
    "median": _l("Median"),
    "count": _l("Count"),
    "stdev": _l("Standard deviation"),
    "min": _l("Lowest"),
    "max": _l("Highest"),
    "mean_impact": _l("Mean impact"),
    "mean_effort": _l("Mean effort"),
    "quadrant": _l("Quadrant"),
}

#: The quadrants of an impact/effort vote (``app.voting.rating.QUADRANTS``).
QUADRANT_NAMES = {
    "quick_win": _l("Quick win"),
    "major_project": _l("Major project"),
    "fill_in": _l("Fill-in"),
    "thankless": _l("Thankless task"),
}


#: A report section's title until the organisers rename it, by section kind (``role`` for the
#: chapter over the talks), in the language of the file or page that shows it. A section about a
#: round, survey or talk is called after it instead; these are the fallbacks once it is deleted.
SECTION_TITLES = {
    "summary": lazy_pgettext("report section", "Summary"),
    "introduction": lazy_pgettext("report section", "Introduction"),
    "background": lazy_pgettext("report section", "Background"),
    "talks": lazy_pgettext("report section", "Introductory talks"),
    "text": lazy_pgettext("report section", "New section"),
    "talk": lazy_pgettext("report section", "A deleted agenda item"),
    "round": lazy_pgettext("report section", "A deleted round"),
    "survey": lazy_pgettext("report section", "A deleted survey"),
    "conclusion": lazy_pgettext("report section", "Conclusion"),
    "next_steps": lazy_pgettext("report section", "Next steps"),
    "method": lazy_pgettext("report section", "Method"),
    "agenda": lazy_pgettext("report section", "Agenda"),
    "participants": lazy_pgettext("report section", "Participants"),
}

#: The kinds of section that are appendices: unnumbered, after the chapters, "Appendix 1: …".
APPENDIX_KINDS = frozenset({"method", "agenda", "participants"})


def section_title(kind: str, role: str | None = None) -> str:
    """The default title of a section of ``kind`` (or ``role``) in the language being spoken."""
    return str(SECTION_TITLES.get(role or "") or SECTION_TITLES.get(kind) or SECTION_TITLES["text"])


def appendix_title(number: int, title: str) -> str:
    """An appendix's heading: "Appendix 2: Participants"."""
    return _("Appendix %(num)s: %(title)s", num=number, title=title)


#: The quadrants as the matrix names its corners (plural, as on the projector).
QUADRANT_AREAS = {
    "quick_win": _l("Quick wins"),
    "major_project": _l("Major projects"),
    "fill_in": _l("Fill-ins"),
    "thankless": _l("Thankless tasks"),
}

#: What a chart's bars measure, by the result's counting method: the value axis's label, and the
#: unit its alt text names. Written as inside a sentence (the axis capitalises the first letter).
UNIT_NAMES = {
    "dots": _l("dots"),
    "points": _l("points"),
    "borda": _l("Borda points"),
    "schulze": _l("ideas beaten"),
    "irv": _l("counts survived"),
    "score": _l("mean rating"),
    "pairwise": _l("share of strength"),
    "impact_effort": _l("impact minus effort"),
    "word_count": _l("participants"),
}


def unit_name(method: str | None) -> str:
    """What a result's scores count (``dots``, ``Borda points``), for a chart's axis and alt text."""
    name = UNIT_NAMES.get(method or "")
    return str(name) if name is not None else ""


lang_of = i18n.lang_of


@contextmanager
def speaking(lang: str | None) -> Iterator[str]:
    """Translate into ``lang`` (a file's language) inside the block; yields the language."""
    lang = lang_of(lang)
    with i18n.in_language(lang):
        yield lang


locale_of = i18n.locale_of
_locale = locale_of


def format_date(value: str | date | None, lang: str | None) -> str:
    """``2019-01-31`` as ``31. januar 2019`` (nb, nn) or ``31 January 2019`` (en)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return _babel_date(value, format="long", locale=_locale(lang))


def format_number(value: Any, lang: str | None, decimals: int = 2) -> str:
    """A number as people write it in ``lang``: no needless ``.0``, at most ``decimals``
    decimals, a decimal comma in Norwegian; ``yes`` / ``no`` for a truth value."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, (int, float)):
        return format_decimal(value, format="#,##0." + "#" * decimals, locale=_locale(lang))
    return str(value)


def format_percent(part: int, whole: int, lang: str | None) -> str:
    """``part`` of ``whole`` as a whole percentage (``80%``, ``80 %`` in Norwegian)."""
    if not whole:
        return "–"
    return _babel_percent(part / whole, locale=_locale(lang))


def yes_no(value: bool) -> str:
    """A truth value as a word of the file's language."""
    return _("yes") if value else _("no")


def quote(text: str) -> str:
    """``text`` in the quotation marks of the file's language (“…” in English, «…» in Norwegian)."""
    return _("“%(text)s”", text=text)


def in_sentence(name: str) -> str:
    """A name (a sector, a kind of round) as written inside a sentence: in lower case."""
    return name.lower()


def as_heading(name: str) -> str:
    """A name written in lower case inside sentences ("instant-runoff") as it heads a table
    column: with a capital first letter."""
    return name[:1].upper() + name[1:]


def rank_label(standing: Mapping[str, Any]) -> str:
    """A place as people write it: ``2=`` for a shared second place."""
    return f"{standing['rank']}=" if standing.get("tied") else str(standing["rank"])


def kind_name(report: Mapping[str, Any], rnd: Mapping[str, Any]) -> str:
    """A round's kind as the files call it: the report's ``kind_names`` (from each kind), else its label."""
    return (report.get("kind_names") or {}).get(rnd["kind"]) or rnd.get("kind_label") or rnd["kind"]


def method_name(method: str) -> str:
    """A counting method as a sentence of the files names it."""
    name = METHOD_NAMES.get(method)
    return str(name) if name is not None else method


def join_list(items: list[str], lang: str | None) -> str:
    """``a, b og c`` / ``a, b and c``."""
    items = [i for i in items if i]
    return format_list(items, locale=_locale(lang)) if items else ""


def short_title(title: str, limit: int = 60) -> str:
    """A title short enough for a page header: cut at a word boundary, with an ellipsis."""
    text = " ".join(xml_safe(title).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:–-(") + "…"


def figure_parts(caption: str) -> tuple[str, str]:
    """A chart's caption ("Figure 3: …") in the file's language, cut around its number: a writer
    numbers the figures in order (the Word file with a SEQ field) and puts the number between."""
    text = _("Figure %(num)s: %(caption)s", num="\x00", caption=xml_safe(caption))
    before, after = text.split("\x00", 1)
    return before, after


def figure_caption(number: int, caption: str) -> str:
    """A chart's caption with its number: ``Figur 2: Rangering``."""
    before, after = figure_parts(caption)
    return f"{before}{number}{after}"


def page_of() -> tuple[str, str, str]:
    """"Page 3 of 7" in the file's language, cut around its two numbers: a writer puts a
    field in each place (the page number, then the number of pages)."""
    text = _("Page %(page)s of %(pages)s", page="\x00", pages="\x01")
    before, rest = text.split("\x00", 1)
    between, after = rest.split("\x01", 1)
    return before, between, after


# Characters XML 1.0 does not allow (DOCX and XLSX are XML): C0 controls except tab, LF, CR;
# lone surrogates; U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: Any) -> str:
    """``text`` as a string an XML document can hold (forbidden control characters dropped)."""
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))
