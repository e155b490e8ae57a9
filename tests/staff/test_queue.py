"""The intake queue page: filters, sort, search and pagination, as the team sees them.

Items are written straight into the database (the list shows no personal data,
so no answers are needed); the record-page tests make referrals through the
public journey instead.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask

from portal import db
from portal.models import IntakeItem, Referral
from portal.services.due_dates import review_due
from portal.services.references import new_reference
from tests.conftest import PageClient
from tests.support.staff import sign_in_as

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def add_item(app: Flask, received_at: datetime, **fields: Any) -> str:
    """One referral's queue entry, with no answers: enough for the list, the claim and the figures."""
    with app.app_context(), db.unit_of_work() as session:
        due = review_due(received_at)
        referral = Referral(
            reference=fields.pop("reference", None) or new_reference(),
            submission_id=secrets.token_urlsafe(16),
            submitted_by="self",
            received_at=received_at,
            review_due_at=due,
        )
        session.add(referral)
        session.flush()
        item = IntakeItem(
            referral_id=referral.id, received_at=received_at, due_at=due, **{"kind": "referral", **fields}
        )
        session.add(item)
        return referral.reference


def staff_client(app: Flask, email: str = "triage@example.nhs.uk", role: str = "triage") -> PageClient:
    client = PageClient(app.test_client())
    sign_in_as(app, client, email, role)
    return client


def references_on(page: Any) -> list[str]:
    return [a.get_text(strip=True) for a in page.select("table.app-queue a.app-reference")]


@pytest.fixture
def staff(app: Flask) -> PageClient:
    return staff_client(app)


def test_the_queue_lists_items_most_urgent_first_with_no_personal_data(app, staff):
    later = add_item(app, NOW - timedelta(days=1))
    sooner = add_item(app, NOW - timedelta(days=20))
    with time_machine.travel(NOW, tick=False):
        page = staff.get("/staff/queue")
    assert page.h1 == "Intake queue"
    assert references_on(page) == [sooner, later]
    headers = [th.get_text(strip=True) for th in page.select("table.app-queue th")]
    assert headers == ["Reference", "Kind", "Received", "Due", "Days left", "Status", "Claimed by"]
    first_row = [td.get_text(" ", strip=True) for td in page.select("table.app-queue tbody tr")[0].select("td")]
    assert first_row[1:6] == ["Referral", "18 Feb 2026", "18 Mar 2026", "8 days", "New"]
