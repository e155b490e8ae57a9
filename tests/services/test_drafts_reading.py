"""A question page that only shows answers never waits for someone else's save (SQLite's write lock)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

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
