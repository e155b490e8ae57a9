"""With `NOTIFY_API_KEY` set, the outbox sends through GOV.UK Notify (a local stand-in that checks the token)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from cryptography.fernet import Fernet
from flask import Flask

from portal import db
from portal.config import ConfigError, load_settings
from portal.models import utcnow
from portal.services import mail
from tests.conftest import PageClient, make_app
from tests.services.test_outbox import (
    as_utc,
    assert_no_personal_data,
    deliver,
    outbox,
    submit_with_canaries,
)
from tests.support.notify import API_KEY, SECRET, SERVICE_ID, TEMPLATE_ID, NotifyServer
from tests.support.postgres import free_port


@pytest.fixture
def notify_server() -> Iterator[NotifyServer]:
    server = NotifyServer()
    server.start()
    yield server
    server.stop()


def notify_app(app: Flask, server: NotifyServer, api_key: str = API_KEY) -> Flask:
    """The portal sending through `server`; its SMTP port has nothing listening, so SMTP would fail."""
    return make_app(
        app.config["PORTAL_SETTINGS"].database_url,
        notify_api_key=api_key,
        notify_email_template_id=TEMPLATE_ID,
        notify_base_url=server.base_url,
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
    )


@pytest.fixture
def notifying(app: Flask, notify_server: NotifyServer) -> Iterator[Flask]:
    portal = notify_app(app, notify_server)
    yield portal
    portal.extensions["engine"].dispose()


def test_the_team_notice_goes_through_notify_with_subject_and_body_and_the_outbox_id_as_reference(
    notifying, notify_server
):
    reference = submit_with_canaries(PageClient(notifying.test_client()))
    assert deliver(notifying) == "sent 1, failed 0, waiting 0"
    [sent] = notify_server.sent
    [stored] = outbox(notifying)
    assert sent.template_id == TEMPLATE_ID
    assert sent.email_address == notifying.config["PORTAL_SETTINGS"].team_mailbox
    assert sent.reference == stored.message_id
    assert sent.personalisation["subject"] == f"New DSR referral {reference}"
    assert f"/staff/intake/{reference}" in sent.personalisation["body"]
    assert_no_personal_data(repr(sent))
    assert stored.sent_at is not None


def test_a_key_signed_with_the_wrong_secret_is_refused_and_nothing_is_marked_sent(app, notify_server):
    wrong = API_KEY.replace(SECRET, "00000000-0000-4000-8000-000000000000")
    portal = notify_app(app, notify_server, api_key=wrong)
    with portal.app_context(), db.unit_of_work():
        mail.queue_message("consent_reminder", "sian@example.com", "Subject", "Body")
    assert deliver(portal) == "sent 0, failed 1, waiting 1"
    [message] = outbox(portal)
    assert notify_server.sent == []
    assert message.sent_at is None and message.last_error == "GOV.UK Notify answered 403"
    portal.extensions["engine"].dispose()


def test_a_key_for_another_service_is_refused(app, notify_server):
    other = API_KEY.replace(SERVICE_ID, "11111111-2222-4333-8444-555555555555")
    portal = notify_app(app, notify_server, api_key=other)
    with portal.app_context(), db.unit_of_work():
        mail.queue_message("consent_reminder", "sian@example.com", "Subject", "Body")
    assert deliver(portal) == "sent 0, failed 1, waiting 1"
    assert notify_server.sent == []
    portal.extensions["engine"].dispose()


def test_notify_errors_are_retried_with_growing_waits_and_the_retry_keeps_its_reference(notifying, notify_server):
    with notifying.app_context(), db.unit_of_work():
        mail.queue_message("consent_reminder", "sian@example.com", "Please reconfirm", "Follow this link")
    notify_server.fail_next(500)
    notify_server.fail_next(429, times=2)
    waits, start = [], utcnow()
    for minutes in (0, 10, 30):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert deliver(notifying) == "sent 0, failed 1, waiting 1"
            [message] = outbox(notifying)
            waits.append(as_utc(message.next_attempt_at) - utcnow())
    assert notify_server.refused == [500, 429, 429]
    assert waits == sorted(waits) and waits[0] < waits[-1]
    assert message.last_error == "GOV.UK Notify answered 429"
    with time_machine.travel(start + timedelta(hours=3)):
        assert deliver(notifying) == "sent 1, failed 0, waiting 0"
        assert deliver(notifying) == "sent 0, failed 0, waiting 0"
    [sent] = notify_server.sent
    assert sent.reference == message.message_id and message.attempts == 3


def test_notify_unreachable_loses_nothing(notifying, notify_server):
    notify_server.stop()
    with notifying.app_context(), db.unit_of_work():
        mail.queue_message("consent_reminder", "sian@example.com", "Please reconfirm", "Follow this link")
    assert deliver(notifying) == "sent 0, failed 1, waiting 1"
    notify_server.start()
    with time_machine.travel(utcnow() + timedelta(minutes=5)):
        assert deliver(notifying) == "sent 1, failed 0, waiting 0"
    assert len(notify_server.sent) == 1


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("ENCRYPTION_KEYS", Fernet.generate_key().decode())
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    return monkeypatch


def test_production_refuses_a_notify_key_without_a_template(production_env):
    production_env.setenv("NOTIFY_API_KEY", API_KEY)
    with pytest.raises(ConfigError, match="NOTIFY_EMAIL_TEMPLATE_ID"):
        load_settings()
    production_env.setenv("NOTIFY_EMAIL_TEMPLATE_ID", TEMPLATE_ID)
    settings = load_settings()
    assert settings.notify_base_url == "https://api.notifications.service.gov.uk"
    assert API_KEY not in repr(settings)


def test_notify_refusing_the_address_makes_the_message_undeliverable_not_retried(notifying, notify_server):
    """Notify's "not a valid email address" is about the address itself: no retry can succeed."""
    with notifying.app_context(), db.unit_of_work():
        mail.queue_message("staff_invited", "not-an-address", "Subject", "Body")
    assert deliver(notifying) == "sent 0, failed 1, waiting 0"
    [message] = outbox(notifying)
    assert message.undeliverable_at is not None
    assert message.last_error == "GOV.UK Notify answered 400 (not a valid email address)"
    with time_machine.travel(utcnow() + timedelta(hours=3)):
        assert deliver(notifying) == "sent 0, failed 0, waiting 0"
    assert notify_server.refused == [400] and notify_server.sent == []


TRIAL_MODE = "Can't send to this recipient when service is in trial mode - see https://www.notifications.service.gov.uk/trial-mode"


def test_a_service_still_in_trial_mode_loses_nothing_and_sends_everything_once_it_is_live(notifying, notify_server):
    """Notify's other 400s are our set-up, not the address: giving up would erase every waiting message."""
    with notifying.app_context(), db.unit_of_work():
        for n in range(3):
            mail.queue_message("staff_invited", f"person{n}@example.com", "Subject", "Body")
    notify_server.fail_next(400, times=3, message=TRIAL_MODE)
    assert deliver(notifying) == "sent 0, failed 3, waiting 3"
    assert all(m.undeliverable_at is None and m.to_address for m in outbox(notifying)), "kept, to send later"
    with time_machine.travel(utcnow() + timedelta(hours=1)):
        assert deliver(notifying) == "sent 3, failed 0, waiting 0"
    assert sorted(email.email_address for email in notify_server.sent) == [f"person{n}@example.com" for n in range(3)]
