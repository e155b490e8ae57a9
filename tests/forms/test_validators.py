"""Validators and normalisers: what a person might type, and the one form we store."""

from __future__ import annotations

import html
from datetime import date

import bleach
import pytest
from flask_babel import force_locale
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from wtforms import Form, StringField
from wtforms.validators import StopValidation

from forms.messages import message
from forms.validators import (
    MaxLength,
    _cleaning_pass,
    _plain_characters,
    age_on,
    clean_text,
    normalise_email,
    normalise_nhs_number,
    normalise_phone,
    normalise_postcode,
)


def check_digit(nine_digits: str) -> int | None:
    """NHS number check digit by Modulus 11 (NHS Data Dictionary); None when it would be 10."""
    total = sum(int(digit) * weight for digit, weight in zip(nine_digits, range(10, 1, -1), strict=True))
    result = 11 - total % 11
    return {11: 0, 10: None}.get(result, result)


# -- NHS numbers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("9434765919", "9434765919"),
        ("943 476 5919", "9434765919"),
        ("943-476-5919", "9434765919"),
        ("  943 476 5919  ", "9434765919"),
        ("943\t476\t5919", "9434765919"),
        ("943\u2013476\u20135919", "9434765919"),
        ("4010232137", "4010232137"),
        ("4857773457", "4857773457"),
        ("9876543210", "9876543210"),
    ],
)
def test_a_valid_nhs_number_is_stored_as_ten_digits(typed, stored):
    assert normalise_nhs_number(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "9434765918",  # wrong check digit
        "9434765910",
        "943476591",  # 9 digits
        "94347659190",  # 11 digits
        "943476591X",
        "ABC4765919",
        "943.476.5919",
        "\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669",  # Arabic-Indic digits
        "943476591\uff19",  # a full-width 9
        "\u00b2434765919",  # superscript two
        "",
    ],
)
def test_an_nhs_number_that_is_not_ten_digits_with_a_right_check_digit_is_refused(typed):
    assert normalise_nhs_number(typed) is None


@pytest.mark.parametrize("last", range(10))
def test_a_number_whose_check_digit_would_be_10_is_never_valid(last):
    assert check_digit("400000008") is None
    assert normalise_nhs_number(f"400000008{last}") is None


def test_the_nhs_number_message_gives_an_example_and_says_it_can_be_left_blank():
    assert message("nhs_number") == "Enter a 10 digit NHS number, like 943 476 5919, or leave it blank"


# -- postcodes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("M1 1AE", "M1 1AE"),  # A9 9AA
        ("B33 8TH", "B33 8TH"),  # A99 9AA
        ("W1A 0AX", "W1A 0AX"),  # A9A 9AA
        ("CR2 6XH", "CR2 6XH"),  # AA9 9AA
        ("DN55 1PT", "DN55 1PT"),  # AA99 9AA
        ("EC1A 1BB", "EC1A 1BB"),  # AA9A 9AA
        ("nr1 3sr", "NR1 3SR"),
        ("NR13SR", "NR1 3SR"),
        ("  nr1   3sr ", "NR1 3SR"),
        ("n r 1 3 s r", "NR1 3SR"),
        ("GIR 0AA", "GIR 0AA"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_a_uk_postcode_is_stored_in_capitals_with_one_space(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "Q1 1AA",  # Q never comes first
        "V1 1AA",  # nor V
        "X1 1AA",  # nor X
        "AI1 1AA",  # I never comes second
        "NR1 3SV",  # V never in the last two
        "NR1 3CA",  # C never in the last two
        "NR1 3SR1",
        "NR11 3SRA",  # too long
        "NR1",
        "3SR",
        "NR1 3S",
        "NR1 3\u017fR",  # long s, which upper-cases to S
        "\uff2e\uff321 3SR",  # full-width NR
        "NR\u0661 3SR",  # Arabic-Indic one
        "",
        "   ",
    ],
)
def test_a_postcode_that_is_not_a_uk_postcode_is_refused(typed):
    assert normalise_postcode(typed) is None


