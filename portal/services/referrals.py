"""Submitting a referral: one transaction, once.

The referral, its consent event, its intake-queue item and the team's email
are written together or not at all. The draft's one-time submission id is
`UNIQUE` on the referral, so a double click, a replayed POST or twenty at once
store one referral and every one of them gets back the same reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from easy_read.pages import consent_page_words
from forms import consent
from forms.journey import Journey
from forms.referral import STEPS
from portal import db
from portal.models import ConsentEvent, Draft, IntakeItem, Referral, utcnow
from portal.services import audit, crypto, mail
from portal.services.due_dates import review_due
from portal.services.references import new_reference

REFERENCE_ATTEMPTS = 5


class IncompleteReferralError(ValueError):
    """The answers do not yet make a whole referral."""


@dataclass(frozen=True)
class Submitted:
    reference: str
    review_due_at: Any
    created: bool


def find_by_submission(submission_id: str) -> Referral | None:
    if not submission_id or len(submission_id) > 64:
        return None
    return db.session().scalar(select(Referral).where(Referral.submission_id == submission_id))


def _submitted(referral: Referral, created: bool) -> Submitted:
    return Submitted(referral.reference, referral.review_due_at, created)


def submit_referral(
    draft: Draft | None,
    submission_id: str,
    answers: dict[str, Any],
    *,
    reading_mode: str = "plain",
    channel: str = "web",
) -> Submitted:
    """Store the referral once; a repeat of the same submission returns the first one.

    The referral is in the draft's language, not the request's: the team keys a referral in
    on English pages for a person who may read another language.
    """
    existing = find_by_submission(submission_id)
    if existing is not None:
        return _submitted(existing, created=False)
    if draft is None or draft.submission_id != submission_id:
        raise IncompleteReferralError("no draft for this submission")
    decided = consent.decision(answers)
    if decided is None:
        raise IncompleteReferralError("consent not given")
    question_id, _answer, given_by = decided

    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            with db.unit_of_work() as session:
                referral = _write(
                    session,
                    draft,
                    submission_id,
                    answers,
                    question_id,
                    given_by,
                    reading_mode=reading_mode,
                    channel=channel,
                )
            return _submitted(referral, created=True)
        except IntegrityError:
            existing = find_by_submission(submission_id)
            if existing is not None:
                return _submitted(existing, created=False)
            # Otherwise the reference collided with another: try a new one.
    raise RuntimeError("could not allocate a unique reference")


def _write(
    session: Any,
    draft: Draft,
    submission_id: str,
    answers: dict[str, Any],
    question_id: str,
    given_by: str,
    *,
    reading_mode: str,
    channel: str,
) -> Referral:
    now = utcnow()
    due = review_due(now)
    referral = Referral(
        reference=new_reference(),
        submission_id=submission_id,
        channel=channel,
        submitted_by=answers["who"],
        language=draft.language,
        reading_mode=reading_mode,
        best_interest_needed=given_by == "best_interest_needed",
        answers_sealed=crypto.seal(answers),
        received_at=now,
        review_due_at=due,
    )
    session.add(referral)
    session.flush()
    session.add(
        ConsentEvent(
            referral_id=referral.id,
            kind="given",
            given_by=given_by,
            channel=channel,
            wording_version=consent.wording_version(
                consent.QUESTIONS[question_id], consent_page_words(question_id) if reading_mode == "easy" else ()
            ),
            occurred_at=now,
        )
    )
    session.add(
        IntakeItem(
            kind="referral",
            referral_id=referral.id,
            reference=referral.reference,
            status="new",
            received_at=now,
            due_at=due,
        )
    )
    mail.queue_new_referral_notice(referral)
    if draft.entered_by:
        audit.record(
            "keyed_referral",
            [referral.reference],
            detail=f"channel={channel} language={draft.language}",
            actor=draft.entered_by,
        )
    session.delete(draft)
    return referral


def is_complete(answers: dict[str, Any]) -> bool:
    return Journey(STEPS, answers).is_complete()
