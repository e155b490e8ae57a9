"""An answer given by a signed link: recorded, confirmed by the person's preferred channel, and repeatable.

The answer and the link's use commit together (one conditional UPDATE, so 50
presses make one decision). The person is told on screen, and by email if
email is safe, or by a letter in the day's batch if they prefer post. Each
answer leaves an `answer_<decision>` `ConsentReminder` row: it puts the letter
in the batch, and lets a second press of the same answer show the same
confirmation, while a used link still records nothing new. Only the browser
that answered may see the answer again, for ten minutes: the link keeps a
hash of a random value from that browser's session (`answered_by`), so a
saved copy of another browser's cookie learns nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from easy_read import letters as easy_read_letters
from forms.withdrawal import reconfirm_wording_version
from portal import db, i18n
from portal.models import ConsentEvent, ConsentReminder, Referral, SignedLink, utcnow
from portal.services import consent, mail, signed_links
from portal.services.due_dates import callback_due, local_date, reconfirmation_due, removal_due
from portal.services.reminders import contact_email, is_easy_read, link_url, render_email

DECISIONS = ("keep", "remove", "talk")
ANSWER_KIND = "answer_"  # + decision: the `ConsentReminder` row an answer by link leaves
REPEAT_WINDOW = timedelta(minutes=10)  # a double click, or back and send again


class LinkAlreadyUsedError(RuntimeError):
    """Another request used this link first: roll back and show the dead-link page."""


@dataclass(frozen=True)
class Answered:
    decision: str
    reference: str
    team_acts_by: date | None


def browser_hash(browser: str) -> str:
    """What the link keeps of the answering browser's session value (never the value itself)."""
    return hashlib.sha256(browser.encode()).hexdigest()


def answer_by_link(link: SignedLink, decision: str, browser: str, callback_times: str = "") -> Answered | None:
    """Record the person's answer and use the link up, together; None if the link was already used.

    `browser` is the random value the answering browser's session got when it
    confirmed the date of birth: its hash is kept so only that browser may repeat.
    """
    if decision not in DECISIONS:
        raise ValueError(decision)
    try:
        with db.unit_of_work() as session:
            if not signed_links.use(link):
                raise LinkAlreadyUsedError
            session.execute(
                update(SignedLink)
                .where(SignedLink.id == link.id)
                .values(answered_by=browser_hash(browser))
                .execution_options(synchronize_session=False)
            )
            referral = session.get(Referral, link.referral_id)
            assert referral is not None
            answered = _record_answer(referral, link, decision, callback_times)
    except LinkAlreadyUsedError:
        return None
    return answered


def _record_answer(referral: Referral, link: SignedLink, decision: str, callback_times: str) -> Answered:
    now = utcnow()
    given_by = "person" if link.addressed_to == "person" else "parental_responsibility"
    team_acts_by = None
    if decision in ("keep", "remove"):
        if not signed_links.bump_consent_version(link):
            raise LinkAlreadyUsedError
        kind = "reconfirmed" if decision == "keep" else "withdrawn"
        db.session().add(
            ConsentEvent(
                referral_id=referral.id,
                kind=kind,
                given_by=given_by,
                channel="signed_link",
                wording_version=reconfirm_wording_version(),
                occurred_at=now,
            )
        )
    answers = consent.answers_of(referral)
    if decision == "remove":
        team_acts_by = removal_due(now)
        details = {"reference": referral.reference, "asked_by": given_by, "via": "signed link"}
        consent.add_intake_item("removal", details, team_acts_by, referral=referral)
    elif decision == "talk":
        team_acts_by = callback_due(now)
        details = {
            "reference": referral.reference,
            "callback_times": callback_times,
            "contact_times": answers.get("contact_times", ""),
            "safe_contact": answers.get("safe_contact") or [],
        }
        consent.add_intake_item("callback", details, team_acts_by, referral=referral)
    answered = Answered(decision, referral.reference, local_date(team_acts_by) if team_acts_by else None)
    by_email = _confirm_by_email(referral, link, answered, answers)
    by_letter = prefers_post(answers, by_email)
    _remember_answer(referral, link, answered, by_email, by_letter, now)
    return answered


