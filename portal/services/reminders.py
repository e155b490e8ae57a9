"""Yearly reconfirmation: reminders, lapses, and the answer a person gives by link.

`send_reminders` is run daily (twice is harmless): each step for a due date
(`first` 30 days before, `second` 14 days before, `lapsed` the day after,
`turned_16`) is claimed by inserting a `ConsentReminder` row under a unique
constraint, so a step already done is skipped. A lapsed consent is recorded
and put in the team's queue; nothing is ever deleted.

Emails and letters are easy read or plain English, as `is_easy_read` decides.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import selectinload

from easy_read import letters as easy_read_letters
from portal import db, i18n
from portal.models import ConsentEvent, ConsentReminder, IntakeItem, Referral, SignedLink, utcnow
from portal.services import consent, mail, signed_links
from portal.services.due_dates import (
    first_reminder_on,
    has_lapsed,
    last_day_it_works,
    local_date,
    review_due,
    second_reminder_on,
)

log = logging.getLogger(__name__)
PEOPLE_PER_TRANSACTION = 50
_DEADLOCK = "40P01"  # PostgreSQL's SQLSTATE for a deadlock
_Step = tuple[int, date, str]  # a ConsentReminder's unique key: referral, due date, kind


@dataclass
class ReminderReport:
    """What one run did, by reference, for the operator (no names)."""

    first: list[str] = field(default_factory=list)
    second: list[str] = field(default_factory=list)
    lapsed: list[str] = field(default_factory=list)
    turned_16: list[str] = field(default_factory=list)
    emails: int = 0
    letters: int = 0
    calls: int = 0

    def add(self, other: ReminderReport) -> None:
        """Count in what a batch did, once its transaction has committed."""
        for name in ("first", "second", "lapsed", "turned_16"):
            getattr(self, name).extend(getattr(other, name))
        self.emails += other.emails
        self.letters += other.letters
        self.calls += other.calls

    def counts(self) -> str:
        """How many of each, without references: for the log."""
        return (
            f"{len(self.first)} first, {len(self.second)} second, {len(self.lapsed)} lapsed, "
            f"{len(self.turned_16)} turned 16; {self.emails} emails, {self.letters} letters, {self.calls} calls"
        )

    def lines(self) -> list[str]:
        return [
            f"first reminders: {len(self.first)} {' '.join(self.first)}".rstrip(),
            f"second reminders: {len(self.second)} {' '.join(self.second)}".rstrip(),
            f"lapsed: {len(self.lapsed)} {' '.join(self.lapsed)}".rstrip(),
            f"turned 16, team told: {len(self.turned_16)} {' '.join(self.turned_16)}".rstrip(),
            f"emails queued: {self.emails}, letters to print: {self.letters}, calls for the team: {self.calls}",
        ]


def link_url(link: SignedLink) -> str:
    """The link a person receives, in the language being written (`?lang=`, outside the signed token)."""
    base = current_app.config["PORTAL_SETTINGS"].public_base_url
    return i18n.with_language(f"{base}/consent/{link.purpose}/{signed_links.token_for(link)}", i18n.current())


def is_easy_read(referral: Referral) -> bool:
    """Letters and emails are easy read when the referral was made in easy read, or asked for easy read.

    A professional or a parent often fills the form in in plain English for a
    person who needs easy read: their answer to "How would you like us to give
    you information?" wins.
    """
    return referral.reading_mode == "easy" or "easy_read" in consent.answers_of(referral).get("formats", ())


def render_email(template: str, easy: bool, **values: Any) -> str:
    """An email to the person, in easy read (sentences from `easy_read.letters`) or plain English."""
    return render_template(template, easy=easy, easy_read_letters=easy_read_letters, **values)


def contact_email(answers: dict[str, Any], addressed_to: str) -> str:
    """Where an email may safely go: only if email was chosen as safe, to the parent while they decide."""
    if "email" not in (answers.get("safe_contact") or []):
        return ""
    if addressed_to == "parent":
        return answers.get("referrer_email") or answers.get("email") or ""
    return answers.get("email") or ""


def _claim_step(referral: Referral, kind: str, due_on: date, today: date, done: set[_Step]) -> ConsentReminder | None:
    """The step's new row, or None if it was already done (by an earlier run, or a twin running now).

    The row is added to the session by `_process` once it is filled in, so it is written in one INSERT;
    a twin that claims it first makes that INSERT break the unique constraint, and `send_reminders`
    does the whole batch again.
    """
    if (referral.id, due_on, kind) in done:
        return None
    done.add((referral.id, due_on, kind))
    return ConsentReminder(referral_id=referral.id, kind=kind, due_on=due_on, done_on=today)


def _steps_done(referral_ids: list[int]) -> set[_Step]:
    """The steps already done for these referrals, one query for the whole batch."""
    return {
        (referral_id, due_on, kind)
        for referral_id, due_on, kind in db.session().execute(
            select(ConsentReminder.referral_id, ConsentReminder.due_on, ConsentReminder.kind).where(
                ConsentReminder.referral_id.in_(referral_ids)
            )
        )
    }


def _until(link: SignedLink, step: ConsentReminder) -> date:
    """The last day the reminder's link can be used to reconfirm: its own last day, or the due date if sooner."""
    return last_day_it_works(link.expires_at, step.due_on)


