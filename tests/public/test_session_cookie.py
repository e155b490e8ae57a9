"""The session cookie is sent again when the session changes, or when a save finds it more than 12 hours old:
not on every page view or save, and it still always outlives the draft it names."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from flask import Flask

from portal.models import utcnow
from portal.session_cookie import REFRESH_AFTER
from tests.conftest import PageClient, make_app
from tests.support.journey import PAGES

DAY = 24 * 60 * 60


def session_cookies(page) -> list[str]:
    return [c for c in page.response.headers.getlist("Set-Cookie") if c.startswith("session=")]


@pytest.fixture
def long_draft_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    """Answers kept two days, so one draft can be saved again after the cookie is over 12 hours old."""
    path = tmp_path / "portal.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    app = make_app(f"sqlite:///{path}", draft_timeout_seconds=2 * DAY)
    yield app
    app.extensions["engine"].dispose()


def test_the_cookie_is_sent_when_the_session_starts_and_again_only_once_it_is_12_hours_old(long_draft_app):
    client = PageClient(long_draft_app.test_client())
    started = utcnow() - REFRESH_AFTER - timedelta(minutes=5)
    with time_machine.travel(started, tick=False):
        [first] = session_cookies(client.post("/referral/who", PAGES["who"], expect=302))
        assert session_cookies(client.get("/referral/name")) == []
    with time_machine.travel(started + REFRESH_AFTER - timedelta(minutes=1), tick=False):
        assert session_cookies(client.post("/referral/name", PAGES["name"], expect=302)) == []
    with time_machine.travel(started + REFRESH_AFTER + timedelta(minutes=1), tick=False):
        [again] = session_cookies(client.post("/referral/name", PAGES["name"], expect=302))
        assert again != first and "Expires=" in again
        assert session_cookies(client.post("/referral/name", PAGES["name"], expect=302)) == []


def test_a_cookie_refreshed_only_every_12_hours_still_outlives_the_draft(app) -> None:
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    timeout = app.config["PORTAL_SETTINGS"].draft_timeout_seconds
    # Refreshed at least every REFRESH_AFTER on a save, the cookie has at least this long left after any save.
    assert lifetime - REFRESH_AFTER.total_seconds() > timeout


def test_a_cookie_with_a_bad_signature_starts_a_new_session(client: PageClient) -> None:
    client.post("/referral/who", PAGES["who"], expect=302)
    client.client.set_cookie("session", client.client.get_cookie("session").value[:-2] + "xx")
    assert client.get("/referral/name", expect=302).response.location == "/"  # no draft: back to the start


def test_answers_are_still_shown_after_page_views_without_a_new_cookie(client: PageClient) -> None:
    client.post("/referral/who", PAGES["who"], expect=302)
    client.post("/referral/name", PAGES["name"], expect=302)
    for _ in range(3):
        page = client.get("/referral/name")
    assert page.select("input[name=full_name]")[0]["value"] == PAGES["name"]["full_name"]
