"""Due dates, days left and overdue, at the boundaries the team will meet: midnight, the clocks changing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from portal.services import due_dates
from tests.staff.test_queue import add_item, references_on, staff_client


@pytest.mark.parametrize(
    ("received", "due_on"),
    [
        (datetime(2026, 3, 10, 12, 0, tzinfo=UTC), "2026-04-07"),  # the clocks go forward on 29 March
        (datetime(2026, 10, 19, 23, 30, tzinfo=UTC), "2026-11-17"),  # 00:30 BST on 20 October
        (datetime(2026, 6, 1, 23, 30, tzinfo=UTC), "2026-06-30"),  # 00:30 BST on 2 June
        (datetime(2026, 1, 31, 23, 59, tzinfo=UTC), "2026-02-28"),
    ],
)
def test_a_referral_is_due_28_calendar_days_after_the_day_it_arrived_in_england(app, received, due_on):
    with app.app_context():
        assert due_dates.local_date(due_dates.review_due(received)).isoformat() == due_on


def test_days_left_count_calendar_days_not_hours():
    due = datetime(2026, 4, 7, 11, 0, tzinfo=UTC)
    assert due_dates.days_left(due, datetime(2026, 4, 6, 23, 30, tzinfo=UTC)) == 0  # 00:30 BST on the 7th
    assert due_dates.days_left(due, datetime(2026, 4, 6, 22, 59, tzinfo=UTC)) == 1
    assert due_dates.days_left(due, datetime(2026, 4, 7, 22, 59, tzinfo=UTC)) == 0
    assert due_dates.days_left(due, datetime(2026, 4, 7, 23, 0, tzinfo=UTC)) == -1
    assert due_dates.overdue_before(datetime(2026, 4, 7, 12, 0, tzinfo=UTC)) == datetime(2026, 4, 6, 23, 0, tzinfo=UTC)


RECEIVED = datetime(2026, 2, 2, 10, 0, tzinfo=UTC)  # due 2 March 2026, 10:00 GMT


@pytest.mark.parametrize(
    ("now", "shown", "overdue"),
    [
        (datetime(2026, 3, 1, 23, 59, tzinfo=UTC), "1 day", False),
        (datetime(2026, 3, 2, 0, 0, tzinfo=UTC), "Due today", False),
        (datetime(2026, 3, 2, 23, 59, tzinfo=UTC), "Due today", False),
        (datetime(2026, 3, 3, 0, 0, tzinfo=UTC), "Overdue 1 day late", True),
        (datetime(2026, 3, 12, 9, 0, tzinfo=UTC), "Overdue 10 days late", True),
    ],
)
def test_the_queue_shows_days_left_and_overdue_at_the_boundaries(app, now, shown, overdue):
    reference = add_item(app, RECEIVED)
    staff = staff_client(app)
    with time_machine.travel(now, tick=False):
        page = staff.get("/staff/queue")
        only_overdue = staff.get("/staff/queue?overdue=yes")
    cells = page.select("table.app-queue tbody tr")[0].select("td")
    assert cells[3].get_text(strip=True) == "2 Mar 2026"
    assert " ".join(cells[4].get_text(" ").split()) == shown
    assert bool(cells[4].select(".nhsuk-tag--red")) is overdue
    assert references_on(only_overdue) == ([reference] if overdue else [])


def test_a_person_told_in_time_is_not_overdue(app):
    add_item(app, RECEIVED, outcome="accepted", rating="green", communicated_at=RECEIVED + timedelta(days=20))
    staff = staff_client(app)
    with time_machine.travel(datetime(2026, 3, 20, tzinfo=UTC), tick=False):
        page = staff.get("/staff/queue")
        assert staff.get("/staff/queue?overdue=yes").select("table.app-queue") == []
    assert page.select("table.app-queue tbody td")[4].get_text(strip=True) == "Done"
