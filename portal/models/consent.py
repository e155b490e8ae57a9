"""Signed links and consent reminders: the server-side half of every emailed or posted link.

A link's token carries only `link_id`, a random string; everything the link
may do is written here, so a link can be used up, superseded, locked or
expired by changing a row, and nothing personal ever travels in a URL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base, utcnow


class SignedLink(Base):
    """One link: its purpose (reconfirm, withdraw, save_return), what it is for, and whether it still works."""

    __tablename__ = "signed_links"
    __table_args__ = (Index("ix_signed_links_live", "purpose", "referral_id", "draft_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[str] = mapped_column(String(64), unique=True)
    short_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"))
    draft_id: Mapped[str | None] = mapped_column(String(64))
    consent_version: Mapped[int] = mapped_column(default=0)
    addressed_to: Mapped[str] = mapped_column(String(16), default="person")
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    superseded_at: Mapped[datetime | None]
    date_of_birth_failures: Mapped[int] = mapped_column(default=0)
    locked_at: Mapped[datetime | None]
    # SHA-256 of the answering browser's session value: only it may see the answer again.
    answered_by: Mapped[str | None] = mapped_column(String(64))


class ConsentReminder(Base):
    """One step of the yearly reconfirmation for one due date, done at most once.

    Kinds: `first` (30 days before), `second` (14 days before), `lapsed`,
    `turned_16`, and `answer_keep` / `answer_remove` / `answer_talk` (an answer
    given by link, confirmed by letter when the person prefers post). The unique constraint is what makes `consent send-reminders`
    safe to run twice in a day, or from two machines at once.
    """

    __tablename__ = "consent_reminders"
    __table_args__ = (UniqueConstraint("referral_id", "due_on", "kind", name="uq_consent_reminders_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[date]
    done_on: Mapped[date] = mapped_column(index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("signed_links.id"))
    by_email: Mapped[bool] = mapped_column(default=False)
    by_letter: Mapped[bool] = mapped_column(default=False)
    addressed_to: Mapped[str] = mapped_column(String(16), default="person")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
