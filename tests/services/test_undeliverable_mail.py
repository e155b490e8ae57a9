"""An address refused for good is not retried for ever: the message is undeliverable and the team is told.

An SMTP 5xx for the recipient (or Notify's 400, in `test_notify.py`) means no
retry can succeed. Retrying would keep the message in the backlog and hide
that the person was never reached; a reminder that never arrives ends in a
lapsed consent. Anything temporary (a 4xx, an outage) is still retried.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from portal import db
from portal.models import OutboxMessage, Referral, utcnow
from portal.services import mail
from tests.conftest import PageClient
from tests.consent.conftest import by_email, consent_given_days_ago, intake
from tests.consent.test_reminders import run
from tests.services.test_outbox import deliver, outbox
from tests.support.journey import PAGES

PERSON = PAGES["contact-details"]["email"]


def health(app) -> dict:
    return PageClient(app.test_client()).get("/health").response.get_json()


def remind(app, page_client) -> str:
    """A referral safe to email, its team notice sent, and its yearly reminder queued: returns its reference."""
    reference = by_email(page_client)
    assert deliver(app) == "sent 1, failed 0, waiting 0"
    consent_given_days_ago(app, reference, 340)
    run(app)
    return reference


def test_a_reminder_to_a_refused_address_is_given_up_and_the_team_gets_a_call_back(
    mail_app, page_client, smtp_server, caplog
):
    reference = remind(mail_app, page_client)
    smtp_server.refuse(PERSON, 550)
    with caplog.at_level(logging.INFO):
        assert deliver(mail_app) == "sent 0, failed 1, waiting 0"
    reminder = outbox(mail_app)[-1]
    assert reminder.purpose == "consent_reminder" and reminder.referral_id is not None
    assert reminder.undeliverable_at is not None and reminder.sent_at is None
    assert reminder.content_sealed is None, "given up on: the address and words are erased"
    assert reminder.attempts == 1 and reminder.last_error == "SMTPRecipientsRefused 550"
    [callback] = intake(mail_app, "callback")
    assert callback["reference"] == reference
    assert "the reminder to reconfirm consent" in callback["why"] and "could not be delivered" in callback["why"]
    assert health(mail_app) == {
        "database": "ok",
        "outbox_backlog": 0,
        "outbox_failing": 0,
        "outbox_undeliverable": 1,
    }
    ours = "\n".join(record.getMessage() for record in caplog.records if record.name.startswith("portal"))
    assert "purpose=consent_reminder undeliverable: SMTPRecipientsRefused 550" in ours
    assert PERSON not in ours, "the test SMTP server logs addresses; the portal must not"

    smtp_server.accept_again(PERSON)
    with time_machine.travel(utcnow() + timedelta(hours=3)):
        assert deliver(mail_app) == "sent 0, failed 0, waiting 0", "never tried again"
    assert len(smtp_server.received) == 1, "only the team notice was ever delivered"
    assert len(intake(mail_app, "callback")) == 1


def test_a_mailbox_that_says_try_later_is_retried(mail_app, page_client, smtp_server):
    remind(mail_app, page_client)
    smtp_server.refuse(PERSON, 450)
    assert deliver(mail_app) == "sent 0, failed 1, waiting 1"
    reminder = outbox(mail_app)[-1]
    assert reminder.undeliverable_at is None and reminder.last_error == "SMTPRecipientsRefused 450"
    assert intake(mail_app, "callback") == []
    smtp_server.accept_again(PERSON)
    with time_machine.travel(utcnow() + timedelta(minutes=5)):
        assert deliver(mail_app) == "sent 1, failed 0, waiting 0"
    assert [received.rcpt_tos for received in smtp_server.received][-1] == [PERSON]


def test_a_relay_refusing_to_relay_loses_nothing_and_sends_once_it_is_fixed(mail_app, page_client, smtp_server):
    """5.7.1 refuses us, not the address: marking it undeliverable would erase every waiting message."""
    remind(mail_app, page_client)
    smtp_server.refuse(PERSON, 550, "5.7.1 Relaying denied")
    assert deliver(mail_app) == "sent 0, failed 1, waiting 1"
    reminder = outbox(mail_app)[-1]
    assert reminder.undeliverable_at is None and reminder.to_address == PERSON, "kept, to send later"
    assert intake(mail_app, "callback") == []
    smtp_server.accept_again(PERSON)
    with time_machine.travel(utcnow() + timedelta(minutes=5)):
        assert deliver(mail_app) == "sent 1, failed 0, waiting 0"
    assert smtp_server.received[-1].rcpt_tos == [PERSON]


def test_one_refused_address_does_not_hold_up_the_others(mail_app, smtp_server):
    smtp_server.refuse("gone@example.com")
    with mail_app.app_context(), db.unit_of_work():
        for address in ("team@example.nhs.uk", "gone@example.com", "other@example.com"):
            mail.queue_message("staff_invited", address, "Subject", "Body")
    assert deliver(mail_app) == "sent 2, failed 1, waiting 0"
    assert sorted(received.rcpt_tos[0] for received in smtp_server.received) == [
        "other@example.com",
        "team@example.nhs.uk",
    ]
    assert intake(mail_app, "callback") == [], "a message about no referral puts nothing in the queue"


def test_a_refused_team_notice_about_a_referral_asks_nobody_to_call_the_person(mail_app, page_client, smtp_server):
    """The notice is about a referral, but to the team: the person's contact details are not in doubt."""
    by_email(page_client)
    smtp_server.refuse(mail_app.config["PORTAL_SETTINGS"].team_mailbox)
    assert deliver(mail_app) == "sent 0, failed 1, waiting 0"
    [notice] = outbox(mail_app)
    assert notice.purpose == "new_referral" and notice.referral_id is not None
    assert notice.undeliverable_at is not None
    assert intake(mail_app, "callback") == []
    assert health(mail_app)["outbox_undeliverable"] == 1, "the operator sees it"


