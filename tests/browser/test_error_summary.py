"""The error summary: it says what to do, and each of its links takes the person to the box at fault."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.journey import MYSELF, press_continue, slug_of, start, walk

ADDRESS_ERRORS = {
    "Enter the first line of the address": "address_line_1",
    "Enter the town or city": "town",
    "Enter the postcode": "postcode",
}


def reach_address_page(page: Page) -> None:
    start(page)
    walk(page, MYSELF[:4], audit=False, reach_check=False)
    assert slug_of(page) == "address"


def focused_id(page: Page) -> str:
    return page.evaluate("() => document.activeElement.id")


@pytest.mark.parametrize("browser_page", ["page", "no_js_page"])
def test_each_error_summary_link_moves_focus_to_its_box(browser_page: str, request: pytest.FixtureRequest):
    page: Page = request.getfixturevalue(browser_page)
    reach_address_page(page)
    press_continue(page)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    if browser_page == "page":
        expect(summary).to_be_focused()  # so a screen reader reads it out first
    links = summary.get_by_role("link")
    expect(links).to_have_text(list(ADDRESS_ERRORS))
    assert_accessible(page, "address page with three errors")
    for text, field_id in ADDRESS_ERRORS.items():
        summary.get_by_role("link", name=text).click()
        assert focused_id(page) == field_id, f"{text} took focus to {focused_id(page)!r}"
        expect(page.locator(f"#{field_id}-error")).to_contain_text(text)
