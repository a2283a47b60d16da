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

    def sids_of(self, workshop_id: int, participant_id: int) -> list[str]:
        """The open connections of one participant, in every process."""
        client = self._client()
        if client is not None:
            found = client.hgetall(f"tavle:presence:{workshop_id}")
            return [sid.decode() for sid, pid in found.items() if int(pid) == participant_id]
        with self._lock:
            return [sid for sid, pid in self._memory[workshop_id].items() if pid == participant_id]

    def participants(self, workshop_id: int) -> set[int]:
        """Ids of participants with at least one open connection."""
        client = self._client()
        if client is not None:
            return {int(v) for v in client.hvals(f"tavle:presence:{workshop_id}")}
        with self._lock:
            return set(self._memory[workshop_id].values())


presence = Presence()


class Consoles:
    """Which facilitator console connections belong to which account, so a logout can close them.

    In Redis when processes share it (keyed by the deployment's channel), else in memory.
    """

    def __init__(self) -> None:
        self._memory: dict[int, set[str]] = defaultdict(set)
        self._lock = threading.Lock()

    def _key(self, user_id: int) -> str:
        return f"{current_app.config.get('TAVLE_REDIS_CHANNEL', 'tavle')}:consoles:{user_id}"

    def add(self, user_id: int, sid: str) -> None:
        client = presence._client()
        if client is not None:
            client.sadd(self._key(user_id), sid)
            client.expire(self._key(user_id), KEY_TTL)
            return
        with self._lock:
            self._memory[user_id].add(sid)

    def remove(self, user_id: int, sid: str) -> None:
        client = presence._client()
        if client is not None:
            client.srem(self._key(user_id), sid)
            return
        with self._lock:
            self._memory[user_id].discard(sid)

    def sids_of(self, user_id: int) -> list[str]:
        """The open console connections of one account, in every process."""
        client = presence._client()
        if client is not None:
            return [sid.decode() for sid in client.smembers(self._key(user_id))]
        with self._lock:
            return list(self._memory[user_id])


consoles = Consoles()


def counts(workshop) -> dict:
    """Connected participants in ``workshop``, in total and per group."""
    connected = presence.participants(workshop.id)
    by_group: dict[str, int] = {}
    for p in workshop.participants:
        if p.id in connected:
            key = str(p.group_id) if p.group_id else "none"
            by_group[key] = by_group.get(key, 0) + 1
    return {"connected": len(connected), "connected_by_group": by_group}
