"""What only the team does to consent: complete a removal, record a call-back, reconfirm or record consent.

Each goes through the page a person uses and the consent service's
`record_event`, so the version bumps and older links die, and each writes audit rows.
"""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal import db
from portal.models import AuditEvent, IntakeItem, IntakeNote, Referral
from portal.services.intake_queue import IntakeQueue
from tests.conftest import PageClient
from tests.consent.conftest import BIRTHDAY, events, issue_token
from tests.staff.test_queue import staff_client
from tests.staff.test_queue_claim import race
from tests.staff.test_queue_kinds import add_consent_item, ask_to_come_off, audit_actions
from tests.staff.test_record import refer

TOLD = {"told_on-day": "3", "told_on-month": "4", "told_on-year": "2026", "told_by": "letter"}


@pytest.fixture
def staff(app: Flask) -> PageClient:
    return staff_client(app)


@pytest.fixture
def reference(app: Flask) -> str:
    return refer(app)


def item_of(app: Flask, item_id: int) -> IntakeItem:
    with app.app_context():
        return db.session().get(IntakeItem, item_id)


def version_of(app: Flask, reference: str) -> int:
    with app.app_context():
        return db.session().scalar(select(Referral.consent_version).where(Referral.reference == reference))


def test_removal_done_withdraws_consent_tells_the_person_closes_the_item_and_kills_old_links(
    app, client, staff, reference
):
    old_link = issue_token(app, reference)
    ask_to_come_off(app, reference=reference)
    with app.app_context():
        item_id = db.session().scalar(select(IntakeItem.id).where(IntakeItem.kind == "removal"))
    before = version_of(app, reference)
    page = staff.get(f"/staff/items/{item_id}")
    action = page.soup.select_one(".app-kind-action")
    assert action.get_text(strip=True) == "Removal done"
    form = staff.get(action["href"])
    assert form.h1 == "Removal done"
    staff.post(action["href"], TOLD, expect=302)

    assert events(app, reference)[-1] == ("withdrawn", "team", "team")
    assert version_of(app, reference) == before + 1
    item = item_of(app, item_id)
    assert (item.status, item.outcome, item.communicated_by) == ("closed", "removed", "letter")
    with app.app_context():
        own = db.session().scalar(select(Referral).where(Referral.reference == reference)).intake_item
        assert (own.status, own.closed_at is not None) == ("closed", True), "retention's clock starts for the referral"
    done = staff.get(f"/staff/items/{item_id}")
    assert done.text_of(".app-status") == "Closed"
    assert done.text_of(".app-told") == "3 April 2026, letter"
    assert not done.select(".app-kind-action")
    assert "Withdrawn" in done.text_of("table.app-consent-history")
    assert client.get(f"/consent/reconfirm/{old_link}").h1 == "This link no longer works"
    assert client.post(f"/consent/reconfirm/{old_link}", BIRTHDAY, expect=200).h1 == "This link no longer works"
    actions = audit_actions(app)
    for expected in ("view_item", "removal_done", "record_told"):
        assert (expected, reference) in actions


def test_removal_done_needs_the_date_and_the_way_the_person_was_told(app, staff, reference):
    item_id = add_consent_item(app, "removal", reference)
    page = staff.post(f"/staff/items/{item_id}/removal-done", {}, expect=200)
    assert page.error_summary == ["Enter the date they were told", "Select how they were told"]
    assert item_of(app, item_id).status == "new"
    assert events(app, reference)[-1][0] == "given"


def test_a_removal_not_yet_linked_to_a_referral_cannot_be_completed(app, staff):
    ask_to_come_off(app)
    with app.app_context():
        item_id = db.session().scalar(select(IntakeItem.id).where(IntakeItem.kind == "removal"))
    response = staff.post(f"/staff/items/{item_id}/removal-done", TOLD, expect=302)
    assert response.response.location == f"/staff/items/{item_id}"
    assert item_of(app, item_id).status == "new"


def test_only_removal_items_have_a_removal_done_page(app, staff, reference):
    item_id = add_consent_item(app, "callback", reference)
    assert staff.client.get(f"/staff/items/{item_id}/removal-done").status_code == 404


def test_two_people_completing_one_removal_at_once_withdraw_once(db_app):
    reference = refer(db_app)
    item_id = add_consent_item(db_app, "removal", reference)
    people = [f"person{n}@example.nhs.uk" for n in range(6)]

    def complete(queue: IntakeQueue, person: str) -> bool:
        item = queue.find_item(item_id)
        referral = db.session().get(Referral, item.referral_id)
        return queue.removal_done(item, referral, date(2026, 4, 3), "phone", person)

    assert sorted(race(db_app, people, complete)) == [False] * 5 + [True]
    assert [kind for kind, _by, _channel in events(db_app, reference)].count("withdrawn") == 1
    with db_app.app_context():
        done = db.session().scalar(select(func.count()).where(AuditEvent.action == "removal_done"))
    assert done == 1


