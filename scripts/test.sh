#!/usr/bin/env bash
# The whole test suite: once on SQLite, once on the machine's PostgreSQL, with real Redis and
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

export TAVLE_TEST_REDIS_URL=${TAVLE_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}
PG_URL=${TAVLE_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}

echo "=== test suite on SQLite"
env -u TAVLE_TEST_DATABASE_URL $PY -m pytest -p no:cacheprovider "$@"
echo "=== test suite on PostgreSQL"
# The voting core touches no database: it ran above.
TAVLE_TEST_DATABASE_URL=$PG_URL $PY -m pytest -p no:cacheprovider --ignore=tests/voting "$@"
