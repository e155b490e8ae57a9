"""`flask mail deliver`: send what the outbox holds, once or for ever."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from portal.services import mail

group = AppGroup("mail", help="Email delivery from the outbox.")


@group.command("deliver")
@click.option("--forever", is_flag=True, help="Keep delivering; for a worker process.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls with --forever.")
def deliver(forever: bool, interval: float) -> None:
    while True:
        sent, failed = mail.deliver_due()
        if not forever:
            click.echo(f"sent {sent}, failed {failed}, waiting {mail.backlog()}")
            return
        if sent == 0:
            time.sleep(interval)
