"""Configuration, read from environment variables.

Every setting a deployment changes is a ``TAVLE_*`` variable; the defaults give the embedded
single-process shape (SQLite in ``instance/``, no Redis, eventlet).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("TAVLE_INSTANCE_DIR", BASE_DIR / "instance"))

ASYNC_MODES = ("eventlet", "gevent", "threading")
JOB_BACKENDS = ("local", "redis")


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("TAVLE_DATABASE_URL")
    if url:
        # SQLAlchemy wants an explicit driver; "postgres://" is what many hosts hand out.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{INSTANCE_DIR / 'tavle.sqlite3'}"


def _secret_key() -> str:
    """The secret key from the environment, else one kept in ``instance/secret_key``.

    A key kept on disk means participants' and facilitators' cookies survive a restart of the
    embedded server without anyone having to invent a secret.
    """
    key = os.environ.get("TAVLE_SECRET_KEY")
    if key:
        return key
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Defaults for every environment."""

    def __init__(self) -> None:
        self.SECRET_KEY = _secret_key()
        self.SQLALCHEMY_DATABASE_URI = _database_url()
        # A server database's pooled connections are checked before use only after they sat
        # idle (app/__init__.py, _ping_idle_connections): a ping on every checkout cost a
        # round trip on every vote. SQLite's file connections never go stale.
        self.SQLALCHEMY_ENGINE_OPTIONS = {}
        self.TAVLE_DB_PING_AFTER = float(os.environ.get("TAVLE_DB_PING_AFTER", "10"))
        # The connection pool of a server database. Under eventlet or gevent hundreds of
        # greenlets share one process: a burst of votes must queue for a connection, not fail.
        self.TAVLE_DB_POOL_SIZE = int(os.environ.get("TAVLE_DB_POOL_SIZE", "20"))
        self.TAVLE_DB_MAX_OVERFLOW = int(os.environ.get("TAVLE_DB_MAX_OVERFLOW", "10"))
        self.TAVLE_DB_POOL_TIMEOUT = float(os.environ.get("TAVLE_DB_POOL_TIMEOUT", "60"))
        # Python's cyclic garbage collector: objects allocated between youngest-generation
        # collections once the server has started and frozen what it loaded (wsgi.py); 0 keeps
        # Python's defaults.
        self.TAVLE_GC_THRESHOLD = int(os.environ.get("TAVLE_GC_THRESHOLD", "50000"))
        self.TAVLE_REDIS_URL = os.environ.get("TAVLE_REDIS_URL") or None
        # The Redis pub/sub channel of this deployment (several deployments may share a Redis).
        self.TAVLE_REDIS_CHANNEL = os.environ.get("TAVLE_REDIS_CHANNEL", "tavle")
        self.TAVLE_HOST = os.environ.get("TAVLE_HOST", "127.0.0.1")
        self.TAVLE_PORT = int(os.environ.get("TAVLE_PORT", "5000"))
        mode = os.environ.get("TAVLE_ASYNC_MODE", "eventlet")
        if mode not in ASYNC_MODES:
            raise ValueError(f"TAVLE_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}, not {mode!r}")
        self.TAVLE_ASYNC_MODE = mode
        # Public base URL for join links and QR codes (e.g. https://tavle.example.org); when empty
        # the links are built from the request, which is right on a LAN.
        self.TAVLE_PUBLIC_URL = os.environ.get("TAVLE_PUBLIC_URL", "").rstrip("/")
        # Origins allowed to open a Socket.IO connection; empty means same origin only.
        origins = os.environ.get("TAVLE_CORS_ORIGINS", "")
        self.TAVLE_CORS_ORIGINS = [o.strip() for o in origins.split(",") if o.strip()]
        # At most this many tally broadcasts a second per round (coalesced).
        self.TAVLE_TALLY_HZ = float(os.environ.get("TAVLE_TALLY_HZ", "10"))
        # With several processes one counts each round's tally for all; its claim lapses this
        # many milliseconds after its last send, and another process takes over.
        self.TAVLE_TALLY_CLAIM_MS = int(os.environ.get("TAVLE_TALLY_CLAIM_MS", "3000"))
        # At most this many presence counts a second per workshop to the console and projector.
        self.TAVLE_PRESENCE_HZ = float(os.environ.get("TAVLE_PRESENCE_HZ", "2"))
        # A process's presence entries are dropped this many seconds after its last heartbeat
        # (it beats three times per period), so a killed process's phones stop counting.
        self.TAVLE_PRESENCE_TTL = int(os.environ.get("TAVLE_PRESENCE_TTL", "60"))
        # Redis connections one process opens for presence at most; more callers wait their
        # turn (up to the timeout, in seconds) instead of failing.
        self.TAVLE_REDIS_POOL_SIZE = int(os.environ.get("TAVLE_REDIS_POOL_SIZE", "20"))
        self.TAVLE_REDIS_POOL_TIMEOUT = float(os.environ.get("TAVLE_REDIS_POOL_TIMEOUT", "20"))
        # Simultaneous connections the eventlet server accepts (its default is 1024).
        self.TAVLE_MAX_CONNECTIONS = int(os.environ.get("TAVLE_MAX_CONNECTIONS", "4000"))
        # A workshop page stays open all day: the CSRF token lives as long as the session.
        self.WTF_CSRF_TIME_LIMIT = None
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SECURE = _env_bool("TAVLE_SECURE_COOKIES", False)
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.RATELIMIT_STORAGE_URI = self.TAVLE_REDIS_URL or "memory://"
        self.RATELIMIT_ENABLED = _env_bool("TAVLE_RATELIMIT", True)
        self.RATELIMIT_HEADERS_ENABLED = True
        # Rate-limit counters of two deployments sharing one Redis must not add up.
        self.RATELIMIT_KEY_PREFIX = self.TAVLE_REDIS_CHANNEL
        # Lookups of a workshop code that does not exist, per client address, over every route
        # and socket that takes a code: stops guessing codes, while a room behind one NAT
        # address opening the right code stays unlimited.
        self.TAVLE_LIMIT_FAILED_LOOKUPS = os.environ.get("TAVLE_LIMIT_FAILED_LOOKUPS", "30/minute")
        # Participants joining from one client address (a room behind one NAT joins at once).
        self.TAVLE_LIMIT_JOINS = os.environ.get("TAVLE_LIMIT_JOINS", "1200/minute")
        # Submissions per participant and kind (each voting method counts on its own). A phone
        # clicking dots fast, or one phone typing a whole group's ideas, stays well below.
        self.TAVLE_LIMIT_IDEAS = os.environ.get("TAVLE_LIMIT_IDEAS", "30/minute;300/hour")
        self.TAVLE_LIMIT_COMMENTS = os.environ.get("TAVLE_LIMIT_COMMENTS", "30/minute;300/hour")
        self.TAVLE_LIMIT_VOTES = os.environ.get("TAVLE_LIMIT_VOTES", "120/minute")
        self.TAVLE_LIMIT_WORKSHEET_EDITS = os.environ.get("TAVLE_LIMIT_WORKSHEET_EDITS", "120/minute")
        self.TAVLE_LIMIT_SURVEY_RESPONSES = os.environ.get("TAVLE_LIMIT_SURVEY_RESPONSES", "10/minute")
        # Uploads: a roster CSV or a workshop backup. The importer reads backups of up to 64 MiB
        # (app.services.backup.MAX_BYTES); the extra MiB is room for the form around such a file,
        # so a file within the importer's limit is never cut off before it is read.
        self.MAX_CONTENT_LENGTH = 65 * 1024 * 1024
        # How many reverse proxies stand in front of the app (0: none); see docs/deploy.md.
        self.TAVLE_PROXY_COUNT = int(os.environ.get("TAVLE_PROXY_COUNT", "0"))
        self.TAVLE_PRINT_SETUP_LINK = True
        # Heavy work (reports, imports) runs as jobs in worker processes: "local" workers take
        # them from the database; "redis" puts them on a Dramatiq queue (the default with Redis).
        self.TAVLE_JOBS = os.environ.get("TAVLE_JOBS") or ("redis" if self.TAVLE_REDIS_URL else "local")
        if self.TAVLE_JOBS not in JOB_BACKENDS:
            raise ValueError(f"TAVLE_JOBS must be one of {', '.join(JOB_BACKENDS)}, not {self.TAVLE_JOBS!r}")
        self.TAVLE_JOBS_REDIS_URL = os.environ.get("TAVLE_JOBS_REDIS_URL") or self.TAVLE_REDIS_URL
        if self.TAVLE_JOBS == "redis" and not self.TAVLE_JOBS_REDIS_URL:
            raise ValueError("TAVLE_JOBS=redis needs TAVLE_REDIS_URL (or TAVLE_JOBS_REDIS_URL)")
        # Worker processes `python wsgi.py` starts and keeps running (default: one without Redis,
        # none with it, where workers run as processes of their own: docs/deploy.md).
        self.TAVLE_JOB_WORKERS = int(os.environ.get("TAVLE_JOB_WORKERS", "1" if self.TAVLE_JOBS == "local" else "0"))
        # A running job whose worker has not renewed its lease for this many seconds has lost it.
        self.TAVLE_JOB_LEASE = float(os.environ.get("TAVLE_JOB_LEASE", "30"))
        # Seconds a finished job's file (or its error) is kept.
        self.TAVLE_JOB_RESULT_TTL = float(os.environ.get("TAVLE_JOB_RESULT_TTL", "3600"))
        # Closing a round with at least this many ballots leaves its counting to a job worker
        # (the round closes at once; its result follows). 0: every voting round.
        self.TAVLE_CLOSE_IN_JOB_BALLOTS = int(os.environ.get("TAVLE_CLOSE_IN_JOB_BALLOTS", "300"))
        # Seconds a job may wait for a worker before it says that no worker is running.
        self.TAVLE_JOB_QUEUE_TIMEOUT = float(os.environ.get("TAVLE_JOB_QUEUE_TIMEOUT", "300"))


