"""The portal as it runs in production, as real processes on loopback: gunicorn servers and mail workers.

Each process starts in its own session, so `kill()` sends SIGKILL to the
gunicorn master and every worker at once, the way a crashed machine or an
`kill -9` by the out-of-memory killer ends them: mid-request, no clean-up.
`restart()` starts the same command again on the same port.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet

from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
APP = "portal:create_app()"
# Every simulated person comes from 127.0.0.1: a per-address limit must not get in the way.
UNLIMITED_SUBMISSIONS = "1000000 per minute"
# As deployed (`deploy/Procfile`, `deploy/dsr-portal-web@.service`; a test keeps them the same). gunicorn 27
# opens a control socket at one fixed path per user: two servers on one host would take each other's.
GUNICORN_OPTIONS = ("--worker-class", "sync", "--timeout", "120", "--graceful-timeout", "30", "--no-control-socket")


def portal_environment(database_url: str, smtp_port: int, **settings: str) -> dict[str, str]:
    """Production settings with generated secrets, pointed at `database_url` and a loopback mail server.

    `settings` adds or overrides variables by name (say `MAIL_RETRY_BASE_SECONDS="1"`).
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PORTAL_", "DSR_", "SMTP_"))}
    env.update(
        PORTAL_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(48),
        ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DATABASE_URL=database_url,
        PUBLIC_BASE_URL="https://dsr.example-icb.nhs.uk",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_port),
        SUBMIT_RATE_LIMIT=UNLIMITED_SUBMISSIONS,
        LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    env.update(settings)
    return env


def migrate(env: dict[str, str], log: Path) -> None:
    """Create the database as an operator would: `flask --app portal db upgrade`."""
    with log.open("ab") as out:
        finished = subprocess.run(
            [str(BIN / "flask"), "--app", "portal", "db", "upgrade"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    if finished.returncode:
        raise RuntimeError(f"`flask db upgrade` failed:\n{log.read_text()[-2000:]}")


@dataclass
class PortalProcess:
    """One command run in its own session, logging to `log`; killed as a whole process group."""

    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    starts: int = field(default=0, init=False)

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the process without waiting for it (`start_together` starts several at once)."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
        self.starts += 1

    def wait_ready(self) -> None:
        """Return once the process can do its work; a worker is ready when it runs."""

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group: the master and each worker die where they stand."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._wait_group_gone()

    def stop(self) -> None:
        """End cleanly (SIGTERM), then by force if it takes too long."""
        if self.process is None or self.process.poll() is not None:
            self._wait_group_gone()
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill()
        self._wait_group_gone()

    def restart(self) -> None:
        self.kill()
        self.start()

    def _wait_group_gone(self) -> None:
        """Children of a killed master linger a moment; wait until the group is empty."""
        if self.process is None:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


@dataclass
class WebServer(PortalProcess):
    """gunicorn serving the portal on a fixed loopback port (kept across restarts)."""

    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def health(self, timeout: float = 2.0) -> dict[str, object]:
        """`/health` as the operator's monitor sees it (a 503 still has a JSON body)."""
        try:
            with urllib.request.urlopen(f"{self.base_url}/health", timeout=timeout) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            return json.load(error)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log.read_text()[-3000:]}")
            try:
                if self.health(timeout=1.0).get("database") == "ok":
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn on {self.port} not healthy within 60 s:\n{self.log.read_text()[-3000:]}")


def start_together(*processes: PortalProcess) -> None:
    """Launch every process, then wait for each: starting is mostly imports, and they overlap."""
    for process in processes:
        process.launch()
    for process in processes:
        process.wait_ready()


def web_server(env: dict[str, str], log: Path, workers: int = 2, port: int | None = None) -> WebServer:
    """A gunicorn server as deployed (`deploy/Procfile`); not yet started."""
    port = port or free_port()
    command = [
        str(BIN / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        *GUNICORN_OPTIONS,
        APP,
    ]
    return WebServer(command, env, log, port=port)


def mail_worker(env: dict[str, str], log: Path, interval: float = 0.2) -> PortalProcess:
    """`flask --app portal mail deliver --forever`, polling often so tests need not wait; not yet started."""
    command = [str(BIN / "flask"), "--app", "portal", "mail", "deliver", "--forever", "--interval", str(interval)]
    return PortalProcess(command, env, log)
