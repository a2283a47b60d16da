"""Start real Tavle server processes (``python wsgi.py``) for browser and multi-process tests."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(database_url: str, instance_dir: Path, extra: dict[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAVLE_")}
    env.update({
        "TAVLE_ENV": "development",
        "TAVLE_DATABASE_URL": database_url,
        "TAVLE_INSTANCE_DIR": str(instance_dir),
        "TAVLE_SECRET_KEY": "e2e-secret-key-for-tests-only",
        "TAVLE_RATELIMIT": "false",
        "PYTHONUNBUFFERED": "1",
    })
    if os.environ.get("TAVLE_TEST_REDIS_CHANNEL"):
        # Two test runs side by side on one Redis keep to their own channels.
        env["TAVLE_REDIS_CHANNEL"] = os.environ["TAVLE_TEST_REDIS_CHANNEL"]
    env.update(extra or {})
    return env


def flask_cli(args: list[str], database_url: str, instance_dir: Path, extra: dict[str, str] | None = None) -> str:
    """Run a ``flask`` command (from the repo root, where it finds the app) and return its output."""
    result = subprocess.run(
        [PYTHON, "-m", "flask", *args], cwd=ROOT, env=_env(database_url, instance_dir, extra),
        capture_output=True, text=True, timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@dataclass
class ServerProcess:
    """A running ``python wsgi.py``; ``url`` is its base address."""

    port: int
    proc: subprocess.Popen
    log_path: Path
    url: str = field(init=False)

    def __post_init__(self) -> None:
        self.url = f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def start_server(database_url: str, instance_dir: Path, *, port: int | None = None, extra: dict[str, str] | None = None,
                 timeout: float = 30) -> ServerProcess:
    """Start ``python wsgi.py`` on ``port`` and wait until ``/healthz`` answers."""
    port = port or free_port()
    instance_dir.mkdir(parents=True, exist_ok=True)
    log_path = instance_dir / f"server-{port}.log"
    env = _env(database_url, instance_dir, {"TAVLE_HOST": "127.0.0.1", "TAVLE_PORT": str(port), **(extra or {})})
    log = open(log_path, "w")
    proc = subprocess.Popen([PYTHON, "wsgi.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    server = ServerProcess(port, proc, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server did not answer within {timeout}s:\n{server.log()}")
