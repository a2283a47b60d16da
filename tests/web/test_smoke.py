def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is True and body["database"]["ok"] is True
    assert body["database"]["dialect"] in {"sqlite", "postgresql"}
