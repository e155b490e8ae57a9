"""Reading the audit log: filtered, a page at a time, and as CSV for an admin.

Only reads live here; `services.audit.record` is the one place rows are added,
and nothing anywhere changes or removes them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, select

from portal import db
from portal.models import AuditEvent
from portal.services.exports.columns import neutralise
from portal.services.exports.selection import reading_session, uk_midnight

PAGE_SIZE = 50
CSV_BATCH = 1000
HEADINGS = ("When (UTC)", "Who", "Action", "Records", "References", "Detail", "From address")


@dataclass(frozen=True)
class AuditFilter:
    occurred_from: date | None = None
    occurred_to: date | None = None
    actor: str = ""
    action: str = ""

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.occurred_from:
            found.append(AuditEvent.occurred_at >= uk_midnight(self.occurred_from))
        if self.occurred_to:
            found.append(AuditEvent.occurred_at < uk_midnight(self.occurred_to + timedelta(days=1)))
        if self.actor:
            found.append(func.lower(AuditEvent.actor) == self.actor.strip().lower())
        if self.action:
            found.append(AuditEvent.action == self.action)
        return found


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    page: int
    pages: int
    total: int


def actions() -> list[str]:
    """Every action that has been recorded, for the filter's choices."""
    return list(db.session().scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def find_events(audit_filter: AuditFilter, page: int = 1) -> AuditPage:
    """Newest first, `PAGE_SIZE` to a page."""
    session = db.session()
    total = session.scalar(select(func.count(AuditEvent.id)).where(*audit_filter.conditions())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(*audit_filter.conditions())
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return AuditPage(events, page, pages, total)


def _cells(event: AuditEvent) -> list[str]:
    when = event.occurred_at.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    return [
        neutralise(value)
        for value in (
            when,
            event.actor,
            event.action,
            event.record_count,
            event.record_refs,
            event.detail,
            event.address,
        )
    ]


def audit_csv_chunks(audit_filter: AuditFilter) -> Iterator[str]:
    """The filtered log as RFC 4180 CSV, oldest first, read in keyset batches, with a count trailer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(HEADINGS)
    after, written = 0, 0
    while True:
        with reading_session() as session:
            batch = list(
                session.scalars(
                    select(AuditEvent)
                    .where(*audit_filter.conditions(), AuditEvent.id > after)
                    .order_by(AuditEvent.id)
                    .limit(CSV_BATCH)
                )
            )
        if not batch:
            break
        writer.writerows(_cells(event) for event in batch)
        written += len(batch)
        after = batch[-1].id
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    writer.writerow(["END OF EXPORT", f"{written} audit events"])
    yield buffer.getvalue()
