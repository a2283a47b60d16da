"""Who is connected: phones per workshop, kept in Redis when processes share it, else in memory.

Counts only: the console shows how many participants are connected (per group), never who.

Each connection is one entry ``sid -> "<process> <participant> <group>"`` in the workshop's hash
``{channel}:presence:{workshop_id}``; the deployment's channel keeps two deployments on one
Redis apart. The group is stored with the entry (and refreshed on every ``sync``), so counting
per group reads Redis only, never the participant rows.

A process that dies cannot remove its entries, so every process keeps a heartbeat key
``{channel}:presence:process:{id}`` alive (``TAVLE_PRESENCE_TTL`` seconds, refreshed three
times per TTL). Counting ignores, and deletes, entries whose process has no heartbeat. On
each heartbeat a process also writes its own entries again, so presence comes back by
itself after Redis restarts or drops a key.
All processes' Redis calls share one bounded pool that waits for a free connection instead
of failing when hundreds of phones disconnect at the same moment.
"""
from __future__ import annotations

import logging
import secrets
import threading
from collections import defaultdict
from typing import Any, NamedTuple

from flask import current_app

log = logging.getLogger(__name__)

#: A workshop's hash expires this long after its last change (a day that ended long ago).
KEY_TTL = 12 * 3600


class Entry(NamedTuple):
    """One open connection of a participant's phone."""

    process: str
    participant_id: int
    group_id: int | None

    def encode(self) -> str:
        return f"{self.process} {self.participant_id} {self.group_id or ''}"

    @classmethod
    def decode(cls, raw: bytes | str) -> "Entry | None":
        text = raw.decode() if isinstance(raw, bytes) else raw
        parts = text.split(" ")
        try:
            return cls(parts[0], int(parts[1]), int(parts[2]) if len(parts) > 2 and parts[2] else None)
        except (IndexError, ValueError):
            return None


