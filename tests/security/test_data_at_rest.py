"""Answers are sealed at rest: the raw bytes of the database say nothing about the person."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from portal import db
from portal.models import Referral
from tests.security.support import walk_with_canaries
from tests.support.journey import submit


def _database_files(app: Flask) -> list[Path]:
    main = Path(app.extensions["engine"].url.database)
    return [path for path in (main, main.with_name(main.name + "-wal")) if path.exists()]


def _encodings(canary: str) -> list[bytes]:
    return [canary.encode("utf-8"), canary.encode("utf-16-le"), canary.upper().encode(), canary.lower().encode()]


def test_no_canary_is_in_the_raw_database_after_a_submission(app, client, canaries):
    walk_with_canaries(client, canaries)
    submit(client)
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Referral)) == 1
    files = _database_files(app)
    assert any(path.name.endswith("-wal") for path in files), "expected the database in WAL mode"
    raw = b"".join(path.read_bytes() for path in files)
    assert len(raw) > 10_000
    for canary in canaries.everywhere():
        for encoded in _encodings(canary):
            assert encoded not in raw, f"{canary!r} is readable in the database file"


def test_no_canary_is_in_the_raw_database_while_the_answers_are_a_draft(app, client, canaries):
    walk_with_canaries(client, canaries)
    raw = b"".join(path.read_bytes() for path in _database_files(app))
    for canary in canaries.everywhere():
        assert canary.encode() not in raw, f"{canary!r} is readable in the database file"
