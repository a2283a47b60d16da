"""Refusals over HTTP, jobs' reasons and progress, and import errors in their reader's language.

A facilitator reads the refusals of their own pages and API calls, and everything their jobs
say, in their own language (``User.language``) whatever the workshop's; a job that fails in a
worker, or is noticed as lost outside any request, says why in that language too.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from app import i18n, transaction
from app.clock import utcnow
from app.extensions import db
from app.jobs import runner
from app.models import Job, JobStatus, User
from app.services import accounts, backup, jobs
from tests.support.jobs import JSON
from tests.support.web import csrf_token


def _speaks(app, user_id: int, language: str) -> None:
    with app.app_context():
        transaction.run(lambda: accounts.set_language(db.session.get(User, user_id), language))


@pytest.mark.parametrize("lang, message", [
    ("nn", "Denne jobben er ukjend (ferdige resultat blir tekne vare på i ein time): start han på nytt."),
    ("nb", "Denne jobben er ukjent (ferdige resultater tas vare på i en time): start den på nytt."),
    ("en", "This job is not known (finished results are kept for an hour): start it again."),
])
def test_an_api_refusal_speaks_the_facilitators_language(app, facilitator, lang, message):
    _speaks(app, facilitator.user["id"], lang)
    answer = facilitator.get("/f/jobs/" + "0" * 32, headers={**JSON, "Accept-Language": "de"})
    assert answer.status_code == 404
    assert answer.get_json() == {"ok": False, "error": {"code": "no_job", "message": message}}


def test_a_refused_form_post_and_page_speak_the_facilitators_language_not_the_workshops(
        app, facilitator, make_workshop, make_user):
    _speaks(app, facilitator.user["id"], "nn")
    code = make_workshop(facilitator.user["id"], language="en")
    token = csrf_token(facilitator, f"/f/{code}/agenda")
    answer = facilitator.post(f"/f/{code}/agenda/999999/now", data={"csrf_token": token})
    assert answer.status_code == 404
    assert "Det programpunktet finst ikkje i denne workshopen." in answer.get_data(as_text=True)
    others = make_workshop(make_user()["id"], language="en")
    refused = facilitator.get(f"/f/{others}", headers=JSON)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["message"] == "Berre fasilitatoren for denne workshopen kan gjere det."


def _job(app, kind: str, user_id: int, code: str | None = None, data: bytes = b"", **params) -> str:
    from app.services import workshops

    with app.app_context():
        user = db.session.get(User, user_id)
        workshop = workshops.by_code(code) if code else None
        job, created = transaction.run(lambda: jobs.request(kind, workshop=workshop, user=user, input=data, params=params,
                                                                again=True))
        assert created
        return job.id


def test_a_job_that_fails_in_a_worker_says_why_in_the_language_of_whoever_started_it(app, facilitator):
    _speaks(app, facilitator.user["id"], "nn")
    job_id = _job(app, "backup_import", facilitator.user["id"], data=b"")
    assert runner.execute(app, job_id) == "failed"
    status = facilitator.get(f"/f/jobs/{job_id}", headers={**JSON, "Accept-Language": "en"})
    assert status.get_json()["error"] == {"code": "backup_not_json", "message": "Fila er tom."}
    # The page and its JSON tell the same, in the facilitator's language even after a switch
    # of the browser: what a failed job says is written once, when it fails.
    assert "Fila er tom." in facilitator.get(f"/f/jobs/{job_id}").get_data(as_text=True)


def test_a_roster_import_reports_its_refused_rows_in_the_facilitators_language(app, facilitator, make_workshop):
    _speaks(app, facilitator.user["id"], "nb")
    code = make_workshop(facilitator.user["id"], language="nn")
    rows = "namn;organisasjon;sektor;e-post\nKari;OUS;health_service;\nPer;Pirates Inc;piracy;\nLiv;NTNU;research;ikkje-epost\n"
    job_id = _job(app, "roster_import", facilitator.user["id"], code, rows.encode())
    assert runner.execute(app, job_id) == "done"
    with app.app_context():
        outcome = db.session.get(Job, job_id).outcome
    assert outcome["added"] == 1
    assert outcome["errors"] == ["Linje 3: ukjent sektor «piracy».", "Linje 4: «ikkje-epost» er ikke en e-postadresse."]


def test_a_lost_worker_noticed_outside_any_request_is_told_in_the_owners_language(app, facilitator, make_workshop):
    _speaks(app, facilitator.user["id"], "nb")
    code = make_workshop(facilitator.user["id"], language="en")
    job_id = _job(app, "export", facilitator.user["id"], code, format="docx")
    with app.app_context():
        job = transaction.run(lambda: jobs.claim(job_id))
        job.heartbeat_at = utcnow() - timedelta(hours=1)
        db.session.commit()
        transaction.run(lambda: jobs.get(job_id))  # the job watcher's read: no request, no reader
        job = db.session.get(Job, job_id)
        assert (job.status, job.error_code) == (JobStatus.FAILED, "worker_stopped")
        assert job.error_message == "Prosessen som lagde dette, stoppet før den var ferdig; start på nytt."


def test_the_console_hears_a_jobs_progress_in_its_facilitators_language(app, facilitator, make_workshop, monkeypatch):
    from app.realtime import broadcast

    _speaks(app, facilitator.user["id"], "nn")
    code = make_workshop(facilitator.user["id"], language="en")
    job_id = _job(app, "export", facilitator.user["id"], code, format="docx")
    sent = []
    monkeypatch.setattr(broadcast, "_emit", lambda event, payload, namespace, room, **_: sent.append((event, payload)))
    with app.app_context():
        transaction.run(lambda: jobs.claim(job_id))
        with db.engine.begin() as conn:
            conn.execute(jobs.heartbeat(job_id, (3, 7, "sections")))
        broadcast.job_progress(db.session.get(Job, job_id))  # as the watcher sends it: outside any request
    [(event, payload)] = sent
    assert event == "job_progress" and payload["progress"] == {"done": 3, "total": 7, "label": "sections",
                                                               "text": "3 av 7 delar"}


@pytest.mark.parametrize("lang, texts", [
    ("nn", ["ventar på ein jobbprosess", "les workshopen", "3 av 7 delar", "1 av 1 del", "2 av 5 ark", "1 av 4"]),
    ("nb", ["venter på en jobbprosess", "leser workshopen", "3 av 7 deler", "1 av 1 del", "2 av 5 ark", "1 av 4"]),
    ("en", ["waiting for a worker", "reading the workshop", "3 of 7 sections", "1 of 1 section", "2 of 5 sheets", "1 of 4"]),
])
def test_progress_is_kept_as_numbers_and_told_in_the_readers_language(ctx, lang, texts):
    queued = Job(status=JobStatus.QUEUED, progress_done=0, progress_total=0, progress_label="")
    running = [Job(status=JobStatus.RUNNING, progress_done=done, progress_total=total, progress_label=label)
               for done, total, label in ((0, 0, "reading the workshop"), (3, 7, "sections"), (1, 1, "sections"),
                                          (2, 5, "sheets"), (1, 4, ""))]
    with i18n.in_language(lang):
        assert [jobs.progress_text(j) for j in (queued, *running)] == texts


def test_a_backup_refusal_keeps_the_place_as_data_and_says_what_is_wrong_in_the_readers_language(ctx):
    doc = {"format": backup.FORMAT, "version": backup.VERSION, "workshop": {"title": "T", "language": "nn"},
           "participants": [{"key": "p1", "sector": "piracy"}]}
    with pytest.raises(backup.BadBackup) as refused:
        backup.restore(doc, None)
    error = refused.value
    assert error.to_dict()["details"] == {"path": "participants[p1].sector"}
    with i18n.in_language("nn"):
        assert error.message == "participants[p1].sector: ukjend sektor «piracy»."
    with i18n.in_language("nb"):
        assert error.to_dict()["message"] == "participants[p1].sector: ukjent sektor «piracy»."
    assert error.message == "participants[p1].sector: unknown sector “piracy”."
    db.session.rollback()
    too_big = {**doc, "participants": [{"key": f"p{n}"} for n in range(1, backup.LIMITS["participants"] + 2)]}
    with pytest.raises(backup.BadBackup) as refused, i18n.in_language("nn"):
        backup.check_limits(too_big)
    assert refused.value.details == {"what": "participants", "count": 20001, "limit": 20000}
    with i18n.in_language("nn"):
        assert "han har 20001 deltakarar, men høgst 20000 er tillate" in refused.value.message


def test_numbers_in_a_refusal_are_written_the_readers_way(ctx):
    with pytest.raises(backup.BadBackup) as refused:
        backup.parse(b" " * (backup.MAX_BYTES + 150_000))
    with i18n.in_language("nb"):
        assert refused.value.message.startswith("Filen er for stor: 64,1 MB")
    assert refused.value.message.startswith("The file is too large: 64.1 MB")