def _confirm_by_email(referral: Referral, link: SignedLink, answered: Answered, answers: dict[str, Any]) -> bool:
    """Queue the confirmation email if email is safe; a "keep" carries a link to withdraw, issued for the new version."""
    address = contact_email(answers, link.addressed_to)
    if not address:
        return False
    withdraw_url = ""
    with i18n.speaking(referral.language):
        if answered.decision == "keep":
            referral.consent_version = link.consent_version + 1
            withdraw = signed_links.issue("withdraw", referral=referral, addressed_to=link.addressed_to)
            withdraw_url = link_url(withdraw)
        easy = is_easy_read(referral)
        body = render_email(
            "email/consent_confirmation.txt",
            easy,
            decision=answered.decision,
            team_acts_by=answered.team_acts_by,
            withdraw_url=withdraw_url,
        )
        subject = easy_read_letters.ANSWER_TITLE if easy else _("We have your answer: Dynamic Support Register")
        mail.queue_message("consent_answer", address, str(subject), body, referral=referral)
    return True


def prefers_post(answers: dict[str, Any], by_email: bool) -> bool:
    """A confirmation letter when letters are safe and either no email went or letters are what they asked for."""
    if "letter" not in (answers.get("safe_contact") or []):
        return False
    return not by_email or "letter" in (answers.get("formats") or [])


def _remember_answer(
    referral: Referral, link: SignedLink, answered: Answered, by_email: bool, by_letter: bool, now: datetime
) -> None:
    """The answer's row: the confirmation letter for today's batch, and what a second press of it shows.

    `due_on` is the date the answer points to (the next reconfirmation, or when the
    team acts by). The same answer twice on one day for one date needs one letter:
    a row already there is kept.
    """
    due_on = answered.team_acts_by or reconfirmation_due(now)
    row = ConsentReminder(
        referral_id=referral.id,
        kind=f"{ANSWER_KIND}{answered.decision}",
        due_on=due_on,
        done_on=local_date(now),
        link_id=link.id,
        by_email=by_email,
        by_letter=by_letter,
        addressed_to=link.addressed_to,
    )
    try:
        with db.session().begin_nested():
            db.session().add(row)
    except IntegrityError:
        return


def used_link(purpose: str, token: str) -> SignedLink | None:
    """The used link a correctly signed token names (a live or unknown one is not "used")."""
    link_id = signed_links.link_id_of(purpose, token)
    if link_id is None:
        return None
    link = db.session().scalar(select(SignedLink).where(SignedLink.link_id == link_id, SignedLink.purpose == purpose))
    return link if link is not None and link.used_at is not None else None


def recorded_answer(link: SignedLink, browser: str | None) -> Answered | None:
    """The answer a used link recorded, for a second press of "Send" from the browser that gave it.

    None unless `browser` (the session's random value) hashes to the one the
    link kept when it was answered, less than ten minutes ago: a copy of any
    other cookie, or a later visit, learns nothing. Nothing new is recorded.
    """
    if not browser or not link.answered_by or link.used_at is None:
        return None
    if not hmac.compare_digest(browser_hash(browser), link.answered_by):
        return None
    used_at = link.used_at if link.used_at.tzinfo else link.used_at.replace(tzinfo=UTC)
    if utcnow() - used_at >= REPEAT_WINDOW:
        return None
    found = (
        db.session()
        .execute(
            select(ConsentReminder.kind, ConsentReminder.due_on, Referral.reference)
            .join(Referral, Referral.id == ConsentReminder.referral_id)
            .where(ConsentReminder.link_id == link.id, ConsentReminder.kind.startswith(ANSWER_KIND))
        )
        .first()
    )
    if found is None:
        return None
    decision = found.kind.removeprefix(ANSWER_KIND)
    return Answered(decision, found.reference, found.due_on if decision != "keep" else None)
