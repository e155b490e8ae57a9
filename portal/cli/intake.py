"""`flask intake digest`: the team's daily email of new, due and overdue items (references only)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.services import dashboard

group = AppGroup("intake", help="The DSR team's intake queue.")


@group.command("digest")
def digest() -> None:
    """Queue today's digest to the team mailbox; safe to run more than once a day."""
    queued, found = dashboard.queue_daily_digest()
    counts = f"{len(found.new)} new, {len(found.due_this_week)} due this week, {len(found.overdue)} overdue"
    if queued:
        click.echo(f"queued the digest for {found.day.isoformat()}: {counts}")
    else:
        click.echo(f"the digest for {found.day.isoformat()} was already queued; nothing to do")
