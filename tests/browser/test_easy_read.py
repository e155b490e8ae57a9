"""Easy read in a real browser: chosen on the first page with JavaScript off, axe on every easy-read page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal import db
from portal.models import Referral
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.journey import MYSELF, send, slug_of, walk
from tests.conftest import PageClient
from tests.consent.conftest import issue_token, make_referral
from tests.consent.test_reminders import outbox

EASY_READ_START = "This form asks to put a person on a list."


def choose_easy_read(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Easy read: short sentences with pictures").click()
    expect(page.locator(".app-easy-read-blocks").first).to_be_visible()


def test_easy_read_is_chosen_remembered_and_switched_without_javascript(no_js_page: Page):
    page = no_js_page
    choose_easy_read(page)
    expect(page.locator("main")).to_contain_text(EASY_READ_START)
    page.get_by_role("button", name="Start now").click()
    expect(page.locator("main")).to_contain_text("First, tell us who is filling in this form.")
    page.get_by_role("link", name="Plain English version of this page").click()
    assert slug_of(page) == "who"
    expect(page.locator(".app-easy-read-block")).to_have_count(0)
    page.goto("/")
    expect(page.locator("main")).not_to_contain_text(EASY_READ_START)


def test_a_link_in_a_letter_opens_the_easy_read_version(page: Page):
    page.goto("/?mode=easy")
    expect(page.locator("main")).to_contain_text(EASY_READ_START)
    assert_accessible(page, "easy-read start page")


def test_easy_read_text_is_large_left_aligned_with_pictures_on_the_left(page: Page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/?mode=easy")
    text = page.locator(".app-easy-read-block__text").first
    style = text.evaluate(
        "el => { const s = getComputedStyle(el); return [s.fontSize, s.lineHeight, s.textAlign, s.fontStyle] }"
    )
    size, line_height, align, font_style = style
    assert float(size.removesuffix("px")) >= 19
    assert float(line_height.removesuffix("px")) >= 1.5 * float(size.removesuffix("px")) - 0.5
    assert (align, font_style) == ("left", "normal")
    picture = page.locator(".app-easy-read-block__picture").first.bounding_box()
    words = text.bounding_box()
    assert picture["x"] + picture["width"] <= words["x"]


def test_every_easy_read_page_passes_axe_and_the_referral_records_easy_read(page: Page, live_server: LiveServer):
    choose_easy_read(page)
    page.get_by_role("button", name="Start now").click()
    walk(page, MYSELF, errors_first=True, audit=True)
    expect(page.locator("main")).to_contain_text("Please check your answers.")
    send(page)
    expect(page.locator("main")).to_contain_text("Thank you. We have your form.")
    assert_accessible(page, "easy-read confirmation")
    with live_server.app.app_context():
        assert db.session().scalar(select(Referral.reading_mode)) == "easy"


def _easy_read_page_passes_axe(page: Page, path: str, name: str) -> None:
    page.goto(path)
    expect(page.locator(".app-easy-read-block").first).to_be_visible()
    assert_accessible(page, f"easy-read {name}")


def test_the_easy_read_pages_around_the_form_pass_axe(page: Page, live_server: LiveServer):
    page.goto("/?mode=easy")
    for path, name in [
        ("/privacy", "privacy notice"),
        ("/help", "help"),
        ("/accessibility", "accessibility statement"),
        ("/consent/code", "letter code"),
        ("/consent/reconfirm/not-a-real-token", "link no longer works"),
    ]:
        _easy_read_page_passes_axe(page, path, name)
    page.goto("/no-such-page")
    expect(page.locator("main")).to_contain_text("We can not find this page.")
    assert_accessible(page, "easy-read page not found")


def test_the_easy_read_consent_by_link_pages_pass_axe(page: Page, live_server: LiveServer):
    live_server.app.config["PORTAL_SETTINGS"].consent_link_rate_limit = "10000 per minute"
    token = issue_token(live_server.app, make_referral(PageClient(live_server.app.test_client())))
    _easy_read_page_passes_axe(page, f"/consent/reconfirm/{token}?mode=easy", "date of birth")
    page.fill("input[name='date_of_birth-day']", "29")
    page.fill("input[name='date_of_birth-month']", "2")
    page.fill("input[name='date_of_birth-year']", "2000")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Please choose if you still want to be on the list.")
    assert_accessible(page, "easy-read decision, nothing chosen")
    page.get_by_label("I want to talk to someone first").check()
    page.get_by_role("button", name="Send my answer").click()
    assert_accessible(page, "easy-read call-back time")
    page.get_by_label("When is a good and safe time to call you?").fill("Mornings")
    page.get_by_role("button", name="Ask for a call").click()
    expect(page.locator("main")).to_contain_text("Thank you. Someone from the team will call you.")
    assert_accessible(page, "easy-read answered")


def test_the_easy_read_come_off_pages_pass_axe(page: Page, live_server: LiveServer):
    _easy_read_page_passes_axe(page, "/come-off-the-dsr?mode=easy", "come off")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Please write the name of the person on the list.")
    assert_accessible(page, "easy-read come off, errors")
    page.fill("input[name=full_name]", "Siân O'Neil-Jones")
    page.fill("input[name='date_of_birth-day']", "29")
    page.fill("input[name='date_of_birth-month']", "2")
    page.fill("input[name='date_of_birth-year']", "2000")
    page.fill("input[name=postcode]", "NR1 3SR")
    page.fill("textarea[name=how_to_reach]", "Call after 4pm")
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page, "easy-read come off, check")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("main")).to_contain_text("Thank you. We have your request.")
    assert_accessible(page, "easy-read come off, confirmation")


def test_the_easy_read_save_and_professional_pages_pass_axe(page: Page, live_server: LiveServer):
    choose_easy_read(page)
    page.get_by_role("button", name="Start now").click()
    up_to_a_professional = [slug for slug, _answers in MYSELF].index("professionals/add") + 1
    walk(page, MYSELF[:up_to_a_professional], audit=False, reach_check=False)
    page.goto("/referral/professionals/1/remove")
    expect(page.locator("main")).to_contain_text("Do you want to take them off this form?")
    assert_accessible(page, "easy-read remove a professional")
    page.goto("/referral/save")
    assert_accessible(page, "easy-read save for later")
    page.get_by_label("What email address should we send the link to?").fill("saver@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator("main")).to_contain_text("We sent you an email. It has a link in it.")
    assert_accessible(page, "easy-read saved for later")
    [message] = outbox(live_server.app, "save_return")
    _easy_read_page_passes_axe(page, re.search(r"/referral/return/\S+", message.body).group(0), "carry on")
