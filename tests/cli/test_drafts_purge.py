"""`flask drafts purge`: expired answers leave the database; answers in use stay."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from portal import db
from portal.models import Draft, utcnow
from tests.conftest import PageClient
from tests.support.journey import PAGES


def start_a_referral(app) -> None:
    person = PageClient(app.test_client())
    person.post("/referral/who", PAGES["who"], expect=302)


def purge(app) -> str:
    result = app.test_cli_runner().invoke(args=["drafts", "purge"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_purge_deletes_expired_drafts_and_says_how_many(db_app):
    timeout = timedelta(seconds=db_app.config["PORTAL_SETTINGS"].draft_timeout_seconds)
    started = utcnow()
    with time_machine.travel(started, tick=False) as clock:
        start_a_referral(db_app)
        start_a_referral(db_app)
        clock.shift(timeout - timedelta(minutes=10))
        start_a_referral(db_app)
        assert purge(db_app) == "deleted 0 expired drafts"
        clock.shift(timedelta(minutes=11))
        assert purge(db_app) == "deleted 2 expired drafts"
        with db_app.app_context():
            [kept] = db.session().scalars(select(Draft))
        clock.shift(timeout)
        assert purge(db_app) == "deleted 1 expired draft"
    with db_app.app_context():
        assert db.session().get(Draft, kept.id) is None
