"""Word cloud: participants send a few short words or phrases; the projector draws them as a cloud.

A participant's entries are their ballot (a list of texts, as typed once spaces are tidied), so
sending, changing and removing words goes through the same vote path, op-id dedupe and ack as
every other vote. Each different word of the round is also an idea of the round (no author), so
the facilitator hides a word as they hide an idea, and results, exports and backups name words
as they name ideas.

Counting: entries are compared by ``word_key`` (case-folded, spaces collapsed, punctuation at
the ends dropped); the word is shown in its most common spelling; a single word that is a stop
word (``word_cloud_stopwords``) is refused when sent and never counted. A word's score is the
number of participants who sent it.
"""
from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections import Counter
from typing import Any, Mapping

from typing_extensions import NotRequired, TypedDict

from flask_babel import lazy_gettext as _l, lazy_ngettext
from pydantic import ConfigDict, with_config

from sqlalchemy import bindparam, select
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from app.errors import DomainError
from app.extensions import db
from app.models import Idea, Round, RoundState
from app.models.versioning import bump_ideas_version
from app.payloads import Count
from app.rounds.base import VotingKind, VotingStateFields, int_setting
from app.rounds.form import Setting, SettingsBlock
from app.rounds.word_cloud_stopwords import STOP_WORDS
from app.text import clean_text
from app.voting import METHODS, Result

#: Limits of the settings (the form, ``clean_settings`` and backups agree on them).
WORDS_MIN, WORDS_MAX, WORDS_DEFAULT = 1, 5, 3
LENGTH_MIN, LENGTH_MAX, LENGTH_DEFAULT = 10, 80, 40

WORD_SETTINGS = SettingsBlock((
    Setting("max_words", IntegerField(_l("Words each participant may send"),
                                      validators=[Optional(), NumberRange(WORDS_MIN, WORDS_MAX)]),
            placeholder=str(WORDS_DEFAULT), hint=_l("From %(low)s to %(high)s.", low=WORDS_MIN, high=WORDS_MAX)),
    Setting("max_length", IntegerField(_l("Most characters in one word or phrase"),
                                       validators=[Optional(), NumberRange(LENGTH_MIN, LENGTH_MAX)]),
            placeholder=str(LENGTH_DEFAULT), hint=_l("From %(low)s to %(high)s.", low=LENGTH_MIN, high=LENGTH_MAX)),
), position=35, css_class="two-col")

_SPACES = re.compile(r"\s+")
_IDEAS = select(Idea.id, Idea.title).where(Idea.round_id == bindparam("rid")).order_by(Idea.id)


def display_form(text: Any) -> str:
    """An entry as stored and shown: NFC, no control characters, ends trimmed, inner spaces single."""
    return _SPACES.sub(" ", clean_text(text))


def _edge(char: str) -> bool:
    return unicodedata.category(char)[0] in "PSZ"


@functools.lru_cache(maxsize=65_536)
def _key(text: str) -> str:
    key = display_form(text).casefold()
    start, end = 0, len(key)
    while start < end and _edge(key[start]):
        start += 1
    while end > start and _edge(key[end - 1]):
        end -= 1
    return key[start:end]


def word_key(text: Any) -> str:
    """What an entry is counted as: ``display_form`` case-folded, without punctuation or symbols
    at either end ("Bergen!" and " bergen " are one word). Empty if nothing is left."""
    # Cached: a live tally reads every ballot up to ten times a second, and a room sends the
    # same few words again and again.
    return _key(text) if isinstance(text, str) else ""


def is_stop_word(key: str) -> bool:
    """Whether the counted form ``key`` is a single stop word (a phrase never is)."""
    return " " not in key and key in STOP_WORDS


def clean_words(settings: Mapping[str, Any], raw: Any) -> list[str]:
    """A participant's entries checked against the round's limits, in their stored form.

    Raises ``DomainError`` naming the first bad entry (``details.index``): not a list of
    texts, too many, empty, too long, no letters or digits, a stop word alone, or twice.
    """
    max_words = int(settings.get("max_words", WORDS_DEFAULT))
    max_length = int(settings.get("max_length", LENGTH_DEFAULT))
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise DomainError("bad_request", _l("Send your words as a list of texts."))
    if len(raw) > max_words:
        raise DomainError("too_many_words", lazy_ngettext("You can send at most %(num)d word or phrase.",
                                                          "You can send at most %(num)d words or phrases.", max_words),
                          max_words=max_words)
    out: list[str] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw):
        text = display_form(entry)
        if not text:
            raise DomainError("empty_word", _l("Type a word or a short phrase, or remove the empty entry."), index=n)
        if len(text) > max_length:
            raise DomainError("word_too_long", _l("“%(start)s…” is too long: at most %(num)s characters.",
                                                  start=text[:max_length], num=max_length),
                              index=n, max_length=max_length)
        key = word_key(text)
        if not key:
            raise DomainError("no_letters", _l("“%(word)s” has no letters or digits.", word=text), index=n, word=text)
        if is_stop_word(key):
            raise DomainError("stop_word", _l("“%(word)s” is too common to count on its own: try a more telling word or "
                                              "a short phrase.", word=text), index=n, word=text)
        if key in seen:
            raise DomainError("duplicate_word", _l("You have already sent “%(word)s”.", word=text), index=n, word=text)
        seen.add(key)
        out.append(text)
    return out


