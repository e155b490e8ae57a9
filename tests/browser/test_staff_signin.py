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


def _heading(page: Page, text: str) -> None:
    """Wait for the page's heading: checking a password with argon2 on a busy machine can take seconds."""
    expect(page.locator("h1")).to_have_text(text, timeout=20_000)


def _sign_in_with_password(page: Page) -> None:
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_a_new_member_of_staff_sets_up_signs_in_and_signs_out(page: Page, live_server: LiveServer):
    page.set_default_timeout(20_000)
    page.goto(_set_up_link(live_server))
    _heading(page, "Create a password")
    assert_accessible(page, "create a password")
    page.get_by_label("Create a password").fill("password1234")
    page.get_by_role("button", name="Create password").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Your password is too common")
    assert_accessible(page, "create a password, with an error")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_role("button", name="Create password").click()
    _heading(page, "Your password has been created")
    assert_accessible(page, "password created")

    page.get_by_role("link", name="Sign in").click()
    _heading(page, "Sign in to DSR intake")
    assert_accessible(page, "sign in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill("not the right password")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter a correct email address and password")
    assert_accessible(page, "sign in, with an error")
    _sign_in_with_password(page)

    _heading(page, "Set up an authenticator app")
    assert page.get_by_role("img", name="QR code to add DSR intake to your authenticator app").is_visible()
    assert_accessible(page, "set up an authenticator app")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("2. Enter the code your app shows").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continue").click()

    _heading(page, "Save your recovery codes")
    assert_accessible(page, "save your recovery codes")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert page.get_by_role("link", name="I have saved my recovery codes").get_attribute("href") == "/staff/"

    page.goto("/staff/account")
    _heading(page, "Your account")
    assert_accessible(page, "your account")
    page.get_by_role("button", name="Sign out", exact=True).click()
    _heading(page, "You have signed out")
    assert_accessible(page, "signed out")
    page.goto("/staff/account")
    _heading(page, "Sign in to DSR intake")

    _sign_in_with_password(page)
    _heading(page, "Enter the code from your authenticator app")
    assert_accessible(page, "enter the code")
    page.get_by_role("link", name="Use a recovery code instead").click()
    _heading(page, "Enter a recovery code")
    assert_accessible(page, "enter a recovery code")
    page.get_by_label("Enter a recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.goto("/staff/account")
    _heading(page, "Your account")
    expect(page.locator("main")).to_contain_text("Recovery codes left 9")
