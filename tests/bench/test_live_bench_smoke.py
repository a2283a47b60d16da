"""The live benchmark, small: 50 phones for a few seconds against the app and the ceiling.

Correctness only, never speed: every vote sent is acknowledged, and the last tally on every
phone equals the totals in the database. The benchmark runs as the command people run, in its
own process (it builds apps of its own, which must not rebind the extensions of this test run).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def result() -> dict:
    done = subprocess.run(
        [sys.executable, "bench/live_bench.py", "--clients", "50", "--seconds", "3", "--paced", "50",
         "--connect-concurrency", "10"],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("server", ["app", "ceiling"])
def test_every_vote_is_acked_and_every_phone_ends_on_the_database_totals(result, server):
    measured = result[server]
    votes, converged = measured["votes"], measured["convergence"]
    assert votes["sent"] > 0
    assert votes["lost"] == 0, votes
    assert votes["refused"] == {}, votes["refused_example"]
    assert converged["all_equal"], converged
    assert converged["phones_whose_last_tally_equals_database"] == 50
    assert converged["acked_ballots_equal_database"], converged
    assert converged["database"]["voters"] == 50
    assert converged["database"]["dots"] > 0
    assert measured["server_log_errors"] == 0


def test_the_result_reports_sql_counts_ratios_and_targets(result):
    assert result["sql_statements"]["cast_dots"]["first"] > 0
    assert result["sql_statements"]["sync"]["statements"] > 0
    assert set(result["app_over_ceiling"]) >= {"ack_p99", "acked_per_s", "server_cpu_ms_per_vote", "connect_seconds"}
    for name in ("paced_lost", "paced_ack_p99_ms", "paced_convergence_ms", "cpu_ms_per_vote_ratio_to_ceiling"):
        assert set(result["targets"][name]) == {"value", "target", "pass"}
