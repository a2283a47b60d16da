"""Socket.IO: one namespace per audience, thin handlers over the services."""
from __future__ import annotations

from app.realtime import display, facilitator, participant


def register(socketio) -> None:
    """Register every namespace on ``socketio``."""
    participant.register(socketio)
    facilitator.register(socketio)
    display.register(socketio)
