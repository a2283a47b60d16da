"""Who is connected: phones per workshop, kept in Redis when processes share it, else in memory.

Counts only: the console shows how many participants are connected (per group), never who.
A process that dies without closing its sockets leaves stale entries in Redis until the
workshop's key expires (12 hours after its last change).
"""
from __future__ import annotations

import threading
from collections import defaultdict

from flask import current_app

KEY_TTL = 12 * 3600


class Presence:
    def __init__(self) -> None:
        self._memory: dict[int, dict[str, int]] = defaultdict(dict)
        self._lock = threading.Lock()
        self._redis = None
        self._redis_url: str | None = None

    def _client(self):
        url = current_app.config.get("TAVLE_REDIS_URL")
        if not url:
            return None
        if self._redis is None or self._redis_url != url:
            import redis

            self._redis, self._redis_url = redis.Redis.from_url(url), url
        return self._redis

    def add(self, workshop_id: int, sid: str, participant_id: int) -> None:
        client = self._client()
        if client is not None:
            key = f"tavle:presence:{workshop_id}"
            client.hset(key, sid, participant_id)
            client.expire(key, KEY_TTL)
            return
        with self._lock:
            self._memory[workshop_id][sid] = participant_id

    def remove(self, workshop_id: int, sid: str) -> None:
        client = self._client()
        if client is not None:
            client.hdel(f"tavle:presence:{workshop_id}", sid)
            return
        with self._lock:
            self._memory[workshop_id].pop(sid, None)

    def participants(self, workshop_id: int) -> set[int]:
        """Ids of participants with at least one open connection."""
        client = self._client()
        if client is not None:
            return {int(v) for v in client.hvals(f"tavle:presence:{workshop_id}")}
        with self._lock:
            return set(self._memory[workshop_id].values())


presence = Presence()


def counts(workshop) -> dict:
    """Connected participants in ``workshop``, in total and per group."""
    connected = presence.participants(workshop.id)
    by_group: dict[str, int] = {}
    for p in workshop.participants:
        if p.id in connected:
            key = str(p.group_id) if p.group_id else "none"
            by_group[key] = by_group.get(key, 0) + 1
    return {"connected": len(connected), "connected_by_group": by_group}
