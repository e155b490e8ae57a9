"""Migration 0005 on a database that already holds items, on SQLite and PostgreSQL.

Items written before 0005 had no reference and only referral items pointed at
a referral. After it, referral items carry their referral's reference, consent
items carry the reference inside their sealed details when a referral has it,
and one referral can have many items but only one of kind `referral`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from portal import db
from portal.cli.database import alembic_config, upgrade
from portal.services import crypto
from tests.staff.test_record import refer

RECEIVED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def downgrade(app: Flask, revision: str) -> None:
    config = alembic_config()
    with app.app_context(), app.extensions["engine"].connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
        connection.commit()


def insert_old_item(app: Flask, kind: str, details: dict[str, str]) -> int:
    """An item as the consent lifecycle wrote it before 0005: no reference, no referral id, details sealed."""
    with app.app_context(), db.engine().begin() as connection:
        return connection.execute(
            text(
                "INSERT INTO intake_items (kind, status, received_at, due_at, details_sealed, updated_at) "
                "VALUES (:kind, 'new', :received, :due, :sealed, :received) RETURNING id"
            ),
            {"kind": kind, "received": RECEIVED, "due": RECEIVED + timedelta(days=28), "sealed": crypto.seal(details)},
        ).scalar_one()


def items(app: Flask) -> dict[int, tuple[str, str | None, int | None]]:
    with app.app_context(), db.engine().connect() as connection:
        rows = connection.execute(text("SELECT id, kind, reference, referral_id FROM intake_items"))
        return {row.id: (row.kind, row.reference, row.referral_id) for row in rows}


def test_the_migration_fills_in_references_for_rows_already_there(db_app):
    app = db_app
    reference = refer(app)
    downgrade(app, "0004")
    try:
        removal = insert_old_item(app, "removal", {"reference": reference, "via": "signed link"})
        typed = insert_old_item(app, "removal", {"reference": reference.lower().replace("-", " ")})
        unknown = insert_old_item(app, "callback", {"reference": "DSR-AAAA-BBBB"})
        none = insert_old_item(app, "removal", {"full_name": "Someone"})
    finally:
        with app.app_context():
            upgrade()

    after = items(app)
    [referral_item] = [item_id for item_id, (kind, *_rest) in after.items() if kind == "referral"]
    referral_id = after[referral_item][2]
    assert referral_id is not None
    assert after[referral_item] == ("referral", reference, referral_id)
    assert after[removal] == ("removal", reference, referral_id)
    assert after[typed] == ("removal", reference, referral_id)
    assert after[unknown] == ("callback", None, None)
    assert after[none] == ("removal", None, None)


def test_after_the_migration_a_referral_has_one_referral_item_and_any_number_of_others(db_app):
    reference = refer(db_app)
    with db_app.app_context(), db.engine().connect() as connection:
        referral_id = connection.execute(
            text("SELECT id FROM referrals WHERE reference = :r"), {"r": reference}
        ).scalar_one()
        values = {"r": reference, "id": referral_id, "at": RECEIVED}
        insert = (
            "INSERT INTO intake_items (kind, referral_id, reference, status, received_at, due_at, updated_at) "
            "VALUES (:kind, :id, :r, 'new', :at, :at, :at)"
        )
        for kind in ("removal", "callback", "removal"):
            connection.execute(text(insert), {**values, "kind": kind})
        connection.commit()
        with pytest.raises(IntegrityError):
            connection.execute(text(insert), {**values, "kind": "referral"})
        connection.rollback()
        count = connection.execute(
            text("SELECT count(*) FROM intake_items WHERE referral_id = :id"), {"id": referral_id}
        ).scalar_one()
    assert count == 4
