"""Every deadline the service promises is computed here, and only here.

The four-week promise is counted in calendar days in England: a referral
received on 20 October is due on 17 November, whatever the clocks did between.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

DEFAULT_REVIEW_DAYS = 28
LOCAL_TIMEZONE = ZoneInfo("Europe/London")


def _aware(moment: datetime) -> datetime:
    """SQLite hands back stored times without their zone; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def review_due(received_at: datetime) -> datetime:
    """The team reviews a referral within four weeks of receiving it (same time of day, in England)."""
    settings = current_app.config.get("PORTAL_SETTINGS")
    days = settings.review_days if settings else DEFAULT_REVIEW_DAYS
    local = _aware(received_at).astimezone(LOCAL_TIMEZONE)
    return (local + timedelta(days=days)).astimezone(UTC)


def draft_expiry(now: datetime) -> datetime:
    """Answers in progress are kept this long after the last change."""
    return now + timedelta(seconds=current_app.config["PORTAL_SETTINGS"].draft_timeout_seconds)


def local_date(moment: datetime) -> date:
    """The calendar date in England: a referral at 00:30 BST on 2 June was received on 2 June."""
    return _aware(moment).astimezone(LOCAL_TIMEZONE).date()


def start_of_day(day: date) -> datetime:
    """Midnight in England at the start of `day`, in UTC (for queries)."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TIMEZONE).astimezone(UTC)


def days_left(due_at: datetime, now: datetime) -> int:
    """Whole days until the due date: 0 on the due day itself, negative once it has passed."""
    return (local_date(due_at) - local_date(now)).days


def overdue_before(now: datetime) -> datetime:
    """Items due before this moment are overdue: their due date is before today."""
    return start_of_day(local_date(now))


def due_by_end_of(now: datetime, days: int) -> datetime:
    """Items due before this moment fall due within `days` days, today included."""
    return start_of_day(local_date(now) + timedelta(days=days))


def met_promise(due_at: datetime, told_at: datetime | None) -> bool:
    """The person was told the outcome on or before the due date."""
    return told_at is not None and local_date(told_at) <= local_date(due_at)


# -- consent lifecycle --------------------------------------------------------

CALLBACK_DAYS = 7
SECOND_REMINDER_DAYS = 14


def reconfirmation_due(confirmed_at: datetime) -> date:
    """Consent is reconfirmed every year: due on the same calendar day a year on (28 February for 29 February)."""
    day = local_date(confirmed_at)
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def first_reminder_on(due_on: date, window_days: int) -> date:
    """The first reminder goes this many days before the date."""
    return due_on - timedelta(days=window_days)


def second_reminder_on(due_on: date) -> date:
    """A second reminder goes two weeks before the date."""
    return due_on - timedelta(days=SECOND_REMINDER_DAYS)


def has_lapsed(due_on: date, now: datetime) -> bool:
    """Unanswered on the due date: lapsed from the day after."""
    return local_date(now) > due_on


def link_expiry(now: datetime, days: int) -> datetime:
    """A signed link works until the end of its last day in England."""
    return start_of_day(local_date(now) + timedelta(days=days + 1))


def last_day_it_works(expires_at: datetime, reconfirm_by: date | None = None) -> date:
    """The last day in England a link (or the answers it keeps) still works: the date we tell people.

    `expires_at` is the first moment it no longer works (for a link, midnight at the start of
    the day after its last), so the last day is the date of the moment before. A reconfirmation
    link also stops working once consent lapses (`has_lapsed`: from the day after `reconfirm_by`),
    so its last day is never later than `reconfirm_by`.
    """
    last = local_date(_aware(expires_at) - timedelta(microseconds=1))
    return last if reconfirm_by is None else min(last, reconfirm_by)


def removal_due(received_at: datetime) -> datetime:
    """The team confirms a request to come off the register within the same four weeks as a referral."""
    return review_due(received_at)


def callback_due(received_at: datetime) -> datetime:
    """Someone who wants to talk first is called back within a week."""
    return _aware(received_at) + timedelta(days=CALLBACK_DAYS)
