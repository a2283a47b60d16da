"""Every fixed text of the exports in Norwegian Bokmål and English, and locale formatting.

A workshop's language decides the language of its files: labels here, dates through Babel
(``31. januar 2019`` / ``31 January 2019``), and numbers with a decimal comma in Norwegian.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Mapping

from babel.dates import format_date as _babel_date

#: Babel locale of each workshop language.
LOCALES = {"nb": "nb_NO", "en": "en_GB"}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # existing CSV / Markdown labels
        "rank": "Rank", "idea": "Idea", "score": "Score", "tied": "Tied", "method": "Method",
        "ballots": "Ballots", "ideas": "Ideas", "no_result": "No result stored (the round has not closed).",
        "participants": "Participants", "date": "Date", "code": "Join code", "round": "Round",
        "no_ideas": "No ideas.", "organisations": "Organisations",
        # the report
        "report": "Workshop report", "organisers": "Organised by", "contents": "Contents",
        "toc_hint": "Word: right-click the table of contents and choose Update Field to add page numbers.",
        "summary": "Summary", "final_list": "Final priorities", "no_final": "No vote has been closed yet.",
        "summary_people": "{participants} participants from {organisations} organisations took part.",
        "summary_sectors": "They came from these sectors: {sectors}.",
        "summary_rounds": "The workshop had {rounds} rounds: {kinds}.",
        "summary_final": "The final priorities come from “{round}” ({method}, {ballots} ballots).",
        "summary_worked": "The top {n} ideas were worked out in groups (see “{round}”).",
        "rounds_word": "rounds", "method_params": "Method and parameters", "participation": "Participation",
        "participation_votes": "{took} of {n} participants voted ({pct}).",
        "participation_ideas": "{took} of {n} participants sent ideas ({pct}).",
        "participation_comments": "{took} of {n} participants commented ({pct}).",
        "anonymous_round": "The vote was anonymous: ballots were stored without names and could not be changed once sent.",
        "result": "Result", "tie_note": "= marks a shared place: those ideas had equal results.",
        "tie_broken_facilitator": "Ties were then broken by the facilitator, in this order: {order}.",
        "tie_broken_prior": "Ties were then broken by the earlier round's ranking, in this order: {order}.",
        "chart_caption": "Figure: {title}", "chart_top": "The {n} best placed of {total} ideas.",
        "comparison": "The same ballots counted by other rules", "by_sector": "By sector",
        "sector_hidden": "not shown (fewer than {n} voters)", "top_idea": "Top idea", "voters": "Voters",
        "sector": "Sector", "over_round": "Over: {round}", "snapshots": "The result was stored {n} times; this is the latest.",
        "not_closed": "This round has not been closed: no result is stored.",
        "theme": "Theme", "group": "Group", "organisation": "Organisation", "details": "Details", "no": "No.",
        "ideas_intro": "{n} ideas.", "merged_note": "Merged into idea {n}.",
        "comments_intro": "{n} comments on {items} items. Starred comments are quoted below.",
        "comment_count": "{n} comments", "no_starred": "No comments were starred for this item.",
        "worksheets_intro": "The top {n} ideas of “{round}” were worked out by groups under these headings: {fields}.",
        "empty_field": "(not filled in)",
        "survey": "Survey", "survey_intro": "{n} responses.", "survey_anonymous": "Answers were anonymous.",
        "mean_median": "Mean {mean}, median {median} ({n} answers).", "answer": "Answer", "count": "Count",
        "share": "Share", "value": "Value", "no_answers": "No answers.", "answers_n": "{n} answers",
        "appendix_agenda": "Appendix 1: Agenda", "appendix_participants": "Appendix 2: Participants",
        "time": "Time", "agenda_item": "Item", "who": "Who", "no_agenda": "No agenda was set up.",
        "participants_intro": "{participants} participants from {organisations} organisations.",
        "name": "Name", "groups": "Groups", "table": "Table", "members": "Members",
        "by_sector_count": "Participants by sector", "page": "Page", "of": "of",
        "made_with": "Made with Tavle", "yes": "yes", "no_word": "no", "voter": "Voter", "note": "Note",
        "question": "Question", "response": "Response", "item": "Item", "starred": "Starred", "text": "Text",
        "field": "Field", "hidden": "Hidden", "author": "Author", "state": "State", "kind": "Kind",
        "params_none": "No parameters.", "idea_no": "Idea no.", "source_round": "Round",
        "duration": "Minutes", "start": "Start", "beats": "beats", "sheet_ideas": "Ideas", "sheet_results": "Results",
        "sheet_ballots": "Ballots", "sheet_participants": "Participants", "sheet_survey": "Survey",
        "sheet_comments": "Comments", "sheet_worksheets": "Worksheets", "sheet_agenda": "Agenda", "sheet_about": "About",
        "ballots_note": "Participants are replaced by a voter number per round; anonymous rounds list their secret ballots as stored.",
        "exported": "Workshop", "empty_workshop": "Nothing has happened in this workshop yet.",
        "consensus": "Consensus", "merged_into": "Merged into no.", "starred_comments": "Starred comments",
    },
    "nb": {
        "rank": "Plass", "idea": "Idé", "score": "Poeng", "tied": "Delt", "method": "Metode",
        "ballots": "Stemmesedler", "ideas": "Idéer", "no_result": "Ikke noe resultat lagret (runden er ikke lukket).",
        "participants": "Deltakere", "date": "Dato", "code": "Kode", "round": "Runde",
        "no_ideas": "Ingen idéer.", "organisations": "Organisasjoner",
        "report": "Rapport fra workshop", "organisers": "Arrangører", "contents": "Innhold",
        "toc_hint": "Word: høyreklikk på innholdsfortegnelsen og velg Oppdater felt for å få sidetall.",
        "summary": "Sammendrag", "final_list": "Endelig prioritering", "no_final": "Ingen avstemning er avsluttet ennå.",
        "summary_people": "{participants} deltakere fra {organisations} organisasjoner deltok.",
        "summary_sectors": "De kom fra disse sektorene: {sectors}.",
        "summary_rounds": "Workshopen hadde {rounds} runder: {kinds}.",
        "summary_final": "Den endelige prioriteringen kommer fra «{round}» ({method}, {ballots} stemmesedler).",
        "summary_worked": "De {n} øverste idéene ble utarbeidet videre i grupper (se «{round}»).",
        "rounds_word": "runder", "method_params": "Metode og parametre", "participation": "Deltakelse",
        "participation_votes": "{took} av {n} deltakere stemte ({pct}).",
        "participation_ideas": "{took} av {n} deltakere sendte inn idéer ({pct}).",
        "participation_comments": "{took} av {n} deltakere kommenterte ({pct}).",
        "anonymous_round": "Avstemningen var anonym: stemmesedlene ble lagret uten navn og kunne ikke endres etter innsending.",
        "result": "Resultat", "tie_note": "= betyr delt plass: idéene fikk likt resultat.",
        "tie_broken_facilitator": "Uavgjorte plasseringer ble deretter avgjort av fasilitator, i denne rekkefølgen: {order}.",
        "tie_broken_prior": "Uavgjorte plasseringer ble deretter avgjort etter rangeringen i en tidligere runde: {order}.",
        "chart_caption": "Figur: {title}", "chart_top": "De {n} best plasserte av {total} idéer.",
        "comparison": "De samme stemmesedlene talt med andre telleregler", "by_sector": "Etter sektor",
        "sector_hidden": "vises ikke (færre enn {n} stemmer)", "top_idea": "Øverst", "voters": "Velgere",
        "sector": "Sektor", "over_round": "Over: {round}", "snapshots": "Resultatet ble lagret {n} ganger; dette er det siste.",
        "not_closed": "Runden er ikke avsluttet: det er ikke lagret noe resultat.",
        "theme": "Tema", "group": "Gruppe", "organisation": "Organisasjon", "details": "Detaljer", "no": "Nr.",
        "ideas_intro": "{n} idéer.", "merged_note": "Slått sammen med idé {n}.",
        "comments_intro": "{n} kommentarer til {items} punkter. Utvalgte kommentarer er gjengitt under.",
        "comment_count": "{n} kommentarer", "no_starred": "Ingen kommentarer ble valgt ut for dette punktet.",
        "worksheets_intro": "De {n} øverste idéene fra «{round}» ble utarbeidet i grupper under disse overskriftene: {fields}.",
        "empty_field": "(ikke fylt ut)",
        "survey": "Spørreundersøkelse", "survey_intro": "{n} svar.", "survey_anonymous": "Svarene var anonyme.",
        "mean_median": "Gjennomsnitt {mean}, median {median} ({n} svar).", "answer": "Svar", "count": "Antall",
        "share": "Andel", "value": "Verdi", "no_answers": "Ingen svar.", "answers_n": "{n} svar",
        "appendix_agenda": "Vedlegg 1: Agenda", "appendix_participants": "Vedlegg 2: Deltakerliste",
        "time": "Tid", "agenda_item": "Punkt", "who": "Ansvarlig", "no_agenda": "Det ble ikke satt opp noen agenda.",
        "participants_intro": "{participants} deltakere fra {organisations} organisasjoner.",
        "name": "Navn", "groups": "Grupper", "table": "Bord", "members": "Deltakere",
        "by_sector_count": "Deltakere etter sektor", "page": "Side", "of": "av",
        "made_with": "Laget med Tavle", "yes": "ja", "no_word": "nei", "voter": "Velger", "note": "Merknad",
        "question": "Spørsmål", "response": "Svar", "item": "Punkt", "starred": "Utvalgt", "text": "Tekst",
        "field": "Felt", "hidden": "Skjult", "author": "Forfatter", "state": "Status", "kind": "Type",
        "params_none": "Ingen parametre.", "idea_no": "Idé nr.", "source_round": "Runde",
        "duration": "Minutter", "start": "Start", "beats": "slår", "sheet_ideas": "Idéer", "sheet_results": "Resultat",
        "sheet_ballots": "Stemmesedler", "sheet_participants": "Deltakere", "sheet_survey": "Spørreundersøkelse",
        "sheet_comments": "Kommentarer", "sheet_worksheets": "Arbeidsark", "sheet_agenda": "Agenda", "sheet_about": "Om",
        "ballots_note": "Deltakerne er erstattet av et velgernummer per runde; anonyme runder viser de hemmelige stemmesedlene slik de er lagret.",
        "exported": "Workshop", "empty_workshop": "Det har ikke skjedd noe i denne workshopen ennå.",
        "consensus": "Konsensus", "merged_into": "Slått sammen med nr.", "starred_comments": "Utvalgte kommentarer",
    },
}

METHOD_NAMES = {
    "nb": {
        "dots": "prikkavstemning", "points": "poengfordeling", "borda": "Borda-telling", "schulze": "Schulze-metoden",
        "irv": "omvalg med rangerte stemmer (IRV)", "score": "gjennomsnittlig karakter",
        "pairwise": "parvis sammenligning (Bradley–Terry)", "impact_effort": "effekt minus innsats",
        "word_count": "antall deltakere per ord",
    },
    "en": {
        "dots": "dot voting", "points": "points allocation", "borda": "Borda count", "schulze": "Schulze method",
        "irv": "instant-runoff", "score": "mean rating", "pairwise": "pairwise comparison (Bradley–Terry)",
        "impact_effort": "impact minus effort", "word_count": "participants per word",
    },
}

#: Round settings and result parameters worth a line in the report, in this order.
PARAM_NAMES = {
    "nb": {
        "budget": "Prikker eller poeng per deltaker", "cap": "Høyst på én idé", "top_k": "Idéer med fra forrige runde",
        "scale": "Skala", "partial": "Delvise rangeringer telt", "anonymous": "Anonym", "tie_break": "Uavgjort",
        "min_cell": "Minste sektor som vises", "per_group": "Holdt i grupper", "group_top_n": "Idéer hver gruppe sender videre",
        "iterations": "Iterasjoner", "method": "Telleregel",
    },
    "en": {
        "budget": "Dots or points per participant", "cap": "Most on one idea", "top_k": "Ideas carried over",
        "scale": "Scale", "partial": "Partial rankings counted", "anonymous": "Anonymous", "tie_break": "Ties",
        "min_cell": "Smallest sector shown", "per_group": "Held in groups", "group_top_n": "Ideas each group sends on",
        "iterations": "Iterations", "method": "Counting rule",
    },
}

TIE_BREAK_NAMES = {
    "nb": {"none": "står (vises som 2=)", "prior_round": "avgjøres av forrige runde", "facilitator": "avgjøres av fasilitator"},
    "en": {"none": "left tied (shown as 2=)", "prior_round": "broken by the earlier round", "facilitator": "broken by the facilitator"},
}


def lang_of(lang: str | None) -> str:
    return lang if lang in LABELS else "en"


def labels(lang: str | None) -> dict[str, str]:
    return LABELS[lang_of(lang)]


def format_date(value: str | date | None, lang: str | None) -> str:
    """``2019-01-31`` as ``31. januar 2019`` (nb) or ``31 January 2019`` (en)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return _babel_date(value, format="long", locale=LOCALES[lang_of(lang)])


