"""The referral journey as data: which pages apply, where each answer leads, and whose words are used."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from forms.journey import Journey
from forms.referral import STEPS

BY_SLUG = {step.slug: step for step in STEPS}
TODAY = date(2024, 6, 15)
ADULT = "1990-05-01"
CHILD = "2014-07-03"
WHO = ("self", "parent", "family_carer", "professional", "someone_else")
COMMON_PAGES = [
    "who",
    "name",
    "date-of-birth",
    "nhs-number",
    "address",
    "gp",
    "contact-details",
    "safe-contact",
    "diagnosis",
    "communication",
    "whats-happening",
    "hospital",
    "support",
    "professionals",
]

# Every answer as the forms store it (see tests/support/journey.py for the same as form posts).
STORED: dict[str, Any] = {
    "who": "self",
    "full_name": "Siân O'Neil-Jones",
    "preferred_name": "",
    "date_of_birth": ADULT,
    "nhs_number": "9434765919",
    "address_line_1": "1 High Street",
    "address_line_2": "",
    "town": "Norwich",
    "postcode": "NR1 3SR",
    "gp_practice": "",
    "phone": "+441614960000",
    "email": "",
    "safe_contact": ["letter"],
    "contact_times": "",
    "contact_notes": "",
    "diagnosis": "autism",
    "formats": ["easy_read"],
    "interpreter": "no",
    "interpreter_language": "",
    "adjustments": "",
    "risks": [],
    "situation": "My placement is at risk.",
    "in_hospital": "no",
    "hospital_name": "",
    "support": "",
    "more_professionals": "no",
    "professionals": [{"professional_name": "Jo Bloggs", "professional_role": "Social worker"}],
}
REFERRER = {
    "referrer_name": "Alex Smith",
    "referrer_relationship": "Mum",
    "referrer_organisation": "",
    "referrer_phone": "+441614960001",
    "referrer_email": "",
}


def answered_up_to(slug: str, **changes: Any) -> dict[str, Any]:
    """The stored answers to every page before `slug` (in journey order), with `changes`."""
    answers = {**STORED, **REFERRER, **changes}
    wanted: set[str] = set()
    for step in STEPS:
        if step.slug == slug:
            break
        wanted |= {q.id for q in step.questions}
    return {key: value for key, value in answers.items() if key in wanted or key in changes}


def complete(who: str = "self", born: str = ADULT, **changes: Any) -> dict[str, Any]:
    """Every page answered, including the consent that applies."""
    answers = {**STORED, "who": who, "date_of_birth": born, **changes}
    if who != "self":
        answers.update(REFERRER)
    journey = Journey(STEPS, answers)
    for step in journey.applicable():
        for question in step.questions:
            answers.setdefault(question.id, "yes")
    return answers


def slugs(steps) -> list[str]:
    return [step.slug for step in steps]


@pytest.fixture
def today(time_machine):
    """Pin today, so ages and consent routes do not depend on the day the tests run."""
    time_machine.move_to(TODAY, tick=False)
    return TODAY


# -- which pages apply -------------------------------------------------------------------


@pytest.mark.usefixtures("today")
@pytest.mark.parametrize(
    ("who", "born", "expected"),
    [
        ("self", ADULT, [*COMMON_PAGES, "consent-self"]),
        ("self", CHILD, [*COMMON_PAGES, "consent-self"]),
        ("parent", ADULT, [*COMMON_PAGES, "referrer", "consent-adult-behalf"]),
        ("parent", CHILD, [*COMMON_PAGES, "referrer", "consent-parental"]),
        ("family_carer", ADULT, [*COMMON_PAGES, "referrer", "consent-adult-behalf"]),
        ("family_carer", CHILD, [*COMMON_PAGES, "referrer", "consent-child-other"]),
        ("professional", ADULT, [*COMMON_PAGES, "referrer", "consent-adult-behalf"]),
        ("professional", CHILD, [*COMMON_PAGES, "referrer", "consent-child-other"]),
        ("someone_else", ADULT, [*COMMON_PAGES, "referrer", "consent-adult-behalf"]),
        ("someone_else", CHILD, [*COMMON_PAGES, "referrer", "consent-child-other"]),
    ],
)
def test_the_pages_that_apply_follow_who_is_filling_in_and_their_age(who, born, expected):
    assert slugs(Journey(STEPS, complete(who, born)).applicable()) == expected


@pytest.mark.parametrize("who", WHO)
def test_the_referrer_page_applies_only_when_someone_else_fills_in(who):
    journey = Journey(STEPS, {"who": who})
    assert ("referrer" in slugs(journey.applicable())) is (who != "self")


def test_no_consent_page_applies_before_the_date_of_birth_is_known():
    journey = Journey(STEPS, answered_up_to("date-of-birth", who="parent"))
    assert not [slug for slug in slugs(journey.applicable()) if slug.startswith("consent-")]


# -- consent route: who and age, and the 16th birthday ----------------------------------

ROUTES = {
    # who: (route at 16 or over, route under 16)
    "self": ("consent-self", "consent-self"),
    "parent": ("consent-adult-behalf", "consent-parental"),
    "family_carer": ("consent-adult-behalf", "consent-child-other"),
    "professional": ("consent-adult-behalf", "consent-child-other"),
    "someone_else": ("consent-adult-behalf", "consent-child-other"),
}


def consent_page(answers: dict[str, Any]) -> str:
    pages = [slug for slug in slugs(Journey(STEPS, answers).applicable()) if slug.startswith("consent-")]
    assert len(pages) == 1, pages
    return pages[0]


@pytest.mark.usefixtures("today")
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    ("born", "adult"),
    [
        (date(1950, 1, 1), True),
        (date(2008, 6, 14), True),
        (date(2008, 6, 15), True),  # 16 today
        (date(2008, 6, 16), False),  # 16 tomorrow
        (date(2014, 7, 3), False),
        (TODAY, False),  # born today
    ],
)
def test_the_consent_route_follows_who_and_age(who, born, adult):
    answers = answered_up_to("consent-self", who=who, date_of_birth=born.isoformat())
    assert consent_page(answers) == ROUTES[who][0 if adult else 1]


@pytest.mark.parametrize(
    ("today", "adult"),
    [
        (date(2024, 2, 28), False),
        (date(2024, 2, 29), True),  # a 16th birthday always falls in a leap year, except in 2100
        (date(2024, 3, 1), True),
        (date(2100, 2, 28), False),  # born 29 February 2084: 2100 has no 29 February
        (date(2100, 3, 1), True),
    ],
)
@pytest.mark.parametrize("who", ["parent", "professional"])
def test_a_29_february_birthday_turns_16_on_the_day_or_on_1_march(time_machine, today, adult, who):
    time_machine.move_to(today, tick=False)
    born = date(today.year - 16, 2, 29)
    answers = answered_up_to("consent-self", who=who, date_of_birth=born.isoformat())
    assert consent_page(answers) == ROUTES[who][0 if adult else 1]


# -- where each answer leads ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "current", "expected"),
    [
        ("self", "who", "name"),
        ("self", "name", "date-of-birth"),
        ("self", "support", "professionals"),
        ("self", "professionals", "consent-self"),
        ("parent", "professionals", "referrer"),
        ("parent", "referrer", "consent-adult-behalf"),
        ("self", "consent-self", "check"),
    ],
)
def test_the_next_page_is_the_next_one_that_applies(who, current, expected):
    answers = complete(who)
    assert Journey(STEPS, answers).next_slug(BY_SLUG[current], None) == expected


def test_a_change_from_check_goes_back_to_check():
    journey = Journey(STEPS, complete("self"))
    assert journey.next_slug(BY_SLUG["name"], "check") == "check"


def test_a_change_from_check_goes_to_a_newly_applicable_page_first():
    answers = complete("self")
    answers["who"] = "professional"
    assert Journey(STEPS, answers).next_slug(BY_SLUG["who"], "check") == "referrer"


def test_a_changed_date_of_birth_from_check_leads_to_the_new_consent_question():
    answers = complete("parent", ADULT)
    answers["date_of_birth"] = CHILD
    assert Journey(STEPS, answers).next_slug(BY_SLUG["date-of-birth"], "check") == "consent-parental"


@pytest.mark.parametrize("return_to", ["https://example.com/", "/staff/", "CHECK", ""])
def test_a_return_to_that_is_not_allowed_is_ignored(return_to):
    journey = Journey(STEPS, complete("self"))
    assert journey.next_slug(BY_SLUG["name"], return_to) == "date-of-birth"


@pytest.mark.parametrize(
    ("current", "previous"),
    [("who", None), ("name", "who"), ("referrer", "professionals"), ("consent-adult-behalf", "referrer")],
)
def test_the_back_link_goes_to_the_previous_page_that_applies(current, previous):
    assert Journey(STEPS, complete("professional")).previous_slug(BY_SLUG[current]) == previous


# -- which pages can be seen ---------------------------------------------------------------


def test_the_first_page_can_always_be_visited():
    assert Journey(STEPS, {}).can_visit(BY_SLUG["who"])


def test_the_next_unanswered_page_can_be_visited():
    assert Journey(STEPS, answered_up_to("date-of-birth")).can_visit(BY_SLUG["date-of-birth"])


def test_a_page_after_an_unanswered_one_cannot_be_visited():
    assert not Journey(STEPS, answered_up_to("date-of-birth")).can_visit(BY_SLUG["nhs-number"])


def test_a_page_far_ahead_cannot_be_visited():
    assert not Journey(STEPS, {"who": "self"}).can_visit(BY_SLUG["hospital"])


def test_an_answered_page_can_be_visited_again():
    assert Journey(STEPS, answered_up_to("address")).can_visit(BY_SLUG["name"])


def test_a_page_that_does_not_apply_cannot_be_visited():
    assert not Journey(STEPS, complete("self")).can_visit(BY_SLUG["referrer"])


def test_a_consent_page_for_another_route_cannot_be_visited():
    assert not Journey(STEPS, complete("self")).can_visit(BY_SLUG["consent-parental"])


def test_a_complete_journey_has_no_unfinished_page():
    journey = Journey(STEPS, complete("family_carer"))
    assert journey.first_unfinished() is None
    assert journey.is_complete()


# -- answers that no longer apply ------------------------------------------------------


def test_answers_to_pages_that_no_longer_apply_are_dropped():
    answers = {**complete("professional"), "who": "self", "consent_self": "yes"}
    kept = Journey(STEPS, answers).relevant_answers()
    assert not set(REFERRER) & set(kept)
    assert "consent_adult_behalf" not in kept
    assert kept["consent_self"] == "yes"


def test_answers_that_apply_are_all_kept():
    answers = complete("parent", CHILD)
    assert Journey(STEPS, answers).relevant_answers() == answers


def test_a_list_a_page_keeps_besides_its_questions_is_kept():
    answers = complete("self")
    assert Journey(STEPS, answers).relevant_answers()["professionals"] == STORED["professionals"]


def test_an_answer_to_no_question_is_dropped():
    answers = {**complete("self"), "is_admin": True}
    assert "is_admin" not in Journey(STEPS, answers).relevant_answers()


# -- whose words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "label", "title"),
    [
        ("self", "What is your date of birth?", "What is your name?"),
        ("parent", "What is their date of birth?", "What is the name of the person you are referring?"),
        ("professional", "What is their date of birth?", "What is the name of the person you are referring?"),
    ],
)
def test_the_wording_follows_who_is_filling_in(app, who, label, title):
    journey = Journey(STEPS, {"who": who})
    with app.test_request_context():
        form = BY_SLUG["date-of-birth"].form(journey.audience)()
        assert str(form.date_of_birth.label.text) == label
        assert BY_SLUG["name"].title.for_audience(journey.audience) == title


@pytest.mark.parametrize(("who", "audience"), [("self", "you"), *[(who, "they") for who in WHO[1:]], (None, "they")])
def test_the_audience_is_you_only_when_the_person_fills_in_for_themself(who, audience):
    answers = {"who": who} if who else {}
    assert Journey(STEPS, answers).audience == audience


def test_the_error_message_follows_who_is_filling_in(post_page):
    empty = {"date_of_birth-day": "", "date_of_birth-month": "", "date_of_birth-year": ""}
    assert post_page("date-of-birth", empty, "you").error("date_of_birth") == "Enter your date of birth"
    assert post_page("date-of-birth", empty, "they").error("date_of_birth") == "Enter their date of birth"
