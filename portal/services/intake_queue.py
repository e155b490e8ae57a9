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

from sqlalchemy import Select, case, func, or_, select, update

from forms.consent import QUESTIONS as CONSENT_QUESTIONS
from forms.consent import wording_version
from forms.withdrawal import reconfirm_wording_version
from portal import db
from portal.models import IntakeItem, IntakeNote, Referral, utcnow
from portal.services import audit, consent, crypto, due_dates

PAGE_SIZE = 25
STATUSES = ("new", "in_review", "waiting_for_information", "accepted", "not_eligible", "closed")
OPEN_STATUSES = STATUSES[:-1]
AWAITING_DECISION = ("new", "in_review", "waiting_for_information")
OUTCOME_STATUS = {"accepted": "accepted", "not_eligible": "not_eligible", "more_information": "waiting_for_information"}
RATINGS = ("red", "amber", "green", "blue")
TOLD_BY = ("letter", "phone", "email", "in_person")
# Consent the team records from a call or a signed form: who gave it, and the words they were given.
TEAM_CHANNELS = ("phone", "paper")
TEAM_GIVEN_BY = {
    "person": "consent_self",
    "parental_responsibility": "consent_parental",
    # Made by the professionals under the Mental Capacity Act 2005, not by the portal: nobody agreed to words.
    "best_interest_decision": None,
}
BEST_INTEREST_WORDING = "best_interest_decision"
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
            # Both sides use an index (an OR across the join would read every item).
            of_referral = select(Referral.id).where(Referral.reference == filters.reference)
            return [or_(IntakeItem.reference == filters.reference, IntakeItem.referral_id.in_(of_referral))]
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
            query = query.outerjoin(Referral, Referral.id == IntakeItem.referral_id)
        return self.session.scalar(query.where(*self._where(filters))) or 0

    def page(self, filters: QueueFilters) -> QueuePage:
        """One page of the queue, most urgent first."""
        total = self.count(filters)
        pages = max(1, -(-total // PAGE_SIZE))
        number = min(max(filters.page, 1), pages)
        # The page's ids first, sorted from the (status, due_at) index alone, then their rows:
        # sorting whole joined rows took 100 ms at 10,000 referrals, this takes under 1 ms.
        ids = (
            select(IntakeItem.id)
            .where(*self._where(filters))
            .order_by(IntakeItem.due_at, IntakeItem.id)
            .limit(PAGE_SIZE)
            .offset((number - 1) * PAGE_SIZE)
        )
        query = self._rows_query().where(IntakeItem.id.in_(ids)).order_by(IntakeItem.due_at, IntakeItem.id)
        return QueuePage([self._row(*found) for found in self.session.execute(query)], total, number, pages)

    @staticmethod
    def _rows_query() -> Select[Any]:
        """The columns a row shows; the item's own reference, or its referral's for rows from before it had one."""
        return select(
            IntakeItem.id,
            func.coalesce(IntakeItem.reference, Referral.reference),
            IntakeItem.kind,
            IntakeItem.status,
            IntakeItem.received_at,
            IntakeItem.due_at,
            IntakeItem.claimed_by,
            IntakeItem.communicated_at,
        ).outerjoin(Referral, Referral.id == IntakeItem.referral_id)

    def _row(self, item_id: int, reference: str | None, kind: str, status: str, *rest: Any) -> QueueRow:
        received_at, due_at, claimed_by, told_at = rest
        left = due_dates.days_left(due_at, self.now)
        overdue = left < 0 and told_at is None and status != "closed"
        return QueueRow(item_id, reference, kind, status, received_at, due_at, claimed_by, told_at, left, overdue)

    def row_for(self, reference: str) -> QueueRow | None:
        """The row of a referral's own item (not its removal or call-back items)."""
        query = self._rows_query().where(Referral.reference == reference, IntakeItem.kind == "referral")
        found = self.session.execute(query.limit(1)).first()
        return self._row(*found) if found else None

    def row_for_item(self, item_id: int) -> QueueRow | None:
        found = self.session.execute(self._rows_query().where(IntakeItem.id == item_id)).first()
        return self._row(*found) if found else None

    def rows_for_person(self, reference: str) -> list[QueueRow]:
        """Every item naming this referral, oldest first: the referral, then removal, call-back…"""
        query = self._rows_query().where(or_(IntakeItem.reference == reference, Referral.reference == reference))
        return [self._row(*found) for found in self.session.execute(query.order_by(IntakeItem.received_at))]

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
        """Claim the most urgent unclaimed item; returns its reference, or None when none is left."""
        row = self.claim_next_item(staff)
        return row.reference if row is not None else None

    def claim_next_item(self, staff: str) -> QueueRow | None:
        """Claim the most urgent unclaimed item of any kind; its row, or None when none is left.

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
                return self.row_for_item(item_id)
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
        row = self.row_for_item(item_id)
        return [row.reference] if row is not None and row.reference else []

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
        """Accepted with a rating, not eligible with a reason, or more information needed.

        A different outcome from the one recorded clears when the person was told:
        they were told the old one, and the promise is to tell them this one.
        """
        if outcome not in OUTCOME_STATUS or (outcome == "accepted" and rating not in RATINGS):
            raise ValueError("an outcome needs a known value, and acceptance a rating")
        if item.outcome != outcome:
            item.communicated_at = None
            item.communicated_by = None
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

    # -- consent items: what only the team does -------------------------------

    def find_item(self, item_id: int) -> IntakeItem | None:
        return self.session.get(IntakeItem, item_id)

    def referral_of(self, item: IntakeItem) -> Referral | None:
        """The referral an item names, if the team (or the person's link) has matched it to one."""
        return self.session.get(Referral, item.referral_id) if item.referral_id else None

    @staticmethod
    def details(item: IntakeItem) -> dict[str, Any]:
        """What a removal, call-back or other consent item says, unsealed; the caller audits the read."""
        return crypto.unseal(item.details_sealed) if item.details_sealed else {}

    def _finish(self, item: IntakeItem, outcome: str) -> bool:
        """Close the item once: one conditional UPDATE, so two people finishing it at once make one decision."""
        changed = self.session.execute(
            update(IntakeItem)
            .where(IntakeItem.id == item.id, IntakeItem.status != "closed")
            .values(status="closed", closed_at=self.now, outcome=outcome, outcome_at=self.now, updated_at=self.now)
            .execution_options(synchronize_session=False)
        ).rowcount
        self.session.refresh(item)
        return changed == 1

    def removal_done(self, item: IntakeItem, referral: Referral, told_on: date, told_by: str, staff: str) -> bool:
        """Only the team removes a person: withdrawn (so every older link dies), the person told, the item closed.

        The referral's own item closes too, if it was still open: the person is off the
        register, so retention's clock starts for their details.
        False, with nothing changed, when someone else finished this request first.
        """
        if item.kind != "removal":
            raise ValueError("only a removal request can be completed as a removal")
        if not self._finish(item, "removed"):
            return False
        consent.record_event(referral, "withdrawn", "team", "team", "")
        own = referral.intake_item
        if own is not None and own.closed_at is None:
            own.status, own.closed_at, own.updated_at = "closed", self.now, self.now
        self.record_told(item, told_on, told_by, staff)
        audit.record("removal_done", [referral.reference], f"told {told_on.isoformat()} {told_by}", actor=staff)
        return True

    def record_call(self, item: IntakeItem, called_on: date, staff: str, note: str = "") -> bool:
        """The call the person asked for happened: that is telling them, so the promise is kept."""
        if not self._finish(item, "called"):
            return False
        item.communicated_at = due_dates.start_of_day(called_on)
        item.communicated_by = "phone"
        if note:
            self.add_note(item, note, staff)
        audit.record("record_call", self._references(item.id), called_on.isoformat(), actor=staff)
        return True

    def reconfirm(self, item: IntakeItem, referral: Referral, channel: str, given_by: str, staff: str) -> bool:
        """A lapsed consent reconfirmed by phone or on paper: a new reconfirmed event, and the item closed."""
        if channel not in TEAM_CHANNELS or given_by not in TEAM_GIVEN_BY:
            raise ValueError("reconfirmation needs phone or paper, and who gave it")
        if not self._finish(item, "reconfirmed"):
            return False
        consent.record_event(referral, "reconfirmed", given_by, channel, reconfirm_wording_version())
        audit.record("record_consent", [referral.reference], f"reconfirmed by {channel}", actor=staff)
        return True

    def record_consent(self, referral: Referral, given_by: str, channel: str, staff: str) -> None:
        """Consent given to the team by phone or on paper, with the same words the web form shows."""
        if channel not in TEAM_CHANNELS or given_by not in TEAM_GIVEN_BY:
            raise ValueError("consent needs phone or paper, and who gave it")
        question = TEAM_GIVEN_BY[given_by]
        words = wording_version(CONSENT_QUESTIONS[question]) if question else BEST_INTEREST_WORDING
        consent.record_event(referral, "given", given_by, channel, words)
        audit.record("record_consent", [referral.reference], f"given by {channel}", actor=staff)

    def match(self, item: IntakeItem, reference: str, staff: str) -> bool:
        """Link an item to the referral the team has matched it to; False if no referral has that reference."""
        referral_id = self.session.scalar(select(Referral.id).where(Referral.reference == reference))
        if referral_id is None:
            return False
        item.referral_id, item.reference, item.updated_at = referral_id, reference, self.now
        audit.record("match_item", [reference], f"{item.kind} item {item.id}", actor=staff)
        return True
