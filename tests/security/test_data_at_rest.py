"""Answers are sealed at rest: the raw bytes of the database say nothing about the person."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from portal import db
from portal.models import OutboxMessage, Referral
from portal.services import crypto
from tests.conftest import make_app
from tests.consent.conftest import by_email, consent_given_days_ago
from tests.consent.test_reminders import outbox, run
from tests.security.support import walk_with_canaries
from tests.support.journey import PAGES, submit
from tests.support.smtp import SMTPServer


def _database_files(app: Flask) -> list[Path]:
    main = Path(app.extensions["engine"].url.database)
    return [path for path in (main, main.with_name(main.name + "-wal")) if path.exists()]


def _encodings(canary: str) -> list[bytes]:
    return [canary.encode("utf-8"), canary.encode("utf-16-le"), canary.upper().encode(), canary.lower().encode()]


def test_no_canary_is_in_the_raw_database_after_a_submission(app, client, canaries):
    walk_with_canaries(client, canaries)
    submit(client)
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Referral)) == 1
    files = _database_files(app)
    assert any(path.name.endswith("-wal") for path in files), "expected the database in WAL mode"
    raw = b"".join(path.read_bytes() for path in files)
    assert len(raw) > 10_000
    for canary in canaries.everywhere():
        for encoded in _encodings(canary):
            assert encoded not in raw, f"{canary!r} is readable in the database file"


def test_no_canary_is_in_the_raw_database_while_the_answers_are_a_draft(app, client, canaries):
    walk_with_canaries(client, canaries)
    raw = b"".join(path.read_bytes() for path in _database_files(app))
    for canary in canaries.everywhere():
        assert canary.encode() not in raw, f"{canary!r} is readable in the database file"


def test_no_email_address_or_words_are_in_the_raw_database_while_an_email_waits_or_after_it_is_sent(app, client):
    """An address beside "Please reconfirm: Dynamic Support Register" says who is on the register."""
    address = "canary.person.4471@example.org"
    reference = by_email(client, contact_details={**PAGES["contact-details"], "email": address})
    consent_given_days_ago(app, reference, 340)
    run(app)
    [reminder] = outbox(app, "consent_reminder")
    assert reminder.to_address == address and "/consent/reconfirm/" in reminder.body
    token = reminder.body.split("/consent/reconfirm/", 1)[1].split("?")[0].split()[0]
    secrets = (address, reminder.subject, token)

    def raw() -> bytes:
        return b"".join(path.read_bytes() for path in _database_files(app))

    for secret in secrets:
        assert secret.encode() not in raw(), f"{secret!r} is readable in the database file while waiting"
    with app.app_context():
        opened = crypto.unseal(
            db.session().scalar(select(OutboxMessage.content_sealed).where(OutboxMessage.id == reminder.id))
        )
    assert opened == {"to": address, "subject": reminder.subject, "body": reminder.body}

    smtp = SMTPServer()
    smtp.start()
    try:
        settings = app.config["PORTAL_SETTINGS"]
        sending = make_app(
            settings.database_url,
            encryption_keys=settings.encryption_keys,
            smtp_host=smtp.host,
            smtp_port=smtp.port,
        )
        assert sending.test_cli_runner().invoke(args=["mail", "deliver"]).output.startswith("sent 2, failed 0")
        sending.extensions["engine"].dispose()
    finally:
        smtp.stop()
    assert [received.rcpt_tos for received in smtp.received][-1] == [address]
    assert outbox(app, "consent_reminder")[0].content_sealed is None, "sent: nothing about the person is kept"
