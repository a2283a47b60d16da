"""Socket.IO namespaces and room names, derived on the server, never taken from a client."""
from __future__ import annotations

PARTICIPANT_NS = "/participant"
FACILITATOR_NS = "/facilitator"
DISPLAY_NS = "/display"


def workshop_room(workshop_id: int) -> str:
    """Everyone on one namespace who follows workshop ``workshop_id``."""
    return f"workshop:{workshop_id}"


def participant_room(participant_id: int) -> str:
    """Every tab of one participant (their own ballot goes here)."""
    return f"participant:{participant_id}"
