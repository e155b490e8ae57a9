"""The team's figures and its daily digest: counts, overdue, time to outcome, the four-week promise.

Figures are computed from columns in clear (kinds, statuses, dates), so
nothing is decrypted and the numbers stay true after personal data is purged.
The digest names references (and item numbers) only: no person can be identified from it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forms.staff import KINDS as KIND_LABELS
from portal import db
from portal.models import IntakeItem, OutboxMessage, Referral, utcnow
from portal.services import due_dates, mail
from portal.services.intake_queue import OPEN_STATUSES, STATUSES, overdue_conditions

WINDOW_DAYS = 90
DECISIONS = ("accepted", "not_eligible")
DIGEST_LISTED = 50
KINDS = tuple(KIND_LABELS)


@dataclass(frozen=True)
class Figures:
    by_status: dict[str, int]
    by_kind: dict[str, int]
    overdue: int
    median_days_to_outcome: float | None
    due_in_window: int
    promise_kept: int

    @property
    def promise_kept_percent(self) -> int | None:
        return round(100 * self.promise_kept / self.due_in_window) if self.due_in_window else None


def _counts(column) -> dict[str, int]:  # type: ignore[no-untyped-def]
    rows = db.session().execute(select(column, func.count()).group_by(column))
    return {value: count for value, count in rows}


def overdue_count(now: datetime) -> int:
    return db.session().scalar(select(func.count()).select_from(IntakeItem).where(*overdue_conditions(now))) or 0


def figures(now: datetime | None = None) -> Figures:
    """Every figure on the dashboard, at `now`.

    Time to outcome: received to decision (accepted or not eligible), for
    decisions in the last 90 days. The four-week promise: of the referrals
    whose due date fell in the last 90 days (each had its full four weeks),
    how many had a decision and were told it by the due date.
    """
    now = now or utcnow()
    session = db.session()
    since = now - timedelta(days=WINDOW_DAYS)
    by_status = _counts(IntakeItem.status)
    by_kind = _counts(IntakeItem.kind)
    decided = session.execute(
        select(IntakeItem.received_at, IntakeItem.outcome_at).where(
            IntakeItem.kind == "referral", IntakeItem.outcome.in_(DECISIONS), IntakeItem.outcome_at >= since
        )
    ).all()
    days = [(due_dates.local_date(at) - due_dates.local_date(received)).days for received, at in decided]
    due = session.execute(
        select(IntakeItem.due_at, IntakeItem.communicated_at, IntakeItem.outcome).where(
            IntakeItem.kind == "referral",
            IntakeItem.due_at >= since,
            IntakeItem.due_at < due_dates.overdue_before(now),
        )
    ).all()
    kept = sum(1 for due_at, told_at, outcome in due if outcome in DECISIONS and due_dates.met_promise(due_at, told_at))
    return Figures(
        by_status={status: by_status.get(status, 0) for status in STATUSES},
        by_kind={kind: by_kind.get(kind, 0) for kind in KINDS},
        overdue=overdue_count(now),
        median_days_to_outcome=statistics.median(days) if days else None,
        due_in_window=len(due),
        promise_kept=kept,
    )


# -- the daily digest ---------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    """Each list has one line per queue item: a person with a referral and a call-back is listed once for each."""

    day: date
    new: list[str]
    due_this_week: list[str]
    overdue: list[str]


def _item_lines(*conditions) -> list[str]:  # type: ignore[no-untyped-def]
    """The reference, with the kind when the item is not the referral itself.

    An item with no reference yet (a request to come off made without a link,
    not yet matched) is named by its number and a link, so it is never left out.
    """
    base = current_app.config["PORTAL_SETTINGS"].public_base_url
    query = (
        select(IntakeItem.id, IntakeItem.kind, func.coalesce(IntakeItem.reference, Referral.reference))
        .outerjoin(Referral, Referral.id == IntakeItem.referral_id)
        .where(*conditions)
        .order_by(IntakeItem.due_at, IntakeItem.id)
    )
    lines = []
    for item_id, kind, reference in db.session().execute(query):
        label = str(KIND_LABELS.get(kind, kind)).lower()
        if reference is None:
            lines.append(f"{label} {item_id}, no reference yet: {base}/staff/items/{item_id}")
        else:
            lines.append(reference if kind == "referral" else f"{reference} ({label})")
    return lines


def digest(now: datetime) -> Digest:
    """New yesterday, due in the next seven days (today included), and overdue: references only."""
    today = due_dates.local_date(now)
    yesterday = due_dates.start_of_day(today - timedelta(days=1))
    not_done = (IntakeItem.status.in_(OPEN_STATUSES), IntakeItem.communicated_at.is_(None))
    return Digest(
        day=today,
        new=_item_lines(IntakeItem.received_at >= yesterday, IntakeItem.received_at < due_dates.start_of_day(today)),
        due_this_week=_item_lines(
            *not_done,
            IntakeItem.due_at >= due_dates.overdue_before(now),
            IntakeItem.due_at < due_dates.due_by_end_of(now, 7),
        ),
        overdue=_item_lines(*overdue_conditions(now)),
    )


def digest_message_id(day: date) -> str:
    """One Message-ID per day, UNIQUE in the outbox: a second run the same day cannot queue another."""
    return f"<digest-{day.isoformat()}@dsr-portal>"


def queue_daily_digest(now: datetime | None = None) -> tuple[bool, Digest]:
    """Queue today's digest to the team mailbox; (False, …) if it was already queued today."""
    now = now or utcnow()
    found = digest(now)
    message_id = digest_message_id(found.day)
    settings = current_app.config["PORTAL_SETTINGS"]
    # Straight from the environment: a cron job has no request for context processors to read.
    body = current_app.jinja_env.get_template("email/digest.txt").render(
        digest=found,
        listed=DIGEST_LISTED,
        queue_link=f"{settings.public_base_url}/staff/queue",
        team=settings.team,
    )
    subject = (
        f"DSR intake {found.day.strftime('%d %B %Y')}: {len(found.new)} new, "
        f"{len(found.due_this_week)} due this week, {len(found.overdue)} overdue"
    )
    try:
        with db.unit_of_work() as session:
            if session.scalar(select(OutboxMessage.id).where(OutboxMessage.message_id == message_id)) is not None:
                return False, found
            message = mail.queue_message("digest", settings.team_mailbox, subject, body)
            message.message_id = message_id
    except IntegrityError:  # another run queued it between our check and our insert
        return False, found
    return True, found
