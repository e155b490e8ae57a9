"""Staff sign-in in Chromium: set-up link, password, authenticator app, recovery codes, sign-out; axe on every page."""

from __future__ import annotations

import pyotp
from playwright.sync_api import Page, expect

from portal import db
from portal.services import staff_accounts
from tests.browser.conftest import LiveServer, assert_accessible

EMAIL = "new.starter@example.nhs.uk"
PASSWORD = "correct horse battery staple"


def _set_up_link(live_server: LiveServer) -> str:
    with live_server.app.app_context(), db.unit_of_work():
        user = staff_accounts.create_staff(EMAIL, "triage")
        return staff_accounts.issue_setup_link(user).removeprefix("http://127.0.0.1:5000")


def _sign_in_with_password(page: Page) -> None:
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_a_new_member_of_staff_sets_up_signs_in_and_signs_out(page: Page, live_server: LiveServer):
    page.goto(_set_up_link(live_server))
    expect(page.locator("h1")).to_have_text("Create a password")
    assert_accessible(page, "create a password")
    page.get_by_label("Create a password").fill("password1234")
    page.get_by_role("button", name="Create password").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Your password is too common")
    assert_accessible(page, "create a password, with an error")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_role("button", name="Create password").click()
    expect(page.locator("h1")).to_have_text("Your password has been created")
    assert_accessible(page, "password created")

    page.get_by_role("link", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Sign in to DSR intake")
    assert_accessible(page, "sign in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill("not the right password")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a correct email address and password")
    assert_accessible(page, "sign in, with an error")
    _sign_in_with_password(page)

    expect(page.locator("h1")).to_have_text("Set up an authenticator app")
    assert page.get_by_role("img", name="QR code to add DSR intake to your authenticator app").is_visible()
    assert_accessible(page, "set up an authenticator app")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("2. Enter the code your app shows").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("h1")).to_have_text("Save your recovery codes")
    assert_accessible(page, "save your recovery codes")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved my recovery codes").click()

    page.goto("/staff/account")
    expect(page.locator("h1")).to_have_text("Your account")
    assert_accessible(page, "your account")
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.locator("h1")).to_have_text("You have signed out")
    assert_accessible(page, "signed out")
    page.goto("/staff/account")
    expect(page.locator("h1")).to_have_text("Sign in to DSR intake")

    _sign_in_with_password(page)
    expect(page.locator("h1")).to_have_text("Enter the code from your authenticator app")
    assert_accessible(page, "enter the code")
    page.get_by_role("link", name="Use a recovery code instead").click()
    expect(page.locator("h1")).to_have_text("Enter a recovery code")
    assert_accessible(page, "enter a recovery code")
    page.get_by_label("Enter a recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.goto("/staff/account")
    expect(page.locator("h1")).to_have_text("Your account")
    expect(page.locator("main")).to_contain_text("Recovery codes left 9")