# -- phone numbers and email ----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0161 496 0000", "+441614960000"),
        ("020 7946 0000", "+442079460000"),
        ("07911 123456", "+447911123456"),
        ("+44 7911 123456", "+447911123456"),
        ("+44 (0)20 7946 0000", "+442079460000"),
        ("0044 20 7946 0000", "+442079460000"),
        ("+33 1 23 45 67 89", "+33123456789"),
        ("+33 6 12 34 56 78", "+33612345678"),
    ],
)
def test_a_phone_number_is_stored_in_international_form(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["rubbish", "0161", "999", "0161 496 0000 0000 0000", "0" * 41, "+44 161 496 0000 " + "1" * 30, ""],
)
def test_something_that_is_not_a_phone_number_is_refused(typed):
    assert normalise_phone(typed) is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("name@example.com", "name@example.com"),
        ("Name@EXAMPLE.COM", "Name@example.com"),
        ("sian.o'neil@example.co.uk", "sian.o'neil@example.co.uk"),
        ("x@B\u00fcCHER.de", "x@b\u00fccher.de"),
    ],
)
def test_an_email_address_is_stored_with_its_domain_normalised(typed, stored):
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "name",
        "name@",
        "@example.com",
        "name@example",
        "a b@example.com",
        "a@b.com\nBcc: x@y.com",
        "Sian <s@example.com>",
    ],
)
def test_something_that_is_not_an_email_address_is_refused(typed):
    assert normalise_email(typed) is None


# -- ages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "today", "years"),
    [
        (date(2008, 6, 15), date(2024, 6, 15), 16),
        (date(2008, 6, 16), date(2024, 6, 15), 15),
        (date(2000, 2, 29), date(2001, 2, 28), 0),  # a 29 February birthday counts on 1 March
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
        (date(2024, 6, 15), date(2024, 6, 15), 0),
    ],
)
def test_age_is_whole_years(born, today, years):
    assert age_on(born, today) == years


# -- free text: properties ------------------------------------------------------

MARKUP_PIECES = st.sampled_from(
    [
        "<",
        ">",
        "&",
        ";",
        "#",
        "x",
        "b",
        "/",
        "!--",
        "-->",
        "<script>",
        "</script>",
        "<b>",
        "</b>",
        "&amp;",
        "&lt;",
        "&gt;",
        "&#60;",
        "&#x3c;",
        "&#x202e;",
        "&#13;",
        "&#0;",
        "&#x301;",
        "\u202e",
        "\u2066",
        "\u061c",
        "\r",
        "\r\n",
        "\n",
        "\t",
        "\x00",
        "\x1b",
        "\ufeff",
        "e",
        "\u0301",
        " ",
        "O'Neil",
        "\u0633\u0627\u0631\u0647",
    ]
)
ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=())),
    st.lists(MARKUP_PIECES, max_size=30).map("".join),
)
DEEPLY_ESCAPED = "&" + "amp;" * 15 + "lt;b&" + "amp;" * 15 + "gt;x"
ALLOWED_CONTROLS = {"\n", "\t"}
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@settings(deadline=None)
@given(ANY_TEXT)
@example("&#x202e;evil")
@example("&amp;lt;script&amp;gt;")
@example(DEEPLY_ESCAPED)
def test_cleaning_text_twice_changes_nothing(text):
    once = clean_text(text)
    assert clean_text(once) == once


@settings(deadline=None)
@given(ANY_TEXT)
@example("a&#13;b")
@example("&#x202e;evil")
def test_clean_text_has_no_control_or_bidi_override_characters(text):
    cleaned = clean_text(text)
    assert not [ch for ch in cleaned if ch not in ALLOWED_CONTROLS and (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0)]
    assert not set(cleaned) & BIDI_CONTROLS


@settings(deadline=None)
@given(ANY_TEXT)
@example("&amp;lt;b&amp;gt;hi")
@example(DEEPLY_ESCAPED)
def test_clean_text_leaves_nothing_for_bleach_to_strip(text):
    cleaned = clean_text(text)
    assert html.unescape(bleach.clean(cleaned, tags=set(), strip=True)) == cleaned


