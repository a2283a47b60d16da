"""Cleaning text people type, before any length check or storage."""
from __future__ import annotations

import re
import unicodedata

# C0/C1 control characters other than tab, newline and carriage return: PostgreSQL refuses NUL
# in text, and none of them belongs in an idea, a name or a comment.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: object, *, trim: bool = True) -> str:
    """``value`` as a string in Unicode NFC, control characters removed, ends trimmed (``trim``)."""
    if not isinstance(value, str):
        return ""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value))
    return text.strip() if trim else text


def filled_rows(rows: list[list[str]] | None) -> list[list[str]]:
    """The rows of a table (a worksheet's first steps) with anything typed in them: a row of
    empty or blank cells is left out wherever the table is shown."""
    return [list(row) for row in rows or [] if any(cell.strip() for cell in row)]
