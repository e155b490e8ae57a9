"""Helpers for the consent lifecycle: referrals made through the real journey, links issued by the real service."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update

from portal import db
from portal.models import ConsentEvent, IntakeItem, Referral, SignedLink
from portal.services import crypto, signed_links
from tests.conftest import PageClient
from tests.support.journey import PAGES, submit, walk_to_check

BIRTHDAY = {"date_of_birth-day": "29", "date_of_birth-month": "2", "date_of_birth-year": "2000"}
WRONG_BIRTHDAY = {"date_of_birth-day": "1", "date_of_birth-month": "3", "date_of_birth-year": "2000"}
NONCE = re.compile(r'nonce="[^"]*"|nonce-[A-Za-z0-9_-]+')


def make_referral(client: PageClient, **changes: dict[str, Any]) -> str:
    walk_to_check(client, **changes)
    return submit(client).text_of(".app-reference")


def by_email(client: PageClient, **changes: dict[str, Any]) -> str:
    """A referral whose person is safe to email (and to write to)."""
    safe = {**PAGES["safe-contact"], "safe_contact": ["email", "letter"]}
    return make_referral(client, safe_contact=safe, **changes)


def referral(app: Flask, reference: str) -> Referral:
    with app.app_context():
        found = db.session().scalar(select(Referral).where(Referral.reference == reference))
        assert found is not None
        found.consent_events  # noqa: B018 (load before the session closes)
        return found


def consent_given_days_ago(app: Flask, reference: str, days: int) -> None:
    """Move the whole consent history back in time, as if given `days` ago."""
    with app.app_context(), db.unit_of_work() as session:
        found = session.scalar(select(Referral).where(Referral.reference == reference))
        for event in found.consent_events:
            event.occurred_at = event.occurred_at - timedelta(days=days)


def issue_token(app: Flask, reference: str, purpose: str = "reconfirm", **options: Any) -> str:
    with app.test_request_context(), db.unit_of_work() as session:
        found = session.scalar(select(Referral).where(Referral.reference == reference))
        link = signed_links.issue(purpose, referral=found, **options)
        return signed_links.token_for(link)


def links(app: Flask) -> list[SignedLink]:
    with app.app_context():
        return list(db.session().scalars(select(SignedLink).order_by(SignedLink.id)))


def events(app: Flask, reference: str) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session().execute(
            select(ConsentEvent.kind, ConsentEvent.given_by, ConsentEvent.channel)
            .join(Referral)
            .where(Referral.reference == reference)
            .order_by(ConsentEvent.id)
        )
        return [tuple(row) for row in rows]


def intake(app: Flask, kind: str) -> list[dict[str, Any]]:
    with app.app_context():
        items = db.session().scalars(select(IntakeItem).where(IntakeItem.kind == kind).order_by(IntakeItem.id))
        return [crypto.unseal(item.details_sealed) for item in items]


def expire_all_links(app: Flask) -> None:
    with app.app_context(), db.unit_of_work() as session:
        session.execute(update(SignedLink).values(expires_at=SignedLink.issued_at))


def same_page(page: Any) -> tuple[int, str]:
    """Status and body with the per-request CSP nonce taken out (it differs on every response)."""
    return page.status, NONCE.sub("nonce", page.html)


def answer(client: PageClient, token: str, decision: str, purpose: str = "reconfirm", **extra: str) -> Any:
    confirmed = client.post(f"/consent/{purpose}/{token}", BIRTHDAY, expect=302)
    assert confirmed.response.location.endswith("/answer")
    return client.post(f"/consent/{purpose}/{token}/answer", {"decision": decision, **extra})


@pytest.fixture
def app(app: Flask) -> Flask:
    """The portal, with link checks limited only by `test_link_checks_are_rate_limited`'s own app."""
    app.config["PORTAL_SETTINGS"].consent_link_rate_limit = "10000 per minute"
    return app


@pytest.fixture
def consent_client(app: Flask) -> PageClient:
    return PageClient(app.test_client())
