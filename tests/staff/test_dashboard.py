"""The dashboard's figures on known data, shown as numbers, a table and an accessible SVG chart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from portal.services.dashboard import figures
from tests.staff.test_queue import add_item, staff_client

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def day(days_ago: int) -> datetime:
    return NOW - timedelta(days=days_ago)


def known_data(app) -> None:
    """Two decisions in the last 90 days (10 and 20 days), one told in time, one late; one overdue."""
    add_item(
        app, day(50), status="accepted", outcome="accepted", rating="amber", outcome_at=day(40), communicated_at=day(38)
    )
    add_item(app, day(60), status="not_eligible", outcome="not_eligible", outcome_at=day(40), communicated_at=day(30))
    add_item(app, day(40), status="in_review")
    add_item(app, day(5))
    add_item(
        app,
        day(200),
        status="accepted",
        outcome="accepted",
        rating="blue",
        outcome_at=day(160),
        communicated_at=day(160),
    )
    add_item(app, day(1), kind="removal")


def test_the_figures_on_known_data(app):
    known_data(app)
    with app.app_context():
        found = figures(NOW)
    assert found.by_status == {
        "new": 2,
        "in_review": 1,
        "waiting_for_information": 0,
        "accepted": 2,
        "not_eligible": 1,
        "closed": 0,
    }
    assert found.by_kind == {
        "referral": 5,
        "removal": 1,
        "callback": 0,
        "lapsed": 0,
        "link_locked": 0,
        "turned_16": 0,
    }, "every kind the queue knows is counted"
    assert found.overdue == 1
    assert found.median_days_to_outcome == 15
    assert (found.due_in_window, found.promise_kept, found.promise_kept_percent) == (3, 1, 33)


def test_with_nothing_yet_the_figures_say_so(app):
    staff = staff_client(app)
    page = staff.get("/staff/dashboard")
    assert page.text_of("#figure-median") == "None yet"
    assert page.text_of("#figure-promise") == "None due yet"
    assert page.text_of("#figure-overdue") == "0"


def test_the_dashboard_shows_the_numbers_and_a_chart_without_javascript(app):
    known_data(app)
    staff = staff_client(app)
    with time_machine.travel(NOW, tick=False):
        page = staff.get("/staff/dashboard")
    assert page.h1 == "Dashboard"
    assert page.text_of("#figure-overdue") == "1"
    assert page.text_of("#figure-median") == "15"
    assert page.text_of("#figure-promise") == "33%"
    rows = {
        tr.select_one("th").get_text(strip=True): tr.select_one("td").get_text(strip=True)
        for tr in page.select("table.app-by-status tbody tr")
    }
    assert rows == {
        "New": "2",
        "In review": "1",
        "Waiting for information": "0",
        "Accepted": "2",
        "Not eligible": "1",
        "Closed": "0",
    }
    chart = page.soup.select_one("svg.app-chart")
    assert chart["role"] == "img"
    assert chart.select_one("title").get_text() == "Bar chart of items by status"
    assert "New: 2" in chart.select_one("desc").get_text() and "Accepted: 2" in chart.select_one("desc").get_text()
    widths = [int(rect["width"]) for rect in chart.select("rect")]
    assert widths[0] == widths[3] == max(widths) and widths[2] == 0 and widths[1] == widths[0] // 2
    assert not page.select("main script")
