"""Asking to come off without a link, and saving a referral to come back to later."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine

from portal.models import utcnow
from tests.conftest import PageClient
from tests.consent.conftest import intake, links, same_page
from tests.consent.test_reminders import outbox
from tests.support.journey import PAGES

REQUEST = {
    "full_name": "Siân O'Neil-Jones",
    "date_of_birth-day": "29",
    "date_of_birth-month": "2",
    "date_of_birth-year": "2000",
    "postcode": "nr1 3sr",
    "reference": "",
    "how_to_reach": "Call 0161 496 0000 after 4pm",
}


def test_the_footer_links_to_asking_to_come_off(client):
    start = client.get("/")
    assert "/come-off-the-dsr" in [a["href"] for a in start.select("footer a")]


def test_asking_to_come_off_checks_the_answers_and_makes_one_removal_request(client, app):
    page = client.get("/come-off-the-dsr")
    assert page.h1 == "Ask to come off the DSR"
    empty = client.post("/come-off-the-dsr", {}, expect=200)
    assert "Enter the full name of the person on the DSR" in empty.error_summary
    client.post("/come-off-the-dsr", REQUEST, expect=302)
    check = client.get("/come-off-the-dsr/check")
    assert "Siân O'Neil-Jones" in check.text_of("main") and "NR1 3SR" in check.text_of("main")
    client.post("/come-off-the-dsr/check", {}, expect=302)
    client.post("/come-off-the-dsr/check", {}, expect=302)
    done = client.get("/come-off-the-dsr/confirmation")
    assert done.h1 == "Request sent"
    assert "They will contact you to confirm by" in done.text_of("main")
    [item] = intake(app, "removal")
    assert item["full_name"] == "Siân O'Neil-Jones" and item["postcode"] == "NR1 3SR"


def _saved(client, app) -> str:
    client.post("/referral/who", PAGES["who"], expect=302)
    client.post("/referral/name", {**PAGES["name"], "save_and_return": "1"}, expect=302)
    page = client.get("/referral/save")
    assert page.h1 == "What email address should we send the link to?"
    client.post("/referral/save", {"email": "saver@example.com"}, expect=302)
    assert client.get("/referral/saved").h1 == "Check your email"
    [message] = outbox(app, "save_return")
    assert message.to_address == "saver@example.com"
    return re.search(r"/referral/return/\S+", message.body).group(0)


def test_save_and_come_back_later_emails_a_link_that_restores_the_answers(client, app):
    path = _saved(client, app)
    assert client.get("/referral/name", expect=302).response.status_code == 302
    landing = client.get(path)
    assert landing.h1 == "Carry on with your referral"
    assert links(app)[0].used_at is None
    client.post(path, {}, expect=302)
    name = client.get("/referral/name")
    assert name.soup.select_one("input[name=full_name]")["value"] == PAGES["name"]["full_name"]
    assert same_page(client.get(path, expect=200)) == same_page(client.get("/referral/return/nonsense", expect=200))


def test_the_saved_answers_outlive_the_usual_timeout_until_the_link_expires(client, app):
    path = _saved(client, app)
    with time_machine.travel(utcnow() + timedelta(days=6)):
        later = PageClient(app.test_client())
        later.get(path)
        later.post(path, {}, expect=302)
        assert (
            later.get("/referral/name").soup.select_one("input[name=full_name]")["value"] == PAGES["name"]["full_name"]
        )


def test_a_save_and_return_link_dies_after_seven_days(client, app):
    path = _saved(client, app)
    with time_machine.travel(utcnow() + timedelta(days=9)):
        assert client.get(path, expect=200).h1 == "This link no longer works"


def test_a_save_and_return_token_cannot_be_used_as_a_consent_link(client, app):
    path = _saved(client, app)
    token = path.rsplit("/", 1)[1]
    client.get(f"/consent/reconfirm/{token}", expect=200)
