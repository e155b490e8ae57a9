"""Every deadline the service promises is computed here, and only here."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

DEFAULT_REVIEW_DAYS = 28


def review_due(received_at: datetime) -> datetime:
    """The team reviews a referral within four weeks of receiving it."""
    settings = current_app.config.get("PORTAL_SETTINGS")
    days = settings.review_days if settings else DEFAULT_REVIEW_DAYS
    return received_at + timedelta(days=days)


def draft_expiry(now: datetime) -> datetime:
    """Answers in progress are kept this long after the last change."""
    return now + timedelta(seconds=current_app.config["PORTAL_SETTINGS"].draft_timeout_seconds)
