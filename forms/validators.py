"""Validators and normalisers for every structured answer.

Each one is an allow-list (5.1.3): it accepts what a person might really type
(spaces, dashes, lower case) and stores one canonical form. No regular
expression here can backtrack: each is anchored and has no nested repetition.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date

import bleach
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import format_decimal
from nhs_number import is_valid as nhs_number_is_valid
from wtforms import Field, Form
from wtforms.validators import StopValidation, ValidationError

from forms.messages import message

# The UK postcode shape (BS 7666), applied to an upper-cased string with no spaces.
POSTCODE = re.compile(r"^(GIR0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?[0-9][ABD-HJLNP-UW-Z]{2})$")
BIDI_AND_INVISIBLE = {
    "\u061c",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\ufeff",
}
OLDEST_YEAR = 1900


CLEANING_PASSES = 10
MARKUP_CHARACTERS = str.maketrans("", "", "<>&")
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"


def _is_noncharacter(ch: str) -> bool:
    """Unicode noncharacters (U+FDD0..U+FDEF, U+xxFFFE/F) are not allowed in HTML."""
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _plain_characters(text: str) -> str:
    """Control, surrogate, private-use, noncharacter and bidi-override characters dropped; NFC."""
    kept = "".join(
        ch
        for ch in text
        if ch in "\n\t"
        or (
            unicodedata.category(ch) not in {"Cc", "Cs", "Co"}
            and ch not in BIDI_AND_INVISIBLE
            and not _is_noncharacter(ch)
        )
    )
    return unicodedata.normalize("NFC", kept)


def _cleaning_pass(text: str) -> str:
    """One pass: a character reference can decode to a tag or a bidi override, so filter after unescaping too.

    Text with no `<` and no `&` has nothing for bleach to find (HTML's tokenizer treats only those, and NUL,
    which `_plain_characters` drops, as anything but text), so most answers skip its parser.
    """
    plain = _plain_characters(text)
    if "<" not in plain and "&" not in plain:
        return plain.strip()
    stripped = bleach.clean(plain, tags=set(), strip=True, strip_comments=True)
    return _plain_characters(html.unescape(stripped)).strip()


def clean_text(value: str) -> str:
    """Free text as plain text: markup removed, control and bidi-override characters dropped.

    Cleaning repeats until nothing changes, so text stored is text that
    bleach would leave alone: no tag survives, however often it was encoded.
    Text still changing after many passes (markup nested in layers of
    entities) loses its markup characters, which makes it stable.
    """
    text = value.replace("\r\n", "\n")
    for _ in range(CLEANING_PASSES):
        cleaned = _cleaning_pass(text)
        if cleaned == text:
            return text
        text = cleaned
    return _cleaning_pass(text.translate(MARKUP_CHARACTERS))


def normalise_postcode(value: str) -> str | None:
    """`nr13sr` → `NR1 3SR`, or None when it is not a UK postcode."""
    compact = "".join(value.split())
    if len(compact) > 8 or not compact.isascii():  # before upper(): long s (U+017F) upper-cases to "S"
        return None
    compact = compact.upper()
    if not POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def normalise_nhs_number(value: str) -> str | None:
    """`943-476-5919` → `9434765919`, or None when the digits or the check digit are wrong.

    Only ASCII digits: `str.isdigit` also accepts `²` and other scripts' digits.
    """
    digits = "".join(ch for ch in value if not ch.isspace() and ch not in DASHES)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit() or not nhs_number_is_valid(digits):
        return None
    return digits


def normalise_phone(value: str) -> str | None:
    """A UK (or +-prefixed international) number in E.164, or None."""
    if len(value) > 40:
        return None
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(value: str) -> str | None:
    """The address with its domain normalised (lower case, IDNA), or None; no DNS look-up."""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def age_on(born: date, today: date) -> int:
    """Whole years between `born` and `today` (29 February birthdays count on 1 March)."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class Required:
    """The answer must be given; the message names the thing ("Enter your full name")."""

    field_flags = {"required": True}

    def __init__(self, thing: str, key: str = "required", text: str | None = None) -> None:
        self.thing, self.key, self.text = thing, key, text

    def __call__(self, form: Form, field: Field) -> None:
        data = field.data
        if data is None or data == "" or data == [] or (isinstance(data, str) and not data.strip()):
            field.errors[:] = []
            raise StopValidation(self.text or message(self.key, str(self.thing)))


class Optional:
    """An empty answer is fine and stops the other checks."""

    field_flags = {"optional": True}

    def __call__(self, form: Form, field: Field) -> None:
        if field.data in (None, "", []) or (isinstance(field.data, str) and not field.data.strip()):
            field.errors[:] = []
            raise StopValidation()


class RequiredIf(Required):
    """Required when another answer on the page has a given value (a revealed question)."""

    def __init__(self, other: str, value: str, thing: str, key: str = "required") -> None:
        super().__init__(thing, key)
        self.other, self.value = other, value

    def __call__(self, form: Form, field: Field) -> None:
        other = form[self.other].data
        chosen = self.value in other if isinstance(other, list) else other == self.value
        if chosen:
            super().__call__(form, field)
        else:
            Optional()(form, field)


class MaxLength:
    """At most `maximum` characters; a box typed far longer (`typed_too_long`) is refused before it is cleaned.

    The number is written the reader's way: 5,000 in English but 5 000 in Polish, where "5,000" reads as five.
    """

    def __init__(self, maximum: int, thing: str) -> None:
        self.maximum, self.thing = maximum, thing

    def __call__(self, form: Form, field: Field) -> None:
        if field.data and (len(field.data) > self.maximum or getattr(field, "typed_too_long", False)):
            raise StopValidation(message("too_long", str(self.thing), max=format_decimal(self.maximum)))


class HasLetters:
    """Names in any script, with apostrophes and hyphens, but at least one letter."""

    def __init__(self, thing: str) -> None:
        self.thing = thing

    def __call__(self, form: Form, field: Field) -> None:
        if field.data and not any(ch.isalpha() for ch in field.data):
            raise ValidationError(message("no_letters", str(self.thing)))


class Normalised:
    """Replace the answer by its canonical form, or fail with the kind's message."""

    def __init__(self, normalise, key: str) -> None:  # type: ignore[no-untyped-def]
        self.normalise, self.key = normalise, key

    def __call__(self, form: Form, field: Field) -> None:
        canonical = self.normalise(field.data)
        if canonical is None:
            raise StopValidation(message(self.key))
        field.data = canonical


class Refused:
    """Some answers stop the journey, with a kind word on what to do instead (consent: "no")."""

    def __init__(self, refusals: dict[str, object]) -> None:
        self.refusals = refusals

    def __call__(self, form: Form, field: Field) -> None:
        if field.data in self.refusals:
            raise StopValidation(str(self.refusals[field.data]))
