"""Email survives a crashed mail worker and a mail server that is away for a while.

The worker is killed with SIGKILL while the mail server is still taking a
message (the server is slowed so the kill lands mid-batch): once restarted, it
delivers everything, each email with the same `Message-ID` as before, so the
one that may arrive twice is recognisable. With the mail server stopped,
people keep sending referrals and are told they arrived; `/health` shows the
backlog; when the mail server is back, everything queued is delivered.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flask import Flask

from portal import create_app, db
from portal.services import mail
from tests.resilience import stored
from tests.resilience.people import Person
from tests.support.processes import WebServer, mail_worker, portal_environment, start_together, web_server
from tests.support.smtp import ReceivedMail, SMTPServer

QUEUED = 40
KILL_AFTER = 7
SMTP_DELAY_SECONDS = 0.15
# A killed worker's claim must run out before another can send its messages: short here, 120 s by default.
QUICK_RECOVERY = {"MAIL_CLAIM_SECONDS": "4", "SMTP_TIMEOUT_SECONDS": "2", "MAIL_RETRY_BASE_SECONDS": "1"}
PEOPLE_DURING_OUTAGE = 6
DEADLINE_SECONDS = 45


def wait_until(condition, seconds: float = DEADLINE_SECONDS, what: str = "") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.1)


def queue_team_emails(env: dict[str, str], count: int) -> None:
    """Queue emails as the portal does, through its own outbox service, sealed with the worker's keys."""
    app: Flask = create_app(
        {"env": "test", "database_url": env["DATABASE_URL"], "encryption_keys": env["ENCRYPTION_KEYS"].split(",")}
    )
    with app.app_context(), db.unit_of_work():
        for number in range(count):
            mail.queue_message(
                "new_referral", "dsr.team@example.nhs.uk", f"New DSR referral DSR-TEST-{number:04d}", "."
            )
    app.extensions["engine"].dispose()


def test_a_mail_worker_killed_mid_delivery_delivers_everything_after_restart_with_stable_message_ids(
    database_url: str, smtp_server: SMTPServer, tmp_path: Path, report: object
) -> None:
    env = portal_environment(database_url, smtp_server.port, **QUICK_RECOVERY)
    queue_team_emails(env, QUEUED)
    mid_batch = threading.Event()

    def slow_mail_server(_mail: ReceivedMail) -> None:
        if len(smtp_server.received) == KILL_AFTER:
            mid_batch.set()
        time.sleep(SMTP_DELAY_SECONDS)  # the message is in; the worker still waits for "250 OK"

    smtp_server.on_receive(slow_mail_server)
    worker = mail_worker(env, tmp_path / "mail.log")
    worker.start()
    try:
        assert mid_batch.wait(timeout=DEADLINE_SECONDS), "the worker never got going"
        worker.kill()
        received_before_restart = len(smtp_server.received)
        worker.start()
        wait_until(lambda: stored.read(database_url).unsent == 0, what="every email sent")
    finally:
        worker.stop()

    arrivals = stored.by_message_id(smtp_server.received)
    queued = stored.references_in(smtp_server.received)
    assert len(queued) == QUEUED, "an email was lost"
    assert len(arrivals) == QUEUED, "an email came again under a new Message-ID: nobody can tell it is a duplicate"
    duplicates = sum(times - 1 for times in arrivals.values())
    # Each message is marked sent as soon as the server accepts it: at most the one in flight can come twice.
    assert duplicates <= 1, f"{duplicates} duplicates from one kill"
    assert received_before_restart < QUEUED, "the kill did not land mid-batch"
    report(f"killed after {received_before_restart} of {QUEUED} emails; {duplicates} delivered twice (same Message-ID)")


def refer_during_outage(server: WebServer) -> list[str]:
    with ThreadPoolExecutor(PEOPLE_DURING_OUTAGE) as pool:
        shown = list(pool.map(lambda _: Person([server.base_url]).refer(), range(PEOPLE_DURING_OUTAGE)))
    return [reference for _submission, reference in shown]


def test_referrals_are_acknowledged_while_the_mail_server_is_down_and_their_emails_sent_when_it_returns(
    database_url: str, smtp_server: SMTPServer, tmp_path: Path, report: object
) -> None:
    env = portal_environment(database_url, smtp_server.port, **QUICK_RECOVERY)
    server = web_server(env, tmp_path / "web.log")
    worker = mail_worker(env, tmp_path / "mail.log")
    smtp_server.stop()
    start_together(server, worker)
    try:
        references = refer_during_outage(server)
        wait_until(lambda: server.health()["outbox_failing"] == PEOPLE_DURING_OUTAGE, what="the worker tried")
        during = server.health()
        outage_started = time.monotonic()
        smtp_server.start()
        wait_until(lambda: server.health()["outbox_backlog"] == 0, what="the backlog delivered")
        caught_up = time.monotonic() - outage_started
        after = server.health()
    finally:
        server.stop()
        worker.stop()

    assert len(set(references)) == PEOPLE_DURING_OUTAGE, "someone was not told their referral arrived"
    assert during == {
        "database": "ok",
        "outbox_backlog": PEOPLE_DURING_OUTAGE,
        "outbox_failing": PEOPLE_DURING_OUTAGE,
        "outbox_undeliverable": 0,
    }
    assert after == {"database": "ok", "outbox_backlog": 0, "outbox_failing": 0, "outbox_undeliverable": 0}
    assert stored.references_in(smtp_server.received) == set(references)
    assert len(stored.by_message_id(smtp_server.received)) == PEOPLE_DURING_OUTAGE
    worker_log = (tmp_path / "mail.log").read_text()
    assert "will be retried" in worker_log, "the operator is not told mail is failing"
    report(
        f"{PEOPLE_DURING_OUTAGE} referrals acknowledged with mail down; delivered {caught_up:.1f} s after it returned"
    )
