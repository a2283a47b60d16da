"""Helpers for Flask-SocketIO test clients: the namespaces, what a client received, and a call with its ack."""
from __future__ import annotations

from typing import Any

P, F, D = "/participant", "/facilitator", "/display"


def events(client, namespace: str, name: str) -> list[Any]:
    """The payloads of every ``name`` event ``client`` received on ``namespace`` since it last asked."""
    return [m["args"][0] for m in client.get_received(namespace) if m["name"] == name]


def call(client, namespace: str, event: str, payload: Any = None) -> Any:
    """Send ``event`` and return its ack."""
    return client.emit(event, payload, namespace=namespace, callback=True)
