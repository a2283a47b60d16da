#!/usr/bin/env bash
# Every benchmark, one JSON object each (see docs/performance.md). Run through `make bench`.
# The live benchmark's other scenarios (--closed-loop, --with-exports, --scaled) are run by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
echo "--- voting";      PYTHONPATH=. $PY bench/voting_bench.py
echo "--- close round"; $PY bench/close_round_bench.py 2>/dev/null
echo "--- word cloud";  $PY bench/word_cloud_bench.py 2>/dev/null
echo "--- live";        $PY bench/live_bench.py 2>/dev/null
echo "--- exports";     $PY bench/export_bench.py 2>/dev/null
