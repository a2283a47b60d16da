"""Real job workers for tests (``flask jobs worker`` processes) and fetching a download that is a job."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.support.server import PYTHON, ROOT, _env


class Worker:
    """A running ``flask jobs worker`` on the test database; ``log()`` is what it printed."""

    def __init__(self, database_url: str, instance_dir: Path, extra: dict[str, str] | None = None) -> None:
        instance_dir.mkdir(parents=True, exist_ok=True)
        self.instance_dir = instance_dir
        self.env = _env(database_url, instance_dir, {"TAVLE_JOB_LEASE": "2", **(extra or {})})
        self.start()

    def start(self) -> None:
        self.log_path = self.instance_dir / f"worker-{time.monotonic_ns()}.log"
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen([PYTHON, "-m", "flask", "--app", "wsgi", "jobs", "worker"], cwd=ROOT, env=self.env,
                                     stdout=self._log, stderr=subprocess.STDOUT)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """Stop it at once, as the out-of-memory killer would."""
        self.proc.kill()
        self.proc.wait(10)
        self._log.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if not self._log.closed:
            self._log.close()


JSON = {"Accept": "application/json"}


def wait_for(predicate, timeout: float = 60.0, what: str = "condition"):
    """Poll ``predicate`` every 0.1 s until it gives something true (returned), or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"no {what} within {timeout}s")


def follow(client, url: str, timeout: float = 120.0):
    """Poll a job's URL (as a script would: asking for JSON) until it ends; the final JSON answer."""
    deadline = time.monotonic() + timeout
    response = client.get(url, headers=JSON)
    while response.status_code == 202:
        assert time.monotonic() < deadline, f"{url} still running after {timeout}s: {response.get_json()}"
        time.sleep(0.1)
        response = client.get(response.get_json()["url"], headers=JSON)
    return response


def download(client, url: str, timeout: float = 120.0):
    """A download that is a job: poll its status until it is done, then fetch the file."""
    response = follow(client, url, timeout)
    body = response.get_json(silent=True)
    if response.status_code == 200 and body and body.get("status") == "done":
        return client.get(body["url"])
    return response
