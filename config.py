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
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
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
        # Uploads: a roster CSV or a workshop backup. The importer reads backups of up to 64 MiB
        # (app.services.backup.MAX_BYTES); the extra MiB is room for the form around such a file,
        # so a file within the importer's limit is never cut off before it is read.
        self.MAX_CONTENT_LENGTH = 65 * 1024 * 1024
        # How many reverse proxies stand in front of the app (0: none); see docs/deploy.md.
        self.TAVLE_PROXY_COUNT = int(os.environ.get("TAVLE_PROXY_COUNT", "0"))
        self.TAVLE_PRINT_SETUP_LINK = True


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
        self.RATELIMIT_ENABLED = False
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.TAVLE_PRINT_SETUP_LINK = False
        self.TAVLE_TALLY_HZ = 20.0


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
