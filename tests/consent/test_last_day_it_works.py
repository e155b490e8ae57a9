"""The date an email or letter gives as a link's last is a day it works, and the next day it does not.

Links expire at midnight in England at the start of the day after their last, so
the date told is easy to get one day late (or, via UTC, one day early or late
depending on the clocks). A reconfirmation link also dies when consent lapses,
the day after the reconfirmation date, however long the link itself has left.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from portal import db
from portal.models import Referral, SignedLink
from portal.services import consent, signed_links
from portal.services.due_dates import (
    LOCAL_TIMEZONE,
    has_lapsed,
    last_day_it_works,
    link_expiry,
    local_date,
    start_of_day,
)
from tests.conftest import PageClient
from tests.consent.conftest import consent_given_days_ago, links, make_referral
from tests.consent.test_reminders import outbox, run
from tests.services.test_consent_letters import PLAIN_FORMAT, pdf_pages, todays_pdf
from tests.support.journey import PAGES

# Midday in England, in GMT (winter) and in BST (summer).
SEASONS = {
    "winter": datetime(2026, 11, 20, 12, tzinfo=UTC),
    "summer": datetime(2026, 6, 10, 11, tzinfo=UTC),
}
LINK_DAYS = 5  # shorter than the time left to reconfirm: the link's own last day is the one to tell
DEAD = "This link no longer works"


def told(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def last_minute_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59), tzinfo=LOCAL_TIMEZONE)


def first_minute_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0, 1), tzinfo=LOCAL_TIMEZONE)


def reconfirm_due(app: Flask) -> date:
    with app.app_context():
        return consent.state_of(db.session().scalar(select(Referral))).next_due


def page_h1(app: Flask, path: str) -> str:
    return PageClient(app.test_client()).get(path, expect=200).h1


def assert_works_that_day_and_not_the_next(app: Flask, path: str, last_day: date) -> None:
    """Live at 23:59 on the day told; dead a minute after midnight, before the daily run and after it."""
    with time_machine.travel(last_minute_of(last_day)):
        assert page_h1(app, path) != DEAD
    with time_machine.travel(first_minute_after(last_day)):
        assert page_h1(app, path) == DEAD, "whenever the daily run happens to start"
        run(app)
        assert page_h1(app, path) == DEAD


def reminder_sent(app: Flask, client_changes: dict, season: str) -> str:
    with time_machine.travel(SEASONS[season]):
        reference = make_referral(PageClient(app.test_client()), **client_changes)
        consent_given_days_ago(app, reference, 340)
        run(app)
    return reference


@pytest.mark.parametrize("season", SEASONS)
@pytest.mark.parametrize("link_days", [LINK_DAYS, None], ids=["link-ends-first", "due-date-first"])
@pytest.mark.parametrize("easy", [False, True], ids=["plain", "easy-read"])
def test_a_reminder_email_gives_the_last_day_the_link_works(app, season, link_days, easy):
    if link_days:
        app.config["PORTAL_SETTINGS"].consent_link_days = link_days
    safe = {**PAGES["safe-contact"], "safe_contact": ["email"]}
    reminder_sent(app, {"safe_contact": safe, **({} if easy else PLAIN_FORMAT)}, season)
    sent_on = local_date(SEASONS[season])
    last_day = sent_on + timedelta(days=link_days) if link_days else reconfirm_due(app)
    [message] = outbox(app)
    assert f"The link works until {told(last_day)}." in message.body
    assert_works_that_day_and_not_the_next(app, re.search(r"/consent/reconfirm/\S+", message.body).group(0), last_day)


@pytest.mark.parametrize("season", SEASONS)
@pytest.mark.parametrize("link_days", [LINK_DAYS, None], ids=["link-ends-first", "due-date-first"])
def test_a_reconfirmation_letter_gives_the_last_day_the_code_works(app, season, link_days):
    if link_days:
        app.config["PORTAL_SETTINGS"].consent_link_days = link_days
    reminder_sent(app, PLAIN_FORMAT, season)  # letters are safe, email is not
    sent_on = local_date(SEASONS[season])
    last_day = sent_on + timedelta(days=link_days) if link_days else reconfirm_due(app)
    with time_machine.travel(SEASONS[season]), app.app_context():
        [page] = pdf_pages(todays_pdf(app))
        token = signed_links.token_for(db.session().scalar(select(SignedLink)))
    assert f"The code works until {told(last_day)}." in page
    assert_works_that_day_and_not_the_next(app, f"/consent/reconfirm/{token}", last_day)


@pytest.mark.parametrize("season", SEASONS)
@pytest.mark.parametrize("easy", [False, True], ids=["plain", "easy-read"])
def test_a_save_and_return_email_gives_the_last_day_the_link_and_the_answers_last(app, season, easy):
    saver = PageClient(app.test_client())
    with time_machine.travel(SEASONS[season]):
        if easy:
            saver.get("/?mode=easy")
        saver.post("/referral/who", PAGES["who"], expect=302)
        saver.post("/referral/name", {**PAGES["name"], "save_and_return": "1"}, expect=302)
        saver.get("/referral/save")
        saver.post("/referral/save", {"email": "saver@example.com"}, expect=302)
    [message] = outbox(app, "save_return")
    last_day = local_date(SEASONS[season]) + timedelta(days=7)
    words = "It works until" if easy else "The link works once, until"
    assert f"{words} {told(last_day)}." in message.body
    path = re.search(r"/referral/return/\S+", message.body).group(0)
    # Looking is not using: the next day first, then back to the last minute of the day told, to use it.
    with time_machine.travel(first_minute_after(last_day)):
        assert page_h1(app, path) == DEAD
    back = PageClient(app.test_client())
    with time_machine.travel(last_minute_of(last_day)):
        back.get(path, expect=200)
        back.post(path, {}, expect=302)
    with time_machine.travel(first_minute_after(last_day) + timedelta(minutes=30)):
        name = back.get("/referral/name").soup.select_one("input[name=full_name]")
        assert name["value"] == PAGES["name"]["full_name"], "back late on the last day, the answers last a while yet"
    assert len(links(app)) == 1


@pytest.mark.parametrize("issued", ["2026-03-28T23:30:00+00:00", "2026-10-24T22:30:00+00:00", "2026-07-01T12:00:00"])
def test_a_link_s_last_day_is_the_day_before_it_stops_working_in_england_across_the_clocks_changing(issued):
    now = datetime.fromisoformat(issued)
    expires_at = link_expiry(now if now.tzinfo else now.replace(tzinfo=UTC), 2)
    last = last_day_it_works(expires_at)
    assert last == local_date(now) + timedelta(days=2)
    assert last_day_it_works(expires_at.replace(tzinfo=None)) == last, "SQLite hands back times without their zone"
    assert start_of_day(last) < expires_at <= start_of_day(last + timedelta(days=1))


def test_a_reconfirmation_link_s_last_day_is_the_last_day_before_consent_lapses():
    due_on = date(2026, 12, 19)
    expires_at = link_expiry(datetime(2026, 11, 25, 9, tzinfo=UTC), 60)
    last = last_day_it_works(expires_at, due_on)
    assert last == due_on
    assert not has_lapsed(due_on, start_of_day(last) + timedelta(hours=23))
    assert has_lapsed(due_on, start_of_day(last + timedelta(days=1)))
    assert last_day_it_works(expires_at, date(2027, 3, 1)) == date(2027, 1, 24), "the link's own end, if sooner"
