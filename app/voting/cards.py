"""Plain-language "method cards" explaining how a vote was counted.

Cards are shown next to results and included in exports, so participants
can check the rules without knowing the method names. They exist in English
("en") and Norwegian Bokmål ("nb").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .registry import METHODS

__all__ = ["LANGUAGES", "method_card"]

#: Languages that :func:`method_card` can write.
LANGUAGES = ("en", "nb")


def _num(value: Any, lang: str) -> str:
    """Format a number without a needless ".0", with a decimal comma in nb."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text.replace(".", ",") if lang == "nb" else text


def _dots(p: Mapping[str, Any], lang: str) -> list[str]:
    """Card body for dot voting."""
    budget, cap = p.get("budget", 5), p.get("cap", p.get("budget", 5))
    b, c = _num(budget, lang), _num(cap, lang)
    if lang == "nb":
        unit = "prikk" if budget == 1 else "prikker"
        first = (
            f"Hver deltaker hadde {b} {unit} og kunne sette alle på én idé."
            if cap >= budget
            else f"Hver deltaker hadde {b} {unit}, høyst {c} på én idé."
        )
        return [first, "En idés poengsum er det samlede antallet prikker den fikk."]
    unit = "dot" if budget == 1 else "dots"
    first = (
        f"Each participant had {b} {unit} and could put them all on one idea."
        if cap >= budget
        else f"Each participant had {b} {unit}, at most {c} on one idea."
    )
    return [first, "An idea's score is the total number of dots it received."]


def _points(p: Mapping[str, Any], lang: str) -> list[str]:
    """Card body for points allocation."""
    b = _num(p.get("budget", 100), lang)
    if lang == "nb":
        return [
            f"Hver deltaker fordelte opptil {b} poeng mellom idéene.",
            "En idés poengsum er det samlede antallet poeng den fikk.",
        ]
    unit = "point" if p.get("budget", 100) == 1 else "points"
    return [
        f"Each participant shared out up to {b} {unit} among the ideas.",
        "An idea's score is the total number of points it received.",
    ]


def _borda(p: Mapping[str, Any], lang: str) -> list[str]:
    """Card body for the Borda count."""
    if lang == "nb":
        out = [
            "Deltakerne rangerte idéene fra mest til minst foretrukket.",
            "I hver rangering får den øverste idéen ett poeng for hver idé under seg, "
            "den neste ett poeng mindre, og den siste ingen.",
        ]
        if p.get("partial", True):
            out.append("Idéer som en deltaker ikke rangerte, deler de resterende poengene likt.")
        return out
    out = [
        "Participants ranked the ideas from most to least preferred.",
        "In each ranking the top idea gets one point for every idea below it, "
        "the next one point fewer, and the last idea none.",
    ]
    if p.get("partial", True):
        out.append("Ideas a participant left unranked share the remaining points equally.")
    return out


def _schulze(p: Mapping[str, Any], lang: str) -> list[str]:
    """Card body for the Schulze method."""
    if lang == "nb":
        return [
            "Deltakerne rangerte idéene, og hvert par av idéer ble sammenlignet etter hvor mange "
            "som foretrakk den ene framfor den andre.",
            "Kjeder av slike seire ble fulgt for å finne den sterkeste veien mellom hvert par "
            "(Schulze-metoden), og en idés poengsum er antallet andre idéer den slår på denne måten.",
            "Idéer som en deltaker ikke rangerte, regnes som lavere enn de rangerte idéene.",
        ]
    return [
        "Participants ranked the ideas, and every pair of ideas was compared by how many "
        "participants preferred one to the other.",
        "Chains of such wins were followed to find the strongest path between each pair "
        "(the Schulze method), and an idea's score is the number of other ideas it beats this way.",
        "Ideas a participant left unranked count as below the ones they ranked.",
    ]


def _irv(p: Mapping[str, Any], lang: str) -> list[str]:
    """Card body for instant runoff."""
    if lang == "nb":
        return [
            "Deltakerne rangerte idéene, og i hver runde ble hver stemmeseddel telt for den høyest "
            "rangerte idéen som fortsatt var med.",
            "Idéen med færrest stemmer falt ut, og idéer som sto likt med færrest stemmer, "
            "falt ut samtidig.",
            "Den endelige rekkefølgen følger rekkefølgen idéene falt ut i, med den som ble igjen "
            "sist, først.",
        ]
    return [
        "Participants ranked the ideas, and in each round every ballot counted for its "
        "highest-ranked idea still in the race.",
        "The idea with the fewest votes was eliminated, and ideas tied for the fewest votes "
        "were eliminated together.",
        "The final order is the reverse order of elimination, with the last idea standing first.",
    ]


def _score(p: Mapping[str, Any], lang: str) -> list[str]:
    """Card body for score voting."""
    lo, hi = _num(p.get("scale_min", 1), lang), _num(p.get("scale_max", 5), lang)
    if lang == "nb":
        return [
            f"Deltakerne vurderte hver idé på en skala fra {lo} til {hi}.",
            "Idéene er sortert etter gjennomsnittlig vurdering, og idéer som ingen vurderte, kommer sist.",
        ]
    return [
        f"Participants rated each idea on a scale from {lo} to {hi}.",
        "Ideas are ordered by their average rating, and ideas nobody rated come last.",
    ]


def _pairwise(p: Mapping[str, Any], lang: str) -> list[str]:
    """Card body for pairwise comparison."""
    if lang == "nb":
        return [
            "Deltakerne så to idéer om gangen og valgte én av dem, eller hoppet over.",
            "En Bradley–Terry-modell gjorde valgene om til en styrke for hver idé, med en halv "
            "seier og et halvt tap ekstra per idé slik at en idé som aldri tapte, likevel får en "
            "endelig poengsum.",
            "Idéer som aldri ble sammenlignet, kommer sist.",
        ]
    return [
        "Participants were shown two ideas at a time and picked one, or skipped.",
        "A Bradley–Terry model turned the choices into a strength for each idea, adding half a "
        "win and half a loss per idea so that an idea that was never beaten still gets a finite score.",
        "Ideas that were never compared come last.",
    ]