class Presence:
    """The connections of this process, shared through Redis when ``TAVLE_REDIS_URL`` is set."""

    def __init__(self) -> None:
        self._memory: dict[int, dict[str, Entry]] = defaultdict(dict)
        self._lock = threading.Lock()
        self._redis: Any = None
        self._redis_url: str | None = None
        #: This process's id in Redis entries; a new one per process start.
        self.process_id = secrets.token_hex(8)
        self._heartbeat_started = False
        # This process's own connections in Redis mode, by Redis key, written again on each beat.
        self._own: dict[str, dict[str, Entry]] = defaultdict(dict)
        # Removals Redis did not take (it was unreachable): retried on every heartbeat.
        self._unremoved: set[tuple[str, str]] = set()

    # --- Redis --------------------------------------------------------------------------
    def _client(self):
        config = current_app.config
        url = config.get("TAVLE_REDIS_URL")
        if not url:
            return None
        with self._lock:
            if self._redis is None or self._redis_url != url:
                import redis

                # Bounded and blocking: a burst of handlers waits its turn for a connection
                # (redis-py's default pool raises MaxConnectionsError past 100).
                pool = redis.BlockingConnectionPool.from_url(
                    url, max_connections=int(config.get("TAVLE_REDIS_POOL_SIZE", 20)),
                    timeout=float(config.get("TAVLE_REDIS_POOL_TIMEOUT", 20)),
                )
                self._redis, self._redis_url = redis.Redis(connection_pool=pool), url
            return self._redis

    @staticmethod
    def _prefix() -> str:
        return f"{current_app.config.get('TAVLE_REDIS_CHANNEL', 'tavle')}:presence"

    def _key(self, workshop_id: int) -> str:
        return f"{self._prefix()}:{workshop_id}"

    def _process_key(self, process_id: str) -> str:
        return f"{self._prefix()}:process:{process_id}"

    def _ensure_heartbeat(self, client) -> None:
        """Announce this process before its first entry, and keep announcing it."""
        if self._heartbeat_started:
            return
        ttl = max(1, int(current_app.config.get("TAVLE_PRESENCE_TTL", 60)))
        key = self._process_key(self.process_id)
        client.set(key, "1", ex=ttl)
        with self._lock:
            if self._heartbeat_started:
                return
            self._heartbeat_started = True
        from app.extensions import socketio

        socketio.start_background_task(self._beat, client, key, ttl)

    def _beat(self, client, key: str, ttl: int) -> None:
        from app.extensions import socketio
        from app.realtime.broadcast import presence_updates

        while True:
            socketio.sleep(ttl / 3)
            try:
                client.set(key, "1", ex=ttl)
                for hash_key, sid in list(self._unremoved):
                    client.hdel(hash_key, sid)
                    self._unremoved.discard((hash_key, sid))
                with self._lock:
                    own = {k: dict(v) for k, v in self._own.items() if v}
                for hash_key, entries in own.items():
                    pipe = client.pipeline(transaction=False)
                    pipe.hset(hash_key, mapping={sid: e.encode() for sid, e in entries.items()})
                    pipe.expire(hash_key, KEY_TTL)
                    added, _ = pipe.execute()
                    # A phone that left while this beat was writing must not come back.
                    with self._lock:
                        gone = [sid for sid in entries if sid not in self._own.get(hash_key, {})]
                    if gone:
                        client.hdel(hash_key, *gone)
                    if added:  # Redis had lost some: the counts changed back
                        presence_updates.mark(int(hash_key.rsplit(":", 1)[1]))
            except Exception:  # noqa: BLE001 - Redis away for a moment: beat again next time
                log.warning("presence heartbeat failed", exc_info=True)

    # --- entries ------------------------------------------------------------------------
    def add(self, workshop_id: int, sid: str, participant_id: int, group_id: int | None = None) -> None:
        """Record connection ``sid`` of a participant (again on ``sync``: their group may have changed)."""
        entry = Entry(self.process_id, participant_id, group_id)
        client = self._client()
        if client is not None:
            self._ensure_heartbeat(client)
            key = self._key(workshop_id)
            with self._lock:
                self._own[key][sid] = entry
            pipe = client.pipeline(transaction=False)
            pipe.hset(key, sid, entry.encode())
            pipe.expire(key, KEY_TTL)
            pipe.execute()
            return
        with self._lock:
            self._memory[workshop_id][sid] = entry

    def remove(self, workshop_id: int, sid: str) -> None:
        """Forget connection ``sid``; if Redis cannot be reached, the heartbeat retries it."""
        client = self._client()
        if client is not None:
            key = self._key(workshop_id)
            with self._lock:
                self._own[key].pop(sid, None)
            try:
                client.hdel(key, sid)
            except Exception:  # noqa: BLE001 - never leave a phone counted for good
                log.warning("presence: could not remove a connection now; retrying later", exc_info=True)
                self._unremoved.add((key, sid))
            return
        with self._lock:
            self._memory[workshop_id].pop(sid, None)

    def entries(self, workshop_id: int) -> list[Entry]:
        """The workshop's open connections whose process is alive (stale ones are deleted)."""
        client = self._client()
        if client is None:
            with self._lock:
                return list(self._memory[workshop_id].values())
        key = self._key(workshop_id)
        raw = client.hgetall(key)
        decoded = {sid: Entry.decode(value) for sid, value in raw.items()}
        processes = sorted({e.process for e in decoded.values() if e is not None})
        alive_flags = client.mget([self._process_key(p) for p in processes]) if processes else []
        alive = {p for p, flag in zip(processes, alive_flags) if flag is not None}
        stale = [sid for sid, e in decoded.items() if e is None or e.process not in alive]
        if stale:
            client.hdel(key, *stale)
        return [e for e in decoded.values() if e is not None and e.process in alive]

    def sids_of(self, workshop_id: int, participant_id: int) -> list[str]:
        """The open connections of one participant, in every process."""
        client = self._client()
        if client is None:
            with self._lock:
                return [sid for sid, e in self._memory[workshop_id].items() if e.participant_id == participant_id]
        found = []
        for sid, value in client.hgetall(self._key(workshop_id)).items():
            entry = Entry.decode(value)
            if entry is not None and entry.participant_id == participant_id:
                found.append(sid.decode() if isinstance(sid, bytes) else sid)
        return found

    def participants(self, workshop_id: int) -> set[int]:
        """Ids of participants with at least one open connection."""
        return {e.participant_id for e in self.entries(workshop_id)}


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
    """Connected participants in ``workshop``, in total and per group (from presence alone)."""
    group_of: dict[int, int | None] = {}
    for entry in presence.entries(workshop.id):
        group_of[entry.participant_id] = entry.group_id
    by_group: dict[str, int] = {}
    for group_id in group_of.values():
        key = str(group_id) if group_id else "none"
        by_group[key] = by_group.get(key, 0) + 1
    return {"connected": len(group_of), "connected_by_group": by_group}
