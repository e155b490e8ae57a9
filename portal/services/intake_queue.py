"""The DSR team's intake queue: what needs the team, in due-date order, and who has it.

The list shows no personal data, so it decrypts nothing: it selects only the
columns it shows, filters and sorts on the `(status, due_at)` index, and
counts without the join. Claiming is one conditional UPDATE, so when two
people claim at once exactly one wins and the other is told who has it.
Nothing here commits: the caller's `unit_of_work()` does, with the audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, case, func, select, update

from portal import db
from portal.models import IntakeItem, IntakeNote, Referral, utcnow
from portal.services import audit, crypto, due_dates

PAGE_SIZE = 25
STATUSES = ("new", "in_review", "waiting_for_information", "accepted", "not_eligible", "closed")
OPEN_STATUSES = STATUSES[:-1]
AWAITING_DECISION = ("new", "in_review", "waiting_for_information")
OUTCOME_STATUS = {"accepted": "accepted", "not_eligible": "not_eligible", "more_information": "waiting_for_information"}
RATINGS = ("red", "amber", "green", "blue")
TOLD_BY = ("letter", "phone", "email", "in_person")
CLAIM_NEXT_ATTEMPTS = 5


@dataclass(frozen=True)
class QueueFilters:
    """What the team asked to see; empty means "everything open"."""

    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    overdue: bool = False
    reference: str = ""
    page: int = 1


@dataclass(frozen=True)
class QueueRow:
    item_id: int
    reference: str | None
    kind: str
    status: str
    received_at: datetime
    due_at: datetime
    claimed_by: str | None
    told_at: datetime | None
    days_left: int
    overdue: bool

    @property
    def done(self) -> bool:
        """The promise is kept (or no longer applies): the person was told, or the item is closed."""
        return self.told_at is not None or self.status == "closed"


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class ClaimResult:
    """Whether this person now has the item, and who has it either way."""

    claimed: bool
    holder: str | None


@dataclass(frozen=True)
class Note:
    author: str
    created_at: datetime
    text: str


def overdue_conditions(now: datetime) -> tuple[Any, ...]:
    """Past its due date and the person not yet told: the four-week promise is broken."""
    return (
        IntakeItem.status.in_(OPEN_STATUSES),
        IntakeItem.due_at < due_dates.overdue_before(now),
        IntakeItem.communicated_at.is_(None),
    )


class IntakeQueue:
    """The queue as the team works it, at one moment in time (`now`, for testable arithmetic)."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or utcnow()
        self.session = db.session()

    # -- the list -------------------------------------------------------------

    def _where(self, filters: QueueFilters) -> list[Any]:
        if filters.reference:
            return [Referral.reference == filters.reference]
        statuses = [s for s in filters.statuses if s in STATUSES] or list(OPEN_STATUSES)
        conditions: list[Any] = [IntakeItem.status.in_(statuses)]
        if filters.kinds:
            conditions.append(IntakeItem.kind.in_(filters.kinds))
        if filters.overdue:
            conditions.extend(overdue_conditions(self.now))
        return conditions

    def count(self, filters: QueueFilters) -> int:
        """How many items match; the join to referrals only when searching by reference."""
        query: Select[Any] = select(func.count()).select_from(IntakeItem)
        if filters.reference:
            query = query.join(Referral, Referral.id == IntakeItem.referral_id)
        return self.session.scalar(query.where(*self._where(filters))) or 0

    def page(self, filters: QueueFilters) -> QueuePage:
        """One page of the queue, most urgent first."""
        total = self.count(filters)
        pages = max(1, -(-total // PAGE_SIZE))
        number = min(max(filters.page, 1), pages)
        query = (
            select(
                IntakeItem.id,
                Referral.reference,
                IntakeItem.kind,
                IntakeItem.status,
                IntakeItem.received_at,
                IntakeItem.due_at,
                IntakeItem.claimed_by,
                IntakeItem.communicated_at,
            )
            .outerjoin(Referral, Referral.id == IntakeItem.referral_id)
            .where(*self._where(filters))
            .order_by(IntakeItem.due_at, IntakeItem.id)
            .limit(PAGE_SIZE)
            .offset((number - 1) * PAGE_SIZE)
        )
        return QueuePage([self._row(*found) for found in self.session.execute(query)], total, number, pages)

    def _row(self, item_id: int, reference: str | None, kind: str, status: str, *rest: Any) -> QueueRow:
        received_at, due_at, claimed_by, told_at = rest
        left = due_dates.days_left(due_at, self.now)
        overdue = left < 0 and told_at is None and status != "closed"
        return QueueRow(item_id, reference, kind, status, received_at, due_at, claimed_by, told_at, left, overdue)

    def row_for(self, reference: str) -> QueueRow | None:
        page = self.page(QueueFilters(reference=reference))
        return page.rows[0] if page.rows else None

    # -- claiming -------------------------------------------------------------

    def claim(self, item_id: int, staff: str) -> ClaimResult:
        """Claim an item if nobody has it: one conditional UPDATE, exactly one row changed or none."""
        changed = self.session.execute(
            update(IntakeItem)
            .where(IntakeItem.id == item_id, IntakeItem.claimed_by.is_(None))
            .values(
                claimed_by=staff,
                claimed_at=self.now,
                updated_at=self.now,
                status=case((IntakeItem.status == "new", "in_review"), else_=IntakeItem.status),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed == 1:
            audit.record("claim_item", self._references(item_id), actor=staff)
            return ClaimResult(True, staff)
        holder = self.session.scalar(select(IntakeItem.claimed_by).where(IntakeItem.id == item_id))
        return ClaimResult(holder == staff, holder)

    def claim_next(self, staff: str) -> str | None:
        """Claim the most urgent unclaimed item; returns its reference, or None when none is left.

        PostgreSQL locks the candidate and skips rows others have locked, so
        people asking at once get different items; on SQLite the transaction
        holds the write lock (`BEGIN IMMEDIATE`). Either way the claim repeats
        the "unclaimed" test, so an item is never handed to two people.
        """
        for _attempt in range(CLAIM_NEXT_ATTEMPTS):
            candidate = (
                select(IntakeItem.id)
                .where(IntakeItem.status.in_(AWAITING_DECISION), IntakeItem.claimed_by.is_(None))
                .order_by(IntakeItem.due_at, IntakeItem.id)
                .limit(1)
            )
            if self.session.get_bind().dialect.name == "postgresql":
                candidate = candidate.with_for_update(skip_locked=True)
            item_id = self.session.scalar(candidate)
            if item_id is None:
                return None
            if self.claim(item_id, staff).claimed:
                references = self._references(item_id)
                return references[0] if references else None
        return None

    def release(self, item_id: int, staff: str, *, anyone: bool = False) -> bool:
        """Give an item back; only its holder may, unless `anyone` (an admin freeing a colleague's)."""
        holder = IntakeItem.claimed_by.is_not(None) if anyone else IntakeItem.claimed_by == staff
        changed = self.session.execute(
            update(IntakeItem)
            .where(IntakeItem.id == item_id, holder)
            .values(claimed_by=None, claimed_at=None, updated_at=self.now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed == 1:
            audit.record("release_item", self._references(item_id), actor=staff)
        return changed == 1

    def _references(self, item_id: int) -> list[str]:
        reference = self.session.scalar(
            select(Referral.reference)
            .join(IntakeItem, IntakeItem.referral_id == Referral.id)
            .where(IntakeItem.id == item_id)
        )
        return [reference] if reference else []

    # -- changes on the record page ------------------------------------------

    def set_status(self, item: IntakeItem, status: str, staff: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        before = item.status
        item.status = status
        item.closed_at = self.now if status == "closed" else None
        item.updated_at = self.now
        audit.record("change_status", self._references(item.id), f"{before} -> {status}", actor=staff)

    def record_outcome(self, item: IntakeItem, outcome: str, staff: str, rating: str = "", reason: str = "") -> None:
        """Accepted with a rating, not eligible with a reason, or more information needed."""
        if outcome not in OUTCOME_STATUS or (outcome == "accepted" and rating not in RATINGS):
            raise ValueError("an outcome needs a known value, and acceptance a rating")
        item.outcome = outcome
        item.status = OUTCOME_STATUS[outcome]
        item.rating = rating if outcome == "accepted" else None
        item.outcome_reason_sealed = crypto.seal({"reason": reason}) if outcome == "not_eligible" else None
        item.outcome_at = self.now
        item.closed_at = None
        item.updated_at = self.now
        detail = f"{outcome} {item.rating}" if item.rating else outcome
        audit.record("record_outcome", self._references(item.id), detail, actor=staff)

    def record_told(self, item: IntakeItem, told_on: date, told_by: str, staff: str) -> None:
        """The date and the way the person was told the outcome."""
        if told_by not in TOLD_BY:
            raise ValueError(f"unknown way of telling {told_by!r}")
        item.communicated_at = due_dates.start_of_day(told_on)
        item.communicated_by = told_by
        item.updated_at = self.now
        audit.record("record_told", self._references(item.id), f"{told_on.isoformat()} {told_by}", actor=staff)

    def add_note(self, item: IntakeItem, text: str, staff: str) -> None:
        """Notes are sealed like the answers: they may say as much about the person."""
        self.session.add(IntakeNote(item_id=item.id, author=staff, text_sealed=crypto.seal({"text": text})))
        item.updated_at = self.now
        audit.record("add_note", self._references(item.id), actor=staff)

    def notes(self, item: IntakeItem) -> list[Note]:
        found = self.session.scalars(
            select(IntakeNote).where(IntakeNote.item_id == item.id).order_by(IntakeNote.created_at, IntakeNote.id)
        )
        return [
            Note(note.author, note.created_at, crypto.unseal(note.text_sealed)["text"] if note.text_sealed else "")
            for note in found
        ]

    @staticmethod
    def outcome_reason(item: IntakeItem) -> str:
        return crypto.unseal(item.outcome_reason_sealed)["reason"] if item.outcome_reason_sealed else ""
