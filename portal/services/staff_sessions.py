"""Server-side staff sessions: the cookie holds a random token, the database its hash.

Sign-out, "sign out everywhere" and disabling an account end sessions at once
(ASVS 3.3.1); sessions time out after idling (default 20 minutes) and after
12 hours whatever happens (3.3.2).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import update

from portal import db
from portal.models import StaffSession, StaffUser, utcnow

IDLE_TIMEOUT = timedelta(minutes=20)
ABSOLUTE_TIMEOUT = timedelta(hours=12)


def idle_timeout() -> timedelta:
    """`STAFF_IDLE_MINUTES` (20 unless set; never more than 30)."""
    if has_app_context():
        return timedelta(minutes=current_app.config["PORTAL_SETTINGS"].staff_idle_minutes)
    return IDLE_TIMEOUT


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def start_session(user: StaffUser, mfa_passed: bool = False) -> str:
    """A new session with a new id (3.2.1); returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session().add(
        StaffSession(
            id=_hash(token),
            user_id=user.id,
            mfa_passed=mfa_passed,
            created_at=now,
            last_seen_at=now,
            expires_at=now + ABSOLUTE_TIMEOUT,
        )
    )
    return token


def find_session(token: str | None, idle: timedelta | None = None) -> StaffSession | None:
    """The live session for this token, or None if it is unknown, revoked, idle too long or too old."""
    if not token or len(token) > 128:
        return None
    found = db.session().get(StaffSession, _hash(token))
    if found is None or found.revoked_at is not None or found.user.disabled_at is not None:
        return None
    now = utcnow()
    if _aware(found.expires_at) <= now or _aware(found.last_seen_at) + (idle or idle_timeout()) <= now:
        return None
    return found


def pass_mfa(pending: StaffSession) -> str:
    """The second factor is done: end the half-signed-in session and start a new one (new id, 3.2.1)."""
    revoke(pending)
    return start_session(pending.user, mfa_passed=True)


def touch(found: StaffSession) -> None:
    found.last_seen_at = utcnow()


def revoke(found: StaffSession) -> None:
    if found.revoked_at is None:
        found.revoked_at = utcnow()


def revoke_all(user: StaffUser) -> int:
    """Sign out everywhere: end every session of this user."""
    result = db.session().execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount or 0
