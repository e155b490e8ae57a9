"""The second factor every staff account must have: an authenticator app (TOTP) and recovery codes.

TOTP: 6 digits, 30-second steps, one step of clock drift either way. The step a
code was accepted for is stored, and a code is accepted only for a later step,
so a code seen over someone's shoulder cannot be used again (ASVS 2.8.4). The
secret is stored sealed. Recovery codes are random (80 bits), shown once, stored
only as hashes, and each works once.
"""

from __future__ import annotations

import hashlib
import secrets
import time

import pyotp
import segno
from pyotp.utils import strings_equal
from sqlalchemy import delete, func, or_, select, update

from portal import db
from portal.models import RecoveryCode, StaffUser, utcnow
from portal.services import audit, crypto, staff_accounts, staff_sessions

DIGITS = 6
INTERVAL = 30
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base32: no i, l, o, u
ISSUER = "DSR intake"


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)


def pending_secret(user: StaffUser) -> str:
    """The secret being set up: made (and stored sealed) on first sight, kept until confirmed."""
    if user.totp_confirmed_at is not None:
        raise ValueError("this account already has an authenticator app")
    if user.totp_secret_sealed:
        return str(crypto.unseal(user.totp_secret_sealed)["totp"])
    secret = pyotp.random_base32()
    user.totp_secret_sealed = crypto.seal({"totp": secret})
    return secret


def grouped(secret: str) -> str:
    """The secret in groups of 4, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(user: StaffUser, secret: str) -> str:
    """The set-up QR code as an SVG data URI, which our CSP allows (`img-src 'self' data:`)."""
    uri = _totp(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4)


def _matching_step(secret: str, code: str) -> int | None:
    """The time step this code belongs to, within one step either side of now, or None."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdecimal():
        return None
    totp = _totp(secret)
    now = totp.timecode(time.time())
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if strings_equal(code, totp.generate_otp(step)):
            return step
    return None


def _use_step(user: StaffUser, step: int) -> bool:
    """Accept the step only if it is later than the last one used: one conditional update."""
    result = db.session().execute(
        update(StaffUser)
        .where(
            StaffUser.id == user.id,
            or_(StaffUser.last_totp_step.is_(None), StaffUser.last_totp_step < step),
        )
        .values(last_totp_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        user.last_totp_step = step
        return True
    return False


def verify_code(user: StaffUser, code: str) -> bool:
    """A signed-up user's code: right, in date and not used before."""
    if user.totp_confirmed_at is None or not user.totp_secret_sealed:
        return False
    step = _matching_step(str(crypto.unseal(user.totp_secret_sealed)["totp"]), code)
    return step is not None and _use_step(user, step)


def confirm_set_up(user: StaffUser, code: str) -> list[str] | None:
    """Finish setting up the app with its first code; returns new recovery codes, or None if the code is wrong."""
    if user.totp_confirmed_at is not None or not user.totp_secret_sealed:
        return None
    step = _matching_step(str(crypto.unseal(user.totp_secret_sealed)["totp"]), code)
    if step is None or not _use_step(user, step):
        return None
    user.totp_confirmed_at = utcnow()
    codes = replace_recovery_codes(user)
    audit.record("mfa_set_up", actor=user.email)
    staff_accounts.notify_factor_changed(user, "mfa_set_up")
    return codes


def reset(user: StaffUser, actor: str | None = None) -> None:
    """Forget the app and recovery codes and sign out everywhere: the person sets up again at next sign-in."""
    user.totp_secret_sealed = None
    user.totp_confirmed_at = None
    user.last_totp_step = None
    db.session().execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    staff_sessions.revoke_all(user)
    audit.record("mfa_reset", detail=user.email, actor=actor)
    staff_accounts.notify_factor_changed(user, "mfa_reset")


# -- recovery codes -------------------------------------------------------------


def _normalise_recovery_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.lower() if ch.isalnum())
    return cleaned.translate(str.maketrans({"o": "0", "i": "1", "l": "1"}))


def _hash_recovery_code(code: str) -> str:
    return hashlib.sha256(_normalise_recovery_code(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def replace_recovery_codes(user: StaffUser) -> list[str]:
    """New codes, to show once; earlier codes stop working."""
    session = db.session()
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(code)) for code in codes)
    return codes


def recovery_codes_left(user: StaffUser) -> int:
    return (
        db.session().scalar(select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))
        or 0
    )


def use_recovery_code(user: StaffUser, code: str) -> bool:
    """Use one recovery code instead of an app code; each works once (one conditional update)."""
    if user.totp_confirmed_at is None or len(code) > 64:
        return False
    result = db.session().execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery_code(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    left = recovery_codes_left(user)
    audit.record("recovery_code_used", detail=f"{left} left", actor=user.email)
    staff_accounts.notify_factor_changed(user, "recovery_code_used")
    return True
