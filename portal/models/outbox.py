"""Messages waiting to be sent, written in the same transaction as what caused them.

A message is sent (`sent_at`), waiting (neither), or undeliverable
(`undeliverable_at`): the address was refused for good, so retrying would only
hide from the team that the person was not reached.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    purpose: Mapped[str] = mapped_column(String(32))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    undeliverable_at: Mapped[datetime | None] = mapped_column(index=True)
    # The referral an email to a person is about, so the team can be told when it could not be delivered.
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"))
