"""Signing a staff member in for tests, through the real session service."""

from __future__ import annotations

from typing import Any

from flask import Flask

from portal import db
from portal.models import StaffUser
from portal.services import staff_accounts, staff_sessions
from portal.staff.auth import cookie_name

PASSWORD = "correct horse battery staple"


def create_staff(app: Flask, email: str = "triage@example.nhs.uk", role: str = "triage") -> StaffUser:
    with app.app_context(), db.unit_of_work():
        return staff_accounts.create_staff(email, role, PASSWORD)


def sign_in_as(app: Flask, client: Any, email: str = "triage@example.nhs.uk", role: str = "triage") -> StaffUser:
    """Create (if needed) and sign in a staff member who has passed MFA; sets the cookie on `client`."""
    with app.app_context():
        user = staff_accounts.find_by_email(email)
        with db.unit_of_work():
            if user is None:
                user = staff_accounts.create_staff(email, role, PASSWORD)
            db.session().flush()
            token = staff_sessions.start_session(user, mfa_passed=True)
        with app.test_request_context():
            name = cookie_name()
    raw = client.client if hasattr(client, "client") else client
    raw.set_cookie(name, token)
    return user
