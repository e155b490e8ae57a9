"""Retention: the portal is an intake buffer, so personal data leaves it on a schedule.

Items closed more than N days ago (default 90, set by an admin) lose every
personal detail, except a person still on the register: their referral was
accepted and their consent has not been withdrawn or lapsed, so the yearly
reconfirmation still needs their contact details; and anyone with an item
still open (a request to come off, a lapse), since the team must act on it
and tell them. Their details go once they come off (removal, withdrawal or
lapse), nothing is left open, and the item has been closed N days.
What goes: the referral's sealed answers, the item's sealed details and
outcome reason, the team's notes. A stub stays (reference, dates, kind,
outcome, rating, consent history without names) so the figures stay true.
Expired drafts are deleted. Audit rows are never touched. Running it twice
does nothing the second time, so it is safe to run daily.

On SQLite, `secure_delete` overwrites freed space with zeros and a WAL
checkpoint then copies the cleared pages into the database file, so the
erased ciphertext is gone from the files on disk, not only from query results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, false, func, not_, or_, select
from sqlalchemy.orm import aliased

from portal import db
from portal.models import ConsentEvent, IntakeItem, IntakeNote, PortalSetting, Referral, utcnow
from portal.services import audit, consent, drafts

RETENTION_KEY = "retention_days"
DEFAULT_RETENTION_DAYS = 90
MIN_RETENTION_DAYS = 1
MAX_RETENTION_DAYS = 3650


class RetentionSettingError(ValueError):
    """The number of days is outside what the portal allows."""


def retention_days() -> int:
    stored = db.session().get(PortalSetting, RETENTION_KEY)
    try:
        return int(stored.value) if stored is not None else DEFAULT_RETENTION_DAYS
    except ValueError:
        return DEFAULT_RETENTION_DAYS


def set_retention_days(days: int, changed_by: str) -> None:
    """Change the period, with an audit row saying from what to what (the caller commits)."""
    if not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        raise RetentionSettingError(f"between {MIN_RETENTION_DAYS} and {MAX_RETENTION_DAYS} days")
    before = retention_days()
    session = db.session()
    setting = session.get(PortalSetting, RETENTION_KEY)
    if setting is None:
        setting = PortalSetting(key=RETENTION_KEY, value=str(days))
        session.add(setting)
    setting.value = str(days)
    setting.updated_at = utcnow()
    setting.updated_by = changed_by
    audit.record("setting_changed", detail=f"{RETENTION_KEY}: {before} -> {days}")


@dataclass
class PurgeReport:
    days: int
    cutoff: datetime
    items: list[str] = field(default_factory=list)
    referrals: int = 0
    notes: int = 0
    drafts: int = 0

    def lines(self) -> list[str]:
        return [
            f"retention: {self.days} days (items closed before {self.cutoff:%Y-%m-%d %H:%M} UTC)",
            f"erased personal data of {len(self.items)} closed items ({self.referrals} referrals, {self.notes} notes)",
            f"deleted {self.drafts} expired drafts",
        ]


def _still_holding_data():  # type: ignore[no-untyped-def]
    """Closed items that still hold something personal (so a second run finds nothing)."""
    notes = select(IntakeNote.item_id).where(IntakeNote.text_sealed.is_not(None))
    referrals = select(Referral.id).where(Referral.answers_sealed.is_not(None))
    return or_(
        IntakeItem.details_sealed.is_not(None),
        IntakeItem.outcome_reason_sealed.is_not(None),
        and_(IntakeItem.kind == "referral", IntakeItem.referral_id.in_(referrals)),
        IntakeItem.id.in_(notes),
    )


def _on_the_register():  # type: ignore[no-untyped-def]
    """A referral's own item, accepted, whose latest consent step has not ended it (as `consent.state_of` reads)."""
    latest_step = (
        select(ConsentEvent.kind)
        .where(ConsentEvent.referral_id == IntakeItem.referral_id)
        .order_by(ConsentEvent.occurred_at.desc(), ConsentEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    on_it = and_(IntakeItem.kind == "referral", IntakeItem.outcome == "accepted", latest_step.not_in(consent.ENDING))
    return func.coalesce(on_it, false())


def _still_needed():  # type: ignore[no-untyped-def]
    """A referral's own item whose answers are still needed: the person is on the register, or another item for
    them is still open (a request to come off, a lapse) that the team must act on and tell them about.

    Any other item's own details (a call-back's times, say) go on time whatever else is open.
    """
    other = aliased(IntakeItem)
    still_open = exists().where(other.referral_id == IntakeItem.referral_id, other.closed_at.is_(None))
    return and_(IntakeItem.kind == "referral", or_(_on_the_register(), still_open))


def purge(now: datetime | None = None) -> PurgeReport:
    """Erase what retention says must go, in one transaction, audited as `system`."""
    now = now or utcnow()
    session = db.session()
    with db.unit_of_work():
        _secure_delete(session)
        report = PurgeReport(days=retention_days(), cutoff=now - timedelta(days=retention_days()))
        items = list(
            session.scalars(
                select(IntakeItem)
                .where(
                    IntakeItem.closed_at.is_not(None),
                    IntakeItem.closed_at < report.cutoff,
                    _still_holding_data(),
                    not_(_still_needed()),
                )
                .order_by(IntakeItem.id)
            )
        )
        for item in items:
            _erase_item(session, item, now, report)
        report.drafts = drafts.purge_expired()
        if items or report.drafts:
            audit.record(
                "retention_purge",
                report.items,
                detail=f"{len(report.items)} items, {report.drafts} expired drafts; {report.days} days",
                actor="system",
            )
    _checkpoint(session)
    return report


def _erase_item(session, item: IntakeItem, now: datetime, report: PurgeReport) -> None:  # type: ignore[no-untyped-def]
    item.details_sealed = None
    item.outcome_reason_sealed = None
    item.claimed_by = None
    item.updated_at = now
    for note in session.scalars(select(IntakeNote).where(IntakeNote.item_id == item.id)):
        if note.text_sealed is not None:
            note.text_sealed = None
            report.notes += 1
    referral = item.referral
    if referral is not None:
        report.items.append(referral.reference)
        # Only the referral's own item carries its answers away; a closed call-back or removal does not.
        if item.kind == "referral" and referral.answers_sealed is not None:
            referral.answers_sealed = None
            referral.erased_at = now
            report.referrals += 1
    else:
        report.items.append(f"item-{item.id}")


def _secure_delete(session) -> None:  # type: ignore[no-untyped-def]
    """Within the purge's own transaction, so it holds on the connection that does the erasing."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA secure_delete = ON")


def _checkpoint(session) -> None:  # type: ignore[no-untyped-def]
    """Copy the cleared pages into the database file and empty the WAL that held the old ones."""
    if session.get_bind().dialect.name == "sqlite":
        session.close()
        connection = db.engine().raw_connection()  # outside any transaction: a checkpoint needs that
        try:
            connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