def format_number(value: Any, lang: str | None, decimals: int = 2) -> str:
    """A score as people write it: no needless ``.0``, a decimal comma in Norwegian."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return labels(lang)["yes"] if value else labels(lang)["no_word"]
    if isinstance(value, float):
        if value.is_integer():
            text = str(int(value))
        else:
            text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    return text.replace(".", ",") if lang_of(lang) == "nb" else text


def format_percent(part: int, whole: int, lang: str | None) -> str:
    if not whole:
        return "–"
    pct = round(100 * part / whole)
    return f"{pct} %" if lang_of(lang) == "nb" else f"{pct}%"


def rank_label(standing: Mapping[str, Any]) -> str:
    """A place as people write it: ``2=`` for a shared second place."""
    return f"{standing['rank']}=" if standing.get("tied") else str(standing["rank"])


def kind_name(report: Mapping[str, Any], rnd: Mapping[str, Any], lang: str | None) -> str:
    """A round's kind as the files call it: the report's ``kind_names`` (from each kind), else its label."""
    names = (report.get("kind_names") or {}).get(rnd["kind"]) or {}
    return names.get(lang_of(lang)) or rnd.get("kind_label") or rnd["kind"]


def method_name(method: str, lang: str | None) -> str:
    return METHOD_NAMES[lang_of(lang)].get(method, method)


def join_list(items: list[str], lang: str | None) -> str:
    """``a, b og c`` / ``a, b and c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    word = " og " if lang_of(lang) == "nb" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


# Characters XML 1.0 does not allow (DOCX and XLSX are XML): C0 controls except tab, LF, CR;
# lone surrogates; U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: Any) -> str:
    """``text`` as a string an XML document can hold (forbidden control characters dropped)."""
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))
