"""One vocabulary for error messages, in the NHS.UK style: say what to do.

Validators take the noun ("Enter {thing}"); questions may override any message.
A reader who chose easy read (`g.reading_mode`, set by `portal.services.reading_mode`)
gets the easy-read wording of the same message (`easy_read.messages`).
"""

from __future__ import annotations

from typing import Any

from flask import g, has_app_context
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from easy_read.messages import MESSAGES as EASY_READ_MESSAGES
from easy_read.messages import THINGS as EASY_READ_THINGS

MESSAGES = {
    "required": _l("Enter %(thing)s"),
    "choose": _l("Select %(thing)s"),
    "choose_any": _l("Select at least one option for %(thing)s"),
    "too_long": _l("%(Thing)s must be %(max)s characters or fewer"),
    "no_letters": _l("%(Thing)s must include letters"),
    "date_required": _l("Enter %(thing)s"),
    "date_incomplete": _l("%(Thing)s must include a day, month and year"),
    "date_real": _l("%(Thing)s must be a real date, like 27 3 2007"),
    "date_past": _l("%(Thing)s must be today or in the past"),
    "date_too_old": _l("%(Thing)s must be in %(year)s or later"),
    "nhs_number": _l("Enter a 10 digit NHS number, like 943 476 5919, or leave it blank"),
    "postcode": _l("Enter a full UK postcode, like NR1 3SR"),
    "phone": _l("Enter a phone number, like 0161 496 0000 or +44 161 496 0000"),
    "email": _l("Enter an email address in the correct format, like name@example.com"),
    "exclusive": _l('Untick "%(none)s" if you choose any of the other options'),
    "invalid_choice": _l("Select one of the options for %(thing)s"),
    # Checked by the consent views against what the team holds, not by a question's own checks.
    "date_of_birth_mismatch": _l("The date of birth does not match. Check it and try again."),
    "code_not_found": _l("Check the code against your letter. If it still does not work, call the DSR team."),
}


def _easy_read() -> bool:
    return has_app_context() and g.get("reading_mode") == "easy"


def _easy_read_thing(thing: str) -> str:
    """The easy-read name of `thing`, compared in the reader's language; the plain name if it has none."""
    return next((str(easy) for source, easy in EASY_READ_THINGS.items() if gettext(source) == thing), thing)


def message(key: str, thing: str = "", **values: object) -> str:
    """The message for `key`, with `thing` in sentence case at the start where needed."""
    if _easy_read():
        return str(EASY_READ_MESSAGES[key]) % {"thing": _easy_read_thing(thing), **values}
    return str(MESSAGES[key]) % {"thing": thing, "Thing": thing[:1].upper() + thing[1:], **values}


class ByReadingMode:
    """Words with an easy-read version (a consent "no"): `str()` gives the reader's choice when they are shown."""

    def __init__(self, plain: Any, easy: Any) -> None:
        self.plain, self.easy = plain, easy

    def __str__(self) -> str:
        return str(self.easy if _easy_read() else self.plain)
