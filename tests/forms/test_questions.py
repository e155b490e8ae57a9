"""Questions on their real forms: dates, names, choices and the messages a person sees."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from forms.questions import DateInputField
from tests.forms.conftest import STEP_BY_SLUG

REAL_DATE = "Their date of birth must be a real date, like 27 3 2007"


def born(day: object, month: object, year: object) -> dict[str, str]:
    return {"date_of_birth-day": str(day), "date_of_birth-month": str(month), "date_of_birth-year": str(year)}


# -- dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "month", "year", "stored"),
    [
        ("29", "2", "2000", date(2000, 2, 29)),
        ("1", "1", "1900", date(1900, 1, 1)),
        ("03", "07", "2010", date(2010, 7, 3)),
        (" 3 ", " 7", "2010 ", date(2010, 7, 3)),
    ],
)
def test_a_real_date_in_the_past_is_accepted(post_page, day, month, year, stored):
    posted = post_page("date-of-birth", born(day, month, year), "they")
    assert posted.valid
    assert posted.form.answers() == {"date_of_birth": stored.isoformat()}


def test_today_is_accepted(post_page):
    today = date.today()
    assert post_page("date-of-birth", born(today.day, today.month, today.year)).valid


def test_tomorrow_is_refused(post_page):
    tomorrow = date.today() + timedelta(days=1)
    posted = post_page("date-of-birth", born(tomorrow.day, tomorrow.month, tomorrow.year), "they")
    assert posted.error("date_of_birth") == "Their date of birth must be today or in the past"


@pytest.mark.parametrize(
    ("day", "month", "year", "at_fault"),
    [
        ("29", "2", "2001", {"day"}),  # not a leap year
        ("31", "4", "2000", {"day"}),
        ("0", "1", "2000", {"day"}),
        ("1", "13", "2000", {"month"}),
        ("1", "0", "2000", {"month"}),
        ("1", "1", "0000", {"year"}),
        ("1", "1", "07", {"year"}),
        ("1", "1", "-5", {"year"}),
        ("a", "b", "c", {"day", "month", "year"}),
        ("1_0", "1", "2000", {"day"}),
        ("+1", "1", "2000", {"day"}),
        ("1 0", "1", "2000", {"day"}),
        ("999999999999", "1", "2000", {"day"}),
        ("1", "999999999999", "2000", {"month"}),
        ("1", "1", "999999999999", {"year"}),
        ("0000000001x", "1", "2000", {"day"}),
        ("1" + "<b></b>" * 5, "1", "2000", {"day"}),  # more typed than fits a box, whatever cleaning leaves
    ],
)
def test_a_date_that_is_not_real_says_so_and_marks_the_boxes_at_fault(post_page, day, month, year, at_fault):
    posted = post_page("date-of-birth", born(day, month, year), "they")
    assert not posted.valid
    assert posted.error("date_of_birth") == REAL_DATE
    assert posted.form.date_of_birth.parts_in_error == at_fault


@pytest.mark.parametrize(
    ("data", "missing"),
    [
        (born("", "3", "2007"), {"day"}),
        (born("27", "", "2007"), {"month"}),
        (born("27", "3", ""), {"year"}),
        (born("", "", "2007"), {"day", "month"}),
        (born("27", "", ""), {"month", "year"}),
        ({"date_of_birth-day": "27", "date_of_birth-year": "2007"}, {"month"}),
    ],
)
def test_only_the_missing_parts_of_a_date_are_marked(post_page, data, missing):
    posted = post_page("date-of-birth", data, "they")
    assert posted.error("date_of_birth") == "Their date of birth must include a day, month and year"
    assert posted.form.date_of_birth.parts_in_error == missing


def test_the_error_summary_links_to_the_first_box_at_fault(post_page):
    posted = post_page("date-of-birth", born("27", "", ""), "they")
    assert posted.summary == [
        {"text": "Their date of birth must include a day, month and year", "href": "#date_of_birth-month"}
    ]


def test_only_the_boxes_at_fault_are_shown_in_error(app, post_page):
    posted = post_page("date-of-birth", born("27", "13", "2007"), "they")
    with app.test_request_context():
        boxes = BeautifulSoup(str(posted.form.date_of_birth()), "html.parser")
    in_error = [box["name"] for box in boxes.select("input.nhsuk-input--error")]
    assert in_error == ["date_of_birth-month"]


def test_what_was_typed_is_shown_again_after_an_error(app, post_page):
    posted = post_page("date-of-birth", born("31", "4", "2000"), "they")
    with app.test_request_context():
        boxes = BeautifulSoup(str(posted.form.date_of_birth()), "html.parser")
    assert [box["value"] for box in boxes.select("input")] == ["31", "4", "2000"]


def test_an_empty_date_asks_for_it(post_page):
    posted = post_page("date-of-birth", born("", "", ""), "you")
    assert posted.error("date_of_birth") == "Enter your date of birth"


def test_a_year_before_1900_is_refused_and_marks_the_year(post_page):
    posted = post_page("date-of-birth", born("1", "1", "1899"), "they")
    assert posted.error("date_of_birth") == "Their date of birth must be in 1900 or later"
    assert posted.form.date_of_birth.parts_in_error == {"year"}


DATE_BOX = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=30),
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["", " ", "29", "2", "2000", "0", "١٢", "1e3", "0x1F", "½", "²"]),
)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=DATE_BOX, month=DATE_BOX, year=DATE_BOX)
@example(day="999999999999", month="1", year="2000")
@example(day="1", month="1", year="99999999999999999999")
def test_the_date_boxes_never_raise_whatever_is_typed(post_page, day, month, year):
    posted = post_page("date-of-birth", born(day, month, year), "they")
    field: DateInputField = posted.form.date_of_birth
    if posted.valid:
        assert date(1900, 1, 1) <= date.fromisoformat(posted.form.answers()["date_of_birth"]) <= date.today()
    else:
        assert len(field.errors) == 1


# -- names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Siân O'Neil-Jones",
        "O'Neil",
        "Jean-Luc Picard",
        "محمد الأحمد",  # Arabic
        "عائشہ خان",  # Urdu
        "অনিন্দিতা রায়",  # Bengali, with combining vowel signs
        "王秀英",  # Chinese
        "Łucja Wąsowska-Żółć",  # Polish
        "Ștefan Țurcanu",  # Romanian
        "Nguyễn Thị Minh Khai",
        "X",
        "a" * 100,
    ],
)
def test_names_in_any_script_are_accepted_as_typed(post_page, name):
    posted = post_page("name", {"full_name": name, "preferred_name": ""}, "you")
    assert posted.valid
    assert posted.form.answers()["full_name"] == name


@pytest.mark.parametrize(
    ("audience", "shown"),
    [("you", "Your full name must include letters"), ("they", "Their full name must include letters")],
)
def test_a_name_of_digits_only_is_refused_kindly(post_page, audience, shown):
    posted = post_page("name", {"full_name": "12345", "preferred_name": ""}, audience)
    assert posted.error("full_name") == shown


def test_a_name_over_100_characters_is_refused(post_page):
    posted = post_page("name", {"full_name": "a" * 101, "preferred_name": ""}, "you")
    assert posted.error("full_name") == "Your full name must be 100 characters or fewer"


@pytest.mark.parametrize(("audience", "shown"), [("you", "Enter your full name"), ("they", "Enter their full name")])
def test_an_empty_name_asks_for_it(post_page, audience, shown):
    posted = post_page("name", {"full_name": "   ", "preferred_name": ""}, audience)
    assert posted.error("full_name") == shown


def test_markup_in_a_name_is_removed_before_it_is_stored(post_page):
    posted = post_page("name", {"full_name": "<b>Sam</b> Lee", "preferred_name": ""}, "you")
    assert posted.form.answers()["full_name"] == "Sam Lee"


def test_a_box_typed_far_too_long_is_refused_even_if_cleaning_would_shorten_it(post_page):
    posted = post_page("whats-happening", {"situation": "&amp;" * 5_000}, "you")
    assert posted.error("situation") == "What is happening must be 5,000 characters or fewer"


def test_a_box_full_of_character_references_is_answered_within_a_second(post_page):
    typed = "&amp;" * 55_000  # 495 kB sent, under MAX_FORM_MEMORY_SIZE
    started = time.perf_counter()
    posted = post_page("whats-happening", {"situation": typed}, "you")
    assert time.perf_counter() - started < 1
    assert not posted.valid


def test_the_optional_name_may_be_left_empty(post_page):
    posted = post_page("name", {"full_name": "Sam Lee", "preferred_name": ""}, "you")
    assert posted.valid


# -- structured answers on their pages ----------------------------------------------


@pytest.mark.parametrize(
    ("slug", "data", "field_id", "shown"),
    [
        (
            "nhs-number",
            {"nhs_number": "943 476 5918"},
            "nhs_number",
            "Enter a 10 digit NHS number, like 943 476 5919, or leave it blank",
        ),
        (
            "address",
            {"address_line_1": "1 High St", "town": "Norwich", "postcode": "NR1"},
            "postcode",
            "Enter a full UK postcode, like NR1 3SR",
        ),
        (
            "address",
            {"address_line_1": "1 High St", "town": "Norwich", "postcode": ""},
            "postcode",
            "Enter the postcode",
        ),
        (
            "address",
            {"address_line_1": "", "town": "Norwich", "postcode": "NR1 3SR"},
            "address_line_1",
            "Enter the first line of the address",
        ),
        (
            "contact-details",
            {"phone": "rubbish", "email": ""},
            "phone",
            "Enter a phone number, like 0161 496 0000 or +44 161 496 0000",
        ),
        (
            "contact-details",
            {"phone": "", "email": "name@"},
            "email",
            "Enter an email address in the correct format, like name@example.com",
        ),
        ("who", {}, "who", "Select who is filling in this form"),
        ("who", {"who": "hacker"}, "who", "Select one of the options for who is filling in this form"),
        (
            "safe-contact",
            {"contact_times": "", "contact_notes": ""},
            "safe_contact",
            "Select at least one option for how we can safely contact you",
        ),
        (
            "communication",
            {"formats": ["easy_read"], "interpreter": "yes", "interpreter_language": ""},
            "interpreter_language",
            "Enter the language",
        ),
    ],
)
def test_each_error_message_says_what_to_do(post_page, slug, data, field_id, shown):
    posted = post_page(slug, data, "you")
    assert not posted.valid
    assert posted.error(field_id) == shown


@pytest.mark.parametrize(
    ("slug", "data", "stored"),
    [
        ("nhs-number", {"nhs_number": "943-476-5919"}, {"nhs_number": "9434765919"}),
        ("nhs-number", {"nhs_number": ""}, {"nhs_number": ""}),
        (
            "address",
            {"address_line_1": "1 High St", "address_line_2": "", "town": "Norwich", "postcode": "nr13sr"},
            {"address_line_1": "1 High St", "address_line_2": "", "town": "Norwich", "postcode": "NR1 3SR"},
        ),
        (
            "contact-details",
            {"phone": "0161 496 0000", "email": "Sian@EXAMPLE.com"},
            {"phone": "+441614960000", "email": "Sian@example.com"},
        ),
    ],
)
def test_structured_answers_are_stored_in_one_form(post_page, slug, data, stored):
    posted = post_page(slug, data, "you")
    assert posted.valid
    assert posted.form.answers() == stored


def test_a_follow_up_that_is_not_revealed_is_not_stored(post_page):
    data = {"formats": ["easy_read"], "interpreter": "no", "interpreter_language": "Polish", "adjustments": ""}
    posted = post_page("communication", data, "you")
    assert posted.valid
    assert posted.form.answers()["interpreter_language"] == ""


def test_a_revealed_follow_up_is_stored(post_page):
    data = {"formats": ["easy_read"], "interpreter": "yes", "interpreter_language": "Polish", "adjustments": ""}
    assert post_page("communication", data, "you").form.answers()["interpreter_language"] == "Polish"


def test_a_checkbox_value_that_is_not_a_choice_is_refused(post_page):
    posted = post_page("safe-contact", {"safe_contact": ["phone_call", "carrier_pigeon"]}, "you")
    assert posted.error("safe_contact") == "Select one of the options for how we can safely contact you"


def test_a_repeated_checkbox_value_is_stored_once(post_page):
    posted = post_page("safe-contact", {"safe_contact": ["letter", "letter", "email"]}, "you")
    assert posted.form.answers()["safe_contact"] == ["letter", "email"]


def test_no_risks_ticked_is_a_valid_answer(post_page):
    posted = post_page("whats-happening", {"situation": "Things are hard at home."}, "you")
    assert posted.valid
    assert posted.form.answers()["risks"] == []


@pytest.mark.parametrize(
    ("audience", "autocomplete"),
    [("you", ["bday-day", "bday-month", "bday-year"]), ("they", [None, None, None])],
)
def test_the_browser_offers_a_birthday_only_when_the_person_fills_in_for_themself(app, audience, autocomplete):
    with app.test_request_context():
        form = STEP_BY_SLUG["date-of-birth"].form(audience)()
        boxes = BeautifulSoup(str(form.date_of_birth()), "html.parser").select("input")
    assert [box.get("autocomplete") for box in boxes] == autocomplete
