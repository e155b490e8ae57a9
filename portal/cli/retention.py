"""`flask retention purge`: erase personal data of items closed longer ago than the retention period."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.services import retention

group = AppGroup("retention", help="Removing personal data on schedule.")


@group.command("purge")
def purge() -> None:
    """Safe to run daily (e.g. from cron or a systemd timer): a second run finds nothing to do."""
    report = retention.purge()
    for line in report.lines():
        click.echo(line)
