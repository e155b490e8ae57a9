"""Consent items' pages in Chromium: every kind's page, its action pages and their errors pass axe."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import LiveServer, assert_accessible
from tests.browser.test_staff_queue import check, sign_in
from tests.staff.test_queue_kinds import CONSENT_KINDS, add_consent_item, ask_to_come_off
from tests.staff.test_record import refer


def test_every_kind_of_item_and_its_actions_pass_axe(page: Page, context: BrowserContext, live_server: LiveServer):
    app = live_server.app
    reference = refer(app)
    made = {kind: add_consent_item(app, kind, reference, **details) for kind, (_w, details) in CONSENT_KINDS.items()}
    ask_to_come_off(app)
    sign_in(context, live_server)

    check(page, "/staff/queue", "queue with every kind and download choices")
    assert page.locator("table.app-queue a.app-item-link").count() == 1
    for kind, item_id in made.items():
        check(page, f"/staff/items/{item_id}", f"{kind} item")
        assert page.locator("main script").count() == 0
    unlinked = page.goto("/staff/queue?kind=removal")
    assert unlinked is not None
    page.locator("a.app-item-link").click()
    assert_accessible(page, "removal with no reference")
    page.get_by_role("link", name="Link it to a referral").click()
    assert_accessible(page, "link to a referral")
    page.get_by_role("button", name="Save").click()
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert_accessible(page, "link to a referral, error")

    check(page, f"/staff/items/{made['removal']}/removal-done", "removal done")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page, "removal done, errors")
    check(page, f"/staff/items/{made['callback']}/call", "record the call")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page, "record the call, errors")
    check(page, f"/staff/items/{made['lapsed']}/reconfirm", "reconfirm")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page, "reconfirm, errors")
    check(page, f"/staff/items/{made['turned_16']}/status", "item status")
    check(page, f"/staff/intake/{reference}", "referral with other items")
    check(page, f"/staff/intake/{reference}/consent", "record consent")
    page.get_by_label("The person", exact=True).check()
    page.get_by_label("By phone").check()
    page.get_by_role("button", name="Save").click()
    assert "phone" in page.locator("table.app-consent-history").inner_text()
    check(page, "/staff/downloads", "downloads with the letters link")


def test_removal_done_with_the_keyboard_alone(page: Page, context: BrowserContext, live_server: LiveServer):
    app = live_server.app
    reference = refer(app)
    item_id = add_consent_item(app, "removal", reference)
    sign_in(context, live_server)
    page.goto(f"/staff/items/{item_id}")
    page.get_by_role("button", name="Removal done").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Phone").check()
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Save").press("Enter")
    page.wait_for_url(f"**/staff/items/{item_id}")
    assert page.locator(".app-status").inner_text().strip() == "Closed"
    assert "Withdrawn" in page.locator("table.app-consent-history").inner_text()
    assert_accessible(page, "removal closed")
