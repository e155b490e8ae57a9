"""Easy read in a real browser: chosen on the first page with JavaScript off, axe on every easy-read page."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal import db
from portal.models import Referral
from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.journey import MYSELF, send, slug_of, walk

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
