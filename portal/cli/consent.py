"""`flask consent send-reminders`: the daily reconfirmation run (safe to run twice, or from cron)."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from portal.models import utcnow
from portal.services import reminders

group = AppGroup("consent", help="Yearly reconfirmation of consent.")


@group.command("send-reminders")
@click.option("--now", "now_text", default="", help="Pretend it is this moment (ISO 8601), for catching up.")
def send_reminders(now_text: str) -> None:
    """Send first and second reminders, record lapses, tell the team; print what was done."""
    now = datetime.fromisoformat(now_text) if now_text else utcnow()
    # Templates are rendered as if for a request: the staff context processor reads `request`.
    with current_app.test_request_context("/"):
        report = reminders.send_reminders(now)
    for line in report.lines():
        click.echo(line)
