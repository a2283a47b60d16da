"""Word counts: how many participants sent each word or short phrase (a word cloud).

A ballot is the collection of options (words, already normalised by the caller) one
participant sent. An option's score is the number of ballots that name it, so a participant
who sends the same word twice still counts once, and the counts cannot depend on the order
in which ballots arrive.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

from .core import Result, competition_ranks, option_list

__all__ = ["WORD_COUNT_OPTION_FIELDS", "word_count"]

#: The explanation of a word count names no option.
WORD_COUNT_OPTION_FIELDS: dict = {}


def word_count(ballots: Iterable[Iterable[Hashable]], options: Sequence[Hashable], **params) -> Result:
    """Count how many ballots name each option; options nobody named are left out.

    Args:
        ballots: One collection of options per participant. Options not in ``options``
            are ignored (a word the facilitator hid, say).
        options: Every option that may be counted, in the order used to list ties.
        **params: Recorded in the result as given (``max_words``, how many words each
            participant could send); they do not change the count.

    Returns:
        A ``Result`` with method ``"word_count"``: one standing per option named at least
        once, best first, ``score`` its number of ballots; ``ballots`` is the number of
        ballots that named at least one option.
    """
    order = option_list(options)
    known = set(order)
    counts: dict[Hashable, int] = {}
    counted = 0
    for ballot in ballots:
        named = {o for o in ballot if o in known}
        if not named:
            continue
        counted += 1
        for option in named:
            counts[option] = counts.get(option, 0) + 1
    named_order = [o for o in order if o in counts]
    standings = competition_ranks({o: counts[o] for o in named_order}, named_order)
    return Result(method="word_count", standings=standings, ballots=counted, params=dict(params), explanation={})
