"""Sentences for people, marked for translation without a translation library.

The package stays pure (standard library only), yet its sentences (ballot errors, method cards)
are read in several languages. ``N_`` and ``Nn_`` mark a sentence where it is written, so the
app's extraction (``scripts/i18n.sh``) finds it, and give it back unchanged. The code that shows
a sentence translates it: it passes a ``gettext``-like callable in (``render``,
``BallotError.translated``, ``method_card``); without one the English source text is used.

Placeholders are ``%(name)s``; a plural sentence is chosen by its ``num`` parameter, as
``ngettext`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Union

__all__ = ["Gettext", "Message", "N_", "Ngettext", "Nn_", "english", "english_plural", "render"]

#: ``gettext(message, **params)``: the message translated, with ``params`` filled in.
Gettext = Callable[..., str]
#: ``ngettext(singular, plural, num, **params)``: the form for ``num``, translated and filled in.
Ngettext = Callable[..., str]
#: A marked sentence: one text, or a (singular, plural) pair.
Message = Union[str, tuple[str, str]]


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is shown; returns it unchanged."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a sentence with a singular and a plural form; returns the pair."""
    return (singular, plural)


def english(message: str, **params: Any) -> str:
    """``message`` in the source language with ``params`` filled in (gettext without catalogs)."""
    return message % params if params else message


def english_plural(singular: str, plural: str, num: int | float, **params: Any) -> str:
    """The English form for ``num`` with ``params`` (and ``num``) filled in."""
    return (singular if num == 1 else plural) % {"num": num, **params}


def render(message: Message, params: Mapping[str, Any], gettext: Gettext = english,
           ngettext: Ngettext = english_plural) -> Any:
    """``message`` translated by ``gettext`` (a plural one by ``ngettext`` for ``params["num"]``).

    Returns whatever the callables return: text, or a lazy string when they are lazy.
    """
    if isinstance(message, tuple):
        rest = {k: v for k, v in params.items() if k != "num"}
        return ngettext(message[0], message[1], params["num"], **rest)
    return gettext(message, **params)
