"""The consent lifecycle's questions, as data: reconfirming by link, asking to come off, saving for later.

The "Do you still want to be on the DSR?" question is worded for the person
("you") or, while a parent still decides for a child, for the parent ("they").
Its wording version is a hash of its words, like the first consent's. The
call-back time is asked on a page of its own, not as a conditional reveal:
NHS.UK's script puts `aria-expanded` on radio inputs, which axe rejects.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forms.consent import wording_version
from forms.questions import Choice, Question, words

RECONFIRM = Question(
    "decision",
    "radios",
    words(_l("Do you still want to be on the DSR?"), _l("Do you still want them to be on the DSR?")),
    words(_l("if you still want to be on the DSR"), _l("if you still want them to be on the DSR")),
    hint=words(
        _l("The DSR helps the NHS and council give support early. Saying no will not change any other care."),
    ),
    choices=(
        Choice("keep", words(_l("Yes, keep me on"), _l("Yes, keep them on"))),
        Choice("remove", words(_l("No, take me off"), _l("No, take them off"))),
        Choice("talk", words(_l("I want to talk to someone first"))),
    ),
    picture="consent",
)
CALLBACK_TIMES = Question(
    "callback_times",
    "text",
    words(_l("When is a good and safe time to call you?")),
    words(_l("a good and safe time to call you")),
    hint=words(_l("For example, weekday mornings. We will use the phone number we already have.")),
    max_length=200,
    about_person=False,
)
CONFIRM_DATE_OF_BIRTH = Question(
    "date_of_birth",
    "date",
    words(_l("What is your date of birth?"), _l("What is the date of birth of the person this is about?")),
    words(_l("your date of birth"), _l("their date of birth")),
    hint=words(_l("We ask this to check the link is yours. For example, 27 3 2007")),
    picture="birthday",
)
SHORT_CODE = Question(
    "code",
    "text",
    words(_l("Enter the code from your letter")),
    words(_l("the code from your letter")),
    hint=words(_l("It is 8 letters and numbers, like KBXR 7QM4. It has no letter O or I.")),
    max_length=20,
    width=10,
    about_person=False,
)

FULL_NAME = Question(
    "full_name",
    "name",
    words(_l("Full name of the person on the DSR")),
    words(_l("the full name of the person on the DSR")),
    hint=words(_l("If you are asking for someone else, give their details on this page.")),
    autocomplete="off",
)
DATE_OF_BIRTH = Question(
    "date_of_birth",
    "date",
    words(_l("Their date of birth")),
    words(_l("their date of birth")),
    hint=words(_l("For example, 27 3 2007")),
)
POSTCODE = Question(
    "postcode", "postcode", words(_l("Their postcode")), words(_l("their postcode")), max_length=12, autocomplete="off"
)
REFERENCE = Question(
    "reference",
    "text",
    words(_l("DSR reference (optional)")),
    words(_l("the DSR reference")),
    hint=words(_l("It is on any letter or email from the DSR team. Leave it blank if you do not know it.")),
    required=False,
    max_length=20,
    width=10,
    about_person=False,
)
HOW_TO_REACH = Question(
    "how_to_reach",
    "textarea",
    words(_l("How can the DSR team contact you to confirm?")),
    words(_l("how the DSR team can contact you")),
    hint=words(_l("For example, a phone number or email address, and times when it is safe to call.")),
    max_length=500,
    about_person=False,
)
WITHDRAWAL_QUESTIONS = (FULL_NAME, DATE_OF_BIRTH, POSTCODE, REFERENCE, HOW_TO_REACH)

SAVE_EMAIL = Question(
    "email",
    "email",
    words(_l("What email address should we send the link to?")),
    words(_l("an email address")),
    hint=words(_l("We will email you a link to come back to your answers. It works for 7 days.")),
    max_length=254,
    autocomplete="email",
    about_person=False,
)


def reconfirm_wording_version() -> str:
    """The version of the words a person saw when they answered by link."""
    return wording_version(RECONFIRM)
