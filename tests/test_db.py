"""Each write says how durable its commit is: a page save may wait for the next sync, a referral never does.

The level is read inside each transaction just before it commits, on both databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from tests.conftest import PageClient
from tests.support.journey import submit, walk_to_check


@contextmanager
def commit_levels(app: Flask) -> Iterator[list[str]]:
    """The durability of every commit made while the block runs (SQLite's `synchronous`, PostgreSQL's setting)."""
    engine = app.extensions["engine"]
    seen: list[str] = []

    def before_commit(conn) -> None:  # type: ignore[no-untyped-def]
        if conn.dialect.name == "sqlite":
            level = conn.connection.driver_connection.execute("PRAGMA synchronous").fetchone()[0]
            seen.append({1: "normal", 2: "full"}.get(level, str(level)))
        else:
            seen.append({"on": "full", "off": "normal"}[conn.exec_driver_sql("SHOW synchronous_commit").scalar()])

    def synced_by_default(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # The test server runs with synchronous_commit=off for speed; a deployment's default is on.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO on")
        dbapi_connection.commit()  # a SET in a transaction rolled back would be undone

    if engine.dialect.name == "postgresql":
        engine.dispose()
        event.listen(engine, "connect", synced_by_default)
    event.listen(engine, "commit", before_commit)
    try:
        yield seen
    finally:
        event.remove(engine, "commit", before_commit)
        if engine.dialect.name == "postgresql":
            event.remove(engine, "connect", synced_by_default)
            engine.dispose()


def test_page_saves_wait_for_the_next_sync_and_the_referral_does_not(db_app: Flask) -> None:
    client = PageClient(db_app.test_client())
    client.post("/referral/who", {"who": "self"}, expect=302)  # the first page starts the draft: synced
    with commit_levels(db_app) as saves:
        walk_to_check(client)
    # Fifteen question pages save through `drafts.add_answers`; the professionals page through the ORM, synced.
    assert saves.count("normal") >= 14 and saves.count("full") <= 1, saves
    with commit_levels(db_app) as sending:
        submit(client)
    assert sending and set(sending) == {"full"}, sending
