"""Professionals involved: the "add another" pattern, one professional per page.

The list is kept in the answers under `professionals`; the page is done when
the person says they have no more to add.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forms.journey import Step
from forms.questions import Choice, Question, words

MAX_PROFESSIONALS = 10
LIST_KEY = "professionals"

NAME = Question(
    "professional_name",
    "name",
    words(_l("Their full name")),
    words(_l("the professional's full name")),
    autocomplete="off",
)
ROLE = Question(
    "professional_role",
    "text",
    words(_l("Their job role")),
    words(_l("the professional's job role")),
    hint=words(_l("For example, social worker, community nurse, or teacher")),
)
ORGANISATION = Question(
    "professional_organisation",
    "text",
    words(_l("Organisation (optional)")),
    words(_l("the organisation")),
    hint=words(_l("For example, Norfolk County Council")),
    required=False,
    max_length=200,
)
CONTACT = Question(
    "professional_contact",
    "text",
    words(_l("Phone number or email address (optional)")),
    words(_l("the phone number or email address")),
    required=False,
    max_length=254,
)
DETAILS: tuple[Question, ...] = (NAME, ROLE, ORGANISATION, CONTACT)

MORE = Question(
    "more_professionals",
    "radios",
    words(
        _l("Do you want to add a professional who supports you?"),
        _l("Do you want to add a professional who supports them?"),
    ),
    words(_l("if you want to add a professional")),
    hint=words(_l("For example, a social worker, nurse, doctor, teacher or support worker. This is optional.")),
    choices=(Choice("yes", words(_l("Yes"))), Choice("no", words(_l("No")))),
    picture="professionals",
)

STEP = Step(
    "professionals",
    words(_l("Professionals who support you"), _l("Professionals who support them")),
    (MORE,),
    template="public/referral/professionals.html",
    extra_keys=(LIST_KEY,),
)
ADD_TITLE = words(_l("Add a professional"))
