"""`flask keys generate` / `flask keys rotate`: encryption keys for personal data at rest."""

from __future__ import annotations

import click
from cryptography.fernet import Fernet
from flask.cli import AppGroup
from sqlalchemy import bindparam, select, update

from portal import db
from portal.models import Draft, Referral
from portal.services import crypto

group = AppGroup("keys", help="Encryption keys for personal data at rest.")

BATCH_SIZE = 500


@group.command("generate")
def generate() -> None:
    """Print a new key to put first in ENCRYPTION_KEYS."""
    click.echo(Fernet.generate_key().decode())


@group.command("rotate")
@click.option("--batch-size", default=BATCH_SIZE, show_default=True, help="Records re-sealed per transaction.")
def rotate(batch_size: int) -> None:
    """After putting a new key first in ENCRYPTION_KEYS: re-seal everything, then drop old keys."""
    count = sum(reseal_all(model, batch_size) for model in (Referral, Draft))
    click.echo(f"re-sealed {count} records under the newest key")


def reseal_all(model: type[Referral] | type[Draft], batch_size: int = BATCH_SIZE) -> int:
    """Re-seal one table a batch at a time, so memory stays flat however many records there are.

    Each batch is its own transaction. A row changed since it was read (a
    person saving a draft, an erasure) is left alone rather than overwritten:
    whoever changed it sealed it with the newest key already.
    """
    table = model.__table__
    change = (
        update(table)
        .where(table.c.id == bindparam("row_id"), table.c.answers_sealed == bindparam("was"))
        .values(answers_sealed=bindparam("sealed"))
    )
    count = 0
    last_id: int | str | None = None
    while True:
        with db.unit_of_work() as session:
            batch = select(table.c.id, table.c.answers_sealed).where(table.c.answers_sealed.is_not(None))
            if last_id is not None:
                batch = batch.where(table.c.id > last_id)
            rows = session.execute(batch.order_by(table.c.id).limit(batch_size)).all()
            if not rows:
                return count
            session.connection().execute(
                change, [{"row_id": id_, "was": sealed, "sealed": crypto.reseal(sealed)} for id_, sealed in rows]
            )
        count += len(rows)
        last_id = rows[-1][0]
