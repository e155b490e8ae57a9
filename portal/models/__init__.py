"""The portal's tables, in SQLAlchemy 2.0 typed style. Timestamps are UTC."""

from portal.models.base import Base, utcnow
from portal.models.consent import ConsentReminder, SignedLink
from portal.models.outbox import OutboxMessage
from portal.models.referral import ConsentEvent, Draft, IntakeItem, Referral
from portal.models.staff import AuditEvent, IntakeNote, PortalSetting, RecoveryCode, StaffSession, StaffUser

__all__ = [
    "AuditEvent",
    "Base",
    "ConsentEvent",
    "ConsentReminder",
    "Draft",
    "IntakeItem",
    "IntakeNote",
    "OutboxMessage",
    "PortalSetting",
    "RecoveryCode",
    "Referral",
    "SignedLink",
    "StaffSession",
    "StaffUser",
    "utcnow",
]
