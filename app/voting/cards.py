"""Plain-language "method cards" explaining how a vote was counted.

Cards are shown next to results and included in exports, so participants
can check the rules without knowing the method names. Their sentences are
English, marked for translation (``N_`` / ``Nn_``); the caller translates
them by passing a ``gettext`` / ``ngettext`` pair and a number formatter of
the reader's language (the app passes Flask-Babel's). Without them the card
is written in English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .messages import N_, Gettext, Message, Ngettext, Nn_, english, english_plural, render
from .registry import METHODS

__all__ = ["method_card", "plain_number"]

#: ``number(value)``: a number as the reader writes it (``2,5`` in Norwegian).
NumberFormat = Callable[[Any], str]


def plain_number(value: Any) -> str:
    """A number without a needless ".0" (the English default of ``method_card``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


@dataclass(frozen=True)
class _Writer:
    """Writes a card's sentences in the reader's language."""

    gettext: Gettext
    ngettext: Ngettext
    number: NumberFormat

    def __call__(self, message: Message, **params: Any) -> str:
        """``message`` translated, its numbers written by ``number``.

        A plural sentence is chosen by ``num`` and shows it as ``%(count)s``, so the count is
        written like every other number.
        """
        shown = {k: self._shown(v) for k, v in params.items()}
        if isinstance(message, tuple):
            shown.update(num=params["num"], count=self.number(params["num"]))
        return str(render(message, shown, self.gettext, self.ngettext))

    def _shown(self, value: Any) -> Any:
        return self.number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def _dots(p: Mapping[str, Any], t: _Writer) -> list[str]:
    """Card body for dot voting."""
    budget, cap = p.get("budget", 5), p.get("cap", p.get("budget", 5))
    if cap >= budget:
        first = t(Nn_("Each participant had %(count)s dot to put on one idea.",
                      "Each participant had %(count)s dots and could put them all on one idea."), num=budget)
    else:
        first = t(Nn_("Each participant had %(count)s dot, at most %(cap)s on one idea.",
                      "Each participant had %(count)s dots, at most %(cap)s on one idea."), num=budget, cap=cap)
    return [first, t(N_("An idea's score is the total number of dots it received."))]


def _points(p: Mapping[str, Any], t: _Writer) -> list[str]:
    """Card body for points allocation."""
    return [
        t(Nn_("Each participant shared out up to %(count)s point among the ideas.",
              "Each participant shared out up to %(count)s points among the ideas."), num=p.get("budget", 100)),
        t(N_("An idea's score is the total number of points it received.")),
    ]


def _borda(p: Mapping[str, Any], t: _Writer) -> list[str]:
    """Card body for the Borda count."""
    out = [
        t(N_("Participants ranked the ideas from most to least preferred.")),
        t(N_("In each ranking the top idea gets one point for every idea below it, "
             "the next one point fewer, and the last idea none.")),
    ]
    if p.get("partial", True):
        out.append(t(N_("Ideas a participant left unranked share the remaining points equally.")))
    return out


def _schulze(p: Mapping[str, Any], t: _Writer) -> list[str]:
    """Card body for the Schulze method."""
    return [
        t(N_("Participants ranked the ideas, and every pair of ideas was compared by how many "
             "participants preferred one to the other.")),
        t(N_("Chains of such wins were followed to find the strongest path between each pair "
             "(the Schulze method), and an idea's score is the number of other ideas it beats this way.")),
        t(N_("Ideas a participant left unranked count as below the ones they ranked.")),
    ]


def _irv(p: Mapping[str, Any], t: _Writer) -> list[str]:
    """Card body for instant runoff."""
    return [
        t(N_("Participants ranked the ideas, and in each round every ballot counted for its "
             "highest-ranked idea still in the race.")),
        t(N_("The idea with the fewest votes was eliminated, and ideas tied for the fewest votes "
             "were eliminated together.")),
        t(N_("The final order is the reverse order of elimination, with the last idea standing first.")),
    ]


def _score(p: Mapping[str, Any], t: _Writer) -> list[str]:
    """Card body for score voting."""
    return [
        t(N_("Participants rated each idea on a scale from %(low)s to %(high)s."),
          low=p.get("scale_min", 1), high=p.get("scale_max", 5)),
        t(N_("Ideas are ordered by their average rating, and ideas nobody rated come last.")),
    ]


def _pairwise(p: Mapping[str, Any], t: _Writer) -> list[str]:
    """Card body for pairwise comparison."""
    return [
        t(N_("Participants were shown two ideas at a time and picked one, or skipped.")),
        t(N_("A Bradley–Terry model turned the choices into a strength for each idea, adding half a "
             "win and half a loss per idea so that an idea that was never beaten still gets a finite score.")),
        t(N_("Ideas that were never compared come last.")),
    ]


def _impact_effort(p: Mapping[str, Any], t: _Writer) -> list[str]:
    """Card body for impact/effort rating."""
    lo, hi = p.get("scale_min", 1), p.get("scale_max", 5)
    return [
        t(N_("Participants rated the impact and the effort of each idea on a scale from %(low)s to %(high)s."),
          low=lo, high=hi),
        t(N_("Ideas are ordered by average impact minus average effort, and placed in a quadrant "
             "by comparing both averages with the midpoint %(mid)s."), mid=(lo + hi) / 2),
    ]


def _word_count(p: Mapping[str, Any], t: _Writer) -> list[str]:
    """Card body for a word cloud's word count."""
    return [
        t(Nn_("Each participant could send up to %(count)s word or short phrase.",
              "Each participant could send up to %(count)s words or short phrases."), num=p.get("max_words", 3)),
        t(N_("A word's count is the number of participants who sent it. Capitals and spaces do not make "
             "a different word, and common small words such as “and” or “og” on their own are not counted.")),
        t(N_("Words sent by as many participants share a place (for example 1, 2, 2, 4).")),
    ]


_BODIES: dict[str, Callable[[Mapping[str, Any], _Writer], list[str]]] = {
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
    None: N_("Ideas with equal results share a place (for example 1, 2, 2, 4); no tie was broken automatically."),
    "prior_round": N_("Ideas with equal results share a place (for example 1, 2, 2, 4), and ties were "
                      "then broken by the ranking from an earlier round."),
    "facilitator": N_("Ideas with equal results share a place (for example 1, 2, 2, 4), and ties were "
                      "then broken by the facilitator."),
}

_SECRET = N_("The vote was secret: while it was open, everyone, the facilitator included, saw only how many "
             "had voted, and the result was shown when it closed.")


def method_card(method: str, params: Mapping[str, Any], *, gettext: Gettext = english,
                ngettext: Ngettext = english_plural, number: NumberFormat = plain_number) -> str:
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
        gettext: Translates one sentence (``gettext(message, **params)``).
        ngettext: Translates a sentence with plural forms
            (``ngettext(singular, plural, num, **params)``).
        number: Writes a number in the reader's language (``2,5`` in Norwegian).

    Returns:
        The card text.

    Raises:
        ValueError: For an unknown method.
    """
    if method not in METHODS or method not in _BODIES:
        raise ValueError(f"unknown voting method: {method!r}")
    t = _Writer(gettext, ngettext, number)
    tie_break = params.get("tie_break")
    if isinstance(tie_break, Mapping):
        tie_break = tie_break.get("rule")
    if tie_break == "none":
        tie_break = None
    sentences = _BODIES[method](params, t)
    if method not in _OWN_TIES:
        sentences.append(t(_TIES.get(tie_break, _TIES[None])))
    if params.get("anonymous"):
        sentences.append(t(_SECRET))
    return " ".join(sentences)
