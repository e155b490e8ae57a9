"""Pressing "Send my answer" twice (a double click, or back and send again) shows the same confirmation.

A used link still records nothing new: a different answer on it, the same answer
from a browser that did not send it (even one holding a saved cookie that confirmed
the date of birth), or the same answer ten minutes later, gets the dead-link page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from flask import Flask

from portal.models import utcnow
from tests.conftest import PageClient
from tests.consent.conftest import BIRTHDAY, answer, events, intake, issue_token, make_referral

DEAD = "This link no longer works"


@pytest.fixture
def app(app: Flask) -> Flask:
    app.config["PORTAL_SETTINGS"].consent_link_rate_limit = "10000 per minute"
    return app


def test_sending_the_same_answer_again_shows_the_same_confirmation(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    first = answer(client, token, "remove")
    assert first.response.location.endswith("/consent/answered")
    again = client.post(f"/consent/reconfirm/{token}/answer", {"decision": "remove"}, expect=302)
    assert again.response.location.endswith("/consent/answered")
    page = client.get("/consent/answered")
    assert page.h1 == "We have your request to come off the DSR"
    assert "They will contact you to confirm by" in page.text_of("main")
    assert [kind for kind, _by, _channel in events(app, reference)] == ["given", "withdrawn"]
    assert len(intake(app, "removal")) == 1


def test_a_double_click_whose_first_answer_never_reached_the_browser_still_confirms(client, app):
    """The second press carries the cookie from before the first answer: its date of birth was confirmed."""
    reference = make_referral(client)
    token = issue_token(app, reference)
    client.post(f"/consent/reconfirm/{token}", BIRTHDAY, expect=302)
    before_answer = client.client.get_cookie("session").value
    client.post(f"/consent/reconfirm/{token}/answer", {"decision": "keep"}, expect=302)
    client.client.set_cookie("session", before_answer)
    again = client.post(f"/consent/reconfirm/{token}/answer", {"decision": "keep"}, expect=302)
    assert client.get(again.response.location).h1 == "Thank you, you are staying on the DSR"
    assert [kind for kind, _by, _channel in events(app, reference)] == ["given", "reconfirmed"]


def test_a_used_link_cannot_record_a_different_answer(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    answer(client, token, "keep")
    other = client.post(f"/consent/reconfirm/{token}/answer", {"decision": "remove"}, expect=200)
    assert other.h1 == DEAD
    assert intake(app, "removal") == []
    assert [kind for kind, _by, _channel in events(app, reference)] == ["given", "reconfirmed"]


def test_a_wrong_guess_ends_the_repeat_so_a_session_cannot_learn_the_answer_by_trying_each(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    answer(client, token, "keep")
    assert client.post(f"/consent/reconfirm/{token}/answer", {"decision": "remove"}, expect=200).h1 == DEAD
    assert client.post(f"/consent/reconfirm/{token}/answer", {"decision": "keep"}, expect=200).h1 == DEAD


def test_another_browser_cannot_see_the_answer_given(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    answer(client, token, "remove")
    stranger = PageClient(app.test_client())
    stranger.get("/")
    page = stranger.post(f"/consent/reconfirm/{token}/answer", {"decision": "remove"}, expect=200)
    assert page.h1 == DEAD


def test_asking_for_a_call_twice_shows_the_same_confirmation(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    client.post(f"/consent/reconfirm/{token}", BIRTHDAY, expect=302)
    talk = client.post(f"/consent/reconfirm/{token}/answer", {"decision": "talk"}, expect=302)
    client.post(talk.response.location, {"callback_times": "After 4pm"}, expect=302)
    again = client.post(talk.response.location, {"callback_times": "After 4pm"}, expect=302)
    assert client.get(again.response.location).h1 == "We will call you"
    assert len(intake(app, "callback")) == 1


def test_a_saved_cookie_that_confirmed_the_date_of_birth_cannot_learn_the_answer(client, app):
    """Someone with the letter and the date of birth confirms it, keeps the cookie, and waits for the person."""
    reference = make_referral(client)
    token = issue_token(app, reference, purpose="withdraw")
    snooper = PageClient(app.test_client())
    snooper.get(f"/consent/withdraw/{token}")
    snooper.post(f"/consent/withdraw/{token}", BIRTHDAY, expect=302)
    snooper.get(f"/consent/withdraw/{token}/answer")
    saved = snooper.client.get_cookie("session").value
    answer(client, token, "remove", purpose="withdraw")
    for guess in ("keep", "remove", "talk"):
        snooper.client.set_cookie("session", saved)
        page = snooper.post(f"/consent/withdraw/{token}/answer", {"decision": guess}, expect=200)
        assert page.h1 == DEAD, guess
    snooper.client.set_cookie("session", saved)
    call = snooper.post(f"/consent/withdraw/{token}/call-back", {"callback_times": "After 4pm"}, expect=200)
    assert call.h1 == DEAD
    again = client.post(f"/consent/withdraw/{token}/answer", {"decision": "remove"}, expect=302)
    assert client.get(again.response.location).h1 == "We have your request to come off the DSR"
    assert [kind for kind, _by, _channel in events(app, reference)] == ["given", "withdrawn"]
    assert len(intake(app, "removal")) == 1


def test_the_same_answer_ten_minutes_later_gets_the_dead_link_page(client, app):
    reference = make_referral(client)
    token = issue_token(app, reference)
    answered_at = utcnow()
    with time_machine.travel(answered_at, tick=False):
        answer(client, token, "keep")
    with time_machine.travel(answered_at + timedelta(minutes=9, seconds=59), tick=False):
        soon = client.post(f"/consent/reconfirm/{token}/answer", {"decision": "keep"}, expect=302)
        assert client.get(soon.response.location).h1 == "Thank you, you are staying on the DSR"
    with time_machine.travel(answered_at + timedelta(minutes=10), tick=False):
        late = client.post(f"/consent/reconfirm/{token}/answer", {"decision": "keep"}, expect=200)
    assert late.h1 == DEAD
    assert [kind for kind, _by, _channel in events(app, reference)] == ["given", "reconfirmed"]
