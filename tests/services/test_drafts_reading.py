"""A question page that only shows answers never waits for someone else's save (SQLite's write lock)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from portal import db
from portal.models import Draft
from tests.conftest import PageClient
from tests.support.journey import PAGES


@contextmanager
def write_lock_held(app: Flask) -> Iterator[None]:
    """Another connection holds SQLite's write lock, as a person's save does for a moment."""
    path = app.extensions["engine"].url.database
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_question_page_shows_the_answers_while_someone_else_is_saving(app, client: PageClient) -> None:
    client.post("/referral/who", PAGES["who"], expect=302)
    client.post("/referral/name", PAGES["name"], expect=302)
    with write_lock_held(app):
        started = time.monotonic()
        shown = client.get("/referral/name").select("input[name=full_name]")[0]["value"]
        waited = time.monotonic() - started
    assert shown == PAGES["name"]["full_name"]
    assert waited < 2, f"the page waited {waited:.1f} s for another person's save"


def test_a_page_that_fails_its_checks_is_shown_while_someone_else_is_saving(app, client: PageClient) -> None:
    client.post("/referral/who", PAGES["who"], expect=302)
    with write_lock_held(app):
        started = time.monotonic()
        page = client.post("/referral/name", {"full_name": "", "preferred_name": ""}, expect=200)
        waited = time.monotonic() - started
    assert "Enter your full name" in page.text_of(".nhsuk-error-summary")
    assert waited < 2, f"the page waited {waited:.1f} s for another person's save"


def test_a_page_sent_after_the_answers_were_deleted_does_not_bring_them_back(app, client: PageClient) -> None:
    client.post("/referral/who", PAGES["who"], expect=302)
    with app.app_context(), db.unit_of_work() as unit:
        unit.query(Draft).delete()
    sent = client.post("/referral/name", PAGES["name"], expect=302)
    assert sent.response.location == "/?expired=1"
    with app.app_context():
        assert db.session().query(Draft).count() == 0
