"""Which referrals an export holds, and reading them in batches so memory stays flat.

Batches are read by keyset (`id > last id`, `LIMIT n`), each in its own short
transaction, rather than with one long `yield_per` cursor: on SQLite every
transaction here begins `IMMEDIATE` (it takes the write lock, see `db.py`), so
one cursor held open for a whole export would stop referrals being submitted
while it ran. The set is fixed when the export starts (ids up to the highest
at that moment), so the count written in the trailer is the count promised.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from portal.models import Referral
from portal.services.records import ReferralRecord, to_record
from portal.services.references import normalise_reference

BATCH_SIZE = 500
MAX_REFERENCES = 5000
UK = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Selection:
    """Either references the team ticked or pasted, or a range of received dates (UK, inclusive)."""

    references: tuple[str, ...] = ()
    received_from: date | None = None
    received_to: date | None = None

    @classmethod
    def of_references(cls, raw: list[str] | tuple[str, ...]) -> Selection:
        """Normalised, de-duplicated references; anything that is not one is dropped."""
        found = (normalise_reference(text) for text in raw)
        return cls(references=tuple(dict.fromkeys(ref for ref in found if ref))[:MAX_REFERENCES])

    def describe(self) -> str:
        """For the audit row: what was asked for, never who."""
        if self.references:
            return f"{len(self.references)} references"
        return f"received {self.received_from or 'any'} to {self.received_to or 'any'}"

    def conditions(self) -> list[ColumnElement[bool]]:
        if self.references:
            return [Referral.reference.in_(self.references)]
        conditions = []
        if self.received_from is not None:
            conditions.append(Referral.received_at >= uk_midnight(self.received_from))
        if self.received_to is not None:
            conditions.append(Referral.received_at < uk_midnight(self.received_to + timedelta(days=1)))
        return conditions


def uk_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), UK).astimezone(ZoneInfo("UTC"))


@dataclass(frozen=True)
class Snapshot:
    """The selection fixed at a moment: how many referrals, and the highest id among them."""

    selection: Selection
    count: int
    last_id: int

    @property
    def references_note(self) -> str:
        return self.selection.describe()


def reading_session() -> Session:
    """A session of its own, closed after each read: the request's session (and the signed-in
    staff member loaded in it) is left alone, and no transaction outlives one batch."""
    return current_app.extensions["sessionmaker"]()


def take_snapshot(selection: Selection) -> Snapshot:
    with reading_session() as session:
        count, last_id = session.execute(
            select(func.count(Referral.id), func.coalesce(func.max(Referral.id), 0)).where(*selection.conditions())
        ).one()
    return Snapshot(selection, int(count), int(last_id))


def referral_references(snapshot: Snapshot) -> list[str]:
    """Every reference in the snapshot, for the audit row (references only: 16 bytes each)."""
    with reading_session() as session:
        return list(
            session.scalars(
                select(Referral.reference)
                .where(*snapshot.selection.conditions(), Referral.id <= snapshot.last_id)
                .order_by(Referral.id)
            )
        )


def iter_records(snapshot: Snapshot, batch_size: int = BATCH_SIZE) -> Iterator[ReferralRecord]:
    """Every referral in the snapshot, oldest first, one decryption each, `batch_size` in memory at a time."""
    after = 0
    while True:
        with reading_session() as session:  # closed after each batch: no lock held, objects let go
            batch = list(
                session.scalars(
                    select(Referral)
                    .where(*snapshot.selection.conditions(), Referral.id > after, Referral.id <= snapshot.last_id)
                    .order_by(Referral.id)
                    .limit(batch_size)
                    .options(selectinload(Referral.consent_events), selectinload(Referral.intake_item))
                )
            )
        if not batch:
            return
        for referral in batch:  # consents and queue item are loaded: nothing more is read
            yield to_record(referral)  # one decryption each, as it is written
        after = batch[-1].id
