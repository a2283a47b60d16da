"""Every format writes a valid file for an empty workshop, a vote nobody voted in, and hostile text."""
import io
import zipfile

import pytest

from app.exports import WORKSHOP_WRITERS
from tests.support.report_data import HOSTILE, check_valid, empty_report, no_votes_report, sample_report

#: The writers translate with the app's gettext catalogs: each test runs in an application context.
pytestmark = pytest.mark.usefixtures("ctx")

LONG = ("Lang tekst med æøå, 😀 og שלום. <b>fet</b> {{ x }} =1+1 " * 30)[:1000]

CASES = {
    "empty_nb": lambda: empty_report("nb"),
    "empty_en": lambda: empty_report("en"),
    "no_votes": no_votes_report,
    "emoji_rtl": lambda: sample_report("nb", titles=["Idé 😀🎉", "שלום עולם", "مرحبا بالعالم", "ok"]),
    "long_details": lambda: sample_report("en", details=LONG),
    "hostile": lambda: sample_report("en", titles=HOSTILE, details="\n".join(HOSTILE)),
    "long_title": lambda: sample_report("nb", titles=["T" * 120, "=" * 120, "<" * 120, "}" * 120]),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx", "json", "md"])
def test_every_format_writes_a_valid_file(case, fmt):
    report = CASES[case]()
    export = WORKSHOP_WRITERS[fmt](report)
    assert export.content
    check_valid(fmt, export.content)
    if fmt in ("docx", "xlsx"):
        # Office files are zip archives of well-formed XML.
        assert zipfile.ZipFile(io.BytesIO(export.content)).testzip() is None


def test_empty_workshop_report_says_nothing_happened():
    text = check_valid("docx", WORKSHOP_WRITERS["docx"](empty_report("nb")).content)
    assert "Det har ikke skjedd noe i denne workshopen ennå." in text
    assert "Ingen avstemning er avsluttet ennå." in text
    assert "Det ble ikke satt opp noe program." in text  # agenda: "program" in Norwegian


def test_vote_without_ballots_and_open_round():
    text = check_valid("docx", WORKSHOP_WRITERS["docx"](no_votes_report()).content)
    assert "This round has not been closed: no result is stored." in text
    assert "No vote has been closed yet." in text


def test_control_characters_are_dropped_not_fatal():
    report = sample_report("en", titles=["a\x00b", "c\x1bd", "e\ud800f", "g\ufffeh"])
    for fmt in ("docx", "xlsx", "pdf"):
        check_valid(fmt, WORKSHOP_WRITERS[fmt](report).content)
    text = check_valid("docx", WORKSHOP_WRITERS["docx"](report).content)
    assert "Workshop on ab" in text
