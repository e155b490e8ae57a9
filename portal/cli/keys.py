"""`flask keys generate` / `flask keys rotate`: encryption keys for personal data at rest."""

from __future__ import annotations

from typing import Any

import click
from cryptography.fernet import Fernet
from flask.cli import AppGroup
from sqlalchemy import Column, bindparam, select, update

from portal import db
from portal.models import Base
from portal.services import crypto

group = AppGroup("keys", help="Encryption keys for personal data at rest.")

BATCH_SIZE = 500
SEALED_SUFFIX = "_sealed"


@group.command("generate")
def generate() -> None:
    """Print a new key to put first in ENCRYPTION_KEYS."""
    click.echo(Fernet.generate_key().decode())


@group.command("rotate")
@click.option("--batch-size", default=BATCH_SIZE, show_default=True, help="Records re-sealed per transaction.")
def rotate(batch_size: int) -> None:
    """After putting a new key first in ENCRYPTION_KEYS: re-seal everything, then drop old keys."""
    count = sum(reseal_all(column, batch_size) for column in sealed_columns())
    click.echo(f"re-sealed {count} records under the newest key")


def sealed_columns() -> list[Column[Any]]:
    """Every column that holds sealed data, found by its name: one added later is rotated too."""
    return [
        column
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if column.name.endswith(SEALED_SUFFIX)
    ]


def reseal_all(column: Column[Any], batch_size: int = BATCH_SIZE) -> int:
    """Re-seal one column a batch at a time, so memory stays flat however many records there are.

    Each batch is its own transaction. A value changed since it was read (a
    person saving a draft, an erasure) is left alone rather than overwritten:
    whoever changed it sealed it with the newest key already.
    """
    table = column.table
    key = next(iter(table.primary_key.columns))
    change = (
        update(table)
        .where(key == bindparam("row_id"), column == bindparam("was"))
        .values({column.name: bindparam("sealed")})
    )
    count = 0
    last_id: int | str | None = None
    while True:
        with db.unit_of_work() as session:
            batch = select(key, column).where(column.is_not(None))
            if last_id is not None:
                batch = batch.where(key > last_id)
            rows = session.execute(batch.order_by(key).limit(batch_size)).all()
            if not rows:
                return count
            session.connection().execute(
                change, [{"row_id": id_, "was": sealed, "sealed": crypto.reseal(sealed)} for id_, sealed in rows]
            )
        count += len(rows)
        last_id = rows[-1][0]
