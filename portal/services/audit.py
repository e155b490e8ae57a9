"""The audit trail: one row for every sign-in, view, download, export and change.

Rows are only ever inserted: nothing in the application updates or deletes
them, and retention never purges them. Rows name references, never a person.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import g, has_request_context, request

from portal import db
from portal.models import AuditEvent


def _actor() -> str:
    staff = g.get("staff_user") if has_request_context() else None
    return staff.email if staff is not None else "system"


def record(action: str, references: Iterable[str] = (), detail: str = "", actor: str | None = None) -> AuditEvent:
    """Add an audit row in the current transaction (the caller's unit of work commits it)."""
    refs = list(references)
    event = AuditEvent(
        actor=actor or _actor(),
        action=action,
        record_refs=",".join(refs),  # every one: an export of 100,000 says which 100,000
        record_count=len(refs),
        detail=detail[:500],
        address=(request.remote_addr or "")[:64] if has_request_context() else "",
    )
    db.session().add(event)
    return event