def _remind(referral: Referral, step: ConsentReminder, report: ReminderReport) -> None:
    addressed_to = consent.addressed_to(referral, step.due_on)
    step.addressed_to = addressed_to
    only_the_team = consent.why_only_the_team_can_ask(referral, addressed_to)
    if only_the_team:
        _call_back(referral, step, only_the_team, report)
        return
    answers = consent.answers_of(referral)
    link = signed_links.issue("reconfirm", referral=referral, with_short_code=True, addressed_to=addressed_to)
    step.link_id = link.id
    address = contact_email(answers, addressed_to)
    if address:
        easy = is_easy_read(referral)
        with i18n.speaking(referral.language):
            body = render_email(
                "email/consent_reminder.txt", easy, link=link_url(link), due_on=step.due_on, expires=_until(link, step)
            )
            subject = easy_read_letters.RECONFIRM_TITLE if easy else _("Please reconfirm: Dynamic Support Register")
            mail.queue_message("consent_reminder", address, str(subject), body, referral=referral)
        step.by_email = True
        report.emails += 1
    if "letter" in (answers.get("safe_contact") or []):
        step.by_letter = True
        report.letters += 1
    if not step.by_email and not step.by_letter:
        _call_back(referral, step, "Consent is due to be reconfirmed. Email and letters are not safe.", report)


def _call_back(referral: Referral, step: ConsentReminder, why: str, report: ReminderReport) -> None:
    """Ask the team to call; at the second reminder, only if the first one's call-back is no longer open."""
    if step.kind == "second" and db.session().scalar(
        select(IntakeItem.id).where(
            IntakeItem.referral_id == referral.id, IntakeItem.kind == "callback", IntakeItem.closed_at.is_(None)
        )
    ):
        return
    consent.ask_team_to_call(referral, why)
    report.calls += 1


def _lapse(referral: Referral, step: ConsentReminder) -> None:
    consent.record_event(referral, "lapsed", "system", "system", "")
    consent.add_intake_item(
        "lapsed",
        {"reference": referral.reference, "due_on": step.due_on.isoformat(), "why": "Consent was not reconfirmed."},
        review_due(utcnow()),
        referral=referral,
    )


def _step_for(referral: Referral, today: date, now: datetime, window: int) -> str | None:
    state = consent.state_of(referral)
    if not state.active or state.next_due is None:
        return None
    if has_lapsed(state.next_due, now):
        return "lapsed"
    if today >= second_reminder_on(state.next_due):
        return "second"
    if today >= first_reminder_on(state.next_due, window):
        return "first"
    return None


def _process(referral: Referral, now: datetime, window: int, report: ReminderReport, done: set[_Step]) -> None:
    today = local_date(now)
    kind = _step_for(referral, today, now, window)
    if kind is None:
        return
    due_on = consent.state_of(referral).next_due
    assert due_on is not None
    session = db.session()
    if kind != "lapsed" and consent.has_turned_16(referral, due_on):
        turned_16 = _claim_step(referral, "turned_16", due_on, today, done)
        if turned_16 is not None:
            session.add(turned_16)
            consent.add_intake_item(
                "turned_16",
                {
                    "reference": referral.reference,
                    "why": "Consent was given by a parent. The person is now 16 or over.",
                },
                review_due(now),
                referral=referral,
            )
            session.flush()  # as below: this person's rows before the next person's
            report.turned_16.append(referral.reference)
    step = _claim_step(referral, kind, due_on, today, done)
    if step is None:
        return
    if kind == "lapsed":
        _lapse(referral, step)
    else:
        _remind(referral, step, report)
    session.add(step)
    # Each person's rows are written before the next person's, so two runs at once take their locks in the
    # same order (referral by referral) and wait for each other rather than deadlock.
    session.flush()
    getattr(report, kind).append(referral.reference)


