"""Entry point: ``python wsgi.py`` serves Tavle with the configured async mode.

Monkey-patching must happen before any other import, so the mode is read straight from the
environment here, before Flask or the database driver are loaded. Imported as a module (by
the ``flask`` command, which finds ``app`` here) it patches nothing.
"""
import os

ASYNC_MODE = os.environ.get("TAVLE_ASYNC_MODE", "eventlet")
if __name__ != "__main__":
    pass
elif ASYNC_MODE == "eventlet":
    # psycopg 3 recognises gevent's patching but not eventlet's: without this its queries wait
    # in C and stall every other connection of the process.
    os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
    import eventlet

    eventlet.monkey_patch()
elif ASYNC_MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
    try:  # psycopg 3 cooperates with gevent once its wait function is patched too
        import psycopg  # noqa: F401
    except ImportError:  # pragma: no cover
        pass

import errno  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import socketio  # noqa: E402

app = create_app()


def _listening_socket(host: str, port: int) -> socket.socket:
    """A listening socket without SO_REUSEPORT, so a second server on a busy port fails loudly.

    ``eventlet.listen`` sets SO_REUSEPORT, which lets two servers share a port silently and
    split the connections between them (clients then see "Invalid session").
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # An event followed by its ack would otherwise wait ~40 ms on Nagle + delayed ACK.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            sys.exit(f"tavle: port {port} on {host} is already in use; is Tavle already running? "
                     "Stop it or set TAVLE_PORT to another port.")
        raise
    sock.listen(1024)
    return sock


def _announce(host: str, port: int) -> None:
    from app.services import accounts

    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = app.config.get("TAVLE_PUBLIC_URL") or f"http://{shown_host}:{port}"
    print(f"Tavle is running on {base}  (async mode: {ASYNC_MODE}, database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]})", flush=True)
    with app.app_context():
        if app.config.get("TAVLE_PRINT_SETUP_LINK") and accounts.user_count() == 0:
            print("No facilitator account yet. Open this one-time link to create yours:", flush=True)
            print(f"  {base}/setup/{accounts.setup_token()}", flush=True)
    if host in ("127.0.0.1", "localhost", "::1"):
        print("Phones cannot reach 127.0.0.1: set TAVLE_HOST=0.0.0.0 to serve the room's network.", flush=True)


def _start_job_workers():
    """Start the job worker processes beside the server, restarted if one stops (docs/deploy.md).

    Reports and imports run there, never in this process: one report takes seconds of CPU,
    and every phone would wait for it.
    """
    import atexit
    import signal

    from app.jobs.local import Supervisor

    count = int(app.config.get("TAVLE_JOB_WORKERS", 0))
    if count <= 0:
        return None
    supervisor = Supervisor(count, socketio.sleep)
    supervisor.start()
    socketio.start_background_task(supervisor.watch)
    atexit.register(supervisor.stop)
    # SIGTERM would otherwise end the process without running atexit, leaving workers behind
    # (they notice the server is gone and stop by themselves too).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"Job workers: {count} ({app.config['TAVLE_JOBS']} queue)", flush=True)
    return supervisor


def _tune_garbage_collector() -> None:
    """Keep Python's cyclic garbage collector off the live path (docs/performance.md).

    What exists at start (the app, its modules and templates, hundreds of thousands of
    objects) is frozen out of the collector's sight, and the youngest generation is collected
    every ``TAVLE_GC_THRESHOLD`` allocations instead of every 700: with a thousand phones
    connected, the default's full collections scanned every object of every connection and
    took a tenth of the server's CPU, in pauses of ~170 ms. ``0`` keeps Python's defaults.
    """
    import gc

    threshold = int(app.config.get("TAVLE_GC_THRESHOLD", 0))
    if threshold <= 0:
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(threshold, *gc.get_threshold()[1:])


def main() -> None:
    host, port = app.config["TAVLE_HOST"], app.config["TAVLE_PORT"]
    sock = _listening_socket(host, port)
    # Whether PDFs can be made is asked on the downloads page and before each PDF job; the first
    # answer imports WeasyPrint (seconds of CPU), so pay for it now, before anyone is connected.
    from app.exports.pdf_writer import available as pdf_available

    pdf_available()
    _announce(host, port)
    _start_job_workers()
    _tune_garbage_collector()
    if ASYNC_MODE == "eventlet":
        import eventlet.wsgi

        # The socket is already green: monkey_patch() replaced socket.socket before it was made.
        # max_size: eventlet's default of 1024 simultaneous connections is too few for a big room.
        eventlet.wsgi.server(sock, app, max_size=app.config["TAVLE_MAX_CONNECTIONS"], log_output=False)
    elif ASYNC_MODE == "gevent":
        from gevent import pywsgi

        pywsgi.WSGIServer(sock, app, log=None).serve_forever()
    else:
        sock.close()  # the threaded server binds its own socket; the check above has passed
        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, use_reloader=False, log_output=False)


if __name__ == "__main__":
    main()
