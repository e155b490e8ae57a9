"""`flask staff create|disable|list|reset-password|reset-authenticator`: the DSR team's accounts.

`create` prints a one-time set-up link rather than a temporary password: the
person chooses their own password, so the administrator never knows it; the
link works once and expires (a day unless `STAFF_SETUP_LINK_HOURS` says
otherwise); and a link is useless after use, where a temporary password that
is never changed stays valid. The link is printed to the terminal only, never
logged; the database keeps only its hash.
"""

from __future__ import annotations

import getpass

import click
from flask.cli import AppGroup

from portal import db
from portal.services import audit, mfa, staff_accounts

group = AppGroup("staff", help="Staff accounts for the DSR team's intake.")


def _operator() -> str:
    """Who ran the command, for the audit log."""
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):
        return "command line"


def _find(email: str) -> staff_accounts.StaffUser:
    user = staff_accounts.find_by_email(email)
    if user is None:
        raise click.ClickException("there is no staff account with that email")
    return user


@group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(staff_accounts.ROLES), required=True, help="triage or admin")
def create(email: str, role: str) -> None:
    """Add an account and print its one-time set-up link (send it to the person only)."""
    try:
        with db.unit_of_work():
            user = staff_accounts.create_staff(email, role)
            link = staff_accounts.issue_setup_link(user)
            audit.record("staff_account_created", detail=f"{user.email} as {role}", actor=_operator())
    except staff_accounts.AccountError as problem:
        raise click.ClickException(str(problem)) from problem
    hours = staff_accounts.setup_link_hours()
    article = "an" if role == "admin" else "a"
    click.echo(f"Created {article} {role} account for {user.email}.")
    click.echo(f"Send this set-up link to them only. It works once, for {hours} hours:")
    click.echo(link)


@group.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Stop an account signing in; every session it has ends at once."""
    with db.unit_of_work():
        user = _find(email)
        ended = staff_accounts.disable(user, actor=_operator())
    click.echo(f"Disabled {user.email}; ended {ended} session(s).")


@group.command("reset-password")
@click.argument("email")
def reset_password(email: str) -> None:
    """For a forgotten password: sign the person out everywhere and print a new set-up link."""
    with db.unit_of_work():
        user = _find(email)
        if user.disabled_at is not None:
            raise click.ClickException("that account is disabled")
        link = staff_accounts.reset_password(user, actor=_operator())
    click.echo(f"Reset the password of {user.email} and signed them out everywhere. Send them this link:")
    click.echo(link)


@group.command("reset-authenticator")
@click.argument("email")
def reset_authenticator(email: str) -> None:
    """For a lost phone with no recovery codes: the person sets up an app again at next sign-in."""
    with db.unit_of_work():
        user = _find(email)
        mfa.reset(user, actor=_operator())
    click.echo(f"Reset the authenticator app of {user.email} and signed them out everywhere.")


@group.command("list")
def list_staff() -> None:
    """Every account: role, state, whether the authenticator app is set up, last sign-in."""
    with db.unit_of_work():
        rows = staff_accounts.all_staff()
    if not rows:
        click.echo("No staff accounts yet. Add one with: flask --app portal staff create EMAIL --role admin")
        return
    for user, last in rows:
        if user.disabled_at is not None:
            state = "disabled"
        elif user.password_hash is None:
            state = "waiting for set-up"
        elif staff_accounts.is_locked(user):
            state = "locked"
        else:
            state = "active"
        app = "app set up" if user.totp_confirmed_at else "no app yet"
        seen = f"last signed in {last:%Y-%m-%d %H:%M} UTC" if last else "never signed in"
        click.echo(f"{user.email}\t{user.role}\t{state}\t{app}\t{seen}")
