"""A referral as the team reads it: answers in words, consent history, queue state.

One read model for the record page, the PDF, the CSV/Excel rows and the FHIR
bundle, so they can never disagree about what a person said.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forms.answers import AnswerRow, answer_sections
from forms.journey import Journey
from forms.referral import STEPS
from portal import db
from portal.models import ConsentEvent, IntakeItem, Referral
from portal.services import consent, crypto


@dataclass(frozen=True)
class ReferralRecord:
    referral: Referral
    item: IntakeItem | None
    answers: dict[str, Any]
    consent_events: list[ConsentEvent]

    @property
    def reference(self) -> str:
        return self.referral.reference

    @property
    def received_at(self) -> datetime:
        return self.referral.received_at

    @property
    def awaiting_best_interest_decision(self) -> bool:
        """The referrer said one may be needed, and nobody has consented or decided since."""
        return consent.state_of(self.referral).given_by == "best_interest_needed"

    @property
    def erased(self) -> bool:
        return self.referral.answers_sealed is None

    def sections(self) -> list[tuple[str, list[AnswerRow]]]:
        """Every answer in words, page by page, as the person saw the questions."""
        return answer_sections(Journey(STEPS, self.answers)) if not self.erased else []


def to_record(referral: Referral) -> ReferralRecord:
    answers = crypto.unseal(referral.answers_sealed) if referral.answers_sealed else {}
    return ReferralRecord(referral, referral.intake_item, answers, list(referral.consent_events))


def find_record(reference: str) -> ReferralRecord | None:
    """The record for a reference, or None. The caller audits the read."""
    referral = db.session().scalar(
        select(Referral)
        .where(Referral.reference == reference)
        .options(selectinload(Referral.consent_events), selectinload(Referral.intake_item))
    )
    return to_record(referral) if referral is not None else None
