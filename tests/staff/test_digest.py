"""The daily digest: new, due this week and overdue, by reference only, queued once a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from portal import db
from portal.models import IntakeItem, OutboxMessage, Referral
from tests.conftest import PageClient
from tests.staff.test_queue import add_item
from tests.support.journey import submit, walk_to_check

NOW = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
CANARY_NAME = "Zebedee Canarybird"
CANARY_TEXT = "canary-situation-8841"


def digests(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session().scalars(select(OutboxMessage).where(OutboxMessage.purpose == "digest")))


def run_digest(app) -> str:
    result = app.test_cli_runner().invoke(args=["intake", "digest"])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_digest_lists_new_due_and_overdue_references(app):
    new = add_item(app, datetime(2026, 3, 9, 10, 0, tzinfo=UTC))
    add_item(app, datetime(2026, 3, 10, 6, 0, tzinfo=UTC))  # today: in tomorrow's digest
    due_soon = add_item(app, NOW - timedelta(days=25))
    overdue = add_item(app, NOW - timedelta(days=35))
    add_item(app, NOW - timedelta(days=36), communicated_at=NOW - timedelta(days=20))  # told: not overdue
    with time_machine.travel(NOW, tick=False):
        output = run_digest(app)
    assert output.strip() == "queued the digest for 2026-03-10: 1 new, 1 due this week, 1 overdue"
    [message] = digests(app)
    assert message.to_address == app.config["PORTAL_SETTINGS"].team_mailbox
    assert message.subject == "DSR intake 10 March 2026: 1 new, 1 due this week, 1 overdue"
    sections = message.body.split("\n\n")
    assert f"New yesterday: 1\n- {new}" in sections
    assert f"Due in the next 7 days: 1\n- {due_soon}" in sections
    assert f"Overdue (past 4 weeks, person not yet told): 1\n- {overdue}" in sections
    assert "/staff/queue" in message.body


def test_running_twice_in_a_day_queues_one_digest_and_tomorrow_another(app):
    add_item(app, NOW - timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        run_digest(app)
        again = run_digest(app)
    assert "already queued" in again
    assert len(digests(app)) == 1
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        run_digest(app)
    assert len(digests(app)) == 2


def test_the_digest_carries_no_personal_data(app):
    public = PageClient(app.test_client())
    walk_to_check(
        public,
        name={"full_name": CANARY_NAME, "preferred_name": "Zeb"},
        whats_happening={"risks": ["home_breakdown"], "situation": CANARY_TEXT},
    )
    reference = submit(public).text_of(".app-reference")
    with time_machine.travel(datetime.now(UTC) + timedelta(days=1), tick=False):
        output = run_digest(app)
    [message] = digests(app)
    assert reference in message.body
    for text in (message.subject, message.body, output):
        for canary in (
            CANARY_NAME,
            "Zebedee",
            CANARY_TEXT,
            "NR1 3SR",
            "943 476 5919",
            "9434765919",
            "sian@example.com",
        ):
            assert canary not in text


def test_every_overdue_item_is_listed_with_its_kind_even_one_with_no_reference_yet(app):
    """A request to come off made without a link has no reference until the team matches it: it is still listed."""
    reference = add_item(app, NOW - timedelta(days=40))
    with app.app_context(), db.unit_of_work() as session:
        referral_id = session.scalar(select(Referral.id).where(Referral.reference == reference))
        due = NOW - timedelta(days=3)
        callback = IntakeItem(
            kind="callback", referral_id=referral_id, reference=reference, due_at=due, received_at=due
        )
        unmatched = IntakeItem(kind="removal", due_at=due, received_at=due - timedelta(days=1))
        session.add_all([callback, unmatched])
        session.flush()
        unmatched_id = unmatched.id
    with time_machine.travel(NOW, tick=False):
        run_digest(app)
    [message] = digests(app)
    assert message.subject == "DSR intake 10 March 2026: 0 new, 0 due this week, 3 overdue"
    base = app.config["PORTAL_SETTINGS"].public_base_url
    assert (
        "Overdue (past 4 weeks, person not yet told): 3\n"
        f"- {reference}\n"
        f"- {reference} (call-back request)\n"
        f"- removal request {unmatched_id}, no reference yet: {base}/staff/items/{unmatched_id}\n"
    ) in message.body