def test_recording_a_call_back_closes_it_and_keeps_what_was_agreed_sealed(app, staff, reference):
    item_id = add_consent_item(app, "callback", reference, callback_times="After 4pm")
    action = staff.get(f"/staff/items/{item_id}").soup.select_one(".app-kind-action")
    assert action.get_text(strip=True) == "Record the call"
    missing = staff.post(action["href"], {}, expect=200)
    assert missing.error_summary == ["Enter the date you called"]
    called = {"called_on-day": "5", "called_on-month": "4", "called_on-year": "2026", "note": "Wants to stay on"}
    staff.post(action["href"], called, expect=302)
    item = item_of(app, item_id)
    assert (item.status, item.outcome, item.communicated_by) == ("closed", "called", "phone")
    page = staff.get(f"/staff/items/{item_id}")
    assert page.text_of(".app-told") == "5 April 2026, phone"
    assert "Wants to stay on" in page.text_of(".app-notes")
    with app.app_context():
        sealed = db.session().scalar(select(IntakeNote.text_sealed).where(IntakeNote.item_id == item_id))
    assert "Wants to stay on" not in sealed
    assert ("record_call", reference) in audit_actions(app)


@pytest.mark.parametrize("channel", ["phone", "paper"])
def test_a_lapsed_consent_reconfirmed_by_phone_or_paper(app, staff, reference, channel):
    item_id = add_consent_item(app, "lapsed", reference)
    before = version_of(app, reference)
    action = staff.get(f"/staff/items/{item_id}").soup.select_one(".app-kind-action")
    assert action.get_text(strip=True) == "Record reconfirmation by phone or on paper"
    staff.post(action["href"], {"given_by": "person", "channel": channel}, expect=302)
    assert events(app, reference)[-1] == ("reconfirmed", "person", channel)
    assert version_of(app, reference) == before + 1
    item = item_of(app, item_id)
    assert (item.status, item.outcome) == ("closed", "reconfirmed")
    page = staff.get(f"/staff/items/{item_id}")
    assert "Consent is current" in page.text_of("main")
    assert ("record_consent", reference) in audit_actions(app)


def test_a_lapsed_consent_can_be_closed_without_reconfirming(app, staff, reference):
    item_id = add_consent_item(app, "lapsed", reference)
    staff.post(f"/staff/items/{item_id}/status", {"status": "closed"}, expect=302)
    assert item_of(app, item_id).status == "closed"
    assert [kind for kind, _by, _channel in events(app, reference)] == ["given"]


def test_consent_given_by_phone_is_recorded_from_the_referral_record(app, staff, reference):
    record = staff.get(f"/staff/intake/{reference}")
    link = record.soup.select_one("a.app-record-consent")
    form = staff.get(link["href"])
    assert form.h1 == "Record consent given by phone or on paper"
    missing = staff.post(link["href"], {}, expect=200)
    assert missing.error_summary == ["Select who gave consent", "Select how it was given"]
    before = version_of(app, reference)
    staff.post(link["href"], {"given_by": "parental_responsibility", "channel": "phone"}, expect=302)
    assert events(app, reference)[-1] == ("given", "parental_responsibility", "phone")
    assert version_of(app, reference) == before + 1
    rows = staff.get(f"/staff/intake/{reference}").select("table.app-consent-history tbody tr")
    last = [td.get_text(strip=True) for td in rows[-1].select("td")]
    assert last[:2] == ["Given", "A person with parental responsibility"]
    assert last[3] == "phone" and last[4].startswith("consent_parental:")
    assert ("record_consent", reference) in audit_actions(app)


def test_consent_recorded_by_the_team_kills_links_sent_before(app, client, staff, reference):
    old_link = issue_token(app, reference)
    staff.post(f"/staff/intake/{reference}/consent", {"given_by": "person", "channel": "paper"}, expect=302)
    assert client.get(f"/consent/reconfirm/{old_link}").h1 == "This link no longer works"


def test_a_made_up_choice_is_refused(app, staff, reference):
    page = staff.post(f"/staff/intake/{reference}/consent", {"given_by": "team", "channel": "carrier pigeon"})
    assert page.status == 200 and len(page.error_summary) == 2
    assert [kind for kind, _by, _channel in events(app, reference)] == ["given"]


def test_a_best_interest_referral_is_accepted_only_once_the_decision_is_recorded(app, staff):
    """The portal records that a carer thinks one may be needed; the professionals decide, and the team records it."""
    reference = refer(app, who={"who": "family_carer"}, consent_adult_behalf={"consent_adult_behalf": "best_interest"})
    record = staff.get(f"/staff/intake/{reference}")
    assert record.select(".nhsuk-card--warning"), "the team is told nobody has consented yet"
    accept = {"outcome": "accepted", "rating": "green"}
    refused = staff.post(f"/staff/intake/{reference}/outcome", accept, expect=200)
    assert refused.error_summary == [
        "Nobody has consented yet: a best-interest decision may be needed. Record the decision, or the person's own"
        " consent, before accepting them."
    ]
    staff.post(
        f"/staff/intake/{reference}/consent", {"given_by": "best_interest_decision", "channel": "paper"}, expect=302
    )
    assert events(app, reference)[-1] == ("given", "best_interest_decision", "paper")
    record = staff.get(f"/staff/intake/{reference}")
    assert not record.select(".nhsuk-card--warning")
    last = [td.get_text(strip=True) for td in record.select("table.app-consent-history tbody tr")[-1].select("td")]
    assert last[1] == "A best-interest decision (Mental Capacity Act 2005)"
    assert last[4] == "best_interest_decision", "no words were agreed to: the version says what it rests on"
    staff.post(f"/staff/intake/{reference}/outcome", accept, expect=302)
    assert staff.get(f"/staff/intake/{reference}").text_of(".app-status") == "Accepted"
