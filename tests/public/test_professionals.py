"""Adding, listing and removing the professionals who support the person."""

from __future__ import annotations

from sqlalchemy import select

from portal import db
from portal.models import Referral
from portal.services import crypto
from tests.support.journey import submit, walk_to_check

NURSE = {
    "professional_name": "Jo Bloggs",
    "professional_role": "Community nurse",
    "professional_organisation": "Norfolk Community Health",
    "professional_contact": "0161 496 0002",
}


def _at_professionals(client):
    walk_to_check(client)
    return client.get("/referral/professionals?return_to=check")


def test_adding_a_professional_lists_them_and_shows_them_on_check(client, app):
    _at_professionals(client)
    added = client.post("/referral/professionals?return_to=check", {"more_professionals": "yes"}, expect=302)
    assert "/referral/professionals/add" in added.response.location
    client.post("/referral/professionals/add?return_to=check", NURSE, expect=302)
    listing = client.get("/referral/professionals?return_to=check")
    assert "Jo Bloggs" in listing.text_of(".nhsuk-summary-list")
    assert listing.text_of("legend") == "Do you want to add another professional?"
    done = client.post("/referral/professionals?return_to=check", {"more_professionals": "no"}, expect=302)
    assert done.response.location.endswith("/referral/check")
    assert "Community nurse" in client.get("/referral/check").text_of("main")
    submit(client)
    with app.app_context():
        answers = crypto.unseal(db.session().scalar(select(Referral)).answers_sealed)
        assert answers["professionals"] == [NURSE]


def test_a_professional_needs_a_name_and_role_and_nothing_typed_is_lost(client):
    _at_professionals(client)
    page = client.post("/referral/professionals/add", {**NURSE, "professional_name": ""}, expect=200)
    assert page.error_summary == ["Enter the professional's full name"]
    assert page.soup.select_one("#professional_role")["value"] == "Community nurse"


def test_removing_asks_first_then_removes(client):
    _at_professionals(client)
    client.post("/referral/professionals/add", NURSE, expect=302)
    confirm = client.get("/referral/professionals/1/remove")
    assert confirm.h1 == "Are you sure you want to remove Jo Bloggs?"
    client.post("/referral/professionals/1/remove", {}, expect=302)
    assert "You have not added any professionals." in client.get("/referral/professionals").text_of("main")


def test_removing_someone_who_is_not_there_is_not_found(client):
    _at_professionals(client)
    client.get("/referral/professionals/3/remove", expect=404)


def test_the_journey_waits_for_an_answer_about_professionals(client):
    walk_to_check(client)
    client.post("/referral/professionals/add", NURSE, expect=302)
    # Adding someone re-opens the question, so the check page waits for it.
    assert client.get("/referral/check", expect=302).response.location.endswith("/referral/professionals")
