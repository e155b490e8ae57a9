"""Staff accounts: argon2id password hashes, one-time set-up links, roles, and lock-out.

An account starts without a password: `flask staff create` prints a one-time
set-up link, so nobody but the staff member ever knows their password, and a
link that leaks after use (or after a day) opens nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select, update

from portal import db
from portal.models import StaffSession, StaffUser, utcnow
from portal.models.staff import ROLES
from portal.services import audit, mail, staff_sessions

__all__ = ["ROLES", "AccountError", "StaffUser"]

HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
MAX_FAILURES = 10
# Verified against when the email is unknown, so both answers take the same time.
_DUMMY_HASH = HASHER.hash("not-a-real-password-but-the-same-cost")
# The 10,000 most common passwords, most common first: the head of the list
# Django ships as django/contrib/auth/common-passwords.txt.gz (Royce Williams's
# list, lowercased), taken from the django 5.2 wheel on PyPI. Read from disk only.
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def _settings():  # type: ignore[no-untyped-def]
    return current_app.config["PORTAL_SETTINGS"]


def find_by_email(email: str) -> StaffUser | None:
    return db.session().scalar(select(StaffUser).where(func.lower(StaffUser.email) == normalise_email(email)))


def find_by_id(user_id: int) -> StaffUser | None:
    return db.session().get(StaffUser, user_id)


def all_staff() -> list[tuple[StaffUser, datetime | None]]:
    """Every account, with when it last signed in (its newest session)."""
    last = (
        select(StaffSession.user_id, func.max(StaffSession.created_at).label("last"))
        .where(StaffSession.mfa_passed.is_(True))
        .group_by(StaffSession.user_id)
        .subquery()
    )
    rows = db.session().execute(
        select(StaffUser, last.c.last).outerjoin(last, last.c.user_id == StaffUser.id).order_by(StaffUser.email)
    )
    return [(user, _aware(when)) for user, when in rows]


def create_staff(email: str, role: str, password: str | None = None) -> StaffUser:
    """Add an account; without a password, the person sets one through a set-up link."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if "@" not in email or len(email) > 254:
        raise AccountError("enter the staff member's work email address")
    if find_by_email(email) is not None:
        raise AccountError("an account with that email already exists")
    user = StaffUser(email=normalise_email(email), role=role, failed_attempts=0)
    if password is not None:
        set_password(user, password)
    db.session().add(user)
    db.session().flush()
    return user


# -- passwords ----------------------------------------------------------------


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(COMMON_PASSWORDS.read_text().split("\n")) - {""}


def password_problem(password: str, email: str) -> str | None:
    """Why this password may not be used, in words for the person, or None if it is fine."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Your password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Your password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    lowered = password.lower()
    email = normalise_email(email)
    if lowered in {email, email.split("@")[0]}:
        return "Your password must not be your email address"
    common = _common_passwords()
    if lowered in common or lowered.rstrip("0123456789!?.*#$@_- ") in common:
        return "Your password is too common: choose one that is harder to guess, like 3 random words"
    return None


def set_password(user: StaffUser, password: str) -> None:
    problem = password_problem(password, user.email or "")
    if problem:
        raise AccountError(problem)
    user.password_hash = HASHER.hash(password)


def password_matches(user: StaffUser | None, password: str) -> bool:
    """Check a password in constant-ish time whether or not the account exists."""
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        HASHER.verify(stored, password[:MAX_PASSWORD_LENGTH])
    except (VerificationError, InvalidHashError):
        return False
    return user is not None and user.password_hash is not None


# -- set-up links -------------------------------------------------------------


def setup_link_hours() -> int:
    return int(_settings().staff_setup_link_hours)


def issue_setup_link(user: StaffUser) -> str:
    """A new one-time link to set a password; any earlier link stops working. Returns the URL."""
    token = secrets.token_urlsafe(32)
    user.setup_token_hash = _hash_token(token)
    user.setup_expires_at = utcnow() + timedelta(hours=_settings().staff_setup_link_hours)
    return f"{_settings().public_base_url}/staff/set-up/{token}"


def find_by_setup_token(token: str | None) -> StaffUser | None:
    """The account a set-up link is for, while the link is unused and in date."""
    if not token or len(token) > 128:
        return None
    user = db.session().scalar(select(StaffUser).where(StaffUser.setup_token_hash == _hash_token(token)))
    if user is None or user.disabled_at is not None or _aware(user.setup_expires_at) <= utcnow():  # type: ignore[operator]
        return None
    return user


def use_setup_link(token: str, password: str) -> StaffUser | None:
    """Set the password through the link, using the link up (one conditional update: it works once)."""
    user = find_by_setup_token(token)
    if user is None:
        return None
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError(problem)
    used = db.session().execute(
        update(StaffUser)
        .where(StaffUser.id == user.id, StaffUser.setup_token_hash == _hash_token(token))
        .values(setup_token_hash=None, setup_expires_at=None, password_hash=HASHER.hash(password))
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        return None
    db.session().refresh(user)
    audit.record("password_set", actor=user.email)
    notify_factor_changed(user, "password_set")
    return user


def reset_password(user: StaffUser, actor: str | None = None) -> str:
    """Clear the password, end every session and issue a new set-up link (for a forgotten password)."""
    user.password_hash = None
    staff_sessions.revoke_all(user)
    audit.record("password_reset", detail=user.email, actor=actor)
    notify_factor_changed(user, "password_reset")
    return issue_setup_link(user)


def disable(user: StaffUser, actor: str | None = None) -> int:
    """Stop the account signing in and end its sessions at once; returns how many were ended."""
    user.disabled_at = utcnow()
    user.setup_token_hash = None
    ended = staff_sessions.revoke_all(user)
    audit.record("staff_account_disabled", detail=f"{user.email}; {ended} sessions ended", actor=actor)
    return ended


# -- failures and lock-out ------------------------------------------------------


def is_locked(user: StaffUser | None) -> bool:
    locked_until = _aware(user.locked_until) if user is not None else None
    return locked_until is not None and locked_until > utcnow()


def can_sign_in(user: StaffUser | None) -> bool:
    return user is not None and user.disabled_at is None and not is_locked(user)


def record_failure(user: StaffUser | None, step: str) -> None:
    """Count a failed password or code; the tenth in a row locks the account for a while (ASVS 2.2.1)."""
    if user is None:
        audit.record("sign_in_failed", detail=step, actor="unknown")
        return
    audit.record("sign_in_failed", detail=step, actor=user.email)
    if is_locked(user):
        return
    user.failed_attempts = (user.failed_attempts or 0) + 1
    if user.failed_attempts >= MAX_FAILURES:
        minutes = _settings().staff_lock_minutes
        user.locked_until = utcnow() + timedelta(minutes=minutes)
        user.failed_attempts = 0
        audit.record(
            "sign_in_locked", detail=f"{MAX_FAILURES} failures; locked for {minutes} minutes", actor=user.email
        )
        notify_factor_changed(user, "locked")


def record_success(user: StaffUser) -> None:
    user.failed_attempts = 0
    user.locked_until = None


# -- telling the person ---------------------------------------------------------


def notify_factor_changed(user: StaffUser, change: str) -> None:
    """Email the staff member when a way they sign in changes (ASVS 2.5.5): what changed, no secret."""
    # Rendered straight from the environment: the command line has no request for context processors.
    template = current_app.jinja_env.get_template("staff/signin/email/factor_changed.txt")
    body = template.render(change=change, team=_settings().team)
    subject = "Signing in to DSR intake is paused" if change == "locked" else "Your DSR intake sign-in has changed"
    mail.queue_message(f"staff_{change}", user.email, subject, body)
