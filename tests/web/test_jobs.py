"""The job runner through the app: one job per click, progress, failures, a lost worker, a queue that is down."""
from __future__ import annotations

import io
import json
import time

import pytest

from app import transaction
from app.extensions import db
from app.models import Job, JobStatus, User, Workshop
from app.services import backup, rounds, workshops
from tests.support.jobs import JSON, download, follow, wait_for
from tests.support.server import free_port
from tests.support.web import csrf_token

F, P = "/facilitator", "/participant"


def load_demo(app) -> str:
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return db.session.query(Workshop).one().code


def job_status(app, job_id: str) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def test_a_second_click_joins_the_first_job_and_a_changed_workshop_builds_anew(app, facilitator, make_workshop, job_worker):
    code = make_workshop(facilitator.user["id"], title="Twice", language="en")
    first = facilitator.get(f"/f/{code}/export.docx", headers=JSON)
    again = facilitator.get(f"/f/{code}/export.docx", headers=JSON)
    assert first.status_code in (200, 202) and again.status_code in (200, 202)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert first.get_json()["url"] == f"/f/{code}/export.docx?job={first.get_json()['id']}"
    with app.app_context():
        assert db.session.query(Job).count() == 1
    done = download(facilitator, f"/f/{code}/export.docx")
    assert done.status_code == 200 and "wordprocessingml" in done.mimetype
    # Ready: the plain URL now gives the file at once, without another job.
    at_once = facilitator.get(f"/f/{code}/export.docx")
    assert at_once.status_code == 200 and at_once.data == done.data
    # The workshop changes: the next click builds a new report.
    with app.app_context():
        w = workshops.by_code(code)
        transaction.run(lambda: rounds.add_round(w, kind="brainstorm", title="A new round"))
    changed = facilitator.get(f"/f/{code}/export.docx", headers=JSON)
    assert changed.status_code == 202 and changed.get_json()["id"] != first.get_json()["id"]
    # Another format is another job.
    md = facilitator.get(f"/f/{code}/export.md", headers=JSON)
    assert md.get_json()["id"] not in (first.get_json()["id"], changed.get_json()["id"])
    with app.app_context():
        assert db.session.query(Job).count() == 3