@settings(deadline=None)
@given(st.text(st.characters(exclude_categories=(), exclude_characters="<&")))
@example("a\x00b > c\r\nd")
def test_text_without_markup_characters_skips_bleach_and_comes_out_as_bleach_would_leave_it(text):
    plain = _plain_characters(text)
    by_bleach = bleach.clean(plain, tags=set(), strip=True, strip_comments=True)
    assert _cleaning_pass(text) == _plain_characters(html.unescape(by_bleach)).strip()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("<script>alert(1)</script>", "alert(1)"),
        ("&lt;b&gt;bold&lt;/b&gt;", "bold"),
        ("a < b & c > d", "a < b & c > d"),
        ("I <3 my carer", "I <3 my carer"),
        ("line one\r\nline two", "line one\nline two"),
        ("  Siân O'Neil-Jones  ", "Siân O'Neil-Jones"),
        ("\u202eevil\u202c", "evil"),
        ("e\u0301", "\u00e9"),
    ],
)
def test_clean_text_keeps_what_a_person_wrote_and_drops_markup(typed, stored):
    assert clean_text(typed) == stored


# -- postcodes and NHS numbers: properties --------------------------------------


@given(st.text(st.characters(exclude_categories=())))
@example("nr1 3\u017fr")
@example("\u0131\u0131")
def test_normalise_postcode_never_raises_and_is_idempotent(text):
    stored = normalise_postcode(text)
    assert stored is None or normalise_postcode(stored) == stored


@st.composite
def valid_nhs_numbers(draw: st.DrawFn) -> str:
    """Ten digits with a right Modulus 11 check digit.

    The first digit is 4 to 9: numbers from 010 to 311 are Scottish CHI numbers,
    which must also start with a real date (see `chi_numbers`).
    """
    nine = draw(st.sampled_from("456789")) + draw(st.text("0123456789", min_size=8, max_size=8))
    digit = check_digit(nine)
    if digit is None:
        nine = nine[:-1] + str((int(nine[-1]) + 1) % 10)
        digit = check_digit(nine)
    if digit is None:
        nine = nine[:-1] + str((int(nine[-1]) + 1) % 10)
        digit = check_digit(nine)
    assert digit is not None
    return f"{nine}{digit}"


@st.composite
def chi_numbers(draw: st.DrawFn) -> str:
    """A Scottish CHI number: date of birth as DDMMYY, three digits, a check digit."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    tail = draw(st.text("0123456789", min_size=3, max_size=3))
    nine = born.strftime("%d%m%y") + tail
    digit = check_digit(nine)

    assume(digit is not None)
    return f"{nine}{digit}"


@st.composite
def typed_with_separators(draw: st.DrawFn, digits: str) -> str:
    separators = st.sampled_from(["", "", " ", "-", "  ", " - "])
    return "".join(draw(separators) + digit for digit in digits) + draw(separators)


@given(st.one_of(valid_nhs_numbers(), chi_numbers()).flatmap(lambda n: st.tuples(st.just(n), typed_with_separators(n))))
def test_every_valid_nhs_number_is_accepted_however_it_is_spaced(number_and_typed):
    number, typed = number_and_typed
    assert normalise_nhs_number(typed) == number


@given(st.one_of(valid_nhs_numbers(), chi_numbers()), st.integers(0, 9), st.integers(1, 9))
def test_changing_any_one_digit_of_a_valid_nhs_number_makes_it_invalid(number, position, change):
    changed = number[:position] + str((int(number[position]) + change) % 10) + number[position + 1 :]
    assert normalise_nhs_number(changed) is None


def test_clean_text_drops_unicode_noncharacters_which_html_forbids():
    assert clean_text("a\ufffeb\ufdd0c\U0001ffffd") == "abcd"


# -- Numbers in messages ------------------------------------------------------


@pytest.mark.parametrize(("locale", "written"), [("en", "5,000"), ("pl", "5\xa0000"), ("pt", "5.000")])
def test_a_too_long_message_writes_the_limit_the_readers_way(app, locale, written):
    """In Polish "5,000" reads as five, so the limit is formatted for the reader's language."""

    class Box(Form):
        words = StringField()

    box = Box(data={"words": "x" * 5001})
    with app.test_request_context(), force_locale(locale), pytest.raises(StopValidation) as refused:
        MaxLength(5000, "your answer")(box, box.words)
    assert written in str(refused.value)
