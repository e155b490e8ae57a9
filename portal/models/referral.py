"""A referral, its consent history, its place in the team's intake queue, and drafts.

Personal answers are stored only sealed (encrypted, see `services.crypto`):
the columns in clear say nothing about who the person is.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models.base import Base, utcnow


class Draft(Base):
    """Answers of a journey in progress, kept server-side under a random id."""

    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    journey: Mapped[str] = mapped_column(String(32))
    answers_sealed: Mapped[str] = mapped_column(Text)
    submission_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16), default="web", server_default="web")
    entered_by: Mapped[str | None] = mapped_column(String(254))
    # The person's language when the draft started (`portal.i18n`): their save-and-return email is in it.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class Referral(Base):
    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    submission_id: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(16), default="web")
    submitted_by: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8), default="en")
    reading_mode: Mapped[str] = mapped_column(String(16), default="plain")
    best_interest_needed: Mapped[bool] = mapped_column(default=False)
    answers_sealed: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    review_due_at: Mapped[datetime]
    erased_at: Mapped[datetime | None]
    # Bumped by every change to consent, so links issued before the change stop working.
    consent_version: Mapped[int] = mapped_column(default=0, server_default="0")

    consent_events: Mapped[list[ConsentEvent]] = relationship(
        back_populates="referral", order_by="ConsentEvent.occurred_at"
    )
    # The referral's own queue item; removal, call-back and other items for the person point here too.
    intake_item: Mapped[IntakeItem | None] = relationship(
        primaryjoin="and_(Referral.id == foreign(IntakeItem.referral_id), IntakeItem.kind == 'referral')",
        uselist=False,
        viewonly=True,
    )


class ConsentEvent(Base):
    """One step in a person's consent history: given, reconfirmed, withdrawn or lapsed."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    given_by: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    wording_version: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="consent_events")


class IntakeItem(Base):
    """Something the DSR team must act on, with its review due date.

    Kinds: `referral`, and (consent lifecycle) `removal`, `callback`, `lapsed`,
    `link_locked`, `turned_16`. `details_sealed` holds what a non-referral item
    says (e.g. a removal request's name and contact), sealed like a referral's
    answers. One referral has one `referral` item and any number of others;
    `reference` names the person's referral in clear for every kind (it says
    no more than the referral's own reference does), so the queue needs no join.
    """

    __tablename__ = "intake_items"
    __table_args__ = (
        Index("ix_intake_items_status_due", "status", "due_at"),
        Index(
            "uq_intake_items_referral_item",
            "referral_id",
            unique=True,
            sqlite_where=text("kind = 'referral'"),
            postgresql_where=text("kind = 'referral'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id"), index=True)
    reference: Mapped[str | None] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(24), default="new")
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(254))
    claimed_at: Mapped[datetime | None]
    details_sealed: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(24))
    rating: Mapped[str | None] = mapped_column(String(8))
    outcome_reason_sealed: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[datetime | None]
    communicated_at: Mapped[datetime | None]
    communicated_by: Mapped[str | None] = mapped_column(String(24))
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    referral: Mapped[Referral | None] = relationship()
