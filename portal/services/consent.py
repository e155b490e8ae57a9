"""A person's consent: its history, and what that history means now.

Consent is never a flag. Every step (given, reconfirmed, withdrawn, lapsed) is
a `ConsentEvent`; the current state and the next reconfirmation date are
derived from those events here, and only here. Every new event bumps the
referral's `consent_version`, so a link issued before it stops working.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from forms.consent import ADULT_AGE
from forms.validators import age_on
from portal import db
from portal.models import ConsentEvent, IntakeItem, Referral, utcnow
from portal.services import crypto
from portal.services.due_dates import callback_due, reconfirmation_due, removal_due
from portal.services.references import normalise_reference

GIVING = ("given", "reconfirmed")
ENDING = ("withdrawn", "lapsed")
PARENTAL = ("parental_responsibility", "parental_responsibility_via_referrer")
BEST_INTEREST = ("best_interest_needed", "best_interest_decision")


def setting(name: str) -> int:
    """A consent setting (`CONSENT_LINK_DAYS`, …) from the portal's settings (see `portal/config.py`)."""
    return int(getattr(current_app.config["PORTAL_SETTINGS"], name.lower()))


@dataclass(frozen=True)
class ConsentState:
    """What the history adds up to today."""

    status: str
    given_by: str
    confirmed_at: datetime | None
    next_due: date | None
    version: int

    @property
    def active(self) -> bool:
        return self.status == "given"


def state_of(referral: Referral) -> ConsentState:
    """The latest event decides: given or reconfirmed means a date a year on; withdrawn or lapsed means none."""
    events = sorted(referral.consent_events, key=lambda event: (event.occurred_at, event.id))
    if not events:
        return ConsentState("none", "", None, None, referral.consent_version)
    last = events[-1]
    if last.kind in ENDING:
        return ConsentState(last.kind, last.given_by, None, None, referral.consent_version)
    latest_giving = next(event for event in reversed(events) if event.kind in GIVING)
    return ConsentState(
        "given",
        latest_giving.given_by,
        latest_giving.occurred_at,
        reconfirmation_due(latest_giving.occurred_at),
        referral.consent_version,
    )


def answers_of(referral: Referral) -> dict[str, Any]:
    return crypto.unseal(referral.answers_sealed) if referral.answers_sealed else {}


def date_of_birth(referral: Referral) -> date | None:
    raw = answers_of(referral).get("date_of_birth")
    return date.fromisoformat(raw) if raw else None


def addressed_to(referral: Referral, on: date) -> str:
    """Who a reconfirmation speaks to: a child consented for by a parent is asked themself from 16."""
    state = state_of(referral)
    if state.given_by not in PARENTAL:
        return "person"
    born = date_of_birth(referral)
    return "person" if born is not None and age_on(born, on) >= ADULT_AGE else "parent"


def why_only_the_team_can_ask(referral: Referral, addressed_to: str) -> str:
    """Why a reconfirmation must go through the team, not an email or letter; "" when the portal may ask.

    Only a parent who filled the form in gave the portal their own contact details:
    a referrer who said a parent agrees (a teacher, a social worker) must not be
    asked in the parent's place. And where the referral said a best-interest
    decision may be needed, the person is not asked to decide alone.
    """
    if state_of(referral).given_by in BEST_INTEREST:
        return (
            "Consent is due to be reconfirmed. It rests on a best-interest decision, or the referral said one may be "
            "needed: the portal does not ask the person. Review it with the people who know them."
        )
    if addressed_to == "parent" and answers_of(referral).get("who") != "parent":
        return (
            "Consent is due to be reconfirmed by someone with parental responsibility. They did not fill the form "
            "in, so the portal has no contact details for them: reach them another way."
        )
    return ""


def why_not_acceptable(referral: Referral) -> str:
    """Why the team cannot accept this person onto the register now, or "": nobody goes on it without consent."""
    state = state_of(referral)
    if not state.active:
        return "Their consent has been withdrawn or has lapsed. Record their consent again before accepting them."
    if state.given_by == "best_interest_needed":
        return (
            "Nobody has consented yet: a best-interest decision may be needed. Record the decision, or the person's "
            "own consent, before accepting them."
        )
    return ""


def has_turned_16(referral: Referral, on: date) -> bool:
    """Consent came from a parent, and the person is now old enough to decide for themself."""
    return state_of(referral).given_by in PARENTAL and addressed_to(referral, on) == "person"


def record_event(referral: Referral, kind: str, given_by: str, channel: str, wording_version: str) -> ConsentEvent:
    """Add a step to the history and bump the version, so every older link dies with this change."""
    event = ConsentEvent(
        referral_id=referral.id,
        kind=kind,
        given_by=given_by,
        channel=channel,
        wording_version=wording_version,
        occurred_at=utcnow(),
    )
    db.session().add(event)
    referral.consent_version = referral.consent_version + 1
    referral.consent_events.append(event)
    return event


def ask_team_to_call(referral: Referral, why: str) -> IntakeItem:
    """A call-back for the team, due as every call-back is, saying why the portal could not reach the person."""
    return add_intake_item(
        "callback", {"reference": referral.reference, "why": why}, callback_due(utcnow()), referral=referral
    )


def add_intake_item(
    kind: str, details: dict[str, Any], due_at: datetime, referral: Referral | None = None
) -> IntakeItem:
    """Something the team must act on (removal, callback, lapsed, link_locked, turned_16); details sealed.

    With `referral`, the item names it, so the queue links it to the person's record.
    """
    now = utcnow()
    item = IntakeItem(
        kind=kind,
        referral_id=referral.id if referral is not None else None,
        reference=referral.reference if referral is not None else None,
        status="new",
        received_at=now,
        due_at=due_at,
        details_sealed=crypto.seal(details),
        updated_at=now,
    )
    db.session().add(item)
    return item


def request_removal(answers: dict[str, Any]) -> datetime:
    """A request to come off the register, made without a link: the team matches it and confirms."""
    due = removal_due(utcnow())
    consent_details = {key: answers.get(key, "") for key in ("full_name", "date_of_birth", "postcode", "reference")}
    consent_details["how_to_reach"] = answers.get("how_to_reach", "")
    consent_details["via"] = "Ask to come off the DSR form"
    add_intake_item("removal", consent_details, due, referral=_matching_referral(answers))
    return due


def _matching_referral(answers: dict[str, Any]) -> Referral | None:
    """The referral a request names, only if the date of birth matches too: a typed reference alone proves nothing."""
    reference = normalise_reference(str(answers.get("reference") or ""))
    if not reference:
        return None
    referral = db.session().scalar(select(Referral).where(Referral.reference == reference))
    if referral is None or referral.answers_sealed is None:
        return None
    return referral if str(date_of_birth(referral) or "") == str(answers.get("date_of_birth") or "") else None
