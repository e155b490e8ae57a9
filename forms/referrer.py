"""About the person filling in the form, when it is not the person themself.

These are the referrer's own details, so the browser may offer its owner's
autofill here (`about_person=False`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forms.journey import Answers, Step
from forms.questions import Question, words

REFERRER_NAME = Question(
    "referrer_name",
    "name",
    words(_l("Your full name")),
    words(_l("your full name")),
    autocomplete="name",
    about_person=False,
)
REFERRER_RELATIONSHIP = Question(
    "referrer_relationship",
    "text",
    words(_l("Your relationship to them, or your job role")),
    words(_l("your relationship or role")),
    hint=words(_l("For example, mum, foster carer, or community nurse")),
    about_person=False,
)
REFERRER_ORGANISATION = Question(
    "referrer_organisation",
    "text",
    words(_l("Organisation (optional)")),
    words(_l("your organisation")),
    hint=words(_l("If you are a professional, the service you work for")),
    required=False,
    max_length=200,
    autocomplete="organization",
    about_person=False,
)
REFERRER_PHONE = Question(
    "referrer_phone",
    "phone",
    words(_l("Your phone number")),
    words(_l("your phone number")),
    max_length=40,
    autocomplete="tel",
    about_person=False,
)
REFERRER_EMAIL = Question(
    "referrer_email",
    "email",
    words(_l("Your email address (optional)")),
    words(_l("your email address")),
    required=False,
    max_length=254,
    autocomplete="email",
    about_person=False,
)


def someone_else_is_filling_in(answers: Answers) -> bool:
    return answers.get("who") not in (None, "self")


STEP = Step(
    "referrer",
    words(_l("About you")),
    (REFERRER_NAME, REFERRER_RELATIONSHIP, REFERRER_ORGANISATION, REFERRER_PHONE, REFERRER_EMAIL),
    applies=someone_else_is_filling_in,
)
