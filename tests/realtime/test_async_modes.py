"""``python wsgi.py`` serves HTTP and Socket.IO in every supported async mode."""
import pytest
import requests
import socketio
from sqlalchemy import create_engine, text

from tests.support.server import flask_cli, start_server


@pytest.mark.parametrize("mode", ["eventlet", "gevent", "threading"])
def test_server_runs_in_each_async_mode(tmp_path, mode):
    url = f"sqlite:///{tmp_path}/modes.sqlite3"
    flask_cli(["db", "upgrade"], url, tmp_path)
    flask_cli(["demo"], url, tmp_path)
    server = start_server(url, tmp_path, extra={"TAVLE_ASYNC_MODE": mode})
    client = socketio.Client(reconnection=False)
    try:
        assert requests.get(server.url + "/healthz", timeout=5).json()["ok"] is True
        with create_engine(url).connect() as conn:
            code = conn.execute(text("SELECT code FROM workshop")).scalar_one()
        client.connect(server.url, namespaces=["/display"], auth={"code": code}, transports=["websocket"], wait_timeout=10)
        state = client.call("sync", {}, namespace="/display", timeout=10)
        assert state["ok"] and state["state"]["workshop"]["code"] == code
        assert state["state"]["round"]["kind"] == "worksheet" and len(state["state"]["worksheets"]) == 3
    finally:
        if client.connected:
            client.disconnect()
        server.stop()
    assert f"async mode: {mode}" in server.log()
