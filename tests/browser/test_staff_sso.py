"""Single sign-on in Chromium, with the test provider on another site (localhost, the portal on 127.0.0.1).

The provider sends the browser back from another site, and a browser does not send a
`SameSite=Strict` cookie on a navigation another site started: this shows the staff
member still ends up signed in, and the pages on the way pass axe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import WATCHES, LiveServer, assert_accessible, browser_context, open_page
from tests.staff.test_signin_support import EMAIL, make_account
from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, OpenIDProvider


@pytest.fixture
def provider() -> Iterator[OpenIDProvider]:
    server = OpenIDProvider(host_name="localhost").start()
    server.asks_person = True
    yield server
    server.stop()


def test_a_member_of_staff_signs_in_with_nhsmail(
    browser: Browser, start_live_server: Callable[..., LiveServer], provider: OpenIDProvider
):
    live = start_live_server(
        oidc_issuer=provider.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_provider_enforces_mfa=True,
    )
    live.app.config["PORTAL_SETTINGS"].public_base_url = live.url
    make_account(live.app, role="admin")
    with browser_context(browser, live) as context:
        page = open_page(context)
        page.set_default_timeout(20_000)
        page.goto("/staff/sign-in")
        assert_accessible(page, "sign in, with single sign-on")
        page.get_by_role("button", name="Sign in with NHSmail").click()
        expect(page.locator("h1")).to_have_text("Provider")
        page.get_by_role("link", name="Continue").click()
        expect(page.locator("h1")).to_have_text("Intake queue")
        assert "Admin" in page.locator("header").inner_text()
        watch = WATCHES[id(page)]
        assert {urlsplit(url).netloc for url in watch.foreign_requests} == {f"localhost:{provider.port}"}
        watch.foreign_requests.clear()  # the provider is the one other site this journey may visit
        assert EMAIL in page.locator("header").inner_text()
        assert_accessible(page, "the queue after single sign-on")
