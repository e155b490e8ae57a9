"""The team's email: written with the referral, sent over real SMTP, never lost, never doubled."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select, text

from portal import db
from portal.models import ConsentEvent, Draft, IntakeItem, OutboxMessage, Referral, utcnow
from portal.services import mail
from tests.support.journey import PAGES, submit, walk_to_check

CANARY_NAME = "Zebedee Quillfeather"
CANARY_POSTCODE = "PO16 7GZ"
CANARY_SITUATION = "Wombat-canary-situation"
CANARIES = (CANARY_NAME, "Quillfeather", CANARY_POSTCODE, "PO167GZ", CANARY_SITUATION, "attacker@example.com")


def walk_with_canaries(client):
    """A referral whose name, postcode and free text are canaries; the free text tries to add a header."""
    return walk_to_check(
        client,
        name={"full_name": CANARY_NAME, "preferred_name": "Zeb"},
        address={**PAGES["address"], "postcode": CANARY_POSTCODE.lower()},
        whats_happening={"risks": ["home_breakdown"], "situation": f"{CANARY_SITUATION}\r\nBcc: attacker@example.com"},
    )


def submit_with_canaries(client) -> str:
    walk_with_canaries(client)
    return submit(client).text_of(".app-reference")


def deliver(app) -> str:
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session().scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def assert_no_personal_data(raw: str) -> None:
    for canary in CANARIES:
        assert canary.lower() not in raw.lower(), f"{canary!r} reached the email"


def test_a_submitted_referral_puts_one_message_in_the_outbox(page_client, mail_app):
    reference = submit_with_canaries(page_client)
    [message] = outbox(mail_app)
    assert message.purpose == "new_referral"
    assert reference in message.subject
    assert message.sent_at is None


def _refuse_inserts(app, table: str) -> None:
    with app.extensions["engine"].begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(
                text(f"CREATE TRIGGER refuse BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'refused'); END")
            )
        else:
            connection.execute(
                text("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE 'refused'; END $$ LANGUAGE plpgsql")
            )
            connection.execute(
                text(f"CREATE TRIGGER refuse BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse()")
            )


def _allow_inserts(app, table: str) -> None:
    with app.extensions["engine"].begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER refuse"))
        else:
            connection.execute(text(f"DROP TRIGGER refuse ON {table}"))
            connection.execute(text("DROP FUNCTION refuse()"))


@pytest.mark.parametrize("table", ["consent_events", "intake_items", "outbox_messages"])
def test_a_submission_is_stored_whole_or_not_at_all(page_client, mail_app, table):
    check = walk_with_canaries(page_client)
    submission_id = check.soup.select_one("input[name=submission_id]")["value"]
    _refuse_inserts(mail_app, table)
    try:
        failed = page_client.post("/referral/check", {"submission_id": submission_id}, expect=500)
    finally:
        _allow_inserts(mail_app, table)
    assert failed.h1 == "Sorry, there is a problem with the service"
    for model in (Referral, ConsentEvent, IntakeItem, OutboxMessage):
        assert count(mail_app, model) == 0, f"a {model.__name__} was left behind"
    assert count(mail_app, Draft) == 1, "the answers must survive a failed submission"

    confirmation = submit(page_client)
    assert confirmation.text_of(".app-reference").startswith("DSR-")
    for model in (Referral, ConsentEvent, IntakeItem, OutboxMessage):
        assert count(mail_app, model) == 1


def test_delivery_sends_the_reference_and_link_and_nothing_personal(page_client, mail_app, smtp_server):
    reference = submit_with_canaries(page_client)
    assert deliver(mail_app) == "sent 1, failed 0, waiting 0"

    [received] = smtp_server.received
    [stored] = outbox(mail_app)
    email = received.message
    assert email["Message-ID"] == stored.message_id
    assert email["Subject"] == f"New DSR referral {reference}"
    assert reference in received.body
    assert f"http://127.0.0.1:5000/staff/intake/{reference}" in received.body
    assert "Review by:" in received.body
    assert stored.sent_at is not None
    assert_no_personal_data(received.raw.decode("utf-8", "replace"))
    assert_no_personal_data(received.body)


def test_nothing_a_person_typed_reaches_an_email_header(page_client, mail_app, smtp_server):
    submit_with_canaries(page_client)
    deliver(mail_app)
    [received] = smtp_server.received
    settings = mail_app.config["PORTAL_SETTINGS"]
    assert received.rcpt_tos == [settings.team_mailbox]
    assert sorted(received.message.keys()) == sorted(
        ["From", "To", "Subject", "Message-ID", "Date", "Content-Type", "Content-Transfer-Encoding", "MIME-Version"]
    )
    assert received.message["From"] == settings.mail_from
    assert received.message["To"] == settings.team_mailbox
    assert_no_personal_data(" ".join(f"{name}: {value}" for name, value in received.message.items()))


def test_a_mail_server_outage_loses_nothing_and_sends_everything_once_it_is_back(page_client, mail_app, smtp_server):
    smtp_server.stop()
    reference = submit_with_canaries(page_client)
    assert reference.startswith("DSR-"), "the submission must succeed while mail is down"

    assert deliver(mail_app) == "sent 0, failed 1, waiting 1"
    [message] = outbox(mail_app)
    assert message.attempts == 1
    assert as_utc(message.next_attempt_at) > utcnow()
    assert message.sent_at is None
    assert_no_personal_data(message.last_error or "")
    assert deliver(mail_app) == "sent 0, failed 0, waiting 1", "not due again until the backoff has passed"

    smtp_server.start()
    with time_machine.travel(utcnow() + timedelta(minutes=5)):
        assert deliver(mail_app) == "sent 1, failed 0, waiting 0"
        assert deliver(mail_app) == "sent 0, failed 0, waiting 0"
    [received] = smtp_server.received
    assert received.message["Message-ID"] == message.message_id
    assert reference in received.body


def test_each_failure_waits_longer_before_the_next_try(mail_app, smtp_server):
    smtp_server.stop()
    with mail_app.app_context(), db.unit_of_work():
        mail.queue_message("new_referral", "dsr.team@example.nhs.uk", "New DSR referral DSR-TEST-0001", "body")
    waits = []
    start = utcnow()
    for minutes in (0, 10, 30):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert deliver(mail_app) == "sent 0, failed 1, waiting 1"
            [message] = outbox(mail_app)
            waits.append(as_utc(message.next_attempt_at) - utcnow())
    assert waits == sorted(waits) and waits[0] < waits[-1]
    assert message.attempts == 3


def _queue(app, how_many: int) -> None:
    with app.app_context(), db.unit_of_work():
        for number in range(how_many):
            mail.queue_message("new_referral", "dsr.team@example.nhs.uk", f"New DSR referral {number}", f"{number}")


def test_two_workers_at_once_send_each_message_once(mail_app, smtp_server):
    _queue(mail_app, 30)
    workers = 4
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with mail_app.app_context():
                barrier.wait()
                while True:
                    sent, failed = mail.deliver_due(limit=3)
                    assert failed == 0
                    if sent == 0:
                        return
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    ids = [mail.message["Message-ID"] for mail in smtp_server.received]
    assert len(ids) == 30
    assert len(set(ids)) == 30, "a message was sent twice"
    assert all(message.sent_at is not None for message in outbox(mail_app))


def test_a_message_claimed_by_a_worker_that_died_is_sent_after_the_lease_ends(mail_app, smtp_server):
    _queue(mail_app, 1)
    with mail_app.app_context():
        [claimed] = mail.claim_due()  # a worker claims it, then dies before sending
    assert deliver(mail_app) == "sent 0, failed 0, waiting 1"
    with time_machine.travel(utcnow() + timedelta(seconds=mail.CLAIM_SECONDS + 1)):
        assert deliver(mail_app) == "sent 1, failed 0, waiting 0"
    assert [m.message["Message-ID"] for m in smtp_server.received] == [claimed.message_id]


def test_a_worker_whose_claim_is_running_out_leaves_the_rest_for_the_next(mail_app, smtp_server):
    _queue(mail_app, 3)
    with time_machine.travel(utcnow(), tick=False) as clock:
        smtp_server.on_receive(lambda _mail: clock.shift(timedelta(seconds=mail.CLAIM_SECONDS - 10)))
        assert deliver(mail_app) == "sent 1, failed 0, waiting 2", "a slow server used up the claim"
        smtp_server.on_receive(None)
        assert deliver(mail_app) == "sent 2, failed 0, waiting 0"
    ids = [received.message["Message-ID"] for received in smtp_server.received]
    assert sorted(ids) == sorted(message.message_id for message in outbox(mail_app))
