"""Which referrals an export holds, and reading them in batches so memory stays flat.

CSV and Excel read plain columns (`iter_export_rows`): no ORM objects, one
decryption per referral, so 100,000 referrals take seconds, not minutes.
Batches are read by keyset (`id > last id`, `LIMIT n`), each in its own short
transaction, rather than with one long `yield_per` cursor: on SQLite every
transaction here begins `IMMEDIATE` (it takes the write lock, see `db.py`), so
one cursor held open for a whole export would stop referrals being submitted
while it ran. The set is fixed when the export starts (ids up to the highest
at that moment), so the count written in the trailer is the count promised.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, selectinload

from portal.models import ConsentEvent, IntakeItem, Referral
from portal.services import crypto
from portal.services.records import ReferralRecord, to_record
from portal.services.references import normalise_reference

BATCH_SIZE = 500
EXPORT_BATCH_SIZE = 2000
# Rows unsealed and written together. Few enough to be freed before the garbage collector
# counts them as long-lived: at 500, full collections of the whole process (0.1 s each) cost
# more than batching saves.
WRITE_BATCH_SIZE = 100
CONSENTING = ("given", "reconfirmed")
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


class ExportRow(NamedTuple):
    """One referral as a CSV or Excel row needs it: plain columns, the latest consent, the answers unsealed."""

    reference: str
    received_at: datetime
    review_due_at: datetime
    best_interest_needed: bool
    erased: bool
    status: str | None
    outcome: str | None
    rating: str | None
    consent_at: datetime | None
    consent_given_by: str | None
    consent_wording_version: str | None
    answers: dict[str, Any]
    language: str = "en"


def _export_batch(session: Session, snapshot: Snapshot, after: int, batch_size: int) -> list[Any]:
    # Plain rows through the session's connection: the ORM's row loading was a tenth of a CSV export's time.
    return list(
        session.connection().execute(
            select(
                Referral.id,
                Referral.reference,
                Referral.received_at,
                Referral.review_due_at,
                Referral.best_interest_needed,
                Referral.answers_sealed,
                IntakeItem.status,
                IntakeItem.outcome,
                IntakeItem.rating,
                Referral.language,
            )
            .outerjoin(IntakeItem, and_(IntakeItem.referral_id == Referral.id, IntakeItem.kind == "referral"))
            .where(*snapshot.selection.conditions(), Referral.id > after, Referral.id <= snapshot.last_id)
            .order_by(Referral.id)
            .limit(batch_size)
        )
    )


def _latest_consents(session: Session, first_id: int, last_id: int) -> dict[int, tuple[Any, ...]]:
    """The last consent given or reconfirmed for each referral in an id range (what the register holds)."""
    found: dict[int, tuple[Any, ...]] = {}
    for referral_id, *consent in session.connection().execute(
        select(ConsentEvent.referral_id, ConsentEvent.occurred_at, ConsentEvent.given_by, ConsentEvent.wording_version)
        .where(ConsentEvent.referral_id.between(first_id, last_id), ConsentEvent.kind.in_(CONSENTING))
        .order_by(ConsentEvent.referral_id, ConsentEvent.occurred_at, ConsentEvent.id)
    ):
        found[referral_id] = tuple(consent)
    return found


def iter_export_rows(snapshot: Snapshot, batch_size: int = EXPORT_BATCH_SIZE) -> Iterator[ExportRow]:
    """Every referral in the snapshot as plain values, oldest first."""
    return itertools.chain.from_iterable(iter_export_batches(snapshot, batch_size))


def iter_export_batches(snapshot: Snapshot, batch_size: int = EXPORT_BATCH_SIZE) -> Iterator[list[ExportRow]]:
    """The referrals in the snapshot, oldest first, each unsealed once, `WRITE_BATCH_SIZE` at a time.

    Read `batch_size` at a time, then handed on in smaller groups, each unsealed before it
    is written: every step runs over many rows at once, faster than row by row. If one
    cannot be opened, the rows before it come first, then the error: an export still
    holds everything up to the failure.
    """
    after, no_consent = 0, (None, None, None)
    unseal = crypto.unsealer()
    while True:
        with reading_session() as session:  # closed after each batch: no lock held between batches
            batch = _export_batch(session, snapshot, after, batch_size)
            consents = _latest_consents(session, batch[0][0], batch[-1][0]) if batch else {}
        if not batch:
            return
        for start in range(0, len(batch), WRITE_BATCH_SIZE):
            rows: list[ExportRow] = []
            try:
                for row_id, reference, received, review_due, best_interest, sealed, *item, language in batch[
                    start : start + WRITE_BATCH_SIZE
                ]:
                    answers = unseal(sealed) if sealed is not None else {}
                    plain = (reference, received, review_due, best_interest, sealed is None, *item)
                    rows.append(ExportRow(*plain, *consents.get(row_id, no_consent), answers, language))
            except Exception:
                yield rows  # the rows before the one that failed
                raise
            yield rows
        after = batch[-1][0]
