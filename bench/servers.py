"""Start the portal and a bare Flask app under gunicorn on loopback, with the same settings.

The portal runs as it would in production (PORTAL_ENV=production, generated
secrets, a fresh migrated SQLite file in a temporary folder), so the figures
include everything a real request pays for: CSRF, sessions, encryption, logs.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORTAL_APP = "portal:create_app()"
HELLO_APP = "bench.hello:app"
# The submit limit is per client address; every simulated person here comes from 127.0.0.1.
BENCH_SUBMIT_LIMIT = "1000000 per minute"


@dataclass(frozen=True)
class Workers:
    """A gunicorn worker set-up: `sync` x n processes, or `gthread` with threads per process."""

    worker_class: str = "sync"
    count: int = 2
    threads: int = 1

    @property
    def label(self) -> str:
        if self.worker_class == "gthread":
            return f"gthread {self.count}x{self.threads} threads"
        return f"{self.worker_class} x{self.count}"

    def arguments(self) -> list[str]:
        arguments = ["--worker-class", self.worker_class, "--workers", str(self.count)]
        if self.worker_class == "gthread":
            arguments += ["--threads", str(self.threads)]
        return arguments

    @classmethod
    def parse(cls, text: str) -> Workers:
        """`sync:2`, `sync:4`, `gthread:2:4` (class:processes[:threads])."""
        parts = text.split(":")
        threads = int(parts[2]) if len(parts) > 2 else (4 if parts[0] == "gthread" else 1)
        return cls(parts[0], int(parts[1]) if len(parts) > 1 else 2, threads)


def portal_environment(folder: Path) -> dict[str, str]:
    """Production settings with generated secrets and a SQLite file in `folder`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PORTAL_", "DSR_"))}
    env.update(
        PORTAL_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DATABASE_URL=f"sqlite:///{folder / 'portal.sqlite3'}",
        SUBMIT_RATE_LIMIT=BENCH_SUBMIT_LIMIT,
        LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    return env


def migrate(env: dict[str, str], log: Path) -> None:
    """Create the database as an operator would: `flask --app portal db upgrade`."""
    with log.open("ab") as out:
        finished = subprocess.run(
            [str(BIN / "flask"), "--app", "portal", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
            check=False,
        )
    if finished.returncode:
        raise RuntimeError(f"`flask db upgrade` failed; see {log}:\n{log.read_text()[-2000:]}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start; see {log}:\n{log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on {port} within 30 s; see {log}")


_MASTERS: dict[str, int] = {}


def cpu_seconds(base_url: str) -> float:
    """CPU time (user + system) used so far by the gunicorn serving `base_url`: its master and its workers.

    Read from /proc, so a load run can say how much of the server's own CPU each request cost: steadier than
    requests a second, which also move with whatever else the machine is doing. 0.0 where /proc is missing.
    """
    master = _MASTERS.get(base_url)
    if master is None or not Path("/proc").is_dir():
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that ended while we looked
        pid, parent = int(stat.parent.name), int(fields[1])
        if master in (pid, parent):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@contextmanager
def gunicorn(app: str, workers: Workers, env: dict[str, str], log: Path) -> Iterator[str]:
    """Run `app` under gunicorn on a free loopback port; yields its base URL and stops it after."""
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        *workers.arguments(),
        "--backlog",
        "256",
        "--log-level",
        "warning",
        app,
    ]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    base_url = f"http://127.0.0.1:{port}"
    _MASTERS[base_url] = process.pid
    try:
        _wait_until_listening(port, process, log)
        yield base_url
    finally:
        _MASTERS.pop(base_url, None)
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