def send_reminders(now: datetime | None = None) -> ReminderReport:
    """Do every reminder, second reminder and lapse due today, `PEOPLE_PER_TRANSACTION` people at a time.

    Each person's emails are queued in the outbox in the same transaction as their
    claimed step, so an error rolls back a few people's steps and their emails
    together, and the next run does them again: nothing is sent twice or lost.
    (One commit per person cost a disk flush each: minutes at 100,000 referrals.)
    A twin run that claimed one of the batch's steps first breaks the unique
    constraint: the batch is rolled back and done again, now skipping that step.
    """
    now = now or utcnow()
    window = consent.setting("CONSENT_REMINDER_DAYS")
    report = ReminderReport()
    due = _with_a_step_due(now, window)
    try:
        for start in range(0, len(due), PEOPLE_PER_TRANSACTION):
            report.add(_send_batch(due[start : start + PEOPLE_PER_TRANSACTION], now, window))
    except Exception:
        log.exception("reminder run stopped; committed before it stopped: %s", report.counts())
        raise
    return report


def _send_batch(referral_ids: list[int], now: datetime, window: int, attempts: int = 3) -> ReminderReport:
    attempt = 1
    while True:
        batch = ReminderReport()
        try:
            with db.unit_of_work() as session:
                done = _steps_done(referral_ids)
                for referral in session.scalars(
                    select(Referral)
                    .where(Referral.id.in_(referral_ids))
                    .order_by(Referral.id)
                    .options(selectinload(Referral.consent_events))
                ):
                    _process(referral, now, window, batch, done)
            return batch
        except (IntegrityError, OperationalError) as error:
            if attempt == attempts or not _worth_retrying(error):
                raise
            attempt += 1


def _worth_retrying(error: Exception) -> bool:
    """A step a twin run claimed first, or (PostgreSQL) a deadlock with it: the batch is done again."""
    return isinstance(error, IntegrityError) or getattr(error.orig, "sqlstate", None) == _DEADLOCK


@dataclass(frozen=True)
class _History:
    """A referral's consent events alone, read as plain rows: enough for `consent.state_of`."""

    consent_events: list[Any]
    consent_version: int = 0


# Nobody is asked to stay on the register (and nothing lapses) who the team found not eligible, or who has
# asked to come off and is waiting for the team to confirm it.
_not_to_be_asked = select(IntakeItem.referral_id).where(
    IntakeItem.referral_id.is_not(None),
    or_(
        and_(IntakeItem.kind == "referral", IntakeItem.outcome == "not_eligible"),
        and_(IntakeItem.kind == "removal", IntakeItem.status != "closed"),
    ),
)


def _with_a_step_due(now: datetime, window: int, batch: int = 5000) -> list[int]:
    """Referrals (not erased) with a step due today, found from plain rows in batches.

    Only these are opened one by one, each in its own transaction: at 100,000
    referrals most have nothing due, and a transaction each made the run minutes long.
    """
    today, due, after = local_date(now), [], 0
    while True:
        with db.unit_of_work() as session:
            found = session.execute(
                select(
                    ConsentEvent.referral_id,
                    ConsentEvent.id,
                    ConsentEvent.kind,
                    ConsentEvent.given_by,
                    ConsentEvent.occurred_at,
                )
                .join(Referral, Referral.id == ConsentEvent.referral_id)
                .where(
                    Referral.erased_at.is_(None),
                    Referral.id.not_in(_not_to_be_asked),
                    Referral.id > after,
                    Referral.id <= after + batch,
                )
                .order_by(ConsentEvent.referral_id)
            ).all()
            last = session.scalar(select(func.max(Referral.id))) or 0
        histories: dict[int, list[Any]] = {}
        for event in found:  # a row has the attributes `state_of` reads: id, kind, given_by, occurred_at
            histories.setdefault(event.referral_id, []).append(event)
        due += [ref for ref, events in histories.items() if _step_for(_History(events), today, now, window)]  # type: ignore[arg-type]
        after += batch
        if after >= last:
            return due
