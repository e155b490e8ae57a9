"""The referral journey through the Flask test client: every branch, as a person walks it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal import db
from portal.models import ConsentEvent, IntakeItem, OutboxMessage, Referral
from portal.services import crypto
from tests.conftest import PageClient
from tests.support.journey import CHILD_BIRTHDAY, submit, walk_to_check


def test_start_page_says_what_the_dsr_is_and_how_to_get_urgent_help(client):
    page = client.get("/")
    assert page.h1 == "Ask to go on the Dynamic Support Register"
    assert "999" in page.text_of("main") and "NHS 111" in page.text_of("main")
    assert "4 weeks" in page.text_of("main")
    assert page.select("a.nhsuk-button--start, a.nhsuk-button")[0]["href"] == "/referral"


def test_a_person_referring_themself_reaches_confirmation_with_a_reference(client, app):
    check = walk_to_check(client)
    assert check.h1 == "Check your answers before sending your referral"
    assert "Siân O'Neil-Jones" in check.text_of("main")
    assert "29 February 2000" in check.text_of("main")
    confirmation = submit(client)
    reference = confirmation.text_of(".app-reference")
    assert re.fullmatch(r"DSR-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", reference)
    with app.app_context():
        referral = db.session().scalar(select(Referral))
        assert referral.reference == reference
        assert crypto.unseal(referral.answers_sealed)["postcode"] == "NR1 3SR"
        assert referral.intake_item.status == "new"
        assert [e.given_by for e in referral.consent_events] == ["person"]
        assert db.session().scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_a_parent_of_a_child_gives_parental_consent(client, app):
    walk_to_check(client, who={"who": "parent"}, date_of_birth=CHILD_BIRTHDAY)
    submit(client)
    with app.app_context():
        event = db.session().scalar(select(ConsentEvent))
        assert event.given_by == "parental_responsibility"
        assert event.wording_version.startswith("consent_parental:")


def test_a_carer_can_say_a_best_interest_decision_may_be_needed(client, app):
    walk_to_check(client, who={"who": "family_carer"}, consent_adult_behalf={"consent_adult_behalf": "best_interest"})
    submit(client)
    with app.app_context():
        referral = db.session().scalar(select(Referral))
        assert referral.best_interest_needed
        assert referral.consent_events[0].given_by == "best_interest_needed"


@pytest.mark.parametrize(
    ("changes", "given_by"),
    [
        ({}, "person"),
        ({"who": {"who": "parent"}, "date_of_birth": CHILD_BIRTHDAY}, "parental_responsibility"),
        ({"who": {"who": "professional"}, "date_of_birth": CHILD_BIRTHDAY}, "parental_responsibility_via_referrer"),
        ({"who": {"who": "family_carer"}}, "person_via_referrer"),
        (
            {"who": {"who": "family_carer"}, "consent_adult_behalf": {"consent_adult_behalf": "best_interest"}},
            "best_interest_needed",
        ),
    ],
)
def test_every_way_of_consenting_is_stored_on_both_databases(db_app, changes, given_by):
    """SQLite does not enforce a column's length; PostgreSQL refused the longest of these once."""
    client = PageClient(db_app.test_client())
    walk_to_check(client, **changes)
    submit(client)
    with db_app.app_context():
        assert db.session().scalar(select(ConsentEvent.given_by)) == given_by


def test_saying_no_to_consent_explains_kindly_and_does_not_continue(client):
    walk_to_check(client)
    page = client.post("/referral/consent-self", {"consent_self": "no"}, expect=200)
    assert page.error_summary == [
        "We can only add you to the register if you agree. If you are not sure, call the DSR team to talk about it."
    ]


def test_the_wording_follows_who_is_filling_in(client):
    client.post("/referral/who", {"who": "professional"}, expect=302)
    client.post("/referral/name", {"full_name": "Sam Lee"}, expect=302)
    assert client.get("/referral/date-of-birth").h1 == "What is their date of birth?"


def test_pages_cannot_be_skipped(client):
    client.post("/referral/who", {"who": "self"}, expect=302)
    page = client.get("/referral/hospital", expect=302)
    assert page.response.location.endswith("/referral/name")


def test_a_double_submit_stores_one_referral(client, app):
    walk_to_check(client)
    check = client.get("/referral/check")
    submission_id = check.soup.select_one("input[name=submission_id]")["value"]
    first = client.post("/referral/check", {"submission_id": submission_id}, expect=302)
    second = client.post("/referral/check", {"submission_id": submission_id}, expect=302)
    assert first.response.location == second.response.location
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Referral)) == 1
        assert db.session().scalar(select(func.count()).select_from(IntakeItem)) == 1


def test_a_child_referring_themself_is_recorded_so_the_team_checks_with_a_parent(client, app):
    walk_to_check(client, date_of_birth=CHILD_BIRTHDAY)
    submit(client)
    with app.app_context():
        assert db.session().scalar(select(ConsentEvent)).given_by == "person_under_16"


def test_ticking_none_with_other_formats_asks_to_untick_it_rather_than_dropping_answers(client):
    walk_to_check(client)
    page = client.post(
        "/referral/communication",
        {"formats": ["none", "easy_read"], "interpreter": "no", "interpreter_language": "", "adjustments": ""},
        expect=200,
    )
    assert page.error_summary == [
        'Untick "No, I do not need a different format" if you choose any of the other options'
    ]
    assert {box["value"] for box in page.select("input[name=formats][checked]")} == {"none", "easy_read"}


def test_the_browser_offers_its_owners_details_only_for_their_own_referral(client):
    client.post("/referral/who", {"who": "self"}, expect=302)
    assert client.get("/referral/name").soup.select_one("#full_name")["autocomplete"] == "name"
    client.post("/referral/who", {"who": "professional"}, expect=302)
    assert client.get("/referral/name").soup.select_one("#full_name")["autocomplete"] == "off"


def test_consent_given_in_easy_read_records_the_easy_read_words_version(client, app):
    client.get("/?mode=easy")
    walk_to_check(client)
    submit(client)
    with app.app_context():
        version = db.session().scalar(select(ConsentEvent)).wording_version
    assert version.startswith("consent_self:easy:")


def test_consent_given_in_plain_english_records_the_plain_words_version(client, app):
    walk_to_check(client)
    submit(client)
    with app.app_context():
        version = db.session().scalar(select(ConsentEvent)).wording_version
    assert re.fullmatch(r"consent_self:[0-9a-f]{12}", version)


def test_the_emergency_warning_says_its_heading_once(client):
    for mode in ("plain", "easy"):
        page = client.get(f"/?mode={mode}")
        callout = page.text_of(".nhsuk-card--warning")
        heading = page.text_of(".nhsuk-card--warning .nhsuk-card__heading").removeprefix("Important: ")
        assert callout.count(heading) == 1, callout
