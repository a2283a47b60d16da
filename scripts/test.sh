#!/usr/bin/env bash
# The whole test suite: on SQLite and on the machine's PostgreSQL side by side, with real Redis and
# Debian's Chromium. Run through `make test` (which prepares .venv first).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export PYTHONDONTWRITEBYTECODE=1

# --- services: PostgreSQL and Redis must be up; start them if they are not ----------------
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }

# --- browser: Debian's Chromium for the Playwright tests ------------------------------------
if [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null || true
  else
    (sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null || true
  fi
fi
if [ ! -x /usr/bin/chromium ]; then
  if [ "${CI:-}" = "true" ]; then echo "chromium is missing and could not be installed" >&2; exit 1; fi
  echo "warning: chromium is missing; browser tests will fail" >&2
fi

# --- PDF export: WeasyPrint draws text with Pango; the report's fonts are Liberation and DejaVu --
if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0 || [ ! -d /usr/share/fonts/truetype/liberation ]; then
  echo "installing Pango and fonts for the PDF export"
  PDF_PKGS="libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PDF_PKGS) >/dev/null || true
  else
    (sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PDF_PKGS) >/dev/null || true
  fi
fi
if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0; then
  if [ "${CI:-}" = "true" ]; then echo "Pango is missing and could not be installed (PDF export tests)" >&2; exit 1; fi
  echo "warning: Pango is missing; PDF export tests will fail" >&2
fi

# --- PDF checks: poppler's pdfinfo and pdftotext read the PDFs back (tagged? PDF/A? what is on each page?) --
if ! command -v pdfinfo >/dev/null || ! command -v pdftotext >/dev/null; then
  echo "installing poppler-utils for the PDF checks"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils) >/dev/null || true
  else
    (sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils) >/dev/null || true
  fi
fi
if ! command -v pdfinfo >/dev/null || ! command -v pdftotext >/dev/null; then
  if [ "${CI:-}" = "true" ]; then echo "poppler-utils is missing and could not be installed (PDF checks)" >&2; exit 1; fi
  echo "warning: poppler-utils is missing; the PDF layout checks will be skipped" >&2
fi

export TAVLE_TEST_REDIS_URL=${TAVLE_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}
PG_URL=${TAVLE_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}

# The two runs go side by side: most of a run's time is spent waiting on servers, browsers and
# sockets, so together they take little more than the longer of the two. Each has its own Redis
# channel prefix and Redis database so their servers never hear each other; each prints its log
# when it ends.
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
run_suite() {  # name, then env assignments and pytest arguments
  local name=$1; shift
  if env "$@" >"$LOGS/$name.log" 2>&1; then echo 0 >"$LOGS/$name.rc"; else echo $? >"$LOGS/$name.rc"; fi
}
echo "=== test suite on SQLite and on PostgreSQL, side by side"
run_suite sqlite -u TAVLE_TEST_DATABASE_URL TAVLE_TEST_REDIS_CHANNEL=tavle-test-sqlite \
  $PY -m pytest -p no:cacheprovider "$@" &
SQLITE=$!
# The voting core touches no database: it runs on SQLite only.
run_suite postgresql TAVLE_TEST_DATABASE_URL=$PG_URL TAVLE_TEST_REDIS_CHANNEL=tavle-test-pg \
  TAVLE_TEST_REDIS_URL="${TAVLE_TEST_REDIS_URL%/*}/1" \
  $PY -m pytest -p no:cacheprovider --ignore=tests/voting "$@" &
PG=$!
wait $SQLITE $PG || true
status=0
for name in sqlite postgresql; do
  echo "=== test suite on $name"
  cat "$LOGS/$name.log"
  [ "$(cat "$LOGS/$name.rc" 2>/dev/null || echo 1)" = 0 ] || status=1
done
exit $status
