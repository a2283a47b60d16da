"""The backup importer's limits: the ones it states are the ones it enforces, before heavy work."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import event

from app import transaction
from app.errors import DomainError
from app.extensions import db
from app.models import Workshop
from app.services import backup
from tests.support.web import csrf_token

ROOT = Path(__file__).resolve().parents[2]


def doc(**lists) -> dict:
    return {"format": backup.FORMAT, "version": backup.VERSION, "workshop": {"title": "Copy", "language": "en"}, **lists}


def people(n: int) -> list[dict]:
    return [{"key": f"p{k}", "name": f"Person {k}", "sector": "industry"} for k in range(1, n + 1)]


class Statements:
    """Counts the SQL statements run while it is entered."""

    def __enter__(self):
        self.count = 0
        self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def _count(self, *args):
        self.count += 1

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


@pytest.mark.parametrize("lists, words", [
    # Every round under the limit on its own, the file over it: the limit is for the whole file.
    ({"rounds": [{"key": f"r{n}", "kind": "dot_vote", "title": "Dots", "state": "closed",
                  "ballots": [{"participant": "p1", "content": {}}] * 25_001} for n in (1, 2)]},
     "50002 ballots"),
    ({"surveys": [{"key": f"s{n}", "title": "S", "responses": [{}] * 10_001} for n in (1, 2)]}, "20002 survey responses"),
    ({"participants": people(20_001)}, "20001 participants"),
    ({"participants": people(20_000), "ideas": [{"key": f"i{n}"} for n in range(1, 20_002)]}, "20001 ideas"),
    ({"rounds": [{"key": "r1", "kind": "dot_vote", "title": "Dots", "state": "closed",
                  "results": [{}] * (backup.LIMITS["results"] + 1)}]}, "stored results"),
])
def test_a_backup_past_a_limit_is_refused_before_any_row_is_built(ctx, lists, words):
    document = doc(**lists)
    with Statements() as sql, pytest.raises(DomainError) as exc:
        transaction.run(lambda: backup.restore(document, None))
    assert exc.value.code == "backup_too_large"
    assert words in exc.value.message and "at most" in exc.value.message, exc.value.message
    assert sql.count == 0  # refused from the counts alone: no workshop, no participant was written
    assert db.session.query(Workshop).count() == 0


def test_a_backup_at_the_limits_is_not_refused_for_its_size(ctx):
    counts = backup.count_rows(doc(participants=people(backup.LIMITS["participants"])))
    assert counts["participants"] == backup.LIMITS["participants"]
    backup.check_limits(doc(participants=people(backup.LIMITS["participants"])))


def test_parse_refuses_a_file_past_its_size_limit_with_the_limit_in_the_message():
    with pytest.raises(DomainError) as exc:
        backup.parse(b" " * (backup.MAX_BYTES + 1))
    assert exc.value.code == "backup_too_large" and "at most 64 MB" in exc.value.message


def test_an_upload_just_past_the_importers_limit_gets_its_message(app, facilitator):
    """The request limit leaves room for the form: the importer, not the server, refuses the file."""
    assert app.config["MAX_CONTENT_LENGTH"] > backup.MAX_BYTES + 64 * 1024
    token = csrf_token(facilitator, "/f/import")
    body = io.BytesIO(b" " * (backup.MAX_BYTES + 1))
    response = facilitator.post("/f/import", data={"csrf_token": token, "file": (body, "big.json")},
                                content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Tavle imports backups of at most 64 MB" in response.get_data(as_text=True)


def test_an_upload_past_the_request_limit_gets_the_error_page_with_the_limit(app, facilitator, monkeypatch):
    token = csrf_token(facilitator, "/f/import")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 10_000)  # the same refusal, without sending 65 MB
    response = facilitator.post("/f/import", data={"csrf_token": token, "file": (io.BytesIO(b" " * 20_000), "big.json")},
                                content_type="multipart/form-data")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "too large" in page and "at most 64 MB" in page


def test_the_limits_are_documented():
    text = (ROOT / "docs" / "protocol.md").read_text()
    section = text[text.index("### Backup limits"):]
    for name, value in backup.LIMITS.items():
        assert f"| {name} | {value:,} |" in section, name
    assert "64 MiB" in section
