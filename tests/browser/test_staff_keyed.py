"""Keying in a phone referral in Chromium: the start page, its error, and a public page in team entry pass axe."""

from __future__ import annotations

from tests.browser.conftest import assert_accessible
from tests.browser.test_staff_downloads import signed_in


def test_keying_in_a_phone_referral_passes_axe(live_server, context, page):
    signed_in(live_server, context, "keyer@example.nhs.uk", "triage")
    page.goto("/staff/referrals/new")
    assert_accessible(page, "Key in a referral")
    page.get_by_role("button", name="Start the referral").click()
    assert "Select how the referral reached the team" in page.locator(".nhsuk-error-summary").inner_text()
    assert_accessible(page, "Key in a referral with an error")
    page.get_by_label("By phone").check()
    page.get_by_role("button", name="Start the referral").click()
    assert "keying in a referral received by phone" in page.locator(".app-keyed-in").inner_text()
    assert_accessible(page, "Who is filling in, in team entry")
