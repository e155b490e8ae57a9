"""`flask db upgrade` / `flask db revision`: Alembic, pointed at the portal's database."""

from __future__ import annotations

import click
from alembic import command
from alembic.config import Config
from flask import current_app
from flask.cli import AppGroup

from portal.config import ROOT

group = AppGroup("db", help="Database migrations.")


def alembic_config() -> Config:
    return Config(str(ROOT / "alembic.ini"))


def upgrade(revision: str = "head") -> None:
    """Apply migrations up to `revision` on the app's database."""
    config = alembic_config()
    with current_app.extensions["engine"].connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()


@group.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    upgrade(revision)
    click.echo(f"database at {revision}")


@group.command("revision")
@click.option("-m", "--message", required=True)
def revision_command(message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    config = alembic_config()
    with current_app.extensions["engine"].connect() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
