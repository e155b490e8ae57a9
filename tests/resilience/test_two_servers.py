"""Two app servers and two mail workers on one PostgreSQL, as in production: 200 referrals, none lost, none twice.

Each person walks the whole journey over HTTP, each request on the other
server, so either server continues any draft. Twenty press "Send" twice:
ten double clicks (both presses at once, one to each server) and ten replays
(the same form sent again after the confirmation).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.resilience import stored
from tests.resilience.people import PERSONAL_VALUES, Person
from tests.support.processes import mail_worker, portal_environment, start_together, web_server
from tests.support.smtp import SMTPServer

REFERRALS = 200
DOUBLE_CLICKS = 10
REPLAYS = 10
AT_ONCE = 16
MAIL_DEADLINE_SECONDS = 60


def double_click(person: Person) -> tuple[str, str]:
    """Both presses of "Send" at once, one to each server; both must show the same reference."""
    check = person.walk_to_check()
    barrier = threading.Barrier(2)
    shown: list[str] = []

    def press(server: str) -> None:
        presser = Person([server], cookies=dict(person.cookies))
        barrier.wait()
        presser.send(check)
        shown.append(presser.reference_shown())

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(press, person.servers))
    assert shown[0] == shown[1], f"one double click, two references: {shown}"
    return check.field("submission_id"), shown[0]


def replay(person: Person) -> tuple[str, str]:
    """Send, see the confirmation, then send the very same form again: the same reference comes back."""
    check = person.walk_to_check()
    person.send(check)
    first = person.reference_shown()
    person.send(check)
    again = person.reference_shown()
    assert again == first, f"a replay showed {again}, the first send {first}"
    return check.field("submission_id"), first


def refer_once(person: Person) -> tuple[str, str]:
    return person.refer()


def test_two_servers_one_postgresql_store_every_referral_once_and_email_the_team_once_each(
    pg_database: str, smtp_server: SMTPServer, tmp_path: Path, report: object
) -> None:
    env = portal_environment(pg_database, smtp_server.port, MAIL_RETRY_BASE_SECONDS="1")
    servers = [web_server(env, tmp_path / f"web-{n}.log") for n in (1, 2)]
    workers = [mail_worker(env, tmp_path / f"mail-{n}.log") for n in (1, 2)]
    start_together(*servers, *workers)
    urls = [server.base_url for server in servers]
    ways = [double_click] * DOUBLE_CLICKS + [replay] * REPLAYS
    ways += [refer_once] * (REFERRALS - len(ways))
    try:
        started = time.monotonic()
        with ThreadPoolExecutor(AT_ONCE) as pool:
            # Half start on each server, so both take first pages and both take "Send".
            futures = [pool.submit(way, Person(urls[n % 2 :] + urls[: n % 2])) for n, way in enumerate(ways)]
            shown = [future.result() for future in futures]
        walked = time.monotonic() - started
        deadline = time.monotonic() + MAIL_DEADLINE_SECONDS
        while servers[0].health()["outbox_backlog"] and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # a duplicate, if any, would arrive now
        health = servers[1].health()
    finally:
        for process in (*servers, *workers):
            process.stop()

    found = stored.read(pg_database)
    references_shown = {reference for _submission, reference in shown}
    assert len(references_shown) == REFERRALS, "two people were shown the same reference"
    assert len(found.submission_by_reference) == REFERRALS
    assert {found.submission_by_reference[reference] for reference in references_shown} == {
        submission for submission, _reference in shown
    }, "a reference shown does not belong to the submission it was shown for"
    assert found.half_written() == [], "half-written referrals"
    assert found.orphans == {"consent events": 0, "intake items": 0, "team emails": 0}
    assert found.unsent == 0, f"{found.unsent} emails never left the outbox"
    assert health == {"database": "ok", "outbox_backlog": 0, "outbox_failing": 0, "outbox_undeliverable": 0}

    arrivals = stored.by_message_id(smtp_server.received)
    assert len(arrivals) == REFERRALS
    assert [message_id for message_id, times in arrivals.items() if times > 1] == [], "emails sent twice"
    assert stored.references_in(smtp_server.received) == references_shown
    logs = "".join(path.read_text() for path in tmp_path.glob("*.log"))
    assert [value for value in PERSONAL_VALUES if value in logs] == [], "personal data in the logs"
    report(f"{REFERRALS} referrals through 2 servers in {walked:.1f} s; {len(arrivals)} team emails, each once")
