"""The intake queue page: filters, sort, search and pagination, as the team sees them.

Items are written straight into the database (the list shows no personal data,
so no answers are needed); the record-page tests make referrals through the
public journey instead.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import text

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


def test_filters_by_kind_status_and_overdue_with_a_get_form(app, staff):
    overdue = add_item(app, NOW - timedelta(days=40))
    removal = add_item(app, NOW - timedelta(days=5), kind="removal")
    waiting = add_item(app, NOW - timedelta(days=6), status="waiting_for_information")
    closed = add_item(app, NOW - timedelta(days=50), status="closed")
    with time_machine.travel(NOW, tick=False):
        everything = staff.get("/staff/queue")
        assert references_on(everything) == [overdue, waiting, removal]
        assert everything.soup.select_one("form[method=get]")["action"] == "/staff/queue"
        assert references_on(staff.get("/staff/queue?kind=removal")) == [removal]
        assert references_on(staff.get("/staff/queue?kind=referral&kind=removal")) == [overdue, waiting, removal]
        assert references_on(staff.get("/staff/queue?status=waiting_for_information")) == [waiting]
        assert references_on(staff.get("/staff/queue?status=closed&status=new")) == [closed, overdue, removal]
        assert references_on(staff.get("/staff/queue?overdue=yes")) == [overdue]
        assert references_on(staff.get("/staff/queue?overdue=yes&kind=removal")) == []
        ticked = staff.get("/staff/queue?kind=removal&overdue=yes")
    assert ticked.soup.select_one("input[name=kind][value=removal]").has_attr("checked")
    assert ticked.soup.select_one("input[name=overdue][value=yes]").has_attr("checked")
    assert "No items match" in ticked.text_of("main")


def test_an_unknown_filter_value_is_reported_not_obeyed(app, staff):
    add_item(app, NOW - timedelta(days=2))
    page = staff.get("/staff/queue?status=deleted")
    assert page.error_summary == ["Select one of the options for status"]
    assert len(references_on(page)) == 1


@pytest.mark.parametrize("typed", ["{ref}", "{lower}", "{spaced}", "{bare}", "  {lower}  "])
def test_search_accepts_a_reference_as_a_person_types_it(app, staff, typed):
    wanted = add_item(app, NOW - timedelta(days=60), status="closed")
    add_item(app, NOW - timedelta(days=3))
    compact = wanted.replace("-", "")
    text = typed.format(ref=wanted, lower=wanted.lower(), spaced=wanted.replace("-", " "), bare=compact[3:])
    page = staff.get(f"/staff/queue?reference={text}")
    assert references_on(page) == [wanted]


def test_a_reference_that_cannot_be_one_says_what_to_type(app, staff):
    add_item(app, NOW - timedelta(days=3))
    page = staff.get("/staff/queue?reference=DSR-12")
    assert page.error_summary == ["Enter a reference like DSR-7KQM-4TXH"]
    assert page.error_for("reference") == "Error: Enter a reference like DSR-7KQM-4TXH"


def test_the_queue_pages_25_at_a_time_keeping_the_filters(app, staff):
    made = [add_item(app, NOW - timedelta(days=30, hours=n)) for n in range(30)]
    add_item(app, NOW, kind="callback")
    by_due = list(reversed(made))
    first = staff.get("/staff/queue?kind=referral")
    assert references_on(first) == by_due[:25]
    assert "Showing 1 to 25 of 30 items" in first.text_of(".app-queue-count")
    next_link = first.soup.select_one("nav.nhsuk-pagination a[rel=next]")["href"]
    assert "kind=referral" in next_link and "page=2" in next_link
    second = staff.get(next_link)
    assert references_on(second) == by_due[25:]
    assert second.soup.select_one(".nhsuk-pagination__item--current a")["aria-current"] == "page"
    assert references_on(staff.get("/staff/queue?kind=referral&page=99")) == by_due[25:]
    assert not staff.get("/staff/queue?kind=callback").select("nav.nhsuk-pagination")


def test_the_queue_stays_fast_with_100000_items(app, staff):
    """The list decrypts nothing, reads one page through the (status, due_at) index and counts it quickly."""
    with app.app_context(), db.unit_of_work() as session:
        start = NOW - timedelta(days=200)
        session.execute(
            IntakeItem.__table__.insert(),
            [
                {
                    "kind": "referral",
                    "status": ("new", "in_review", "closed")[n % 3],
                    "received_at": start + timedelta(minutes=n),
                    "due_at": start + timedelta(days=28, minutes=n),
                    "updated_at": start,
                }
                for n in range(100_000)
            ],
        )
        plan = " ".join(
            str(row)
            for row in session.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT id FROM intake_items WHERE status IN ('new', 'in_review')"
                    " ORDER BY due_at LIMIT 25"
                )
            )
        )
    assert "ix_intake_items_status_due" in plan
    staff.get("/staff/queue")
    started = time.perf_counter()
    page = staff.get("/staff/queue?overdue=yes&page=500")
    elapsed = time.perf_counter() - started
    assert "of 66,667 items" in page.text_of(".app-queue-count")
    assert elapsed < 1.0, f"the queue took {elapsed:.2f}s"
