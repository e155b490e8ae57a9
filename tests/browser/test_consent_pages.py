"""Every consent page, in Chromium, passes axe (WCAG 2.2 AA), with and without errors and reveals."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible
from tests.conftest import PageClient
from tests.consent.conftest import issue_token, make_referral


@pytest.fixture
def consent_server(live_server):
    live = live_server
    live.app.config["PORTAL_SETTINGS"].consent_link_rate_limit = "10000 per minute"
    return live


def _date_of_birth(page: Page, day: str, month: str, year: str) -> None:
    page.fill("input[name='date_of_birth-day']", day)
    page.fill("input[name='date_of_birth-month']", month)
    page.fill("input[name='date_of_birth-year']", year)


@pytest.mark.parametrize("decision", ["keep", "remove", "talk"])
def test_answering_by_link_is_accessible_at_every_step(page: Page, consent_server, decision):
    reference = make_referral(PageClient(consent_server.app.test_client()))
    token = issue_token(consent_server.app, reference)
    page.goto(consent_server(f"/consent/reconfirm/{token}"))
    assert_accessible(page, "date of birth")
    _date_of_birth(page, "1", "3", "2000")
    page.click("button:has-text('Continue')")
    assert_accessible(page, "date of birth, wrong")
    _date_of_birth(page, "29", "2", "2000")
    page.click("button:has-text('Continue')")
    assert page.locator("h1").inner_text() == "Do you still want to be on the DSR?"
    assert_accessible(page, "decision")
    page.click("button:has-text('Send my answer')")
    assert_accessible(page, "decision, nothing chosen")
    page.check(f"input[name=decision][value={decision}]")
    page.click("button:has-text('Send my answer')")
    if decision == "talk":
        assert_accessible(page, "call-back time")
        page.click("button:has-text('Ask for a call')")
        assert_accessible(page, "call-back time missing")
        page.fill("input[name=callback_times]", "Mornings")
        page.click("button:has-text('Ask for a call')")
    assert "/consent/answered" in page.url
    assert_accessible(page, f"answered {decision}")


def test_the_dead_link_and_code_pages_are_accessible(page: Page, consent_server):
    page.goto(consent_server("/consent/reconfirm/not-a-real-token"))
    assert page.locator("h1").inner_text() == "This link no longer works"
    assert_accessible(page, "dead link")
    page.goto(consent_server("/consent/code"))
    assert_accessible(page, "code")
    page.fill("input[name=code]", "ABCD EFGH")
    page.click("button:has-text('Continue')")
    assert_accessible(page, "code, not found")


def test_asking_to_come_off_is_accessible(page: Page, consent_server):
    page.goto(consent_server("/"))
    page.click("footer a:has-text('Ask to come off the DSR')")
    assert_accessible(page, "come off")
    page.click("button:has-text('Continue')")
    assert_accessible(page, "come off, errors")
    page.fill("input[name=full_name]", "Siân O'Neil-Jones")
    _date_of_birth(page, "29", "2", "2000")
    page.fill("input[name=postcode]", "NR1 3SR")
    page.fill("textarea[name=how_to_reach]", "Call after 4pm")
    page.click("button:has-text('Continue')")
    assert_accessible(page, "come off, check")
    page.click("button:has-text('Send request')")
    assert page.locator("h1").inner_text() == "Request sent"
    assert_accessible(page, "come off, confirmation")


def test_save_and_come_back_later_is_accessible(page: Page, consent_server):
    page.goto(consent_server("/referral/who"))
    page.check("input[name=who][value=self]")
    page.click("button:has-text('Continue')")
    page.fill("input[name=full_name]", "Siân O'Neil-Jones")
    assert_accessible(page, "question page with save button")
    page.click("button:has-text('Save and come back later')")
    assert_accessible(page, "save: email")
    page.click("button:has-text('Send me a link')")
    assert_accessible(page, "save: email missing")
    page.fill("input[name=email]", "saver@example.com")
    page.click("button:has-text('Send me a link')")
    assert page.locator("h1").inner_text() == "Check your email"
    assert_accessible(page, "saved")
