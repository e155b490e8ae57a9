"""Migration 0010 on an outbox that already holds messages in clear, on SQLite and PostgreSQL.

Waiting messages are sealed and still sent as written; sent ones keep nothing;
downgrading puts waiting messages back in clear, so a rollback loses no email.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from portal import db
from portal.cli.database import upgrade
from portal.services import crypto
from tests.staff.test_queue_kinds_migration import downgrade

CREATED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
WAITING = {"to": "waiting.canary@example.org", "subject": "Please reconfirm", "body": "Follow this link: canary-1"}
SENT = {"to": "sent.canary@example.org", "subject": "We have your answer", "body": "canary-2"}


def insert_in_clear(app, number: int, content: dict[str, str], sent: bool) -> None:
    with app.app_context(), db.engine().begin() as connection:
        connection.execute(
            text(
                "INSERT INTO outbox_messages (message_id, purpose, to_address, subject, body, created_at, attempts, "
                "next_attempt_at, sent_at) VALUES (:message_id, 'consent_reminder', :to, :subject, :body, :at, 0, "
                ":at, :sent_at)"
            ),
            {"message_id": f"<m{number}@dsr-portal>", **content, "at": CREATED, "sent_at": CREATED if sent else None},
        )


def rows(app) -> dict[str, dict]:
    with app.app_context(), db.engine().connect() as connection:
        return {row.message_id: row._asdict() for row in connection.execute(text("SELECT * FROM outbox_messages"))}


def columns(app) -> set[str]:
    with app.app_context():
        return {column["name"] for column in inspect(db.engine()).get_columns("outbox_messages")}


def test_waiting_messages_are_sealed_sent_ones_emptied_and_a_downgrade_restores_the_waiting(db_app):
    app = db_app
    downgrade(app, "0009")
    try:
        insert_in_clear(app, 1, WAITING, sent=False)
        insert_in_clear(app, 2, SENT, sent=True)
    finally:
        with app.app_context():
            upgrade()

    assert {"to_address", "subject", "body"}.isdisjoint(columns(app))
    after = rows(app)
    with app.app_context():
        assert crypto.unseal(after["<m1@dsr-portal>"]["content_sealed"]) == WAITING
    assert after["<m2@dsr-portal>"]["content_sealed"] is None
    assert "canary" not in repr(after).replace("content_sealed", "")

    downgrade(app, "0009")
    try:
        before = rows(app)
        assert (before["<m1@dsr-portal>"]["to_address"], before["<m1@dsr-portal>"]["body"]) == (
            WAITING["to"],
            WAITING["body"],
        )
        assert before["<m2@dsr-portal>"]["to_address"] == ""
    finally:
        with app.app_context():
            upgrade()
