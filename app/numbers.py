"""Whole numbers and ids sent by clients, read strictly and in one place.

A phone, the console and the forms send ids and counts as JSON numbers or as strings of
digits. Anything else — ``true``, ``1.5``, ``Infinity``, ``NaN``, ``" 7"``, ``"1e3"``, ``"²"``,
a negative id, a number the database column cannot hold — is refused here with a
``DomainError("bad_request", …)`` that names the field, instead of reaching ``int()`` (which
accepts some of these and crashes on others) or the database (which overflows).
"""
from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import DomainError

#: The largest value an INTEGER column holds (PostgreSQL's ``integer``; SQLite holds more).
#: Every id in the schema is such a column, so no larger id can name anything.
MAX_ID = 2**31 - 1

_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_whole(value: Any) -> int | None:
    """``value`` as an int if it is a JSON integer or a plain string of ASCII digits, else None.

    Booleans, floats (even ``2.0``: no client of ours sends one), signs, spaces, exponents,
    non-ASCII digits and anything beyond ``MAX_ID`` give None. Negative JSON integers are
    returned as they are, so callers can say "at least …" rather than "not a number".
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if -MAX_ID <= value <= MAX_ID else None
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
        return number if number <= MAX_ID else None
    return None


def whole_number(value: Any, field: Any, *, lo: int = 0, hi: int = MAX_ID, code: str = "bad_request",
                 message: Any = None) -> int:
    """A whole number from a client within ``lo..hi``.

    Args:
        value: what the client sent.
        field: how the message names it (``_l("the duration")``; a payload field's name as is).
        lo, hi: the allowed range, both included.
        code: the error code (``bad_request`` unless the caller has a more specific one).
        message: the (lazy) message for any refusal, if the default does not fit.

    Raises:
        DomainError: ``value`` is not a whole number, or is outside ``lo..hi``.
    """
    number = parse_whole(value)
    if number is None:
        raise DomainError(code, message or _l("Give %(field)s as a whole number.", field=field))
    if not lo <= number <= hi:
        raise DomainError(code, message or _l("Give %(field)s as a whole number from %(lo)s to %(hi)s.",
                                              field=field, lo=lo, hi=hi))
    return number


def record_id(value: Any, field: str, thing: Any) -> int:
    """The id of a record (``round_id``, ``idea_id`` …) from a client: a whole number from 1.

    Whether a record with that id exists (and belongs to the caller's workshop) is the
    lookup's business; this only refuses what cannot be an id at all. ``thing`` names the
    record in a message (``_l("round")``); ``field`` is the payload's field name, as sent.

    Raises:
        DomainError ``bad_request``: missing, not a whole number, below 1 or beyond ``MAX_ID``.
    """
    if value is None or value == "":
        raise DomainError("bad_request", _l("Say which %(thing)s (%(field)s is missing).", thing=thing, field=field))
    number = parse_whole(value)
    if number is None or number < 1:
        raise DomainError("bad_request", _l("%(field)s must be the id of a %(thing)s (a whole number from 1).",
                                            field=field, thing=thing))
    return number


def id_list(values: Any, field: str, thing: Any, *, code: str = "bad_request", message: Any = None) -> list[int]:
    """A list of record ids from a client (an order, the ideas to merge).

    Raises:
        DomainError: ``values`` is not a list, or an entry is not an id.
    """
    if not isinstance(values, list):
        raise DomainError(code, message or _l("Send %(field)s as a list of %(thing)s ids.", field=field, thing=thing))
    out = []
    for value in values:
        number = parse_whole(value)
        if number is None or number < 1:
            raise DomainError(code, message or _l("Every entry of %(field)s must be the id of a %(thing)s.",
                                                  field=field, thing=thing))
        out.append(number)
    return out
