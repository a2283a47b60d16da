"""Every facilitator page of one workshop answers strangers the same way (the ``@managed`` views)."""
import pytest

from tests.support.web import csrf_token


def _workshop_pages(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("facilitator.") and "code" in rule.arguments:
            method = "GET" if "GET" in rule.methods else "POST"
            values = {arg: 1 for arg in rule.arguments}
            values.update(code="CODE", **{arg: "x" for arg in ("verb", "fmt") if arg in rule.arguments})
            yield rule.endpoint, method, values


def test_every_workshop_page_is_for_its_facilitator_only(app, facilitator, make_user, login, make_workshop):
    code = make_workshop(facilitator.user["id"])
    other = login(app.test_client(), make_user())
    token = csrf_token(other, "/f/")
    pages = list(_workshop_pages(app))
    assert len(pages) >= 20
    with app.test_request_context():
        from flask import url_for

        for endpoint, method, values in pages:
            for asked, status, error in ((code, 403, "Only this workshop&#39;s facilitator"), ("ZZZZZZ", 404, "no workshop with that code")):
                url = url_for(endpoint, **{**values, "code": asked})
                response = other.get(url) if method == "GET" else other.post(url, data={"csrf_token": token})
                assert response.status_code == status, (endpoint, asked, response.status_code)
                assert error in response.get_data(as_text=True), endpoint


@pytest.mark.parametrize("page", ["", "/people", "/agenda", "/surveys", "/exports", "/edit", "/join-sheet"])
def test_a_workshop_page_opens_for_its_facilitator(facilitator, make_workshop, page):
    code = make_workshop(facilitator.user["id"])
    assert facilitator.get(f"/f/{code}{page}").status_code == 200
