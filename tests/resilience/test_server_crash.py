"""The app server is killed with SIGKILL while people are sending referrals, and restarted; nothing is lost.

People walk the journey at load; each time at least one of them is pressing
"Send", the whole gunicorn process group is killed (master and workers, mid-
request) and started again. A person whose request died waits and presses
again, as anyone would. Afterwards every reference a person was shown exists
and is complete, every person has exactly one referral, nothing is half-written,
and a SQLite file killed mid-write passes `PRAGMA integrity_check`.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.resilience import stored
from tests.resilience.people import Person
from tests.support.processes import WebServer, portal_environment, web_server
from tests.support.smtp import SMTPServer

PEOPLE = 24
AT_ONCE = 8
KILLS = 3
PATIENCE_SECONDS = 90


class Sending:
    """Counts "Send" presses in flight, so a kill can be timed to land on one."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.lock = threading.Lock()
        self.someone_sending = threading.Event()

    def __enter__(self) -> None:
        with self.lock:
            self.in_flight += 1
            self.someone_sending.set()

    def __exit__(self, *_exc: object) -> None:
        with self.lock:
            self.in_flight -= 1
            if not self.in_flight:
                self.someone_sending.clear()


class PersonUnderFire(Person):
    """A person whose "Send" presses are counted, so the test knows when to pull the plug."""

    sending: Sending

    def request(self, method: str, path: str, form: dict | None = None):  # type: ignore[no-untyped-def]
        if method == "POST" and path == "/referral/check":
            with self.sending:
                return super().request(method, path, form)
        return super().request(method, path, form)


def crash_while_sending(server: WebServer, sending: Sending, done: threading.Event) -> list[int]:
    """Kill the server `KILLS` times, each while someone is pressing "Send"; returns presses in flight per kill."""
    in_flight_at_kill = []
    for _ in range(KILLS):
        time.sleep(1.0)  # let the restarted server take some load first
        while not sending.someone_sending.wait(timeout=0.5):
            if done.is_set():
                return in_flight_at_kill
        time.sleep(0.02)  # into the request: past the connection, into the transaction
        in_flight_at_kill.append(sending.in_flight)
        server.kill()
        server.start()
    return in_flight_at_kill


def test_killing_the_server_mid_submission_loses_no_acknowledged_referral_and_half_writes_nothing(
    database_url: str, smtp_server: SMTPServer, tmp_path: Path, report: object
) -> None:
    env = portal_environment(database_url, smtp_server.port)
    server = web_server(env, tmp_path / "web.log")
    server.start()
    sending = Sending()
    PersonUnderFire.sending = sending
    people = [PersonUnderFire([server.base_url]) for _ in range(PEOPLE)]
    done = threading.Event()
    try:
        with ThreadPoolExecutor(AT_ONCE + 1) as pool:
            killer = pool.submit(crash_while_sending, server, sending, done)
            referring = [pool.submit(person.refer, PATIENCE_SECONDS) for person in people]
            shown = [future.result() for future in referring]
            done.set()
            in_flight_at_kill = killer.result()
    finally:
        server.kill()  # the last one is a crash too: the database must be whole without a clean shutdown

    assert len(in_flight_at_kill) == KILLS, "the load ended before every kill"
    found = stored.read(database_url)
    references_shown = {reference for _submission, reference in shown}
    assert references_shown <= found.submission_by_reference.keys(), "a reference a person was shown is gone"
    assert sorted(found.submission_by_reference.values()) == sorted(submission for submission, _ in shown), (
        "a person has no referral, or two"
    )
    assert found.half_written() == [], "half-written referrals"
    assert found.orphans == {"consent events": 0, "intake items": 0, "team emails": 0}
    if database_url.startswith("sqlite"):
        assert stored.sqlite_integrity(database_url) == "ok"
    pressed_again = sum(person.retries for person in people)
    assert pressed_again > 0, "no request died with the server: the kills landed between requests"
    report(
        f"{KILLS} kills with {in_flight_at_kill} sends in flight; {pressed_again} requests sent again while the server came back; "
        f"{len(references_shown)} referrals, each once"
    )
