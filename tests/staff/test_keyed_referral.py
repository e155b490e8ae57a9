"""The team keys in a referral received by phone or on paper, through the public journey's pages."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from easy_read import letters as easy_read_letters
from portal import db, i18n
from portal.models import AuditEvent, ConsentEvent, Draft, OutboxMessage, Referral
from tests.consent.conftest import consent_given_days_ago
from tests.consent.test_reminders import run
from tests.support.journey import PAGES, submit, walk_to_check
from tests.support.staff import sign_in_as

SAFE_BY_EMAIL = {**PAGES["safe-contact"], "safe_contact": ["email"]}


def test_a_phone_referral_is_keyed_in_and_marked_with_its_channel_and_who_keyed_it(app, client):
    sign_in_as(app, client, "keyer@example.nhs.uk")
    start = client.get("/staff/referrals/new")
    assert start.h1 == "Key in a referral"
    started = client.post("/staff/referrals/new", {"channel": "phone"}, expect=302)
    assert started.response.location.endswith("/referral/who")
    assert "keying in a referral received by phone" in client.get("/referral/who").text_of(".app-keyed-in")
    walk_to_check(client)
    submit(client)
    with app.app_context():
        referral = db.session().scalar(select(Referral))
        assert referral.channel == "phone"
        assert db.session().scalar(select(ConsentEvent)).channel == "phone"
        actions = {(e.action, e.actor) for e in db.session().scalars(select(AuditEvent))}
    assert ("start_keyed_referral", "keyer@example.nhs.uk") in actions
    assert ("keyed_referral", "keyer@example.nhs.uk") in actions


def test_the_channel_must_be_chosen(app, client):
    sign_in_as(app, client)
    page = client.post("/staff/referrals/new", {}, expect=200)
    assert page.error_summary == ["Select how the referral reached the team"]


def test_a_referral_from_the_public_is_marked_web(app, client):
    walk_to_check(client)
    submit(client)
    with app.app_context():
        assert db.session().scalar(select(Referral)).channel == "web"
    assert client.get("/").soup.select_one(".app-keyed-in") is None


def key_in_for_a_polish_speaker(app: Flask, client) -> str:
    """Key in a phone referral for someone who reads Polish; returns its reference."""
    sign_in_as(app, client, "keyer@example.nhs.uk")
    start = client.get("/staff/referrals/new")
    question = "fieldset:has(input[name=language])"
    assert start.text_of(f"{question} legend") == "Which language should letters and emails to this person be in?"
    assert "Polish (Polski)" in [label.get_text(strip=True) for label in start.select(f"{question} label")]
    own_names = {span["lang"]: (span.get("dir"), span.get_text()) for span in start.select(f"{question} label [lang]")}
    assert own_names["pl"] == (None, "Polski"), "each language's own name is marked as that language (WCAG 3.1.2)"
    assert own_names["ar"] == ("rtl", "العربية")
    assert start.soup.select_one("input[name=language][value=en]").has_attr("checked")
    client.post("/staff/referrals/new", {"channel": "phone", "language": "pl"}, expect=302)
    who = client.get("/referral/who")
    assert who.soup.html["lang"] == "en"
    walk_to_check(client, safe_contact=SAFE_BY_EMAIL)
    with app.app_context():
        assert db.session().scalar(select(Draft.language)) == "pl"
    return submit(client).text_of(".app-reference")


def test_a_keyed_referral_for_a_polish_speaker_is_in_polish_while_the_team_pages_stay_english(app, client):
    reference = key_in_for_a_polish_speaker(app, client)
    assert client.get("/staff/referrals/new").soup.html["lang"] == "en"
    with app.app_context():
        referral = db.session().scalar(select(Referral).where(Referral.reference == reference))
        assert referral.language == "pl"
        details = {e.action: e.detail for e in db.session().scalars(select(AuditEvent))}
    assert details["start_keyed_referral"] == "channel=phone language=pl"
    assert details["keyed_referral"] == "channel=phone language=pl"


def test_the_reminder_for_a_keyed_polish_referral_is_written_in_polish(app, client):
    reference = key_in_for_a_polish_speaker(app, client)
    consent_given_days_ago(app, reference, 340)
    run(app)
    with app.app_context():
        [reminder] = db.session().scalars(select(OutboxMessage).where(OutboxMessage.purpose == "consent_reminder"))
    # The journey's answers ask for easy read, so the reminder carries the easy-read title.
    with app.test_request_context():
        with i18n.speaking("pl"):
            polish_subject = str(easy_read_letters.RECONFIRM_TITLE)
        with i18n.speaking("en"):
            english_subject = str(easy_read_letters.RECONFIRM_TITLE)
    assert polish_subject != english_subject
    assert reminder.subject == polish_subject
    link = next(word for word in reminder.body.split() if "/consent/reconfirm/" in word)
    assert link.endswith("?lang=pl")


def test_a_language_not_offered_is_refused_next_to_the_question_and_the_channel_is_kept(app, client):
    sign_in_as(app, client)
    page = client.post("/staff/referrals/new", {"channel": "paper", "language": "xx"}, expect=200)
    message = "Select one of the options for the language of their letters and emails"
    assert page.error_summary == [message]
    assert message in page.error_for("language")
    assert page.soup.select_one("input[name=channel][value=paper]").has_attr("checked")
    with app.app_context():
        assert db.session().scalar(select(Draft)) is None


def test_a_public_referral_started_in_english_and_finished_in_polish_is_in_polish(app, client):
    """The person is written to in the language they finished in: switching is how they tell us which they read."""
    client.post("/referral/who", PAGES["who"], expect=302)
    with app.app_context():
        assert db.session().scalar(select(Draft.language)) == "en"
    client.get("/referral/name?lang=pl")
    walk_to_check(client)
    submit(client)
    with app.app_context():
        assert db.session().scalar(select(Referral.language)) == "pl"


def test_switching_language_on_check_your_answers_counts(app, client):
    """The check page saves no answers, so the language is taken again when the referral is sent."""
    walk_to_check(client)
    client.get("/referral/check?lang=pl")
    submit(client)
    with app.app_context():
        assert db.session().scalar(select(Referral.language)) == "pl"
