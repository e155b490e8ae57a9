"""What the database holds after the storm, read with plain SQL from outside the portal's processes."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import create_engine, text

from tests.support.smtp import ReceivedMail

SUBJECT_REFERENCE = re.compile(r"New DSR referral (\S+)$")


@dataclass(frozen=True)
class Stored:
    """Each referral's reference and submission id, and how many of each part belongs to it."""

    submission_by_reference: dict[str, str]
    consent_events: Counter[str]
    intake_items: Counter[str]
    team_emails: Counter[str]
    orphans: dict[str, int]
    unsent: int

    def half_written(self) -> list[str]:
        """References missing a part, or with a part twice: a submission is all of them, once."""
        return sorted(
            reference
            for reference in self.submission_by_reference
            if (self.consent_events[reference], self.intake_items[reference], self.team_emails[reference]) != (1, 1, 1)
        )


def read(database_url: str) -> Stored:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT reference, submission_id FROM referrals")).all()

            def per_reference(sql: str) -> Counter[str]:
                return Counter(reference for (reference,) in connection.execute(text(sql)))

            consent = per_reference(
                "SELECT r.reference FROM consent_events c JOIN referrals r ON r.id = c.referral_id"
                " WHERE c.kind = 'given'"
            )
            intake = per_reference(
                "SELECT r.reference FROM intake_items i JOIN referrals r ON r.id = i.referral_id"
                " WHERE i.kind = 'referral'"
            )
            emails = per_reference(
                "SELECT r.reference FROM outbox_messages o JOIN referrals r ON r.id = o.referral_id"
                " WHERE o.purpose = 'new_referral'"
            )
            orphans = {
                "consent events": connection.scalar(
                    text("SELECT count(*) FROM consent_events WHERE referral_id NOT IN (SELECT id FROM referrals)")
                ),
                "intake items": connection.scalar(
                    text(
                        "SELECT count(*) FROM intake_items WHERE kind = 'referral'"
                        " AND (referral_id IS NULL OR referral_id NOT IN (SELECT id FROM referrals))"
                    )
                ),
                "team emails": connection.scalar(
                    text(
                        "SELECT count(*) FROM outbox_messages WHERE purpose = 'new_referral'"
                        " AND (referral_id IS NULL OR referral_id NOT IN (SELECT id FROM referrals))"
                    )
                ),
            }
            unsent = connection.scalar(text("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"))
    finally:
        engine.dispose()
    submissions = {reference: submission for reference, submission in rows}
    return Stored(submissions, consent, intake, emails, orphans, unsent or 0)


def sqlite_integrity(database_url: str) -> str:
    """`PRAGMA integrity_check` on a SQLite file: `ok`, or what is broken."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return "; ".join(connection.execute(text("PRAGMA integrity_check")).scalars())
    finally:
        engine.dispose()


def by_message_id(received: list[ReceivedMail]) -> Counter[str]:
    """How many times each email arrived, by its `Message-ID` (stable across attempts)."""
    return Counter(str(mail.message["Message-ID"]) for mail in received)


def references_in(received: list[ReceivedMail]) -> set[str]:
    """The references named in the team's "new referral" emails."""
    found = (SUBJECT_REFERENCE.search(str(mail.message["Subject"])) for mail in received)
    return {match.group(1) for match in found if match}
