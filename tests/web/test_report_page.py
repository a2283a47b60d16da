"""The Report page: the outline edited section by section, over JSON and plain forms, with its preview."""
from __future__ import annotations

import re

from app import transaction
from app.extensions import db
from app.models import ReportSection
from app.services import report_outline, workshops
from tests.support.jobs import wait_for
from tests.support.web import csrf_token

JSON = {"Accept": "application/json"}


def _sections(app, code):
    with app.app_context():
        w = workshops.by_code(code)
        return report_outline.editor_payload(w)


def _page(facilitator, code):
    response = facilitator.get(f"/f/{code}/report")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def _json_post(client, url, token, payload):
    return client.post(url, json=payload, headers={**JSON, "X-CSRFToken": token})


def _section(sections, kind):
    return next(s for s in sections if s["kind"] == kind)


def test_the_page_lists_the_default_outline_and_is_in_the_nav(app, facilitator, make_workshop):
    code = make_workshop(facilitator.user["id"], language="nb")
    html = _page(facilitator, code)
    assert f'href="/f/{code}/report" aria-current="page"' in html
    sections = _sections(app, code)
    assert [s["kind"] for s in sections] == ["summary", "introduction", "background", "conclusion", "next_steps",
                                             "agenda", "participants", "method"]
    assert [s["default_title"] for s in sections][:2] == ["Sammendrag", "Introduksjon"]
    for s in sections:
        assert f'id="section-{s["id"]}"' in html
    assert 'src="/f/%s/report/preview"' % code in html


def test_a_json_save_answers_the_section_and_a_stale_one_is_a_conflict(app, facilitator, make_workshop):
    code = make_workshop(facilitator.user["id"], language="en")
    _page(facilitator, code)
    intro = _section(_sections(app, code), "introduction")
    url = f"/f/{code}/report/sections/{intro['id']}"
    token = csrf_token(facilitator, f"/f/{code}/report")
    first = _json_post(facilitator, url, token, {"base_version": 0, "body": "Our goals.", "title": "Goals", "included": True})
    assert first.status_code == 200, first.get_data(as_text=True)
    saved = first.get_json()
    assert saved["ok"] and saved["section"]["version"] == 1 and saved["section"]["title"] == "Goals"
    # A second writer still on version 0: refused, with what is stored and who stored it.
    stale = _json_post(facilitator, url, token, {"base_version": 0, "body": "Something else."})
    assert stale.status_code == 409
    error = stale.get_json()["error"]
    assert error["code"] == "edit_conflict" and "while you were writing" in error["message"]
    assert error["details"]["current"]["body"] == "Our goals." and error["details"]["current"]["version"] == 1
    assert error["details"]["current"]["updated_by"] == "Facilitator"
    # Keeping mine: saved on top of the version now known.
    again = _json_post(facilitator, url, token, {"base_version": 1, "body": "Something else."})
    assert again.status_code == 200 and again.get_json()["section"]["body"] == "Something else."


