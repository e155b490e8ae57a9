"""Email through an outbox: messages are written with what caused them, sent later.

A worker (`flask --app portal mail deliver`) claims due rows, sends them over
SMTP, or through GOV.UK Notify when `NOTIFY_API_KEY` is set (`notify.py`), and
retries with backoff for hours, so an outage of either loses nothing. No email ever carries health details: only a reference and a link.
An address refused for good (an SMTP refusal of the mailbox itself, Notify's
"not a valid email address") is not retried: the message is marked undeliverable and, when it was to a person
about their referral, the team gets a call-back item in its queue.
Each message keeps one `Message-ID` for all its attempts, so a duplicate sent
after a crash is recognisable.
"""

from __future__ import annotations

import logging
import re
import smtplib
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import func, or_, select, update

from portal import db
from portal.config import Settings
from portal.models import OutboxMessage, Referral, utcnow
from portal.services import consent, notify

log = logging.getLogger(__name__)

# How long a claim lasts unless MAIL_CLAIM_SECONDS says otherwise (SMTP_TIMEOUT_SECONDS and
# MAIL_RETRY_BASE_SECONDS are settings too: short ones let tests crash and restart a worker).
CLAIM_SECONDS = Settings.mail_claim_seconds
MAX_BACKOFF = timedelta(hours=1)
WAITING = (OutboxMessage.sent_at.is_(None), OutboxMessage.undeliverable_at.is_(None))


# Emails to a person about their referral, in the team's words: if one cannot be delivered, the call-back
# item the team gets says which it was.
PURPOSES = {
    "consent_reminder": "the reminder to reconfirm consent",
    "consent_answer": "the confirmation of their consent answer",
}


def _settings():  # type: ignore[no-untyped-def]
    return current_app.config["PORTAL_SETTINGS"]


def queue_message(
    purpose: str, to_address: str, subject: str, body: str, referral: Referral | None = None
) -> OutboxMessage:
    """Queue an email; `referral` is the one it is about.

    An email to the person about their referral (a purpose in `PURPOSES`) that
    cannot be delivered puts a call-back in the team's queue.
    """
    message = OutboxMessage(
        message_id=f"<{uuid.uuid4()}@dsr-portal>",
        purpose=purpose,
        to_address=to_address,
        subject=subject,
        body=body,
        referral_id=referral.id if referral is not None else None,
    )
    db.session().add(message)
    return message


def queue_new_referral_notice(referral: Referral) -> OutboxMessage:
    """Tell the team mailbox a referral has arrived: reference and link only (in English, as the team works)."""
    settings = _settings()
    with force_locale("en"):
        body = render_template(
            "email/new_referral.txt",
            reference=referral.reference,
            link=f"{settings.public_base_url}/staff/intake/{referral.reference}",
            due=referral.review_due_at,
            team=settings.team,
        )
    return queue_message(
        "new_referral", settings.team_mailbox, f"New DSR referral {referral.reference}", body, referral=referral
    )


def _backoff(attempts: int) -> timedelta:
    base = _settings().mail_retry_base_seconds
    return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def claim_due(limit: int = 20) -> list[OutboxMessage]:
    """Claim messages that are due, so two workers never send the same one at once.

    PostgreSQL skips rows another worker has locked; on every database the
    claiming UPDATE repeats the "due and unclaimed" test, so a row another
    worker claimed in the meantime is left out rather than claimed twice.
    """
    session = db.session()
    now = utcnow()
    unclaimed = (
        *WAITING,
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )
    due = select(OutboxMessage.id).where(*unclaimed).order_by(OutboxMessage.next_attempt_at).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(session.scalars(due))
    if not ids:
        session.commit()
        return []
    claimed = list(
        session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), *unclaimed)
            .values(claimed_until=now + timedelta(seconds=_settings().mail_claim_seconds))
            .returning(OutboxMessage.id)
        )
    )
    session.commit()
    if not claimed:
        return []
    fresh = select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.next_attempt_at)
    return list(session.scalars(fresh.execution_options(populate_existing=True)))


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = _settings().mail_from
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email["Date"] = formatdate(localtime=False)
    email.set_content(message.body)
    return email


def _connect() -> smtplib.SMTP:
    settings = _settings()
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds)
    if settings.smtp_starttls:
        smtp.starttls()
    if settings.smtp_username:
        smtp.login(settings.smtp_username, settings.smtp_password)
    return smtp


SEND_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    smtplib.SMTPException,
    notify.NotifyError,
    *notify.NOTIFY_ERRORS,
)


def _open_transport(stack: ExitStack) -> Callable[[OutboxMessage], object]:
    """How this run sends: through Notify when a key is set, else over one SMTP connection closed by `stack`."""
    settings = _settings()
    if notify.is_configured(settings):
        notify_client = notify.client(settings)
        return lambda message: notify.send(notify_client, settings, message)
    smtp = stack.enter_context(_connect())
    return lambda message: smtp.send_message(_email(message))