def _spelling(counter: Counter) -> str:
    # The most common spelling; between equally common ones the first in code-point order,
    # so the choice does not depend on the order ballots are read in.
    return min(counter.items(), key=lambda item: (-item[1], item[0]))[0]


def _shown(spellings: dict[str, Counter], key: str, idea: Idea) -> str:
    """How a word is shown: its most common spelling, else (nobody sends it now) its idea's title."""
    return _spelling(spellings[key]) if key in spellings else idea.title


@with_config(ConfigDict(extra="forbid"))
class WordPayload(TypedDict):
    idea_id: int
    text: str
    count: Count
    hidden: bool


@with_config(ConfigDict(extra="forbid"))
class WordCloudStateFields(VotingStateFields):
    #: The console's: every word sent, hidden ones too, most sent first.
    words: NotRequired[list[WordPayload]]


class WordCloud(VotingKind):
    """Each participant sends up to ``max_words`` words or short phrases of at most ``max_length``
    characters; the projector shows every word sized by how many participants sent it."""

    name = "word_cloud"
    label = _l("Word cloud")
    state_fields = WordCloudStateFields
    action = "send_words"
    method_name = "word_count"

    # --- settings -------------------------------------------------------------------------
    def default_settings(self) -> dict[str, Any]:
        return {"max_words": WORDS_DEFAULT, "max_length": LENGTH_DEFAULT}

    def clean_settings(self, round_: Round, settings: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "max_words": int_setting(settings, "max_words", WORDS_DEFAULT, WORDS_MIN, WORDS_MAX,
                                     _l("Words each participant may send")),
            "max_length": int_setting(settings, "max_length", LENGTH_DEFAULT, LENGTH_MIN, LENGTH_MAX,
                                      _l("Most characters in one word or phrase")),
        }

    def params(self, round_: Round) -> dict[str, Any]:
        return {"max_words": int((round_.settings or {}).get("max_words", WORDS_DEFAULT))}

    # --- the words: one idea of the round per counted word --------------------------------
    @staticmethod
    def words_of(round_: Round) -> dict[str, Idea]:
        """Counted form -> the idea standing for it (its first one, should two phones have
        sent a new word at the same moment), hidden ones included."""
        words: dict[str, Idea] = {}
        for idea in round_.ideas:
            words.setdefault(word_key(idea.title), idea)
        return words

    def options(self, round_: Round) -> list[Idea]:
        return sorted((i for i in self.words_of(round_).values() if i.active), key=lambda i: i.id)

    def option_titles(self, round_: Round) -> dict[int, str]:
        # The round's own words, not a source round's ideas (which ``option_refs`` reads).
        return {i.id: i.title for i in self.options(round_)}

    def check_can_open(self, round_: Round) -> None:
        """A word cloud starts empty."""

    # --- ballots --------------------------------------------------------------------------
    #: New words become ideas of the round, written with the ballot.
    writes_beside_ballot = True

    def empty_ballot(self) -> list[str]:
        return []

    def apply(self, round_: Round, options: list[Idea], current: Any, payload: Mapping[str, Any]) -> list[str]:
        return self._store(round_, clean_words(round_.settings or {}, payload.get("words")))

    def clean_whole(self, round_: Round, options: list[Idea], ballot: Any) -> list[str]:
        return self._store(round_, clean_words(round_.settings or {}, ballot))

    @staticmethod
    def _store(round_: Any, words: list[str]) -> list[str]:
        # A word nobody sent before becomes an idea of the round, without an author. Plain
        # statements: this runs on the vote path, where ``round_`` is a light row.
        connection = db.session.connection()
        known = {word_key(title) for _, title in connection.execute(_IDEAS, {"rid": round_.id})}
        new = []
        for text in words:
            key = word_key(text)
            if key not in known:
                known.add(key)
                new.append({"round_id": round_.id, "title": text})
        if new:
            connection.execute(Idea.__table__.insert(), new)
            bump_ideas_version(db.session, [round_.workshop_id])
        return words

    def to_method(self, content: Any) -> list[str]:
        keys = [word_key(t) for t in (content or []) if isinstance(t, str)] if isinstance(content, list) else []
        return list(dict.fromkeys(k for k in keys if k and not is_stop_word(k)))

    def restrict(self, ballot: Any, allowed: set) -> list:
        return [k for k in ballot if k in allowed]

    def ballot_payload(self, content: Any) -> list[str]:
        return list(content) if isinstance(content, list) else []

    # --- counting -------------------------------------------------------------------------
    def counts(self, round_: Round, contents: list[Any]) -> tuple[dict[str, Idea], Counter, dict[str, Counter], list]:
        """The round's words, how many participants sent each (by counted form), their
        spellings, and each ballot's counted forms, in one pass over the ballots."""
        words = self.words_of(round_)
        counts: Counter = Counter()
        spellings: dict[str, Counter] = {}
        keyed = []
        for content in contents:
            keys: dict[str, None] = {}
            for text in content if isinstance(content, list) else ():
                key = word_key(text)
                if key in words and key not in keys and not is_stop_word(key):
                    keys[key] = None
                    spellings.setdefault(key, Counter())[text] += 1
            counts.update(keys.keys())
            keyed.append(keys)
        return words, counts, spellings, keyed

    def tally(self, round_: Round, options: list[Idea], contents: list[Any], method: str | None = None) -> Result:
        words, _, spellings, keyed = self.counts(round_, contents)
        shown = {key: idea for key, idea in words.items() if idea.active}
        ballots = [[shown[k].id for k in keys if k in shown] for keys in keyed]
        result = METHODS[self.method_name](ballots, sorted(i.id for i in shown.values()), **self.params(round_))
        text = {idea.id: _shown(spellings, key, idea) for key, idea in shown.items()}
        standings = tuple(dataclasses.replace(s, extra={**s.extra, "text": text[s.option]}) for s in result.standings)
        return dataclasses.replace(result, standings=standings)

    def result_extras(self, round_: Round, result: Result) -> dict[str, Any]:
        # Stored with each word's most common spelling as its title (the idea takes it too, so
        # every export agrees), and no breakdown by sector: in a small sector a rare word
        # would tell who sent it.
        spelled = {s.option: s.extra.get("text") for s in result.standings}
        for idea in round_.ideas:
            if spelled.get(idea.id) and idea.title != spelled[idea.id]:
                idea.title = spelled[idea.id]
        data = result.to_dict()
        for s in data["standings"]:
            s["extra"].pop("text", None)
        return {"standings": data["standings"], "titles": {str(k): v for k, v in spelled.items() if v},
                "breakdown": None}

    # --- live: settings form, vote event, what each audience sees --------------------------
    settings_form = (WORD_SETTINGS,)
    action_doc = "Replace this participant's words in a word cloud (``words``: a list of short texts; [] removes them all)."

    def word_list(self, round_: Round) -> list[WordPayload]:
        """Every word of the round with its count, hidden ones included, most sent first (the
        console's list, and the report's hidden words)."""
        from app.services.rounds import ballots_of

        words, counts, spellings, _ = self.counts(round_, ballots_of(round_))
        out = [WordPayload(idea_id=idea.id, text=_shown(spellings, key, idea), count=counts.get(key, 0), hidden=idea.hidden)
               for key, idea in words.items()]
        return sorted(out, key=lambda w: (-w["count"], w["text"].casefold()))

    def facilitator_extras(self, round_: Round) -> dict[str, Any]:
        return {"words": self.word_list(round_)}

    def display_payload(self, round_: Round) -> dict[str, Any]:
        from app.services import state

        out: dict[str, Any] = {"voters": state.voter_count(round_)}
        if round_.results_revealed:
            out["tally"] = state.tally_payload(round_)
        return out

    def participant_payload(self, round_: Round, participant) -> dict[str, Any]:
        from app.services.ballots import has_voted, own_ballot

        out = self.display_payload(round_)
        out["ballot"] = own_ballot(participant, round_)
        out["voted"] = has_voted(participant, round_)
        return out

    def on_idea_hidden(self, round_: Round, idea: Idea) -> None:
        # A word hidden (or shown again) after the round closed leaves (or rejoins) the stored
        # result at once: the projector, the phones and every export read that.
        from app.services.rounds import store_result

        if round_.state is RoundState.CLOSED and not round_.result_pending and round_.latest_result is not None:
            db.session.flush()
            store_result(round_)

    # --- reports and backups ----------------------------------------------------------------
    report_name = _l("Word cloud")
    final_list = False

    def report_section(self, round_: Round) -> dict[str, Any]:
        """The hidden words apart, for the organiser; a word cloud is never the final ranked list."""
        hidden = [{"text": w["text"], "count": w["count"]} for w in self.word_list(round_) if w["hidden"]]
        return {"final_list": self.final_list, "hidden_words": hidden}

    def sheet_rows(self, content: Any, idea) -> list[dict[str, Any]]:
        # One row per word the participant sent, in their order.
        return [{"idea_no": None, "idea": text, "value": 1, "note": ""} for text in self.ballot_payload(content)]

    def map_ballot(self, content: Any, ids: Any, where: str) -> list[str]:
        # Words name no idea; read from a backup, they are tidied as a phone's are.
        return [display_form(t) for t in self.ballot_payload(content) if isinstance(t, str)]

    def ballot_shape_ok(self, content: Any) -> bool:
        return isinstance(content, list) and len(content) <= WORDS_MAX and all(
            isinstance(t, str) and 0 < len(t) <= Idea.TITLE_MAX for t in content)
