"""A workshop as one JSON document (a full backup), and that document restored as a new workshop.

The document names every row by a local key instead of its database id: participants ``p1``,
``p2``, ...; groups ``g1``; rounds ``r1``; ideas ``i1``; surveys ``s1``; survey questions
``q1``. Keys are given in the order the rows were created, and restoring creates the rows in
that order, so exporting a restored workshop gives the same document again; only the join
code differs (a restored workshop gets a new one, and is owned by whoever restored it).

Everything that refers to a row refers to its key: ballots, stored results (standings,
explanations, tie-breaks, sector breakdowns, comparisons), round settings, worksheets,
comments, merges, agenda items and survey answers. Left out on purpose: the owner (the
importing facilitator owns the copy), participants' login tokens (everyone gets a new personal
link), and the record of client operations already applied (only needed while a phone may
still resend one).

``restore`` checks the document before it builds anything from it (format, version, types,
lengths, counts and references) and refuses a bad one with a ``DomainError`` whose message says
what is wrong and where. It adds rows to the session and never commits.

The work is split by job: ``keys`` (database ids and local keys, both ways, for every
reference), ``dump`` (the document written) and ``restore`` (the document checked and built).
How a round's ballots and settings look in a backup is its kind's (``app.rounds``).
"""
from app.services.backup.dump import dump
from app.services.backup.keys import FORMAT, VERSION, BadBackup
from app.services.backup.restore import LIMITS, MAX_BYTES, check_header, check_limits, count_rows, parse, restore

__all__ = [
    "FORMAT", "LIMITS", "MAX_BYTES", "VERSION", "BadBackup", "check_header", "check_limits", "count_rows", "dump", "parse",
    "restore",
]
