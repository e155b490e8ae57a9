"""`flask dev seed N`: N realistic referrals for development and the benchmarks (never in production).

Fast at 100,000: names, addresses and sentences are drawn once into pools by
Faker (`en_GB`, with names in several scripts: Arabic, Bengali, Chinese,
Greek, Hebrew, Hindi, Polish, Russian, Ukrainian), then combined at random;
each referral is sealed once, and rows go in with bulk inserts a batch at a time.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import insert

from forms import consent
from forms.journey import age
from portal import db
from portal.models import ConsentEvent, IntakeItem, Referral, utcnow
from portal.services import crypto
from portal.services.references import new_reference

group = AppGroup("dev", help="Development helpers (refused in production).")

BATCH = 2000
POOL = 400
NAME_LOCALES = {"en_GB": 14, "pl_PL": 1, "ar_AA": 1, "bn_BD": 1, "zh_CN": 1, "el_GR": 1, "he_IL": 1, "hi_IN": 1}
NAME_LOCALES |= {"ru_RU": 1, "uk_UA": 1}
WHO = ("self", "parent", "family_carer", "professional", "someone_else")
WHO_WEIGHTS = (25, 25, 20, 25, 5)
# (status, outcome, rating, closed): roughly what a year of a team's referrals looks like.
STATES = (
    ("new", None, None, False),
    ("in_review", None, None, False),
    ("waiting_for_information", "more_information", None, False),
    ("accepted", "accepted", "red", False),
    ("accepted", "accepted", "amber", False),
    ("accepted", "accepted", "green", False),
    ("accepted", "accepted", "blue", False),
    ("not_eligible", "not_eligible", None, False),
    ("closed", "accepted", "green", True),
    ("closed", "not_eligible", None, True),
)


class Pools:
    """Values drawn once from Faker; a referral is a random combination of them."""

    def __init__(self, seed: int) -> None:
        from faker import Faker  # a dev dependency: imported only when seeding

        Faker.seed(seed)
        uk = Faker("en_GB")
        self.random = random.Random(seed)  # noqa: S311 (made-up data, not secrets)
        fakers = {locale: Faker(locale) for locale in NAME_LOCALES}
        self.names = [fakers[loc].name() for loc, weight in NAME_LOCALES.items() for _ in range(POOL * weight // 4)]
        self.streets = [uk.street_address() for _ in range(POOL)]
        self.towns = [uk.city() for _ in range(POOL // 4)]
        self.postcodes = [uk.postcode() for _ in range(POOL)]
        self.practices = [f"{uk.last_name()} Medical Centre" for _ in range(POOL // 4)]
        self.emails = [uk.free_email() for _ in range(POOL)]
        self.sentences = [uk.paragraph(nb_sentences=4) for _ in range(POOL)]
        self.roles = ("Social worker", "Community nurse", "Teacher", "Psychiatrist", "Support worker")

    def pick(self, values: Any) -> Any:
        return values[self.random.randrange(len(values))]

    def nhs_number(self) -> str:
        """A number in the 999 test range with a correct check digit."""
        while True:
            digits = [9, 9, 9, *(self.random.randrange(10) for _ in range(6))]
            check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
            if check != 10:
                return "".join(map(str, digits)) + str(check % 11)

    def phone(self) -> str:
        return f"+447700{self.random.randrange(900000, 999999)}"


def answers_for(pools: Pools, today: date) -> dict[str, Any]:
    """One referral's answers, shaped exactly as the journey stores them."""
    rnd = pools.random
    who = rnd.choices(WHO, WHO_WEIGHTS)[0]
    born = today - timedelta(days=rnd.randrange(5 * 365, 70 * 365))
    interpreter = "yes" if rnd.random() < 0.1 else "no"
    in_hospital = "yes" if rnd.random() < 0.1 else "no"
    answers: dict[str, Any] = {
        "who": who,
        "full_name": pools.pick(pools.names),
        "preferred_name": "",
        "date_of_birth": born.isoformat(),
        "nhs_number": pools.nhs_number() if rnd.random() < 0.7 else "",
        "address_line_1": pools.pick(pools.streets),
        "address_line_2": "",
        "town": pools.pick(pools.towns),
        "postcode": pools.pick(pools.postcodes),
        "gp_practice": pools.pick(pools.practices),
        "phone": pools.phone(),
        "email": pools.pick(pools.emails) if rnd.random() < 0.6 else "",
        "safe_contact": rnd.sample(["phone_call", "text_message", "voicemail", "email", "letter"], k=2),
        "contact_times": "Weekday mornings",
        "contact_notes": "",
        "diagnosis": rnd.choice(["learning_disability", "autism", "both", "awaiting_assessment", "not_sure"]),
        "formats": rnd.choice([["easy_read"], ["large_print"], ["none"], ["easy_read", "audio"], ["bsl"]]),
        "interpreter": interpreter,
        "interpreter_language": rnd.choice(["Polish", "Arabic", "Bengali", "Urdu"]) if interpreter == "yes" else "",
        "adjustments": "",
        "risks": rnd.sample(["hospital_risk", "harm", "home_breakdown", "police_or_urgent_care", "crisis_team"], k=2),
        "situation": pools.pick(pools.sentences),
        "in_hospital": in_hospital,
        "hospital_name": "Hellesdon Hospital" if in_hospital == "yes" else "",
        "support": pools.pick(pools.sentences),
        "professionals": [{"professional_name": pools.pick(pools.names), "professional_role": pools.pick(pools.roles)}],
        "more_professionals": "no",
    }
    if who != "self":
        answers |= {
            "referrer_name": pools.pick(pools.names),
            "referrer_relationship": "Mum" if who == "parent" else "Community nurse",
            "referrer_organisation": "",
            "referrer_phone": pools.phone(),
            "referrer_email": "",
        }
    route = _consent_route(answers)
    answers[route] = "best_interest" if route == "consent_adult_behalf" and rnd.random() < 0.1 else "yes"
    return answers


