"""The team's queue, record, action pages and dashboard in Chromium: axe finds nothing, and they work without JavaScript."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import LiveServer, assert_accessible
from tests.conftest import PageClient
from tests.staff.test_queue import add_item
from tests.support.journey import submit, walk_to_check
from tests.support.staff import sign_in_as


class CookieJar:
    """Stands in for a test client so `sign_in_as` can hand over the session cookie."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def set_cookie(self, name: str, value: str) -> None:
        self.cookies[name] = value


def sign_in(context: BrowserContext, live_server: LiveServer) -> None:
    jar = CookieJar()
    sign_in_as(live_server.app, jar)
    context.add_cookies([{"name": n, "value": v, "url": live_server.url} for n, v in jar.cookies.items()])


@pytest.fixture
def reference(live_server: LiveServer) -> str:
    """A referral with hostile free text, and enough other items to need two pages."""
    public = PageClient(live_server.app.test_client())
    walk_to_check(public, whats_happening={"risks": ["home_breakdown"], "situation": "<script>alert(1)</script> a < b"})
    made = submit(public).text_of(".app-reference")
    now = datetime.now(UTC)
    for n in range(27):
        add_item(live_server.app, now - timedelta(days=n * 2), kind=("referral", "removal", "callback")[n % 3])
    return made


def check(page: Page, path: str, label: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status in {200, 400}, f"{path}: {response and response.status}"
    assert_accessible(page, label)


def test_every_staff_queue_page_passes_axe(page: Page, context: BrowserContext, live_server: LiveServer, reference):
    sign_in(context, live_server)
    check(page, "/staff/queue", "queue")
    check(page, "/staff/queue?page=2", "queue page 2")
    check(page, "/staff/queue?reference=nonsense", "queue search error")
    check(page, "/staff/queue?status=closed", "queue with nothing in it")
    check(page, f"/staff/intake/{reference}", "record")
    assert page.locator("main script").count() == 0
    page.get_by_role("button", name="Add note").click()
    assert_accessible(page, "record with a note error")
    check(page, f"/staff/intake/{reference}/status", "change status")
    check(page, f"/staff/intake/{reference}/outcome", "record the outcome")
    page.get_by_role("radio", name="Accepted onto the register").check()
    page.get_by_role("button", name="Save").click()
    assert page.locator(".nhsuk-error-summary").inner_text().count("Select a rating") == 1
    assert_accessible(page, "outcome error")
    check(page, f"/staff/intake/{reference}/told", "record telling")
    check(page, "/staff/dashboard", "dashboard")


def test_the_queue_filters_and_claims_without_javascript(
    no_js_page: Page, no_js_context: BrowserContext, live_server: LiveServer, reference: str
):
    sign_in(no_js_context, live_server)
    page = no_js_page
    page.goto("/staff/queue")
    page.get_by_label("Removal request").check()
    page.get_by_role("button", name="Apply filters").click()
    kinds: list[Any] = page.locator("table.app-queue tbody tr td:nth-child(2)").all_inner_texts()
    assert kinds and set(kinds) == {"Removal request"}
    assert "kind=removal" in page.url
    page.goto("/staff/queue")
    page.get_by_label("Find a reference").fill(reference.lower().replace("-", " "))
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Claim this item").click()
    assert "You have claimed this item." in page.locator("main").inner_text()
    assert page.locator(".app-claimed-by").inner_text() == "triage@example.nhs.uk"
    assert_accessible(page, "record after claiming, no JavaScript")
