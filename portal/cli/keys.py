"""`flask keys rotate`: re-seal every stored document under the newest key."""

from __future__ import annotations

import click
from cryptography.fernet import Fernet
from flask.cli import AppGroup
from sqlalchemy import select

from portal import db
from portal.models import Draft, Referral
from portal.services import crypto

group = AppGroup("keys", help="Encryption keys for personal data at rest.")


@group.command("generate")
def generate() -> None:
    """Print a new key to put first in ENCRYPTION_KEYS."""
    click.echo(Fernet.generate_key().decode())


@group.command("rotate")
def rotate() -> None:
    """After putting a new key first in ENCRYPTION_KEYS: re-seal everything, then drop old keys."""
    count = 0
    with db.unit_of_work() as session:
        for model in (Referral, Draft):
            for record in session.scalars(select(model).where(model.answers_sealed.is_not(None))):
                record.answers_sealed = crypto.reseal(record.answers_sealed)
                count += 1
    click.echo(f"re-sealed {count} records under the newest key")