class DevelopmentConfig(Config):
    """The embedded default: one process, SQLite."""


class ProductionConfig(Config):
    """A real deployment: the secret key must come from the environment."""

    def __init__(self) -> None:
        if not os.environ.get("TAVLE_SECRET_KEY"):
            raise RuntimeError("TAVLE_SECRET_KEY must be set in production")
        super().__init__()
        self.SESSION_COOKIE_SECURE = _env_bool("TAVLE_SECURE_COOKIES", True)
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE


class TestingConfig(Config):
    """Tests: a database URL of their own, CSRF on, rate limits off unless a test turns them on."""

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "test-secret-key-not-for-production"
        self.SQLALCHEMY_DATABASE_URI = os.environ.get(
            "TAVLE_TEST_DATABASE_URL", "sqlite:///" + str(INSTANCE_DIR / "test.sqlite3")
        )
        self.TAVLE_ASYNC_MODE = "threading"
        self.TAVLE_REDIS_URL = None
        self.TAVLE_JOBS = "local"
        self.TAVLE_JOBS_REDIS_URL = None
        self.TAVLE_JOB_WORKERS = 0
        self.RATELIMIT_ENABLED = False
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.TAVLE_PRINT_SETUP_LINK = False
        self.TAVLE_TALLY_HZ = 20.0
        self.TAVLE_PRESENCE_HZ = 20.0


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def config_from_env() -> Config:
    """The configuration named by ``TAVLE_ENV`` (development by default)."""
    name = os.environ.get("TAVLE_ENV", "development")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ValueError(f"TAVLE_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
