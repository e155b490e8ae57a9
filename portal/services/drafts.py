"""Answers in progress, kept server-side and sealed, under a random id.

The browser holds only that id (in the signed session cookie), so the cookie
carries no personal data, and a refresh, the back button or a long pause
loses nothing until the draft expires.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update

from portal import db, i18n
from portal.models import Draft, utcnow
from portal.services import crypto
from portal.services.due_dates import draft_expiry


def _as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def find_draft(draft_id: str | None) -> Draft | None:
    """The live draft with this id, or None if there is none or it has expired."""
    if not draft_id or len(draft_id) > 64:
        return None
    draft = db.session().get(Draft, draft_id)
    if draft is None or _as_utc(draft.expires_at) <= utcnow():
        return None
    return draft


@dataclass(frozen=True)
class DraftSeen:
    """A draft as a page that only shows it reads it: frozen, so no change to it can be lost unsaved."""

    id: str
    journey: str
    answers_sealed: str
    submission_id: str
    channel: str
    entered_by: str | None
    language: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime


# Built once, on the table's own columns: the ORM's annotated columns cost more to build and to match to the result.
_READ_DRAFT = select(*(Draft.__table__.c[name] for name in DraftSeen.__dataclass_fields__)).where(
    Draft.__table__.c.id == bindparam("draft_id")
)


def read_draft(draft_id: str | None) -> DraftSeen | None:
    """The live draft with this id, for a page that only shows it (GET): one primary-key read, no write lock.

    `find_draft` loads it into the session inside a write transaction, which a page
    that saves needs; a page that only shows answers would otherwise hold SQLite's
    write lock while it renders, and every other person's page would wait for it.
    """
    if not draft_id or len(draft_id) > 64:
        return None
    with db.reading() as conn:
        row = conn.execute(_READ_DRAFT, {"draft_id": draft_id}).one_or_none()
    if row is None or _as_utc(row.expires_at) <= utcnow():
        return None
    return DraftSeen(*row)


def start_draft(
    journey: str, channel: str = "web", entered_by: str | None = None, language: str | None = None
) -> Draft:
    """A new draft; the team starts one with the channel a referral arrived by and the person's language.

    A public draft is in the page's language; the team's pages are always English, so a
    keyed draft is given the person's language instead.
    """
    now = utcnow()
    draft = Draft(
        id=secrets.token_urlsafe(32),
        journey=journey,
        channel=channel,
        entered_by=entered_by,
        language=language or i18n.current(),
        answers_sealed=crypto.seal({}),
        submission_id=secrets.token_urlsafe(24),
        created_at=now,
        updated_at=now,
        expires_at=draft_expiry(now),
    )
    db.session().add(draft)
    return draft


def answers_of(draft: Draft | DraftSeen | None) -> dict[str, Any]:
    return crypto.unseal(draft.answers_sealed) if draft else {}


def note_language(draft: Draft) -> None:
    """A person who changed language on the way is written to in the one they use now.

    A draft the team keyed in keeps the language the team chose for the person: the
    team member's own pages are no guide to it.
    """
    if draft.entered_by is None:
        draft.language = i18n.current()


_DRAFTS = Draft.__table__
_DRAFT_TO_SAVE = (
    select(_DRAFTS.c.answers_sealed, _DRAFTS.c.expires_at, _DRAFTS.c.entered_by)
    .where(_DRAFTS.c.id == bindparam("draft_id"))
    .with_for_update()
)


# Built once: constructing an UPDATE and finding it in SQLAlchemy's cache cost more than a tenth of a page save.
_SAVE = (
    update(_DRAFTS)
    .where(_DRAFTS.c.id == bindparam("draft_id"))
    .values(answers_sealed=bindparam("sealed"), updated_at=bindparam("now"), expires_at=bindparam("expires_at"))
)
_SAVE_WITH_LANGUAGE = _SAVE.values(language=bindparam("language"))


def add_answers(draft_id: str, page_answers: dict[str, Any]) -> dict[str, Any] | None:
    """One page's answers added to the draft as it is now; all the answers so far, or None if it has ended.

    A page is saved fifteen times a referral: one short transaction in SQLAlchemy Core, as the
    ORM's loading, tracking and flushing of the row cost more than the write. The row is locked
    between reading and writing (SQLite's write lock, `FOR UPDATE` on PostgreSQL), so answers
    saved meanwhile from another tab are kept, and a draft sent or expired meanwhile stays ended.
    """
    now = utcnow()
    # A page save lost in a power cut is a page to type again; the referral itself is always synced.
    with db.writing(durable=False) as conn:
        row = conn.execute(_DRAFT_TO_SAVE, {"draft_id": draft_id}).one_or_none()
        if row is None or _as_utc(row.expires_at) <= now:
            return None
        answers = {**crypto.unseal(row.answers_sealed), **page_answers}
        values: dict[str, Any] = {
            "draft_id": draft_id,
            "sealed": crypto.seal(answers),
            "now": now,
            "expires_at": draft_expiry(now),
        }
        if row.entered_by is None:  # as `note_language`: the team's own pages are no guide to the person's language
            conn.execute(_SAVE_WITH_LANGUAGE, {**values, "language": i18n.current()})
        else:
            conn.execute(_SAVE, values)
    return answers


def save_answers(draft: Draft, answers: dict[str, Any]) -> None:
    now = utcnow()
    note_language(draft)
    draft.answers_sealed = crypto.seal(answers)
    draft.updated_at = now
    draft.expires_at = draft_expiry(now)


def extend(draft: Draft) -> datetime:
    """Keep the answers for another full period (the timeout warning's "continue")."""
    draft.expires_at = draft_expiry(utcnow())
    return draft.expires_at


def purge_expired() -> int:
    """Delete drafts past their expiry; returns how many."""
    result = db.session().execute(delete(Draft).where(Draft.expires_at <= utcnow()))
    return result.rowcount or 0
