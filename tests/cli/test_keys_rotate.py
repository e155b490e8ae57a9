"""`flask keys rotate`: after rotation the old key can be thrown away and nothing becomes unreadable."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import event, select

from portal import db
from portal.cli.keys import sealed_columns
from portal.models import IntakeItem, IntakeNote, StaffUser, utcnow
from portal.services import crypto
from portal.services.crypto import SealError
from tests.conftest import PageClient, make_app
from tests.support.journey import PAGES, submit, walk_to_check

DRAFTS = 5


@pytest.fixture
def apps(db_app):
    """The same database seen by apps holding different keys: [old], [new, old], [new]."""
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    url = db_app.config["PORTAL_SETTINGS"].database_url
    made = {
        "old": make_app(url, encryption_keys=[old]),
        "rotating": make_app(url, encryption_keys=[new, old]),
        "new": make_app(url, encryption_keys=[new]),
    }
    yield made
    for app in made.values():
        app.extensions["engine"].dispose()


# Every place personal data or a secret is sealed; a test below shows rotation finds them all.
SEALED = {
    "referrals.answers_sealed",
    "drafts.answers_sealed",
    "intake_items.details_sealed",
    "intake_items.outcome_reason_sealed",
    "intake_notes.text_sealed",
    "staff_users.totp_secret_sealed",
    "outbox_messages.content_sealed",
}


def everything_opened(app) -> dict[str, list[dict]]:
    """Every sealed value in the database, opened with `app`'s keys, by column."""
    with app.app_context():
        session = db.session()
        return {
            f"{column.table.name}.{column.name}": [
                crypto.unseal(token) for token in session.scalars(select(column).where(column.is_not(None)))
            ]
            for column in sealed_columns()
        }


def seal_the_teams_records(app) -> None:
    """A call-back with its details, outcome reason and a note, and an authenticator secret, under `app`'s keys."""
    with app.app_context(), db.unit_of_work() as session:
        now = utcnow()
        item = IntakeItem(
            kind="callback",
            status="closed",
            received_at=now,
            due_at=now,
            details_sealed=crypto.seal({"why": "call-back canary"}),
            outcome_reason_sealed=crypto.seal({"reason": "reason canary"}),
        )
        session.add(item)
        session.flush()
        session.add(IntakeNote(item_id=item.id, author="triage@example.nhs.uk", text_sealed=crypto.seal({"text": "n"})))
        session.add(
            StaffUser(email="admin@example.nhs.uk", role="admin", totp_secret_sealed=crypto.seal({"totp": "S"}))
        )


def test_rotation_finds_every_sealed_column():
    assert {f"{column.table.name}.{column.name}" for column in sealed_columns()} == SEALED


def test_records_sealed_with_an_old_key_open_with_only_the_new_key_after_rotation(apps):
    old = apps["old"]
    person = PageClient(old.test_client())
    walk_to_check(person)
    submit(person)
    for _ in range(DRAFTS):
        PageClient(old.test_client()).post("/referral/who", PAGES["who"], expect=302)
    seal_the_teams_records(old)
    with pytest.raises(SealError):
        everything_opened(apps["new"])

    selects = []
    event.listen(
        apps["rotating"].extensions["engine"],
        "before_cursor_execute",
        lambda _conn, _cursor, statement, *_args: (
            selects.append(statement) if statement.lstrip().upper().startswith("SELECT") else None
        ),
    )
    result = apps["rotating"].test_cli_runner().invoke(args=["keys", "rotate", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    team_records = 4
    team_notice = 1
    assert result.output.strip() == f"re-sealed {1 + DRAFTS + team_records + team_notice} records under the newest key"
    assert sum("FROM drafts" in statement for statement in selects) == 4, "five drafts in batches of two"

    opened = everything_opened(apps["new"])
    assert {"full_name": "Siân O'Neil-Jones", "postcode": "NR1 3SR"}.items() <= opened["referrals.answers_sealed"][
        0
    ].items()
    assert opened["drafts.answers_sealed"] == [{"who": "self"}] * DRAFTS
    assert {"why": "call-back canary"} in opened["intake_items.details_sealed"]
    assert opened["intake_items.outcome_reason_sealed"] == [{"reason": "reason canary"}]
    assert opened["intake_notes.text_sealed"] == [{"text": "n"}]
    assert opened["staff_users.totp_secret_sealed"] == [{"totp": "S"}]
    [notice] = opened["outbox_messages.content_sealed"]
    assert notice["subject"].startswith("New DSR referral DSR-")
