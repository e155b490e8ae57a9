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

AT_ONCE = 8
KILLS = 3
AT_LEAST = 16  # people who refer in all, however quickly the kills land
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


def crash_while_sending(server: WebServer, sending: Sending, kills_done: threading.Event) -> list[int]:
    """Kill the server `KILLS` times, each while someone is pressing "Send"; returns presses in flight per kill.

    People go on referring until this has finished, so a faster server cannot end the load before the last
    kill; a wait of `PATIENCE_SECONDS` with nobody sending gives up (and the test fails on the count).
    """
    in_flight_at_kill: list[int] = []
    try:
        for _ in range(KILLS):
            time.sleep(1.0)  # let the restarted server take some load first
            if not sending.someone_sending.wait(timeout=PATIENCE_SECONDS):
                return in_flight_at_kill
            time.sleep(0.02)  # into the request: past the connection, into the transaction
            in_flight_at_kill.append(sending.in_flight)
            server.kill()
            server.start()
        return in_flight_at_kill
    finally:
        kills_done.set()


def test_killing_the_server_mid_submission_loses_no_acknowledged_referral_and_half_writes_nothing(
    database_url: str, smtp_server: SMTPServer, tmp_path: Path, report: object
) -> None:
    env = portal_environment(database_url, smtp_server.port)
    server = web_server(env, tmp_path / "web.log")
    server.start()
    sending = Sending()
    PersonUnderFire.sending = sending
    people: list[PersonUnderFire] = []
    people_lock = threading.Lock()
    kills_done = threading.Event()

    def keep_referring() -> list[tuple[str, str]]:
        """One person after another, until every kill has landed and at least `AT_LEAST` people have referred."""
        shown_here = []
        while True:
            with people_lock:
                if kills_done.is_set() and len(people) >= AT_LEAST:
                    return shown_here
                person = PersonUnderFire([server.base_url])
                people.append(person)
            shown_here.append(person.refer(PATIENCE_SECONDS))

    try:
        with ThreadPoolExecutor(AT_ONCE + 1) as pool:
            killer = pool.submit(crash_while_sending, server, sending, kills_done)
            referring = [pool.submit(keep_referring) for _ in range(AT_ONCE)]
            shown = [pair for future in referring for pair in future.result()]
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
