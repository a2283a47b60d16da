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


def group_room(workshop_id: int, group_id: int | None) -> str:
    """Every phone of one group (or of those in no group) of a workshop, on the participant namespace.

    A phone's group room is set from the database on connect and on every ``sync``, never from
    what the phone says, so ideas of a round held in groups reach only their group's phones.
    """
    return f"group:{group_id}" if group_id else f"workshop:{workshop_id}:no-group"


def is_group_room(room: str, workshop_id: int) -> bool:
    return room.startswith("group:") or room == f"workshop:{workshop_id}:no-group"