def _impact_effort(p: Mapping[str, Any], lang: str) -> list[str]:
    """Card body for impact/effort rating."""
    lo_v, hi_v = p.get("scale_min", 1), p.get("scale_max", 5)
    lo, hi, mid = _num(lo_v, lang), _num(hi_v, lang), _num((lo_v + hi_v) / 2, lang)
    if lang == "nb":
        return [
            f"Deltakerne vurderte effekten og innsatsen for hver idé på en skala fra {lo} til {hi}.",
            "Idéene er sortert etter gjennomsnittlig effekt minus gjennomsnittlig innsats, og "
            f"plassert i en kvadrant ved å sammenligne begge gjennomsnittene med midtpunktet {mid}.",
        ]
    return [
        f"Participants rated the impact and the effort of each idea on a scale from {lo} to {hi}.",
        "Ideas are ordered by average impact minus average effort, and placed in a quadrant "
        f"by comparing both averages with the midpoint {mid}.",
    ]


def _word_count(p: Mapping[str, Any], lang: str) -> list[str]:
    """Card body for a word cloud's word count."""
    n = p.get("max_words", 3)
    if lang == "nb":
        return [
            f"Hver deltaker kunne sende opptil {_num(n, lang)} ord eller korte uttrykk.",
            "Tallet ved et ord er hvor mange deltakere som sendte det. Store og små bokstaver og "
            "mellomrom skiller ikke skrivemåter, og vanlige småord som «og» eller «the» alene er ikke telt.",
            "Ord som like mange sendte, deler plass (for eksempel 1, 2, 2, 4).",
        ]
    unit = "word or short phrase" if n == 1 else "words or short phrases"
    return [
        f"Each participant could send up to {_num(n, lang)} {unit}.",
        "A word's count is the number of participants who sent it. Capitals and spaces do not make "
        "a different word, and common small words such as “and” or “og” on their own are not counted.",
        "Words sent by as many participants share a place (for example 1, 2, 2, 4).",
    ]


_BODIES: dict[str, Callable[[Mapping[str, Any], str], list[str]]] = {
    "dots": _dots,
    "points": _points,
    "borda": _borda,
    "schulze": _schulze,
    "irv": _irv,
    "score": _score,
    "pairwise": _pairwise,
    "impact_effort": _impact_effort,
    "word_count": _word_count,
}

#: Methods whose card says itself how equal results are shown (no ideas, no tie-break).
_OWN_TIES = {"word_count"}

_TIES = {
    "en": {
        None: "Ideas with equal results share a place (for example 1, 2, 2, 4); no tie was broken automatically.",
        "prior_round": "Ideas with equal results share a place (for example 1, 2, 2, 4), and ties were "
        "then broken by the ranking from an earlier round.",
        "facilitator": "Ideas with equal results share a place (for example 1, 2, 2, 4), and ties were "
        "then broken by the facilitator.",
    },
    "nb": {
        None: "Idéer med likt resultat deler plass (for eksempel 1, 2, 2, 4); ingen uavgjorte "
        "plasseringer ble avgjort automatisk.",
        "prior_round": "Idéer med likt resultat deler plass (for eksempel 1, 2, 2, 4), og uavgjorte "
        "plasseringer ble deretter avgjort etter rangeringen fra en tidligere runde.",
        "facilitator": "Idéer med likt resultat deler plass (for eksempel 1, 2, 2, 4), og uavgjorte "
        "plasseringer ble deretter avgjort av fasilitator.",
    },
}


_SECRET = {
    "en": "The vote was secret: while it was open, everyone, the facilitator included, saw only how many "
    "had voted, and the result was shown when it closed.",
    "nb": "Avstemningen var hemmelig: mens den var åpen, så alle, også fasilitatoren, bare hvor mange som "
    "hadde stemt, og resultatet ble vist da den ble lukket.",
}


def method_card(method: str, params: Mapping[str, Any], lang: str = "en") -> str:
    """Describe in 2–4 plain sentences how a vote was counted.

    The text names the parameter values (e.g. "Each participant had 5 dots,
    at most 3 on one idea.") and always says how ties were treated. Missing
    parameters fall back to the methods' defaults. If ``params`` has a
    ``"tie_break"`` entry (a rule name, or a ``Result.tie_break`` record),
    the tie sentence says how ties were broken. If ``params["anonymous"]``
    is true, a last sentence says that the secret vote showed only its
    number of voters until it closed.

    Args:
        method: Registry name of the method.
        params: The parameters used, typically ``Result.params``.
        lang: ``"en"`` (English) or ``"nb"`` (Norwegian Bokmål).

    Returns:
        The card text.

    Raises:
        ValueError: For an unknown method or language.
    """
    if method not in METHODS or method not in _BODIES:
        raise ValueError(f"unknown voting method: {method!r}")
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language: {lang!r} (use one of {LANGUAGES})")
    tie_break = params.get("tie_break")
    if isinstance(tie_break, Mapping):
        tie_break = tie_break.get("rule")
    if tie_break == "none":
        tie_break = None
    sentences = _BODIES[method](params, lang)
    if method not in _OWN_TIES:
        sentences.append(_TIES[lang].get(tie_break, _TIES[lang][None]))
    if params.get("anonymous"):
        sentences.append(_SECRET[lang])
    return " ".join(sentences)
