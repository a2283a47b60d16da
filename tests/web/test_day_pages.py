"""The facilitator's pages for the day and the participant's survey page, through the test client."""
import io
import json
import re

from app.extensions import db
from app.models import AgendaItem, Participant, Survey, SurveyResponse, Workshop
from tests.support.jobs import follow
from tests.support.web import csrf_token


def _workshop(app, code):
    return db.session.query(Workshop).filter_by(code=code).one()


def test_agenda_page_add_mark_now_reorder_delete(app, facilitator, make_workshop):
    code = make_workshop(facilitator.user["id"], language="en")
    token = csrf_token(facilitator, f"/f/{code}/agenda")
    for start, title in [("09:00", "Welcome"), ("10:00", "Group work")]:
        r = facilitator.post(f"/f/{code}/agenda", data={"start": start, "duration": 30, "title": title, "who": "Alle", "round_id": 0, "csrf_token": token})
        assert r.status_code == 302
    bad = facilitator.post(f"/f/{code}/agenda", data={"start": "9.00", "title": "Bad", "round_id": 0, "csrf_token": token})
    assert bad.status_code == 400 and "HH:MM" in bad.get_data(as_text=True)
    with app.app_context():
        first, second = db.session.query(AgendaItem).order_by(AgendaItem.position).all()
        ids = first.id, second.id
    facilitator.post(f"/f/{code}/agenda/{ids[1]}/now", data={"csrf_token": token})
    facilitator.post(f"/f/{code}/agenda/{ids[1]}/up", data={"csrf_token": token})
    page = facilitator.get(f"/f/{code}/agenda").get_data(as_text=True)
    assert page.index("Group work") < page.index("Welcome") and 'class="now"' in page
    facilitator.post(f"/f/{code}/agenda/{ids[0]}/delete", data={"csrf_token": token})
    with app.app_context():
        assert [i.title for i in db.session.query(AgendaItem)] == ["Group work"]
    assert facilitator.post(f"/f/{code}/agenda/{ids[1]}/explode", data={"csrf_token": token}).status_code == 404


def test_roster_upload_groups_and_personal_links(app, facilitator, make_workshop, job_worker):
    code = make_workshop(facilitator.user["id"], language="en")
    token = csrf_token(facilitator, f"/f/{code}/people")
    csv_bytes = "name,organisation,sector,email\nKari,OUS,health_service,kari@example.org\nOla,Roche,industry,\nPer,X,pirates,\n".encode("utf-8")
    r = facilitator.post(f"/f/{code}/people/import", data={"file": (io.BytesIO(csv_bytes), "roster.csv"), "csrf_token": token},
                         content_type="multipart/form-data")
    # The import is a job: its page shows progress, then the people page says what it did.
    assert r.status_code == 302 and "/f/jobs/" in r.headers["Location"]
    status = follow(facilitator, r.headers["Location"])
    assert status.get_json()["outcome"] == {"added": 2, "errors": ["Line 4: unknown sector “pirates”."], "more_errors": 0}
    r = facilitator.get(r.headers["Location"], follow_redirects=True)
    text = r.get_data(as_text=True)
    assert "Imported 2 participants." in text and "Line 4" in text
    r = facilitator.post(f"/f/{code}/people/import-demo", data={"csrf_token": token}, follow_redirects=True)
    assert "Imported 53 participants" in r.get_data(as_text=True)
    r = facilitator.post(f"/f/{code}/groups", data={"count": 5, "csrf_token": token}, follow_redirects=True)
    assert "Made 5 groups." in r.get_data(as_text=True)
    with app.app_context():
        w = _workshop(app, code)
        assert len(w.groups) == 5 and all(p.group_id for p in w.participants)
        kari = next(p for p in w.participants if p.name == "Kari")
        target = next(g for g in w.groups if g.id != kari.group_id)
        kari_id, target_id = kari.id, target.id
    facilitator.post(f"/f/{code}/people/{kari_id}/group", data={"group_id": target_id, "csrf_token": token})
    with app.app_context():
        assert db.session.get(Participant, kari_id).group_id == target_id
    sheet = facilitator.get(f"/f/{code}/people/links").get_data(as_text=True)
    links = re.findall(rf"http://localhost/w/{code}/p/[^<\s\"]+", sheet)
    assert len(links) == 55 and sheet.count("<svg") >= 55
    # A personal link makes this browser that participant.
    phone = app.test_client()
    kari_link = next(link for link in links if phone.get(link.replace("http://localhost", "")).status_code == 302 and "Kari" in phone.get(f"/w/{code}").get_data(as_text=True))
    assert kari_link
    with app.app_context():
        assert db.session.get(Participant, kari_id).joined_at is not None
    assert app.test_client().get(f"/w/{code}/p/forged").status_code == 403