def deliver_due(limit: int = 20) -> tuple[int, int]:
    """Send what is due; returns (sent, failed). Failures are retried later with backoff.

    A send is started only while this worker's claim will outlast it: once the
    claim is nearly over another worker may take the rest, and must not find
    them sent twice.
    """
    settings = _settings()
    send_by = utcnow() + timedelta(seconds=settings.mail_claim_seconds - settings.smtp_timeout_seconds)
    messages = claim_due(limit)
    if not messages:
        return 0, 0
    session = db.session()
    sent = failed = 0
    with ExitStack() as stack:
        try:
            send = _open_transport(stack)
        except SEND_ERRORS as error:
            for message in messages:
                _failed(message, error)
            session.commit()
            log.warning("mail server unreachable; %d messages will be retried", len(messages))
            return 0, len(messages)
        for number, message in enumerate(messages):
            if utcnow() >= send_by:
                _release(messages[number:])
                break
            try:
                send(message)
            except SEND_ERRORS as error:
                _failed(message, error)
                failed += 1
            else:
                message.sent_at = utcnow()
                message.claimed_until = None
                message.erase_content()
                sent += 1
            session.commit()
    log.info("outbox delivered=%d failed=%d", sent, failed)
    return sent, failed


def _release(messages: list[OutboxMessage]) -> None:
    """Give back messages this worker will not send, so the next worker need not wait."""
    for message in messages:
        message.claimed_until = None
    db.session().commit()


def is_refused_for_good(error: BaseException) -> bool:
    """The address itself was refused, so no retry can succeed: Notify's "not a valid email address", or an SMTP
    refusal of every recipient's mailbox.

    Anything else (an outage, a 4xx "try later", a rate limit, Notify's 403 for a
    wrong key or its 400 for a service in trial mode, a relay that refuses to relay)
    is about our set-up, not this address, and is retried: giving up would erase
    every waiting message over one mistake. The operator sees it rising in the
    health endpoint.
    """
    if isinstance(error, notify.NotifyError):
        return error.bad_address
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refusals = error.recipients.values()
        return bool(refusals) and all(_mailbox_refused(code, text) for code, text in refusals)
    return False


# RFC 3463: 5.1.x is the address (no such mailbox, no such domain, bad syntax), 5.2.1 a mailbox disabled.
_ENHANCED_STATUS = re.compile(r"\s*5\.(\d{1,3})\.(\d{1,3})\b")


def _mailbox_refused(code: int, text: bytes | str) -> bool:
    """A permanent refusal of the mailbox itself, not of us (5.7.x: relaying denied, a policy block)."""
    if code < 500:
        return False
    words = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    enhanced = _ENHANCED_STATUS.match(words)
    if enhanced is not None:
        return enhanced.group(1) == "1" or enhanced.groups() == ("2", "1")
    return code in (550, 551, 553) and "relay" not in words.lower()


def _failed(message: OutboxMessage, error: BaseException) -> None:
    message.attempts += 1
    message.claimed_until = None
    # The error's type (with an SMTP code), or Notify's status code: never a message, which may quote the address.
    reason = str(error) if isinstance(error, notify.NotifyError) else type(error).__name__
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        reason += " " + ",".join(sorted({str(code) for code, _ in error.recipients.values()}))
    message.last_error = reason[:500]
    if is_refused_for_good(error):
        _undeliverable(message)
        log.warning("outbox message id=%s purpose=%s undeliverable: %s", message.id, message.purpose, reason)
        return
    message.next_attempt_at = utcnow() + _backoff(message.attempts)
    log.warning("outbox message id=%s attempt=%d failed: %s", message.id, message.attempts, reason)


def _undeliverable(message: OutboxMessage) -> None:
    """Stop trying; if the email was to a person about their referral, ask the team to reach them another way."""
    message.undeliverable_at = utcnow()
    message.erase_content()
    if message.referral_id is None or message.purpose not in PURPOSES:
        return
    referral = db.session().get(Referral, message.referral_id)
    if referral is None or referral.erased_at is not None:
        return
    consent.ask_team_to_call(
        referral,
        f"An email to the person ({PURPOSES[message.purpose]}) could not be delivered: the address was refused. "
        "Check their contact details and reach them another way.",
    )


def backlog() -> int:
    """Messages still to be sent (for the health endpoint)."""
    return _count(*WAITING)


def failing() -> int:
    """Waiting messages that have failed at least once: a rising number means the mail server is down."""
    return _count(*WAITING, OutboxMessage.attempts > 0)


def undeliverable() -> int:
    """Messages given up on because the address was refused (each to a person also put a call-back in the queue)."""
    return _count(OutboxMessage.undeliverable_at.is_not(None))


def _count(*conditions: Any) -> int:
    return db.session().scalar(select(func.count()).select_from(OutboxMessage).where(*conditions)) or 0