def test_an_erased_referral_gets_no_call_back(mail_app, page_client, smtp_server):
    remind(mail_app, page_client)
    with mail_app.app_context(), db.unit_of_work() as session:
        session.scalar(select(Referral)).erased_at = utcnow()
    smtp_server.refuse(PERSON)
    assert deliver(mail_app) == "sent 0, failed 1, waiting 0"
    assert intake(mail_app, "callback") == []
    with mail_app.app_context():
        assert db.session().scalar(select(OutboxMessage.undeliverable_at).order_by(OutboxMessage.id.desc())) is not None


@pytest.mark.parametrize(
    ("answers", "for_good"),
    [
        (((550, b"No such user here"),), True),
        (((550, b"5.1.1 The email account does not exist"), (553, b"5.1.3 Bad address syntax")), True),
        (((554, b"5.2.1 Mailbox disabled"),), True),
        (((450, b"4.2.1 Mailbox busy"),), False),
        (((550, b"5.1.1 No such user"), (451, b"4.3.0 Try later")), False),
        (((550, b"5.7.1 Relaying denied"),), False),
        (((554, b"Relay access denied"),), False),
        (((550, b"Relaying not permitted"),), False),
        ((), False),
    ],
)
def test_only_a_refusal_of_every_recipient_s_mailbox_is_final(answers, for_good):
    """A relay refusing to relay (5.7.x) refuses us, not the address: fixed once, everything waiting goes."""
    refused = {f"person{n}@example.com": answer for n, answer in enumerate(answers)}
    assert mail.is_refused_for_good(smtplib.SMTPRecipientsRefused(refused)) is for_good
    assert mail.is_refused_for_good(smtplib.SMTPSenderRefused(550, b"no", "from@example.com")) is False
    assert mail.is_refused_for_good(ConnectionRefusedError()) is False
