"""Tavle: a live workshop app. ``create_app`` wires extensions, blueprints, namespaces and CLI."""
from __future__ import annotations

import logging

from flask import Flask

from config import Config, config_from_env


class Tavle(Flask):
    """Flask, with Socket.IO events run in a lighter request context (``app.realtime.context``)."""

    def request_context(self, environ):
        from app.realtime.context import event_context, is_socket_event

        if is_socket_event(environ):
            return event_context(self, environ)
        return super().request_context(environ)


def create_app(config: Config | dict | None = None) -> Flask:
    """Build the application.

    Args:
        config: a ``Config`` instance, or a dict of overrides applied on top of the
            configuration named by ``TAVLE_ENV`` (tests pass one).
    """
    app = Tavle(__name__, instance_relative_config=True)
    if isinstance(config, Config):
        app.config.from_object(config)
    else:
        app.config.from_object(config_from_env())
        if config:
            app.config.update(config)
    proxies = int(app.config.get("TAVLE_PROXY_COUNT", 0) or 0)
    if proxies:
        # Behind a reverse proxy: trust its X-Forwarded-For/-Proto/-Host, so rate limits see the
        # real client, cookies are Secure under HTTPS and links use the public address.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    from app.extensions import csrf, db, limiter, login_manager, migrate, socketio
    from app.realtime.packets import ClientPacket

    _size_pool(app)
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    from flask_babel import lazy_gettext

    # Flashed in the language of the page that asked for a login (str renders the lazy message).
    login_manager.login_message, login_manager.localize_callback = lazy_gettext("Log in to run workshops."), str
    origins = app.config.get("TAVLE_CORS_ORIGINS") or None
    socketio.init_app(
        app,
        async_mode=app.config["TAVLE_ASYNC_MODE"],
        message_queue=app.config.get("TAVLE_REDIS_URL"),
        cors_allowed_origins=origins,
        # Deployments (and test runs) sharing one Redis must not hear each other's rooms.
        channel=app.config.get("TAVLE_REDIS_CHANNEL", "tavle"),
        # The client retries unacknowledged submissions itself; with these pings a phone that
        # lost Wi-Fi is noticed within about 40 seconds.
        ping_interval=20,
        ping_timeout=20,
        # Reads JSON with a depth limit; a packet it cannot read is answered, not dropped.
        serializer=ClientPacket,
        # A connection's events run one after another in the green thread that reads it,
        # instead of a new green thread per event: cheaper, and a phone's events are handled
        # in the order it sent them. No handler waits on another event of its own connection.
        async_handlers=app.config.get("TAVLE_SOCKET_ASYNC_HANDLERS", False),
    )

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)
    else:
        _ping_idle_connections(app)

    @login_manager.user_loader
    def load_user(session_id: str):
        # Runs on every request and every console socket event, so a logout elsewhere counts at once.
        from app.services.accounts import load_session_user

        return load_session_user(session_id)

    from app import auth, display, facilitator, main, participant

    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(facilitator.bp)
    app.register_blueprint(participant.bp)
    app.register_blueprint(display.bp)

    from app import realtime
    from app.realtime.broadcast import presence_updates, shared_marks, tallies

    realtime.register(socketio)
    tallies.init_app(app)
    shared_marks.init_app(app)
    presence_updates.init_app(app)

    from app.jobs import watcher

    watcher.init_app(app)

    from app.errors_web import register_error_handlers
    from app.security import register_security_headers

    register_error_handlers(app)
    register_security_headers(app)

    from app.cli import register_cli

    register_cli(app)

    from app import i18n
    from app.templating import register_template_helpers

    i18n.init_app(app)
    register_template_helpers(app)

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return app


def _size_pool(app: Flask) -> None:
    """Size a server database's connection pool for the async mode.

    Under eventlet or gevent one process runs hundreds of greenlets, each holding a connection
    while its handler runs; SQLAlchemy's default pool (5 + 10 overflow, 30 s) then turns a burst
    of votes into errors. A bigger pool and a long timeout make a burst wait its turn instead.
    """
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        return  # one file, one writer at a time: more connections would only wait on its lock
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_size", app.config.get("TAVLE_DB_POOL_SIZE", 20))
    options.setdefault("max_overflow", app.config.get("TAVLE_DB_MAX_OVERFLOW", 10))
    options.setdefault("pool_timeout", app.config.get("TAVLE_DB_POOL_TIMEOUT", 60))
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _ping_idle_connections(app: Flask) -> None:
    from app.extensions import db

    with app.app_context():
        engine = db.engine
    ping_idle_connections(engine, float(app.config.get("TAVLE_DB_PING_AFTER", 10)))


def ping_idle_connections(engine, idle_after: float) -> None:
    """Check a pooled connection of ``engine`` with a ping before use only when it sat idle
    for ``idle_after`` seconds: one that went stale (a database restart, a proxy's idle
    timeout) is replaced before a request uses it, without the round trip that pinging on
    every checkout (``pool_pre_ping``) adds to every vote. A connection that breaks while in
    busy use makes its one request fail (the phone's outbox sends it again), and SQLAlchemy
    then replaces every connection of the pool."""
    import time

    from sqlalchemy import event, exc

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        record.info["tavle_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        since = record.info.get("tavle_idle_since")
        if since is None or time.monotonic() - since < idle_after:
            return
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
        except Exception as error:  # noqa: BLE001 - any failure means: use another connection
            raise exc.DisconnectionError(f"stale database connection: {error}") from error


def _tune_sqlite(app: Flask) -> None:
    """Write-ahead logging: readers never wait for a writer, and a commit does not wait for a
    full disk sync, which under eventlet would stall every connection of the process."""
    from sqlalchemy import event

    from app.extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
