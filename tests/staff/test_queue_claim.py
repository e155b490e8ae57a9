"""Claiming is safe under concurrency, on SQLite and on PostgreSQL.

Threads race with real database connections: one conditional UPDATE means
exactly one person wins a claim, and "claim next" never hands one item to two.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from portal import db
from portal.models import AuditEvent, IntakeItem
from portal.services.intake_queue import IntakeQueue
from tests.staff.test_queue import add_item, staff_client

NOW = datetime.now(UTC)


def race(app, people: list[str], action) -> list:  # type: ignore[no-untyped-def]
    """Run `action(queue, person)` for every person at the same moment, each in its own transaction."""
    start = threading.Barrier(len(people))

    def attempt(person: str):  # type: ignore[no-untyped-def]
        with app.app_context():
            start.wait()
            with db.unit_of_work():
                return action(IntakeQueue(), person)

    with ThreadPoolExecutor(len(people)) as pool:
        return list(pool.map(attempt, people))


def item_id(app, reference: str) -> int:
    with app.app_context():
        return IntakeQueue().row_for(reference).item_id


def test_two_people_claiming_at_once_exactly_one_wins(db_app):
    reference = add_item(db_app, NOW - timedelta(days=3))
    wanted = item_id(db_app, reference)
    people = [f"person{n}@example.nhs.uk" for n in range(8)]
    results = race(db_app, people, lambda queue, person: queue.claim(wanted, person))
    winners = [person for person, result in zip(people, results, strict=True) if result.claimed]
    assert len(winners) == 1
    assert {result.holder for result in results} == set(winners)
    with db_app.app_context():
        item = db.session().get(IntakeItem, wanted)
        assert item.claimed_by == winners[0]
        assert item.status == "in_review"
        claims = db.session().scalar(select(func.count()).where(AuditEvent.action == "claim_item"))
        assert claims == 1


def test_claim_next_never_hands_one_item_to_two_people(db_app):
    references = [add_item(db_app, NOW - timedelta(days=n)) for n in range(6)]
    people = [f"person{n}@example.nhs.uk" for n in range(10)]
    handed = race(db_app, people, lambda queue, person: queue.claim_next(person))
    given = [reference for reference in handed if reference is not None]
    assert sorted(given) == sorted(references)
    assert handed.count(None) == 4
    with db_app.app_context():
        holders = list(db.session().scalars(select(IntakeItem.claimed_by)))
        assert len(set(holders)) == 6 and None not in holders


def test_claim_next_gives_the_most_urgent_unclaimed_item(db_app):
    urgent = add_item(db_app, NOW - timedelta(days=25))
    add_item(db_app, NOW - timedelta(days=26), status="closed")
    add_item(db_app, NOW - timedelta(days=27), claimed_by="someone@example.nhs.uk")
    add_item(db_app, NOW - timedelta(days=2))
    with db_app.app_context(), db.unit_of_work():
        assert IntakeQueue().claim_next("me@example.nhs.uk") == urgent


def test_the_loser_is_told_who_has_it(app):
    reference = add_item(app, NOW - timedelta(days=3))
    first = staff_client(app, "first@example.nhs.uk")
    second = staff_client(app, "second@example.nhs.uk")
    first.get(f"/staff/intake/{reference}")
    second.get(f"/staff/intake/{reference}")
    won = first.post(f"/staff/intake/{reference}/claim", {}, expect=302)
    lost = second.post(f"/staff/intake/{reference}/claim", {}, expect=302)
    assert "You have claimed this item." in first.get(won.response.location).text_of("main")
    page = second.get(lost.response.location)
    assert "first@example.nhs.uk claimed this item first." in page.text_of("main")
    assert page.text_of(".app-claimed-by") == "first@example.nhs.uk"


def test_only_the_holder_or_an_admin_can_release(app):
    reference = add_item(app, NOW - timedelta(days=3))
    holder = staff_client(app, "holder@example.nhs.uk")
    other = staff_client(app, "other@example.nhs.uk")
    holder.get(f"/staff/intake/{reference}")
    holder.post(f"/staff/intake/{reference}/claim", {}, expect=302)
    page = other.get(f"/staff/intake/{reference}")
    assert not page.select(f"form[action='/staff/intake/{reference}/release']")
    other.post(f"/staff/intake/{reference}/release", {}, expect=302)
    assert other.get(f"/staff/intake/{reference}").text_of(".app-claimed-by") == "holder@example.nhs.uk"
    admin = staff_client(app, "admin@example.nhs.uk", "admin")
    admin.get(f"/staff/intake/{reference}")
    admin.post(f"/staff/intake/{reference}/release", {}, expect=302)
    assert admin.get(f"/staff/intake/{reference}").text_of(".app-claimed-by") == "Nobody"
    with app.app_context():
        actors = list(db.session().scalars(select(AuditEvent.actor).where(AuditEvent.action == "release_item")))
        assert actors == ["admin@example.nhs.uk"]


def test_claim_next_from_the_queue_opens_the_claimed_record(app):
    reference = add_item(app, NOW - timedelta(days=3))
    staff = staff_client(app)
    staff.get("/staff/queue")
    sent = staff.post("/staff/queue/next", {}, expect=302)
    assert sent.response.location.startswith(f"/staff/intake/{reference}")
    again = staff.post("/staff/queue/next", {}, expect=302)
    assert "There is nothing left to claim" in staff.get(again.response.location).text_of("main")
