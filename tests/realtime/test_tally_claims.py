"""One process counts each round's tally for a scaled-out deployment: the claim in Redis.

``SharedMarks.sends`` against the machine's real Redis, with claims held by "other
processes" written straight into Redis, as another process's script would leave them.
"""
from __future__ import annotations

import uuid

import pytest
import redis

from app.realtime.broadcast import Coalescer, SharedMarks
from tests.realtime.test_multiprocess import _redis_url


@pytest.fixture
def marks(app):
    url = _redis_url()
    channel = f"tavle-claims-{uuid.uuid4().hex[:12]}"
    # A coalescer of its own, sending nothing: a look again due after the test marks only it.
    coalescer = Coalescer(lambda _round_id: None, "TAVLE_TALLY_HZ", 10, "test tallies")
    coalescer.init_app(app)
    shared = SharedMarks(coalescer)
    with app.app_context():
        app.config.update(TAVLE_REDIS_URL=url, TAVLE_REDIS_CHANNEL=channel, TAVLE_TALLY_CLAIM_MS=60_000)
        try:
            shared.init_app(app)
        finally:
            app.config.update(TAVLE_REDIS_URL=None, TAVLE_REDIS_CHANNEL="tavle")
    client = redis.Redis.from_url(url)
    yield shared, client, channel
    for key in client.scan_iter(f"{channel}:*"):
        client.delete(key)


def test_the_first_process_to_ask_counts_the_round_and_keeps_it(marks):
    shared, client, channel = marks
    assert shared.sends(7) == "everywhere"
    assert shared.sends(7) == "everywhere"  # renewed, still its own
    assert client.pttl(f"{channel}:tally-sender:7") > 50_000


def test_a_round_another_process_counts_is_never_sent_here(marks):
    shared, client, channel = marks
    client.set(f"{channel}:tally-sender:8", "another-process", px=60_000)
    # Every skip, including those while a look again is already due, sends nothing here:
    # phones would get that tally twice, from here and from the holder.
    assert [shared.sends(8) for _ in range(3)] == [None, None, None]
    assert shared.sends(9) == "everywhere"  # another round is free


def test_without_redis_every_process_sends_its_own_connections(app):
    shared = SharedMarks(Coalescer(lambda _round_id: None, "TAVLE_TALLY_HZ", 10, "test tallies"))
    shared.init_app(app)  # the test app has no Redis
    assert shared.sends(7) == "here"
