"""The start and information pages, a missing page and the staff entrance pass axe, and reflow at 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.journey import start

PAGES = {
    "/": "Ask to go on the Dynamic Support Register",
    "/privacy": None,
    "/accessibility": None,
    "/help": None,
    "/no-such-page": "Page not found",
    "/staff/": None,
}
NARROW = {"width": 320, "height": 640}  # WCAG 1.4.10: 1280 px at 400% zoom


@pytest.mark.parametrize("path", PAGES)
def test_page_passes_axe(page: Page, path: str):
    response = page.goto(path)
    assert response is not None and response.status in {200, 404}, f"{path}: {response and response.status}"
    if PAGES[path]:
        expect(page.get_by_role("heading", level=1)).to_have_text(PAGES[path])
    assert_accessible(page, path)


def scrolls_sideways(page: Page) -> int:
    """How many pixels wider than the window the page is (0 when it reflows)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_the_start_page_and_a_question_page_reflow_at_320_pixels(page: Page):
    page.set_viewport_size(NARROW)
    start(page)
    page.goto("/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"], scrolls_sideways(page)
    page.goto("/referral/who")
    page.get_by_role("button", name="Continue").click()  # the error summary and messages make it wider, if anything
    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"], scrolls_sideways(page)
    assert_accessible(page, "who, with an error, at 320 px")
