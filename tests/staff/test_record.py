"""The record page: answers in words (escaped), consent history, notes, the outcome, and the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal import db
from portal.models import AuditEvent, IntakeNote, Referral
from portal.services import consent, crypto
from portal.staff.records import optional_url
from tests.conftest import PageClient
from tests.staff.test_queue import staff_client
from tests.support.journey import submit, walk_to_check

HOSTILE = '<script>alert("x")</script> 5 < 6 & "quoted"'


def refer(app, **changes) -> str:
    """A referral made through the public journey, as a person would."""
    public = PageClient(app.test_client())
    walk_to_check(public, **changes)
    return submit(public).text_of(".app-reference")


def audit_rows(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session().scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def reference(app) -> str:
    return refer(app, whats_happening={"risks": ["home_breakdown"], "situation": HOSTILE})


@pytest.fixture
def staff(app) -> PageClient:
    return staff_client(app)


def test_the_record_shows_every_answer_with_communication_needs_first(staff, reference):
    page = staff.get(f"/staff/intake/{reference}")
    assert page.h1 == f"Referral {reference}"
    headings = [h.get_text(strip=True) for h in page.select("main h2")]
    assert headings[:2] == ["Where this item is", "Communication needs"]
    assert headings.index("What is happening now") > 1
    assert headings[-2:] == ["Consent history", "Notes"]
    answers = page.text_of("main")
    assert "Siân O'Neil-Jones" in answers
    assert "29 February 2000" in answers
    assert "Easy read" in answers


def test_free_text_is_shown_as_text_never_as_markup(app, staff, reference):
    with app.app_context(), db.unit_of_work() as session:
        referral = session.scalar(select(Referral).where(Referral.reference == reference))
        answers = crypto.unseal(referral.answers_sealed)
        answers["support"] = "<script>alert('raw')</script><b>bold</b>"
        referral.answers_sealed = crypto.seal(answers)
    page = staff.get(f"/staff/intake/{reference}")
    assert not [s for s in page.select("main script")]
    assert not page.select("main b")
    assert "<script>alert('raw')</script><b>bold</b>" in page.text_of("main")
    assert "&lt;script&gt;alert(&#39;raw&#39;)" in page.html
    assert '5 < 6 & "quoted"' in page.text_of("main")


def test_the_consent_history_says_who_when_which_words_and_how(staff, reference):
    page = staff.get(f"/staff/intake/{reference}")
    cells = [td.get_text(strip=True) for td in page.select("table.app-consent-history tbody td")]
    assert cells[0] == "Given"
    assert cells[1] == "The person"
    assert cells[2] == date.today().strftime("%-d %B %Y")
    assert cells[3] == "web"
    assert cells[4].startswith("consent_self:")


def test_a_possible_best_interest_decision_is_shown_prominently(app, staff):
    reference = refer(app, who={"who": "family_carer"}, consent_adult_behalf={"consent_adult_behalf": "best_interest"})
    page = staff.get(f"/staff/intake/{reference}")
    assert "A best-interest decision may be needed" in page.text_of(".nhsuk-card--warning")


def test_every_view_writes_one_audit_row(app, staff, reference):
    staff.get(f"/staff/intake/{reference}")
    staff.get(f"/staff/intake/{reference}")
    rows = audit_rows(app, "view_record")
    assert [(r.actor, r.record_refs, r.record_count) for r in rows] == [("triage@example.nhs.uk", reference, 1)] * 2


def test_a_reference_typed_loosely_finds_the_record(staff, reference):
    typed = reference.lower().replace("-", " ")
    page = staff.get(f"/staff/intake/{typed}", expect=302)
    assert page.response.location.endswith(f"/staff/intake/{reference}")


def test_an_unknown_reference_is_not_found(staff):
    staff.get("/staff/intake/DSR-AAAA-BBBB", expect=404)


def test_nobody_signed_out_can_see_a_record(app, reference):
    page = PageClient(app.test_client()).get(f"/staff/intake/{reference}", expect=302)
    assert "/staff/sign-in" in page.response.location
    assert audit_rows(app, "view_record") == []


def test_a_note_is_added_sealed_shown_escaped_and_audited(app, staff, reference):
    staff.get(f"/staff/intake/{reference}")
    sent = staff.post(f"/staff/intake/{reference}/notes", {"note": "Phoned mum <i>today</i>\nSecond line"}, expect=302)
    page = staff.get(sent.response.location)
    notes = page.text_of(".app-notes")
    assert "Phoned mum today" in notes and "Second line" in notes
    assert "triage@example.nhs.uk" in notes
    with app.app_context():
        stored = db.session().scalar(select(IntakeNote))
        assert "Phoned" not in stored.text_sealed
    assert [r.record_refs for r in audit_rows(app, "add_note")] == [reference]


def test_an_empty_note_is_refused_with_a_message(staff, reference):
    staff.get(f"/staff/intake/{reference}")
    page = staff.post(f"/staff/intake/{reference}/notes", {"note": "  "}, expect=200)
    assert page.error_summary == ["Enter a note"]
    assert page.soup.title.get_text().startswith("Error: ")


@pytest.mark.parametrize(
    ("rating", "words"), [("red", "Red"), ("amber", "Amber"), ("green", "Green"), ("blue", "Blue")]
)
def test_accepting_records_the_rating(app, staff, reference, rating, words):
    staff.get(f"/staff/intake/{reference}/outcome")
    staff.post(f"/staff/intake/{reference}/outcome", {"outcome": "accepted", "rating": rating}, expect=302)
    page = staff.get(f"/staff/intake/{reference}")
    assert page.text_of(".app-status") == "Accepted"
    assert f"Accepted onto the register: {words}" in page.text_of(".app-outcome")
    assert [r.detail for r in audit_rows(app, "record_outcome")] == [f"accepted {rating}"]


def test_accepting_needs_a_rating(staff, reference):
    staff.get(f"/staff/intake/{reference}/outcome")
    page = staff.post(f"/staff/intake/{reference}/outcome", {"outcome": "accepted"}, expect=200)
    assert page.error_summary == ["Select a rating"]


def test_not_eligible_records_the_reason_sealed(app, staff, reference):
    staff.get(f"/staff/intake/{reference}/outcome")
    page = staff.post(f"/staff/intake/{reference}/outcome", {"outcome": "not_eligible"}, expect=200)
    assert page.error_summary == ["Enter why they are not eligible"]
    staff.post(
        f"/staff/intake/{reference}/outcome",
        {"outcome": "not_eligible", "reason": "No risk of admission; signposted to <b>local</b> services"},
        expect=302,
    )
    page = staff.get(f"/staff/intake/{reference}")
    assert page.text_of(".app-status") == "Not eligible"
    assert "signposted to local services" in page.text_of(".app-outcome")
    with app.app_context():
        referral = db.session().scalar(select(Referral).where(Referral.reference == reference))
        assert "signposted" not in referral.intake_item.outcome_reason_sealed
    assert [r.detail for r in audit_rows(app, "record_outcome")] == ["not_eligible"]


def test_needing_more_information_waits_for_it(app, staff, reference):
    staff.get(f"/staff/intake/{reference}/outcome")
    staff.post(f"/staff/intake/{reference}/outcome", {"outcome": "more_information"}, expect=302)
    page = staff.get(f"/staff/intake/{reference}")
    assert page.text_of(".app-status") == "Waiting for information"
    assert "Needs more information" in page.text_of(".app-outcome")


def test_the_person_is_told_an_outcome_so_one_must_be_recorded_first(staff, reference):
    yesterday = date.today() - timedelta(days=1)
    told = {"told_on-day": yesterday.day, "told_on-month": yesterday.month, "told_on-year": yesterday.year}
    page = staff.post(f"/staff/intake/{reference}/told", {**told, "told_by": "phone"}, expect=200)
    assert page.error_summary == ["Record the outcome first: the person is told the outcome"]
    assert page.soup.select_one("input[name=told_by][value=phone]").has_attr("checked"), "nothing typed is lost"
    assert staff.get(f"/staff/intake/{reference}").text_of(".app-told") == "Not yet"


def test_when_and_how_the_person_was_told_is_recorded(app, staff, reference):
    yesterday = date.today() - timedelta(days=1)
    staff.post(f"/staff/intake/{reference}/outcome", {"outcome": "more_information"}, expect=302)
    staff.get(f"/staff/intake/{reference}/told")
    staff.post(
        f"/staff/intake/{reference}/told",
        {
            "told_on-day": yesterday.day,
            "told_on-month": yesterday.month,
            "told_on-year": yesterday.year,
            "told_by": "phone",
        },
        expect=302,
    )
    page = staff.get(f"/staff/intake/{reference}")
    assert page.text_of(".app-told") == f"{yesterday.strftime('%-d %B %Y')}, phone"
    assert [r.detail for r in audit_rows(app, "record_told")] == [f"{yesterday.isoformat()} phone"]


def test_a_new_outcome_must_be_told_again(staff, reference):
    """Told they needed to send more information is not told they are not eligible: the promise is open again."""
    yesterday = date.today() - timedelta(days=1)
    staff.post(f"/staff/intake/{reference}/outcome", {"outcome": "more_information"}, expect=302)
    told = {"told_on-day": yesterday.day, "told_on-month": yesterday.month, "told_on-year": yesterday.year}
    staff.post(f"/staff/intake/{reference}/told", {**told, "told_by": "phone"}, expect=302)
    staff.post(f"/staff/intake/{reference}/outcome", {"outcome": "more_information"}, expect=302)
    assert staff.get(f"/staff/intake/{reference}").text_of(".app-told").endswith("phone"), "the same outcome again"
    staff.post(
        f"/staff/intake/{reference}/outcome",
        {"outcome": "not_eligible", "reason": "Not at risk of admission now; signposted to the autism hub"},
        expect=302,
    )
    assert staff.get(f"/staff/intake/{reference}").text_of(".app-told") == "Not yet"


def test_a_telling_date_in_the_future_is_refused(staff, reference):
    tomorrow = date.today() + timedelta(days=1)
    staff.get(f"/staff/intake/{reference}/told")
    page = staff.post(
        f"/staff/intake/{reference}/told",
        {
            "told_on-day": tomorrow.day,
            "told_on-month": tomorrow.month,
            "told_on-year": tomorrow.year,
            "told_by": "letter",
        },
        expect=200,
    )
    assert page.error_summary == ["The date they were told must be today or in the past"]


def test_changing_the_status_is_audited(app, staff, reference):
    page = staff.get(f"/staff/intake/{reference}/status")
    assert page.soup.select_one("input[name=status][value=new]").has_attr("checked")
    staff.post(f"/staff/intake/{reference}/status", {"status": "closed"}, expect=302)
    assert staff.get(f"/staff/intake/{reference}").text_of(".app-status") == "Closed"
    assert [r.detail for r in audit_rows(app, "change_status")] == ["new -> closed"]


def test_accepted_cannot_be_set_without_an_outcome(staff, reference):
    staff.get(f"/staff/intake/{reference}/status")
    page = staff.post(f"/staff/intake/{reference}/status", {"status": "accepted"}, expect=200)
    assert page.error_summary == ["Select one of the options for a status"]


def test_nobody_whose_consent_has_ended_is_accepted_onto_the_register(app, staff, reference):
    with app.app_context(), db.unit_of_work() as session:
        referral = session.scalar(select(Referral).where(Referral.reference == reference))
        consent.record_event(referral, "withdrawn", "person", "signed_link", "")
    staff.get(f"/staff/intake/{reference}/outcome")
    page = staff.post(f"/staff/intake/{reference}/outcome", {"outcome": "accepted", "rating": "amber"}, expect=200)
    assert page.error_summary == [
        "Their consent has been withdrawn or has lapsed. Record their consent again before accepting them."
    ]
    assert page.soup.select_one("input[name=rating][value=amber]").has_attr("checked"), "nothing typed is lost"
    staff.post(f"/staff/intake/{reference}/outcome", {"outcome": "not_eligible", "reason": "Withdrew"}, expect=302)
    assert [r.detail for r in audit_rows(app, "record_outcome")] == ["not_eligible"]


def test_download_links_appear_only_when_their_pages_exist(app, staff, reference):
    page = staff.get(f"/staff/intake/{reference}")
    links = [a["href"] for a in page.select(".app-downloads a")]
    expected = [
        f"/staff/intake/{reference}/{kind}"
        for endpoint, kind in (("staff.referral_pdf", "pdf"), ("staff.referral_fhir", "fhir"))
        if endpoint in app.view_functions
    ]
    assert links == expected
    with app.test_request_context():
        assert optional_url("staff.no_such_page", reference=reference) is None
        assert optional_url("staff.record", reference=reference) == f"/staff/intake/{reference}"