def test_survey_pages_and_one_response(app, facilitator, make_workshop, join_participant):
    code = make_workshop(facilitator.user["id"], language="en")
    token = csrf_token(facilitator, f"/f/{code}/surveys")
    r = facilitator.post(f"/f/{code}/surveys", data={"title": "After the day", "anonymous": "y", "csrf_token": token})
    assert r.status_code == 302
    survey_url = r.headers["Location"]
    facilitator.post(survey_url, data={"kind": "scale", "text": "Useful?", "scale_min": 1, "scale_max": 5, "required": "y", "csrf_token": token})
    facilitator.post(survey_url, data={"kind": "multi", "text": "Next?", "choices": "Forum\nFollow-up", "csrf_token": token})
    with app.app_context():
        survey = db.session.query(Survey).one()
        sid, q1, q2 = survey.id, survey.questions[0].id, survey.questions[1].id
    phone = join_participant(code)
    closed = phone.get(f"/w/{code}/survey/{sid}").get_data(as_text=True)
    assert "not open" in closed
    facilitator.post(f"/f/{code}/surveys/{sid}/open", data={"csrf_token": token})
    page = phone.get(f"/w/{code}/survey/{sid}").get_data(as_text=True)
    op_id = re.search(r'name="op_id" value="([0-9a-f]+)"', page).group(1)
    ptoken = csrf_token(phone, f"/w/{code}/survey/{sid}")
    missing = phone.post(f"/w/{code}/survey/{sid}", data={f"q{q2}": ["Forum"], "op_id": op_id, "csrf_token": ptoken})
    assert missing.status_code == 400 and "Please answer" in missing.get_data(as_text=True)
    assert 'value="Forum" checked' in missing.get_data(as_text=True)  # nothing typed is lost
    ok = phone.post(f"/w/{code}/survey/{sid}", data={f"q{q1}": "4", f"q{q2}": ["Forum", "Follow-up"], "op_id": op_id, "csrf_token": ptoken})
    assert ok.status_code == 200 and "Thank you" in ok.get_data(as_text=True)
    again = phone.post(f"/w/{code}/survey/{sid}", data={f"q{q1}": "1", "op_id": "another-op-0001", "csrf_token": ptoken})
    assert "Thank you" in again.get_data(as_text=True)
    with app.app_context():
        [response] = db.session.query(SurveyResponse).all()
        assert response.answers == {str(q1): 4, str(q2): ["Forum", "Follow-up"]} and response.participant_id is None
    results = facilitator.get(survey_url).get_data(as_text=True)
    assert '"respondents": 1' in results
    stranger = app.test_client().get(f"/w/{code}/survey/{sid}")
    assert stranger.status_code == 302  # join first


def test_worksheets_page(app, facilitator, make_workshop, make_round, join_participant):
    code = make_workshop(facilitator.user["id"], language="en")
    b = make_round(code, "brainstorm", open_=True)
    with app.app_context():
        from app import transaction
        from app.services import ideas, participants, workshops

        w = workshops.by_code(code)
        p = transaction.run(lambda: participants.join(w, name="Kari"))
        for n in range(3):
            transaction.run(lambda n=n: ideas.submit_idea(p, w.rounds[0], op_id=f"wsp-op-{n:05d}", title=f"Idea {n}"))
    ws = make_round(code, "worksheet", title="Work out", source_round_id=b, top_k=2)
    page = facilitator.get(f"/f/{code}/rounds/{ws}/worksheets").get_data(as_text=True)
    data = json.loads(re.search(r"<script type=\"application/json\" id=\"worksheets-data\">(.*?)</script>", page, re.S).group(1))
    assert [s["idea"] for s in data] == ["Idea 0", "Idea 1"] and data[0]["fields"][2]["label"] == "First steps – who contributes what?"
    assert facilitator.get(f"/f/{code}/rounds/{b}/worksheets").status_code == 404


def test_survey_link_before_joining_comes_back_after_joining(app, make_workshop):
    from app import transaction
    from app.services import surveys, workshops

    code = make_workshop(None, language="en")
    with app.app_context():
        s = transaction.run(lambda: surveys.create_survey(workshops.by_code(code), title="After"))
        sid = s.id
    phone = app.test_client()
    first = phone.get(f"/w/{code}/survey/{sid}")
    assert first.status_code == 302 and f"next=/w/{code}/survey/{sid}" in first.headers["Location"].replace("%2F", "/")
    page = phone.get(first.headers["Location"]).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    action = re.search(r'id="join-form"', page) and re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    joined = phone.post(action.replace("&amp;", "&"), data={"name": "Kari", "csrf_token": token})
    assert joined.status_code == 302 and joined.headers["Location"].endswith(f"/w/{code}/survey/{sid}")
    evil = phone.post(f"/w/{code}/join?next=//evil.example/", data={"name": "Ola", "csrf_token": token})
    assert evil.headers["Location"].endswith(f"/w/{code}")


def test_signing_a_participant_out_everywhere(app, facilitator, make_workshop, join_participant):
    code = make_workshop(facilitator.user["id"], language="en")
    phone = join_participant(code, "Kari")
    assert 'id="phone"' in phone.get(f"/w/{code}").get_data(as_text=True)
    with app.app_context():
        pid = db.session.query(Participant).one().id
    token = csrf_token(facilitator, f"/f/{code}/people")
    r = facilitator.post(f"/f/{code}/people/{pid}/revoke", data={"csrf_token": token}, follow_redirects=True)
    assert "Signed out on every device" in r.get_data(as_text=True)
    page = phone.get(f"/w/{code}").get_data(as_text=True)
    assert 'id="phone"' not in page and 'id="join-form"' in page
