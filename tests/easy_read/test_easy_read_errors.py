"""Error messages on the consent and come-off pages, and a consent "no", in easy read when it is chosen."""

from __future__ import annotations

import pytest
from flask import Flask

from forms.consent import NOT_GIVEN
from forms.messages import MESSAGES, message
from portal.services import reading_mode
from tests.conftest import PageClient
from tests.consent.conftest import BIRTHDAY, by_email, issue_token
from tests.easy_read.readability import sentences, word_count
from tests.support.journey import PAGES, walk_to_check

EMPTY_DATE = {"date_of_birth-day": "", "date_of_birth-month": "", "date_of_birth-year": ""}
EMPTY_WITHDRAWAL = {"full_name": "", **EMPTY_DATE, "postcode": "", "reference": "", "how_to_reach": ""}


@pytest.fixture
def app(app: Flask) -> Flask:
    app.config["PORTAL_SETTINGS"].consent_link_rate_limit = "10000 per minute"
    return app


def _easy(client: PageClient) -> PageClient:
    client.get("/?mode=easy")
    return client


def _short_and_plain_words(messages: list[str]) -> None:
    assert messages
    assert all(word_count(s) <= 15 for m in messages for s in sentences(m)), messages
    assert not any("DSR" in m for m in messages), messages


def test_asking_to_come_off_with_nothing_filled_in_says_what_to_do_in_easy_read(client):
    page = _easy(client).post("/come-off-the-dsr", EMPTY_WITHDRAWAL, expect=200)
    assert page.error_summary == [
        "Please write the name of the person on the list.",
        "Please write their date of birth.",
        "Please write their postcode.",
        "Please write how the team can get in touch with you.",
    ]
    _short_and_plain_words(page.error_summary)


def test_asking_to_come_off_stays_plain_english_in_plain_english(client):
    page = client.post("/come-off-the-dsr", EMPTY_WITHDRAWAL, expect=200)
    assert page.error_summary[0] == "Enter the full name of the person on the DSR"


def test_a_wrong_postcode_is_explained_in_easy_read(client):
    page = _easy(client).post("/come-off-the-dsr", {**EMPTY_WITHDRAWAL, "postcode": "nowhere"}, expect=200)
    assert "Please write the whole postcode. For example, NR1 3SR." in page.error_summary


def test_answering_by_link_with_nothing_chosen_says_what_to_do_in_easy_read(client, app):
    url = f"/consent/reconfirm/{issue_token(app, by_email(client))}"
    _easy(client)
    assert client.post(url, EMPTY_DATE, expect=200).error_summary == ["Please write your date of birth."]
    client.post(url, BIRTHDAY, expect=302)
    decision = client.post(f"{url}/answer", {}, expect=200)
    assert decision.error_summary == ["Please choose if you still want to be on the list."]
    client.post(f"{url}/answer", {"decision": "talk"}, expect=302)
    call_back = client.post(f"{url}/call-back", {"callback_times": ""}, expect=200)
    assert call_back.error_summary == ["Please write a good time to call you."]
    _short_and_plain_words([*decision.error_summary, *call_back.error_summary])


def test_the_letter_code_page_says_what_to_do_in_easy_read(client):
    page = _easy(client).post("/consent/code", {"code": ""}, expect=200)
    assert page.error_summary == ["Please write the code from your letter."]


def test_saving_for_later_says_what_to_do_in_easy_read(client):
    _easy(client).post("/referral/who", PAGES["who"], expect=302)
    assert client.post("/referral/save", {"email": ""}, expect=200).error_summary == ["Please write an email address."]
    wrong = client.post("/referral/save", {"email": "not an address"}, expect=200)
    assert wrong.error_summary == ["Please write an email address. For example, name@example.com."]


def test_saying_no_to_consent_is_answered_in_easy_read(client):
    _easy(client)
    walk_to_check(client)
    page = client.post("/referral/consent-self", {"consent_self": "no"}, expect=200)
    assert page.error_summary == [
        "You said no. We can only put you on the list if you say yes. Not sure? Call the team."
    ]
    assert page.error_for("consent_self").endswith(page.error_summary[0])


def test_saying_no_to_consent_is_answered_in_plain_english_in_plain_english(client):
    walk_to_check(client)
    page = client.post("/referral/consent-self", {"consent_self": "no"}, expect=200)
    assert page.error_summary == [str(NOT_GIVEN["consent_self"])]


@pytest.mark.parametrize(
    ("key", "easy_read"),
    [
        ("code_not_found", "We can not find this code. Please check your letter. Or call the team."),
        ("date_of_birth_mismatch", "This date of birth is not the one we have. Please check it."),
    ],
)
def test_the_checks_a_consent_view_makes_itself_have_easy_read_words(app, key, easy_read):
    with app.test_request_context("/?mode=easy"):
        reading_mode.remember_choice()
        assert message(key) == easy_read
    with app.test_request_context("/"):
        reading_mode.remember_choice()
        assert message(key) == str(MESSAGES[key])
