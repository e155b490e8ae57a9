"""What an operator needs to see at a glance: can we reach the database, is mail backing up."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal import db
from portal.services import mail

log = logging.getLogger(__name__)


def report() -> dict[str, Any]:
    """The database's state and the outbox's size; never an exception's text, which can name hosts or users."""
    try:
        db.session().execute(text("SELECT 1"))
        return {
            "database": "ok",
            "outbox_backlog": mail.backlog(),
            "outbox_failing": mail.failing(),
            "outbox_undeliverable": mail.undeliverable(),
        }
    except SQLAlchemyError as error:
        log.error("health: database unreachable (%s)", type(error).__name__)
        return {"database": "unreachable", "outbox_backlog": None, "outbox_failing": None, "outbox_undeliverable": None}