def _consent_route(answers: dict[str, Any]) -> str:
    years = age(answers) or 0
    if answers["who"] == "self":
        return "consent_self"
    if years >= consent.ADULT_AGE:
        return "consent_adult_behalf"
    return "consent_parental" if answers["who"] == "parent" else "consent_child_other"


def seed_referrals(count: int, seed: int = 1) -> int:
    """Insert `count` referrals with their consent events and queue items; returns how many."""
    pools = Pools(seed)
    versions = {qid: consent.wording_version(q) for qid, q in consent.QUESTIONS.items()}
    now = utcnow()
    review = timedelta(days=current_app.config["PORTAL_SETTINGS"].review_days)
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        with db.unit_of_work() as session:
            _insert_batch(session, pools, size, now, review, versions)
        done += size
    return done


def _insert_batch(session, pools: Pools, size: int, now: datetime, review: timedelta, versions: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    rnd = pools.random
    rows, extras = [], []
    for _ in range(size):
        received = now - timedelta(seconds=rnd.randrange(365 * 24 * 3600))
        answers = answers_for(pools, received.date())
        question_id, _answer, given_by = consent.decision(answers)  # type: ignore[misc]
        reference = new_reference()
        rows.append(
            {
                "reference": reference,
                "submission_id": f"seed-{reference}",
                "channel": "web",
                "submitted_by": answers["who"],
                "best_interest_needed": given_by == "best_interest_needed",
                "answers_sealed": crypto.seal(answers),
                "received_at": received,
                "review_due_at": received + review,
            }
        )
        extras.append((received, given_by, versions[question_id], reference))
    ids = session.scalars(insert(Referral).returning(Referral.id, sort_by_parameter_order=True), rows).all()
    consents, items = [], []
    for referral_id, (received, given_by, version, reference) in zip(ids, extras, strict=True):
        consents.append(
            {
                "referral_id": referral_id,
                "kind": "given",
                "given_by": given_by,
                "channel": "web",
                "wording_version": version,
                "occurred_at": received,
            }
        )
        items.append(_item(rnd, referral_id, received, review, now) | {"reference": reference})
    session.execute(insert(ConsentEvent), consents)
    session.execute(insert(IntakeItem), items)


def _item(rnd: random.Random, referral_id: int, received: datetime, review: timedelta, now: datetime) -> dict[str, Any]:
    """A queue item whose state fits its age: recent ones are mostly new, old ones mostly decided."""
    young = now - received < review
    status, outcome, rating, closed = STATES[rnd.randrange(3)] if young else rnd.choice(STATES[2:])
    decided = received + timedelta(days=rnd.randrange(1, 35)) if outcome else None
    return {
        "kind": "referral",
        "referral_id": referral_id,
        "status": status,
        "received_at": received,
        "due_at": received + review,
        "outcome": outcome,
        "rating": rating,
        "outcome_at": decided,
        "communicated_at": decided if outcome and outcome != "more_information" else None,
        "communicated_by": "letter" if outcome and outcome != "more_information" else None,
        "closed_at": min(decided + timedelta(days=14), now) if closed and decided else None,
        "updated_at": decided or received,
    }


@group.command("seed")
@click.argument("count", type=click.IntRange(1, 1_000_000))
@click.option("--seed", "seed", default=1, show_default=True, help="Random seed, for repeatable data.")
def seed(count: int, seed: int) -> None:
    """Fill the database with COUNT made-up referrals. Refused when PORTAL_ENV is production."""
    if current_app.config["PORTAL_SETTINGS"].env == "production":
        raise click.ClickException("refusing to seed made-up referrals into a production database")
    made = seed_referrals(count, seed)
    click.echo(f"seeded {made} referrals with consents and queue items")