def test_the_browser_gets_a_progress_page_and_the_console_hears_job_progress(app, facilitator, job_worker, sio):
    code = load_demo(app)
    console = sio(F, facilitator, code)
    page = facilitator.get(f"/f/{code}/export.pdf")
    assert page.status_code == 202 and "text/html" in page.mimetype
    html = page.get_data(as_text=True)
    assert "Building the report…" in html and 'src="/static/js/job.js"' in html and 'id="job-progress"' in html
    assert 'data-status-url="/f/{}/export.pdf?job='.format(code) in html
    pdf = download(facilitator, f"/f/{code}/export.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    assert f'filename="{code}-report.pdf"' in pdf.headers["Content-Disposition"]

    def progress_events():
        return [m["args"][0] for m in console.get_received(F) if m["name"] == "job_progress"]

    seen = []
    wait_for(lambda: seen.extend(progress_events()) or any(e["status"] == "done" for e in seen), 30, "job_progress done")
    assert all(e["heading"] == "Building the report…" for e in seen)
    sections = [e for e in seen if e["progress"]["label"] == "sections"]
    assert sections and sections[-1]["progress"]["done"] == sections[-1]["progress"]["total"] >= 5
    assert any(e["status"] == "running" and " of " in e["progress"]["text"] for e in seen)


def test_another_facilitator_cannot_follow_or_fetch_a_job(app, facilitator, make_user, login, make_workshop, job_worker):
    code = make_workshop(facilitator.user["id"], title="Mine", language="en")
    job_id = facilitator.get(f"/f/{code}/export.md", headers=JSON).get_json()["id"]
    assert download(facilitator, f"/f/{code}/export.md").status_code == 200
    other = login(app.test_client(), make_user())
    assert other.get(f"/f/jobs/{job_id}", headers=JSON).status_code == 404
    assert other.get(f"/f/{code}/export.md?job={job_id}").status_code == 403
    # Not under another workshop's URL either, even the facilitator's own job.
    own = make_workshop(facilitator.user["id"], title="Second", language="en")
    assert facilitator.get(f"/f/{own}/export.md?job={job_id}", headers=JSON).status_code == 404
    assert facilitator.get(f"/f/{code}/export.docx?job={job_id}", headers=JSON).status_code == 404


def test_a_failing_import_says_why_and_leaves_nothing_half_written(app, facilitator, job_worker):
    from tests.web.test_downloads import full_workshop

    with app.app_context():
        owner = db.session.get(User, facilitator.user["id"])
        w = full_workshop(owner)
        db.session.commit()
        doc = json.loads(json.dumps(backup.dump(w)))
        before = db.session.query(Workshop).count()
    # Broken at the very end (the survey comes after the rounds): the restore has written most
    # of the copy by the time it finds out.
    doc["surveys"][0]["responses"][0]["answers"].update(q1="very")
    token = csrf_token(facilitator, "/f/import")
    response = facilitator.post("/f/import", data={"csrf_token": token, "file": (io.BytesIO(json.dumps(doc).encode()), "b.json")},
                                content_type="multipart/form-data")
    status = follow(facilitator, response.headers["Location"])
    assert status.status_code == 400
    body = status.get_json()
    assert body["status"] == "failed" and body["error"]["code"] == "bad_backup" and "scale question" in body["error"]["message"]
    page = facilitator.get(response.headers["Location"]).get_data(as_text=True)
    assert "scale question" in page and 'id="job-error"' in page
    with app.app_context():
        assert db.session.query(Workshop).count() == before  # nothing half-restored
        assert db.session.scalar(db.select(Job.input).where(Job.id == body["id"])) is None  # the upload is dropped


def test_a_killed_worker_is_noticed_and_the_job_can_start_again(app, facilitator, job_worker, monkeypatch):
    monkeypatch.setitem(app.config, "TAVLE_JOB_LEASE", 2)
    code = load_demo(app)
    job_id = facilitator.get(f"/f/{code}/export.pdf", headers=JSON).get_json()["id"]
    wait_for(lambda: job_status(app, job_id).status is JobStatus.RUNNING, 30, "the job to start")
    job_worker.kill()
    try:
        time.sleep(2.5)
        failed = facilitator.get(f"/f/{code}/export.pdf?job={job_id}", headers=JSON)
        assert failed.status_code == 500
        assert failed.get_json()["error"] == {"code": "worker_stopped",
                                              "message": "The worker building this stopped before it finished; start it again."}
        # The plain URL shows the failure too (rather than silently starting over) ...
        page = facilitator.get(f"/f/{code}/export.pdf")
        assert page.status_code == 500 and "start it again" in page.get_data(as_text=True)
        assert f'href="/f/{code}/export.pdf?again=1"' in page.get_data(as_text=True)
    finally:
        job_worker.start()
    # A long lease again: a loaded machine may starve a healthy worker's heartbeat for seconds.
    monkeypatch.setitem(app.config, "TAVLE_JOB_LEASE", 30)
    # ... until the facilitator starts again: a new job, which a worker finishes.
    again = facilitator.get(f"/f/{code}/export.pdf?again=1", headers=JSON)
    assert again.status_code == 202 and again.get_json()["id"] != job_id
    pdf = download(facilitator, again.get_json()["url"])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")


def test_a_job_queue_that_is_down_says_so_and_votes_keep_flowing(app, facilitator, make_workshop, make_round,
                                                                  join_participant, sio, monkeypatch):
    monkeypatch.setitem(app.config, "TAVLE_JOBS", "redis")
    monkeypatch.setitem(app.config, "TAVLE_JOBS_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    code = make_workshop(facilitator.user["id"], title="No queue", language="en")
    brainstorm = make_round(code, "brainstorm", title="Ideas", open_=True)
    phone = sio(P, join_participant(code, "Kari"), code)
    started = time.monotonic()
    response = facilitator.get(f"/f/{code}/export.docx", headers=JSON)
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "queue_unavailable" and "job queue is not reachable" in error["message"]
    page = facilitator.get(f"/f/{code}/export.docx")
    assert page.status_code == 503 and "Voting and the live views carry on" in page.get_data(as_text=True)
    ack = phone.emit("submit_idea", {"round_id": brainstorm, "op_id": "op-q-000001", "title": "Still here"},
                     namespace=P, callback=True)
    assert ack["ok"], ack


def test_jobs_on_the_redis_queue_run_in_a_worker_of_their_own(app, facilitator, make_workshop, database_url,
                                                              tmp_path, monkeypatch):
    import os
    import uuid

    import redis

    from tests.support.jobs import Worker

    url = os.environ.get("TAVLE_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis is not reachable at {url}: {exc}")
    channel = f"tavle-test-{uuid.uuid4().hex[:8]}"
    settings = {"TAVLE_JOBS": "redis", "TAVLE_JOBS_REDIS_URL": url, "TAVLE_REDIS_CHANNEL": channel}
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    worker = Worker(database_url, tmp_path, extra=settings)
    try:
        code = make_workshop(facilitator.user["id"], title="Queued", language="en")
        first = facilitator.get(f"/f/{code}/export.xlsx", headers=JSON).get_json()
        with app.app_context():
            assert db.session.get(Job, first["id"]).queue == f"{channel}.jobs"
        xlsx = download(facilitator, f"/f/{code}/export.xlsx", timeout=60)
        assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.mimetype, worker.log()
        assert "Redis queue" in worker.log()
        keys = [k.decode() for k in client.keys(f"*{channel}*")]
        assert keys and all(k.startswith(f"{channel}:") for k in keys), keys
    finally:
        worker.stop()
        for key in client.keys(f"{channel}:*"):
            client.delete(key)
        client.close()


def test_roster_import_is_a_job_and_the_console_hears_of_the_new_people(app, facilitator, make_workshop, job_worker, sio):
    code = make_workshop(facilitator.user["id"], language="en")
    console = sio(F, facilitator, code)
    console.get_received(F)
    token = csrf_token(facilitator, f"/f/{code}/people")
    rows = "name,organisation,sector\n" + "".join(f"Person {n},Org {n},research\n" for n in range(300))
    response = facilitator.post(f"/f/{code}/people/import", data={"file": (io.BytesIO(rows.encode()), "r.csv"), "csrf_token": token},
                                content_type="multipart/form-data")
    status = follow(facilitator, response.headers["Location"])
    assert status.get_json()["outcome"]["added"] == 300
    presence = wait_for(lambda: [m["args"][0] for m in console.get_received(F) if m["name"] == "presence"], 30, "presence")
    assert presence[-1]["participants"] == 300
    with app.app_context():
        assert len(workshops.by_code(code).participants) == 300
