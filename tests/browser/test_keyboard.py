"""The referral with the keyboard alone: every control reachable, focus always visible, no mouse."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.journey import MYSELF, send, slug_of, walk
from tests.browser.keyboard import (
    answer_with_keyboard,
    assert_focus_visible,
    continue_with_keyboard,
    look,
    press_enter_on,
    tab_to,
)
from tests.browser.test_referral_journey import stored_reference

# On the name page the person types the optional name first, then goes back (Shift+Tab) for the full name.
BY_KEYBOARD = tuple((slug, tuple(reversed(answers)) if slug == "name" else answers) for slug, answers in MYSELF)


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(page: Page):
    page.goto("/referral/who")
    skip_link = page.get_by_role("link", name="Skip to main content")
    before = look(page, skip_link)
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    assert_focus_visible(page, before)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "maincontent"
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"
    assert_accessible(page, "question page after the skip link")


def test_a_person_can_refer_themself_with_the_keyboard_alone(page: Page, live_server: LiveServer):
    page.goto("/")
    press_enter_on(page, page.get_by_role("button", name="Start now"))
    assert slug_of(page) == "who"
    walk(page, BY_KEYBOARD, audit=("who", "communication"), answer=answer_with_keyboard, go_on=continue_with_keyboard)
    expect(page.locator("main")).to_contain_text("Siân O'Neil-Jones")
    change = page.get_by_role("link", name="Change").first
    assert_focus_visible(page, tab_to(page, change))
    reference = send(page, go_on=lambda p: press_enter_on(p, p.get_by_role("button", name="Send referral")))
    assert stored_reference(live_server) == reference


def test_a_back_link_shows_focus_and_goes_back(page: Page):
    page.goto("/")
    press_enter_on(page, page.get_by_role("button", name="Start now"))
    walk(page, MYSELF[:1], audit=False, reach_check=False, answer=answer_with_keyboard, go_on=continue_with_keyboard)
    assert slug_of(page) == "name"
    press_enter_on(page, page.get_by_role("link", name="Back"))
    assert slug_of(page) == "who"
    expect(page.get_by_label("I am filling this in for myself", exact=True)).to_be_checked()
    assert_accessible(page, "who, answered, after going back")