def test_bad_input_is_refused_in_the_readers_language_and_nothing_is_cut(app, make_user, login, make_workshop):
    user = make_user()
    with app.app_context():
        from app.models import User

        transaction.run(lambda: setattr(db.session.get(User, user["id"]), "language", "nb"))
    client = login(app.test_client(), user)
    code = make_workshop(user["id"], language="en")
    client.get(f"/f/{code}/report")
    intro = _section(_sections(app, code), "introduction")
    token = csrf_token(client, f"/f/{code}/report")
    long = "x" * (ReportSection.BODY_MAX + 1)
    refused = _json_post(client, f"/f/{code}/report/sections/{intro['id']}", token, {"base_version": 0, "body": long})
    assert refused.status_code == 400
    error = refused.get_json()["error"]
    assert error["code"] == "body_too_long" and "Teksten i et kapittel kan være på høyst 20000 tegn" in error["message"]
    assert _section(_sections(app, code), "introduction")["body"] == ""
    # The same in English for an English-speaking facilitator.
    with app.app_context():
        from app.models import User

        transaction.run(lambda: setattr(db.session.get(User, user["id"]), "language", "en"))
    refused = _json_post(client, f"/f/{code}/report/sections/{intro['id']}", token, {"base_version": 0, "title": "t" * 201})
    assert refused.get_json()["error"]["message"].startswith("A section's title can be at most 200 characters")
    # A plain form post keeps what was typed on the page sent back, beside the refusal.
    response = client.post(f"/f/{code}/report/sections/{intro['id']}",
                           data={"csrf_token": token, "base_version": "0", "title": "Intro", "body": long, "included": "1"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert long in html and "Not saved: A section&#39;s text can be at most 20000 characters" in html


def test_a_form_post_saves_and_a_stale_form_shows_both_texts(app, facilitator, make_workshop):
    code = make_workshop(facilitator.user["id"], language="en")
    _page(facilitator, code)
    conclusion = _section(_sections(app, code), "conclusion")
    url = f"/f/{code}/report/sections/{conclusion['id']}"
    token = csrf_token(facilitator, f"/f/{code}/report")
    saved = facilitator.post(url, data={"csrf_token": token, "base_version": "0", "title": "", "body": "Theirs.", "included": "1"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"#section-{conclusion['id']}")
    stale = facilitator.post(url, data={"csrf_token": token, "base_version": "0", "title": "", "body": "Mine.", "included": "1"})
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Mine.</textarea>" in html and '<pre class="conflict-text" data-conflict-text>Theirs.</pre>' in html
    assert "Keep mine" in html and "Take theirs" in html
    # The page sent back carries the stored version: "Keep mine" saves on top of it.
    assert re.search(rf'id="section-{conclusion["id"]}".*?name="base_version" value="1"', html, re.S)


def test_rows_and_syntheses_through_the_form(app, facilitator, make_workshop, make_round):
    code = make_workshop(facilitator.user["id"], language="en")
    make_round(code, "comment", "Measures", items="One\nTwo")
    _page(facilitator, code)
    sections = _sections(app, code)
    steps = _section(sections, "next_steps")
    token = csrf_token(facilitator, f"/f/{code}/report")
    url = f"/f/{code}/report/sections/{steps['id']}"
    facilitator.post(url, data={"csrf_token": token, "base_version": "0", "title": "", "included": "1", "body": "",
                                "row_count": "0", "add_row": "1"})
    facilitator.post(url, data={"csrf_token": token, "base_version": "1", "title": "", "included": "1", "body": "",
                                "row_count": "1", "rows-0-action": "Follow-up workshops", "rows-0-owner": "Org A",
                                "rows-0-when": "Autumn"})
    assert _section(_sections(app, code), "next_steps")["rows"] == [
        {"action": "Follow-up workshops", "owner": "Org A", "when": "Autumn"}]
    measures = next(s for s in _sections(app, code) if s["kind"] == "round")
    assert [i["text"] for i in measures["commented_items"]] == ["One", "Two"]
    facilitator.post(f"/f/{code}/report/sections/{measures['id']}",
                     data={"csrf_token": token, "base_version": "0", "title": "", "included": "1", "body": "",
                           "synthesis-0": "", "synthesis-1": "Everyone agreed."})
    measures = next(s for s in _sections(app, code) if s["kind"] == "round")
    assert [i["synthesis"] for i in measures["commented_items"]] == ["", "Everyone agreed."]


def test_moving_adding_deleting_and_options(app, facilitator, make_workshop):
    code = make_workshop(facilitator.user["id"], language="en")
    _page(facilitator, code)
    token = csrf_token(facilitator, f"/f/{code}/report")
    conclusion = _section(_sections(app, code), "conclusion")
    assert facilitator.post(f"/f/{code}/report/sections/{conclusion['id']}/up", data={"csrf_token": token}).status_code == 302
    assert [s["kind"] for s in _sections(app, code)][1:4] == ["introduction", "conclusion", "background"]
    added = facilitator.post(f"/f/{code}/report/sections", data={"csrf_token": token, "title": "Lessons", "after": ""})
    assert added.status_code == 302
    kinds = [(s["kind"], s["title"]) for s in _sections(app, code)]
    assert kinds.index(("text", "Lessons")) == kinds.index(("agenda", "")) - 1
    own = next(s for s in _sections(app, code) if s["title"] == "Lessons")
    # Only the organisers' own sections can be deleted; the others are left out instead.
    refused = facilitator.post(f"/f/{code}/report/sections/{conclusion['id']}/delete", data={"csrf_token": token},
                               headers=JSON)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "not_deletable"
    deleted = facilitator.post(f"/f/{code}/report/sections/{own['id']}/delete", data={"csrf_token": token}, headers=JSON)
    assert deleted.status_code == 200 and all(s["id"] != own["id"] for s in deleted.get_json()["sections"])
    # No vote yet: a number of recommended ideas cannot be set.
    refused = facilitator.post(f"/f/{code}/report/options", json={"recommended": 2},
                               headers={**JSON, "X-CSRFToken": token})
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "no_final_round"
    assert facilitator.post(f"/f/{code}/report/sections/{own['id']}/sideways", data={"csrf_token": token}).status_code == 404


def test_another_facilitator_is_refused_everywhere_and_changes_nothing(app, facilitator, make_workshop, make_user, login):
    code = make_workshop(facilitator.user["id"], language="en")
    _page(facilitator, code)
    section = _sections(app, code)[1]
    other = login(app.test_client(), make_user())
    token = csrf_token(other, "/f/")
    # The same guard as every page of a workshop: 403 for someone else's, 404 for no such code.
    page = other.get(f"/f/{code}/report")
    assert page.status_code == 403 and "Only this workshop&#39;s facilitator" in page.get_data(as_text=True)
    assert f'id="section-{section["id"]}"' not in page.get_data(as_text=True)
    assert other.get(f"/f/{code}/report/preview").status_code == 403
    hijack = other.post(f"/f/{code}/report/sections/{section['id']}", json={"base_version": 0, "body": "Hijack"},
                        headers={**JSON, "X-CSRFToken": token})
    assert hijack.status_code == 403 and hijack.get_json()["error"]["code"] == "not_facilitator"
    assert other.post(f"/f/{code}/report/sections/{section['id']}/delete", data={"csrf_token": token}).status_code == 403
    assert other.post(f"/f/{code}/report/options", data={"csrf_token": token, "recommended": "1"}).status_code == 403
    assert other.post(f"/f/{code}/report/sections", data={"csrf_token": token, "title": "Mine"}).status_code == 403
    assert other.get("/f/ZZZZZZ/report").status_code == 404
    assert _sections(app, code)[1]["body"] == ""
    # A section id of another workshop is not found in one's own.
    mine = make_workshop(facilitator.user["id"], language="en")
    _page(facilitator, mine)
    token = csrf_token(facilitator, f"/f/{mine}/report")
    response = facilitator.post(f"/f/{mine}/report/sections/{section['id']}", json={"base_version": 0, "body": "x"},
                                headers={**JSON, "X-CSRFToken": token})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "unknown_section"
    # Not logged in: to the login page.
    assert app.test_client().get(f"/f/{code}/report").status_code == 302


def test_a_section_without_a_csrf_token_is_refused(app, facilitator, make_workshop):
    code = make_workshop(facilitator.user["id"], language="en")
    _page(facilitator, code)
    section = _sections(app, code)[1]
    response = facilitator.post(f"/f/{code}/report/sections/{section['id']}", json={"base_version": 0, "body": "x"},
                                headers=JSON)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "csrf"


def test_the_preview_is_the_reports_html_in_a_sandbox(app, facilitator, make_workshop, job_worker):
    code = make_workshop(facilitator.user["id"], language="en", title="<script>alert('title')</script>")
    _page(facilitator, code)
    intro = _section(_sections(app, code), "introduction")
    token = csrf_token(facilitator, f"/f/{code}/report")
    _json_post(facilitator, f"/f/{code}/report/sections/{intro['id']}", token,
               {"base_version": 0, "title": "<img src=x onerror=alert(1)>", "body": "<script>alert('body')</script>"})

    def ready():
        response = facilitator.get(f"/f/{code}/report/preview")
        return response if "<!doctype html>" in response.get_data(as_text=True)[:20].lower() and \
            "Building the preview" not in response.get_data(as_text=True) else None

    response = wait_for(ready, 120, "the preview")
    html = response.get_data(as_text=True)
    csp = response.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "script-src" not in csp and "default-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    # Hostile text is text: escaped, never markup.
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "max-width: 170mm" in html  # laid out for a screen


def test_the_preview_says_it_is_being_built_until_it_is(app, facilitator, make_workshop):
    code = make_workshop(facilitator.user["id"], language="nb")
    response = facilitator.get(f"/f/{code}/report/preview")
    html = response.get_data(as_text=True)
    # No worker in this test: the job waits, and the frame's page reloads itself meanwhile.
    assert response.status_code == 200 and '<meta http-equiv="refresh" content="1">' in html
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN" and "script-src" not in response.headers["Content-Security-Policy"]
