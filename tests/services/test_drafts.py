"""Answers in progress: kept through a long pause, deleted after the timeout, kept longer on request."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine

from portal import db
from portal.models import utcnow
from portal.services import drafts
from tests.conftest import PageClient
from tests.support.journey import PAGES


@pytest.fixture
def person(db_app) -> PageClient:
    return PageClient(db_app.test_client())


@pytest.fixture
def clock():
    with time_machine.travel(utcnow(), tick=False) as traveller:
        yield traveller


def timeout(app) -> timedelta:
    return timedelta(seconds=app.config["PORTAL_SETTINGS"].draft_timeout_seconds)


def answer_two_pages(person: PageClient) -> None:
    person.post("/referral/who", PAGES["who"], expect=302)
    person.post("/referral/name", PAGES["name"], expect=302)


def name_shown(person: PageClient) -> str:
    return person.get("/referral/name").select("input[name=full_name]")[0]["value"]


def test_answers_are_still_there_after_a_60_minute_pause(person, clock):
    answer_two_pages(person)
    clock.shift(timedelta(minutes=60))
    assert name_shown(person) == "Siân O'Neil-Jones"
    assert person.get("/referral/date-of-birth").h1 == "What is your date of birth?"


def test_after_the_timeout_the_answers_are_gone_and_the_person_is_told(person, db_app, clock):
    answer_two_pages(person)
    clock.shift(timeout(db_app) + timedelta(seconds=1))
    sent_back = person.get("/referral/name", expect=302)
    assert sent_back.response.location == "/?expired=1"
    start = person.get(sent_back.response.location)
    assert "We deleted your answers to keep them safe" in start.text_of("main")
    assert person.get("/referral/who").select("input[name=who][checked]") == []


def test_keep_my_answers_as_a_fetch_extends_the_draft(person, db_app, clock):
    answer_two_pages(person)
    clock.shift(timeout(db_app) - timedelta(minutes=5))
    kept = person.client.post(
        "/session/extend", data={"csrf_token": person.csrf_token}, headers={"Accept": "application/json"}
    )
    assert kept.get_json() == {"kept": True}
    clock.shift(timeout(db_app) - timedelta(minutes=1))
    assert name_shown(person) == "Siân O'Neil-Jones"


def test_keep_my_answers_as_a_plain_form_extends_the_draft_and_goes_back(person, db_app, clock):
    answer_two_pages(person)
    clock.shift(timeout(db_app) - timedelta(minutes=5))
    kept = person.post("/session/extend", {"back": "/referral/date-of-birth"}, expect=302)
    assert kept.response.location == "/referral/date-of-birth"
    clock.shift(timeout(db_app) - timedelta(minutes=1))
    assert name_shown(person) == "Siân O'Neil-Jones"


def test_keep_my_answers_never_sends_a_person_to_another_site(person):
    answer_two_pages(person)
    for back in ("//evil.example/referral/", "https://evil.example/referral/", "/referral/..//evil.example"):
        kept = person.post("/session/extend", {"back": back}, expect=302)
        assert kept.response.location == "/"


def test_keep_my_answers_without_a_draft_says_nothing_was_kept(person):
    person.get("/referral/who")
    kept = person.client.post(
        "/session/extend", data={"csrf_token": person.csrf_token}, headers={"Accept": "application/json"}
    )
    assert kept.get_json() == {"kept": False}


TABS = 20


def _new_draft(app) -> str:
    with app.test_request_context(), db.unit_of_work():
        return drafts.start_draft("referral").id


def test_pages_saved_at_the_same_moment_from_twenty_tabs_keep_every_answer(db_app):
    """Each save reads the answers and writes them back: the row is locked between, or one tab's page is lost."""
    draft_id = _new_draft(db_app)
    start = threading.Barrier(TABS)
    saved: list[bool] = []

    def save_from_tab(number: int) -> None:
        with db_app.test_request_context():
            start.wait()
            saved.append(drafts.add_answers(draft_id, {f"answer_{number}": str(number)}) is not None)

    tabs = [threading.Thread(target=save_from_tab, args=(number,)) for number in range(TABS)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=60)
    assert saved == [True] * TABS
    with db_app.test_request_context():
        kept = drafts.answers_of(drafts.read_draft(draft_id))
    assert kept == {f"answer_{number}": str(number) for number in range(TABS)}


def test_a_page_saved_after_the_draft_has_expired_brings_nothing_back(db_app, clock):
    draft_id = _new_draft(db_app)
    clock.shift(timeout(db_app) + timedelta(seconds=1))
    with db_app.test_request_context():
        assert drafts.add_answers(draft_id, {"full_name": "Late"}) is None
        assert drafts.read_draft(draft_id) is None
