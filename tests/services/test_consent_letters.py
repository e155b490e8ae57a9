"""Letters and emails in the person's format (easy read or plain English), and answers confirmed by post."""

from __future__ import annotations

import io

import pypdfium2
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select

from easy_read import letters as easy_read_letters
from portal import db
from portal.models import OutboxMessage, utcnow
from portal.services import letters
from portal.services.due_dates import local_date
from tests.conftest import PageClient
from tests.consent.conftest import BIRTHDAY, answer, by_email, consent_given_days_ago, issue_token, make_referral
from tests.consent.test_reminders import run
from tests.easy_read.readability import sentences, word_count
from tests.support.journey import PAGES


def easy_client(app: Flask) -> PageClient:
    client = PageClient(app.test_client())
    client.get("/?mode=easy")
    return client


def bodies(app: Flask, purpose: str) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session().scalars(select(OutboxMessage).where(OutboxMessage.purpose == purpose)))


def todays_pdf(app: Flask) -> bytes:
    with app.test_request_context():
        today = local_date(utcnow())
        return letters.letters_pdf(letters.letters_for(today), today)


def pdf_pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def coloured_pixels(pdf: bytes, page: int) -> int:
    """Pixels that are neither grey nor white: the easy-read pictures are in colour, the text is not."""
    raw = pypdfium2.PdfDocument(pdf)[page].render(scale=1).to_pil().convert("RGB").tobytes()
    pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
    return sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 60)


def assert_easy_read(text: str) -> None:
    long = [s for s in sentences(text) if "http" not in s and word_count(s) > 15]
    assert long == []


def test_an_easy_read_referral_gets_an_easy_read_reminder_email(app):
    reference = by_email(easy_client(app))
    consent_given_days_ago(app, reference, 340)
    run(app)
    [message] = bodies(app, "consent_reminder")
    assert message.subject == "Do you still want to be on the list?"
    assert "You are on a list called the Dynamic Support Register." in message.body
    assert "/consent/reconfirm/" in message.body
    assert_easy_read(message.body)


PLAIN_FORMAT = {"communication": {**PAGES["communication"], "formats": ["large_print"]}}


def test_a_plain_english_referral_gets_the_plain_reminder_email(client, app):
    reference = by_email(client, **PLAIN_FORMAT)
    consent_given_days_ago(app, reference, 340)
    run(app)
    [message] = bodies(app, "consent_reminder")
    assert message.subject == "Please reconfirm: Dynamic Support Register"
    assert "It is time to check you are still happy to be on the Dynamic Support Register" in message.body


def test_a_plain_english_referral_that_asked_for_easy_read_gets_easy_read(client, app):
    """A parent or professional often fills the form in plain English for a person who needs easy read."""
    reference = by_email(client)
    assert PAGES["communication"]["formats"] == ["easy_read"]
    consent_given_days_ago(app, reference, 340)
    run(app)
    [message] = bodies(app, "consent_reminder")
    assert message.subject == "Do you still want to be on the list?"
    assert_easy_read(message.body)


def test_the_answer_email_is_easy_read_for_an_easy_read_referral(app):
    client = easy_client(app)
    reference = by_email(client)
    answer(client, issue_token(app, reference), "remove")
    [message] = bodies(app, "consent_answer")
    assert message.subject == "We have your answer"
    assert message.referral_id is not None, "the team is told if it cannot be delivered"
    assert "You want to come off the list. It is called the Dynamic Support Register." in message.body
    assert_easy_read(message.body)


def test_an_easy_read_reconfirmation_letter_has_a_picture_beside_each_sentence(app):
    client = easy_client(app)
    reference = make_referral(client)
    consent_given_days_ago(app, reference, 340)
    run(app)
    pdf = todays_pdf(app)
    [page] = pdf_pages(pdf)
    for block in easy_read_letters.RECONFIRM_BY_LETTER[:1] + easy_read_letters.RECONFIRM[:1]:
        assert str(block.text) in page
    assert coloured_pixels(pdf, 0) > 100


def test_a_post_preferring_person_s_answer_is_confirmed_by_a_letter_in_the_day_s_batch(client, app):
    reference = make_referral(client, **PLAIN_FORMAT)  # letters are safe, email is not
    consent_given_days_ago(app, reference, 340)
    run(app)
    answer(client, issue_token(app, reference), "keep")
    assert bodies(app, "consent_answer") == []
    pdf = todays_pdf(app)
    reminder, confirmation = pdf_pages(pdf)
    assert "Do you still want to be on the DSR?" in reminder
    assert "We have your answer" in confirmation and "Siân O'Neil-Jones" in confirmation
    assert "You told us you want to stay on the DSR. We will ask again in a year." in confirmation
    assert coloured_pixels(pdf, 1) == 0, "a plain English letter has no pictures"


def test_an_easy_read_confirmation_letter_for_a_call_back(app):
    client = easy_client(app)
    reference = make_referral(client)
    token = issue_token(app, reference)
    client.post(f"/consent/reconfirm/{token}", BIRTHDAY, expect=302)
    client.post(f"/consent/reconfirm/{token}/call-back", {"callback_times": "After 4pm"}, expect=302)
    pdf = todays_pdf(app)
    [page] = pdf_pages(pdf)
    assert "You want to talk to someone first." in page and "Someone from the team will call you by" in page
    assert coloured_pixels(pdf, 0) > 100


def test_no_letter_when_email_is_safe_and_letters_were_not_asked_for(client, app):
    reference = by_email(client, **PLAIN_FORMAT)
    answer(client, issue_token(app, reference), "keep")
    assert len(bodies(app, "consent_answer")) == 1
    assert pdf_pages(todays_pdf(app)) == ["No letters to print today"]


def test_save_and_return_email_follows_the_mode_of_the_request(app):
    client = easy_client(app)
    client.post("/referral/who", PAGES["who"], expect=302)
    client.post("/referral/save", {"email": "sian@example.com"}, expect=302)
    [message] = bodies(app, "save_return")
    assert "You asked us to save your answers." in message.body and "/referral/return/" in message.body
    assert message.subject == "Your saved answers"
    assert_easy_read(message.body)
