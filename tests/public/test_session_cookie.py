"""The session cookie is sent again when a form is sent, not on every page view, and still outlives the draft."""

from __future__ import annotations

from tests.conftest import PageClient
from tests.support.journey import PAGES


def session_cookies(page) -> list[str]:
    return [c for c in page.response.headers.getlist("Set-Cookie") if c.startswith("session=")]


def test_viewing_a_page_does_not_resend_the_cookie_but_every_save_does(app, client: PageClient) -> None:
    client.post("/referral/who", PAGES["who"], expect=302)
    assert session_cookies(client.get("/referral/name")) == []
    saved = client.post("/referral/name", PAGES["name"], expect=302)
    [cookie] = session_cookies(saved)
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    assert lifetime > app.config["PORTAL_SETTINGS"].draft_timeout_seconds
    assert "Expires=" in cookie


def test_answers_are_still_shown_after_page_views_without_a_new_cookie(client: PageClient) -> None:
    client.post("/referral/who", PAGES["who"], expect=302)
    client.post("/referral/name", PAGES["name"], expect=302)
    for _ in range(3):
        page = client.get("/referral/name")
    assert page.select("input[name=full_name]")[0]["value"] == PAGES["name"]["full_name"]
