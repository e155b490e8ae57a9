"""Messages waiting to be sent, written in the same transaction as what caused them.

A message is sent (`sent_at`), waiting (neither), or undeliverable
(`undeliverable_at`): the address was refused for good, so retrying would only
hide from the team that the person was not reached.

Who it is to, its subject and its body are sealed like every other personal
detail (an address beside "Please reconfirm: Dynamic Support Register" says
who is on the register), and erased once the message is sent or given up on:
the outbox holds them only while it needs them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, reconstructor

from portal.models.base import Base, utcnow
from portal.services import crypto


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    purpose: Mapped[str] = mapped_column(String(32))
    # {"to": …, "subject": …, "body": …}, sealed; None once sent or undeliverable.
    content_sealed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    undeliverable_at: Mapped[datetime | None] = mapped_column(index=True)
    # The referral a message is about: the team is told when an email to the person could not be delivered.
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"))

    def __init__(self, *, to_address: str, subject: str, body: str, **columns: Any) -> None:
        super().__init__(**columns)
        self.content_sealed = crypto.seal({"to": to_address, "subject": subject, "body": body})
        self._opened: tuple[str | None, dict[str, str]] | None = None

    @reconstructor
    def _open_on_load(self) -> None:
        """Opened as it is read (inside the app), so a message read earlier can still be looked at."""
        self._opened = None
        _ = self.content

    @property
    def content(self) -> dict[str, str]:
        """To, subject and body; empty once erased."""
        if self._opened is None or self._opened[0] != self.content_sealed:
            opened = crypto.unseal(self.content_sealed) if self.content_sealed else {}
            self._opened = (self.content_sealed, opened)
        return self._opened[1]

    @property
    def to_address(self) -> str:
        return self.content.get("to", "")

    @property
    def subject(self) -> str:
        return self.content.get("subject", "")

    @property
    def body(self) -> str:
        return self.content.get("body", "")

    def erase_content(self) -> None:
        """Once sent or given up on, nothing about the person stays in the outbox."""
        self.content_sealed = None
