"""Helpers for the sign-in tests (no tests here): accounts with a known password and authenticator secret."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pyotp
from flask import Flask
from sqlalchemy import select

from portal import db
from portal.models import AuditEvent, OutboxMessage, StaffUser, utcnow
from portal.services import mfa, staff_accounts
from tests.conftest import Page, PageClient

PASSWORD = "correct horse battery staple"
EMAIL = "triage@example.nhs.uk"
# A moment 5 seconds into a 30-second TOTP step, so a frozen clock sits well inside one step.
MONDAY_9AM = datetime(2026, 11, 23, 9, 0, 5, tzinfo=UTC)


def make_account(app: Flask, email: str = EMAIL, role: str = "triage", with_app: bool = True) -> str:
    """An account with PASSWORD and (unless `with_app` is False) an authenticator set up; returns its secret."""
    with app.app_context(), db.unit_of_work():
        user = staff_accounts.create_staff(email, role, PASSWORD)
        secret = mfa.pending_secret(user)
        if with_app:
            user.totp_confirmed_at = utcnow()
    return secret


def code_now(secret: str, seconds_ago: float = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() - seconds_ago)


def give_password(client: PageClient, email: str = EMAIL, password: str = PASSWORD) -> Page:
    client.get("/staff/sign-in")
    return client.post("/staff/sign-in", {"email": email, "password": password})


def sign_in(client: PageClient, secret: str, email: str = EMAIL) -> Page:
    """The whole sign-in, password then code; returns the page the code's POST answers with."""
    page = give_password(client, email)
    assert page.status == 302 and page.response.location.startswith("/staff/sign-in/code"), page.error_summary
    return client.post("/staff/sign-in/code", {"code": code_now(secret)})


def staff_cookie(client: PageClient) -> str | None:
    cookie = client.client.get_cookie("staff")
    return cookie.value if cookie is not None else None


def audit_rows(app: Flask) -> list[tuple[str, str, str]]:
    """(action, actor, detail) of every audit row, oldest first."""
    with app.app_context():
        rows = db.session().scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(row.action, row.actor, row.detail) for row in rows]


def emails_to(app: Flask, address: str) -> list[tuple[str, str, str]]:
    """(purpose, subject, body) of each message queued for an address (sealed: opened to be compared)."""
    with app.app_context():
        rows = db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(row.purpose, row.subject, row.body) for row in rows if row.to_address == address]


def account(app: Flask, email: str = EMAIL) -> Any:
    with app.app_context():
        return db.session().scalar(select(StaffUser).where(StaffUser.email == email))
