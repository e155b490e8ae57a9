"""Commands an operator runs: `flask --app portal <group> <command>`."""

from flask import Flask

from portal.cli import consent, database, drafts, intake, keys, mail, retention, seed, staff


def register_commands(app: Flask) -> None:
    app.cli.add_command(database.group)
    app.cli.add_command(mail.group)
    app.cli.add_command(keys.group)
    app.cli.add_command(drafts.group)
    app.cli.add_command(intake.group)
    app.cli.add_command(retention.group)
    app.cli.add_command(seed.group)
    app.cli.add_command(staff.group)
    app.cli.add_command(consent.group)
