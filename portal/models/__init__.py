"""The portal's tables, in SQLAlchemy 2.0 typed style. Timestamps are UTC."""

from portal.models.base import Base, utcnow
from portal.models.outbox import OutboxMessage
from portal.models.referral import ConsentEvent, Draft, IntakeItem, Referral

__all__ = ["Base", "ConsentEvent", "Draft", "IntakeItem", "OutboxMessage", "Referral", "utcnow"]
