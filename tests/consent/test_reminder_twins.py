"""Two reminder runs at once (two machines, or a retry while the first still runs) send each reminder once.

The twin is held mid-transaction, having claimed one person's step but not committed, while
this run reaches that person: on PostgreSQL this run's claim then breaks the unique constraint
and its whole batch is done again; on SQLite it waits for the write lock and sees the claim.
"""

from __future__ import annotations

import threading
import time

from flask import Flask
from sqlalchemy import insert, select, text

from portal import db
from portal.models import ConsentReminder, OutboxMessage, utcnow
from portal.services import consent, reminders
from portal.services.due_dates import local_date
from tests.conftest import PageClient
from tests.consent.conftest import by_email, consent_given_days_ago, referral


def _wait_until_blocked(app: Flask, seconds: float = 20) -> None:
    """On PostgreSQL, until another session waits on a lock: the run has reached the twin's claim."""
    if app.extensions["engine"].dialect.name != "postgresql":
        time.sleep(0.5)  # SQLite: the run is waiting for the write lock, or will find the claim
        return
    deadline = time.monotonic() + seconds
    with app.extensions["engine"].connect() as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"))
            watcher.rollback()
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the reminder run never reached the twin's claim")


def test_a_step_a_twin_run_claimed_first_is_not_done_again(db_app: Flask):
    claimed_by_twin, other = by_email(PageClient(db_app.test_client())), by_email(PageClient(db_app.test_client()))
    for reference in (claimed_by_twin, other):
        consent_given_days_ago(db_app, reference, 340)
    twin_person, other_id = referral(db_app, claimed_by_twin), referral(db_app, other).id
    due_on = consent.state_of(twin_person).next_due
    with db_app.extensions["engine"].connect() as twin:
        claim = twin.begin()
        twin.execute(
            insert(ConsentReminder).values(
                referral_id=twin_person.id, kind="first", due_on=due_on, done_on=local_date(utcnow())
            )
        )
        reports: list[reminders.ReminderReport] = []

        def run() -> None:
            with db_app.app_context():
                reports.append(reminders.send_reminders())

        runner = threading.Thread(target=run)
        runner.start()
        _wait_until_blocked(db_app)
        claim.commit()
        runner.join(timeout=60)
    [report] = reports
    assert report.first == [other]
    with db_app.app_context():
        steps = db.session().execute(select(ConsentReminder.referral_id, ConsentReminder.kind)).all()
        emailed = (
            db.session()
            .scalars(select(OutboxMessage.referral_id).where(OutboxMessage.purpose == "consent_reminder"))
            .all()
        )
    assert sorted(steps) == sorted([(twin_person.id, "first"), (other_id, "first")])
    assert emailed == [other_id]
