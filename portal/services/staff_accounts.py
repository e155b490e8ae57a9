"""Staff accounts: argon2id password hashes, roles, and lock-out after repeated failures."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from portal import db
from portal.models import StaffUser
from portal.models.staff import ROLES

HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
MIN_PASSWORD_LENGTH = 12
# Verified against when the email is unknown, so both answers take the same time.
_DUMMY_HASH = HASHER.hash("not-a-real-password-but-the-same-cost")


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> StaffUser | None:
    return db.session().scalar(select(StaffUser).where(func.lower(StaffUser.email) == normalise_email(email)))


def create_staff(email: str, role: str, password: str | None = None) -> StaffUser:
    """Add an account; the password may be set later at first sign-in."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if find_by_email(email) is not None:
        raise AccountError("an account with that email already exists")
    user = StaffUser(email=normalise_email(email), role=role)
    if password is not None:
        set_password(user, password)
    db.session().add(user)
    return user


def set_password(user: StaffUser, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = HASHER.hash(password)


def password_matches(user: StaffUser | None, password: str) -> bool:
    """Check a password in constant-ish time whether or not the account exists."""
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    return user is not None and user.password_hash is not None
