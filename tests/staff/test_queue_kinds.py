"""Every kind of queue item, as the team sees it: in the queue with its reference, and on its own page.

Referrals are made through the public journey; removal, call-back, lapsed,
locked-link and turned-16 items are made by the consent service's own
`add_intake_item`, or through the public "Ask to come off the DSR" form.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from portal import db
from portal.models import AuditEvent, IntakeItem, Referral, utcnow
from portal.services import consent, retention
from portal.services.due_dates import review_due
from tests.conftest import PageClient
from tests.staff.test_queue import staff_client
from tests.staff.test_record import HOSTILE, refer

CONSENT_KINDS = {
    "removal": ("Removal request", {"asked_by": "person", "via": "signed link"}),
    "callback": ("Call-back request", {"callback_times": HOSTILE, "contact_times": "Weekday mornings"}),
    "lapsed": ("Lapsed consent", {"due_on": "2026-03-01", "why": "Consent was not reconfirmed."}),
    "link_locked": ("Link locked", {"purpose": "reconfirm", "what": "Five wrong dates of birth were typed."}),
    "turned_16": ("Turned 16", {"why": "Consent was given by a parent. The person is now 16 or over."}),
}
WITHDRAWAL = {
    "full_name": "Siân O'Neil-Jones",
    "date_of_birth-day": "29",
    "date_of_birth-month": "2",
    "date_of_birth-year": "2000",
    "postcode": "nr1 3sr",
    "how_to_reach": "Call after 4pm <b>please</b>",
}


def add_consent_item(app: Flask, kind: str, reference: str | None, **details: Any) -> int:
    """An item made by the consent service, for the referral with this reference (or none)."""
    with app.app_context(), db.unit_of_work() as session:
        referral = session.scalar(select(Referral).where(Referral.reference == reference)) if reference else None
        item = consent.add_intake_item(
            kind, {"reference": reference or "", **details}, review_due(utcnow()), referral=referral
        )
        session.flush()
        return item.id


def audit_actions(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session().execute(select(AuditEvent.action, AuditEvent.record_refs).order_by(AuditEvent.id))
        return [tuple(row) for row in rows]


def ask_to_come_off(app: Flask, **changes: str) -> None:
    """The public form, filled in and sent as a person would."""
    public = PageClient(app.test_client())
    public.post("/come-off-the-dsr", {**WITHDRAWAL, "reference": "", **changes}, expect=302)
    public.post("/come-off-the-dsr/check", {}, expect=302)


@pytest.fixture
def staff(app: Flask) -> PageClient:
    return staff_client(app)


@pytest.fixture
def reference(app: Flask) -> str:
    return refer(app)


def queue_row(page: Any, text: str) -> Any:
    rows = [row for row in page.select("table.app-queue tbody tr") if text in row.get_text(" ")]
    assert rows, f"no queue row with {text!r}"
    return rows[0]


@pytest.mark.parametrize("kind", ["referral", *CONSENT_KINDS])
def test_every_kind_is_in_the_queue_with_its_reference_and_a_link_that_opens_it(app, staff, reference, kind):
    if kind != "referral":
        add_consent_item(app, kind, reference, **CONSENT_KINDS[kind][1])
    page = staff.get(f"/staff/queue?kind={kind}")
    row = page.soup.select_one("table.app-queue tbody tr")
    link = row.select_one("a.app-reference")
    assert link.get_text(strip=True) == reference
    kind_words = "Referral" if kind == "referral" else CONSENT_KINDS[kind][0]
    assert row.select("td")[1].get_text(strip=True) == kind_words
    opened = staff.get(link["href"])
    assert reference in opened.h1
    assert opened.text_of(".nhsuk-caption-l") == kind_words


def test_the_kind_filter_offers_every_kind(staff):
    labels = [label.get_text(strip=True) for label in staff.get("/staff/queue").select("label")]
    for words, _details in CONSENT_KINDS.values():
        assert words in labels


def test_searching_a_reference_finds_every_item_for_that_person(app, staff, reference):
    add_consent_item(app, "removal", reference)
    add_consent_item(app, "callback", reference)
    page = staff.get(f"/staff/queue?reference={reference}")
    kinds = [row.select("td")[1].get_text(strip=True) for row in page.select("table.app-queue tbody tr")]
    assert sorted(kinds) == ["Call-back request", "Referral", "Removal request"]


@pytest.mark.parametrize("kind", list(CONSENT_KINDS))
def test_each_kind_of_item_shows_what_it_says_with_the_referral_beside_it(app, staff, reference, kind):
    item_id = add_consent_item(app, kind, reference, **CONSENT_KINDS[kind][1])
    page = staff.get(f"/staff/items/{item_id}")
    assert page.h1 == f"{CONSENT_KINDS[kind][0]} for {reference}"
    details = page.text_of(".app-item-details")
    for value in CONSENT_KINDS[kind][1].values():
        assert value in details
    related = page.soup.select_one("a.app-related-referral")
    assert related["href"] == f"/staff/intake/{reference}"
    headings = [h.get_text(strip=True) for h in page.select("main h3")]
    assert "Contacting you safely" in headings and "Communication needs" in headings
    assert "Siân O'Neil-Jones" in page.text_of("main")
    history = [td.get_text(strip=True) for td in page.select("table.app-consent-history tbody td")]
    assert history[:2] == ["Given", "The person"]
    assert ("view_item", reference) in audit_actions(app)


def test_what_an_item_says_is_shown_as_text_never_as_markup(app, staff, reference):
    item_id = add_consent_item(app, "callback", reference, callback_times=HOSTILE)
    page = staff.get(f"/staff/items/{item_id}")
    assert not page.select("main script")
    assert HOSTILE in page.text_of(".app-item-details")
    assert "&lt;script&gt;" in page.html


def test_a_call_back_shows_the_safe_times_to_call(app, staff, reference):
    item_id = add_consent_item(app, "callback", reference, callback_times="After 4pm", contact_times="Mornings")
    rows = {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(strip=True)
        for row in staff.get(f"/staff/items/{item_id}").select(".app-item-details .nhsuk-summary-list__row")
    }
    assert rows["When to call"] == "After 4pm"
    assert rows["Safe times to contact"] == "Mornings"


def test_the_referral_record_lists_the_persons_other_items(app, staff, reference):
    item_id = add_consent_item(app, "removal", reference)
    page = staff.get(f"/staff/intake/{reference}")
    links = page.select(".app-other-items a")
    assert [a["href"] for a in links] == [f"/staff/items/{item_id}"]
    assert links[0].get_text(strip=True).startswith("Removal request, received")


def test_a_request_to_come_off_with_a_matching_reference_and_birthday_names_the_referral(app, staff, reference):
    ask_to_come_off(app, reference=reference.lower().replace("-", " "))
    page = staff.get("/staff/queue?kind=removal")
    assert queue_row(page, reference).select_one("a.app-reference").get_text(strip=True) == reference


def test_a_typed_reference_with_the_wrong_birthday_is_not_trusted(app, staff, reference):
    ask_to_come_off(app, reference=reference, **{"date_of_birth-day": "28"})
    with app.app_context():
        item = db.session().scalar(select(IntakeItem).where(IntakeItem.kind == "removal"))
        assert item.reference is None and item.referral_id is None
    row = staff.get("/staff/queue?kind=removal").soup.select_one("table.app-queue tbody tr")
    assert row.select_one("a.app-item-link").get_text(" ", strip=True).startswith("No reference yet")


def test_the_team_links_a_request_without_a_reference_to_the_referral(app, staff, reference):
    ask_to_come_off(app)
    row = staff.get("/staff/queue?kind=removal").soup.select_one("table.app-queue tbody tr")
    item_page = staff.get(row.select_one("a.app-item-link")["href"])
    assert item_page.h1 == "Removal request with no reference yet"
    assert "Call after 4pm please" in item_page.text_of(".app-item-details")
    assert not item_page.select(".app-item-details b")
    assert not item_page.select(".app-kind-action")
    match_url = item_page.soup.select_one(".app-not-linked a")["href"]
    wrong = staff.post(match_url, {"reference": "DSR-AAAA-BBBB"}, expect=200)
    assert wrong.error_summary == ["No referral has this reference: check it against the letter or email"]
    staff.post(match_url, {"reference": reference.lower()}, expect=302)
    linked = staff.get(row.select_one("a.app-item-link")["href"])
    assert linked.h1 == f"Removal request for {reference}"
    assert linked.soup.select_one(".app-kind-action").get_text(strip=True) == "Removal done"
    assert ("match_item", reference) in audit_actions(app)


def test_items_can_be_claimed_released_noted_and_closed(app, staff, reference):
    item_id = add_consent_item(app, "turned_16", reference)
    staff.post(f"/staff/items/{item_id}/claim", {}, expect=302)
    page = staff.get(f"/staff/items/{item_id}?claimed=yes")
    assert page.text_of(".app-claimed-by") == "triage@example.nhs.uk"
    staff.post(f"/staff/items/{item_id}/notes", {"note": HOSTILE}, expect=302)
    notes = staff.get(f"/staff/items/{item_id}")
    assert '5 < 6 & "quoted"' in notes.text_of(".app-notes") and not notes.select("main script")
    staff.post(f"/staff/items/{item_id}/release", {}, expect=302)
    staff.post(f"/staff/items/{item_id}/status", {"status": "closed"}, expect=302)
    page = staff.get(f"/staff/items/{item_id}")
    assert page.text_of(".app-status") == "Closed"
    assert page.text_of(".app-claimed-by") == "Nobody"
    actions = [action for action, refs in audit_actions(app) if refs == reference]
    for done in ("claim_item", "add_note", "release_item", "change_status"):
        assert done in actions


def test_claim_next_opens_a_consent_item_on_its_own_page(app, staff, reference):
    with app.app_context(), db.unit_of_work() as session:
        session.execute(IntakeItem.__table__.update().values(claimed_by="someone@example.nhs.uk"))
    item_id = add_consent_item(app, "callback", reference)
    response = staff.post("/staff/queue/next", {}, expect=302)
    assert response.response.location == f"/staff/items/{item_id}?claimed=yes"


def test_an_unknown_item_or_a_referral_item_has_no_item_page(app, staff, reference):
    with app.app_context():
        referral_item = db.session().scalar(select(IntakeItem.id).where(IntakeItem.kind == "referral"))
    assert staff.client.get("/staff/items/999999").status_code == 404
    assert staff.client.get(f"/staff/items/{referral_item}").status_code == 404


def test_ticked_queue_rows_are_downloaded_with_the_chosen_format(app, staff, reference):
    other = refer(app)
    page = staff.get("/staff/queue")
    form = page.soup.select_one("form.app-queue-download")
    assert form["action"] == "/staff/export" and form["method"] == "post"
    boxes = {box["value"]: box for box in form.select("input[name=reference][type=checkbox]")}
    assert set(boxes) == {reference, other}
    assert {radio["value"] for radio in form.select("input[name=format]")} == {"csv", "xlsx", "fhir"}
    token = form.select_one("input[name=csrf_token]")["value"]
    response = staff.client.post("/staff/export", data={"csrf_token": token, "format": "csv", "reference": [other]})
    assert response.headers["Content-Disposition"].startswith("attachment")
    body = response.get_data(as_text=True)
    assert other in body and reference not in body


def test_the_downloads_page_links_to_the_days_letters(staff):
    link = staff.get("/staff/downloads").soup.select_one("a.app-letters-link")
    assert link["href"] == "/staff/consent/letters"
    response = staff.client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_a_closed_call_back_past_retention_erases_its_own_details_not_the_referral(app, reference):
    item_id = add_consent_item(app, "callback", reference, callback_times="After 4pm")
    with app.app_context(), db.unit_of_work() as session:
        item = session.get(IntakeItem, item_id)
        item.status, item.closed_at = "closed", utcnow() - timedelta(days=400)
    with app.app_context():
        first, second = retention.purge(), retention.purge()
        item = db.session().get(IntakeItem, item_id)
        referral = db.session().scalar(select(Referral).where(Referral.reference == reference))
        assert item.details_sealed is None
        assert referral.answers_sealed is not None and referral.erased_at is None
    assert first.items == [reference] and first.referrals == 0
    assert second.items == []
