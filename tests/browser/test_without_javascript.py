"""With JavaScript off, the whole referral still works: reveals show their box, errors link, sending works."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.journey import MYSELF, press_continue, send, slug_of, start, walk
from tests.browser.test_referral_journey import stored_reference

TIME_LIMIT = "We keep your answers for 2 hours after you last save a page."
UP_TO_COMMUNICATION = next(i for i, (slug, _) in enumerate(MYSELF) if slug == "communication")


def test_a_person_can_refer_themself_without_javascript(no_js_page: Page, live_server: LiveServer):
    page = no_js_page
    start(page)
    walk(page, MYSELF[:UP_TO_COMMUNICATION], audit=("who", "name", "date-of-birth"), reach_check=False)
    assert slug_of(page) == "communication"
    expect(page.locator("main")).to_contain_text(TIME_LIMIT)  # the warning needs JavaScript; the words do not
    expect(page.get_by_label("Which language?", exact=True)).to_be_visible()
    press_continue(page)
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    walk(page, MYSELF[UP_TO_COMMUNICATION:], errors_first=False, audit=("communication", "hospital", "professionals"))
    expect(page.locator("main")).to_contain_text("Polish")
    expect(page.locator("main")).to_contain_text(TIME_LIMIT)
    reference = send(page)
    assert stored_reference(live_server) == reference


def test_with_javascript_a_revealed_box_shows_only_after_its_answer(page: Page):
    start(page)
    walk(page, MYSELF[:UP_TO_COMMUNICATION], audit=False, reach_check=False)
    language = page.get_by_label("Which language?", exact=True)
    expect(language).to_be_hidden()
    page.get_by_label("Yes", exact=True).check()
    expect(language).to_be_visible()
    assert_accessible(page, "communication with its revealed box")
    page.get_by_label("No", exact=True).check()
    expect(language).to_be_hidden()
