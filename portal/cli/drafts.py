"""`flask drafts purge`: delete answers nobody finished, once they have expired.

Expired drafts are already unreadable through the site; purging removes them
from the database too, so personal data is not kept longer than it is useful.
Run it from a scheduler (every few minutes is fine: it is one DELETE).
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal import db
from portal.services import drafts

group = AppGroup("drafts", help="Answers in progress.")


@group.command("purge")
def purge() -> None:
    """Delete every expired draft and say how many went."""
    with db.unit_of_work():
        deleted = drafts.purge_expired()
    click.echo(f"deleted {deleted} expired {'draft' if deleted == 1 else 'drafts'}")
