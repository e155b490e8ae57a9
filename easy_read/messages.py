"""Error messages in easy read: the same keys as `forms.messages`, chosen when the reader asked for easy read."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "required": _l("Please write %(thing)s."),
    "choose": _l("Please choose %(thing)s."),
    "choose_any": _l("Please tick at least 1 answer."),
    "too_long": _l("This is too long. Please use %(max)s letters or less."),
    "no_letters": _l("Please use letters for %(thing)s."),
    "date_required": _l("Please write %(thing)s."),
    "date_incomplete": _l("Please write the day, the month and the year."),
    "date_real": _l("Please write a real date. For example, 27 3 2007."),
    "date_past": _l("The date must be today, or a day before today."),
    "date_too_old": _l("The year must be %(year)s or later."),
    "nhs_number": _l("An NHS number has 10 numbers. For example, 943 476 5919. You can leave it empty."),
    "postcode": _l("Please write the whole postcode. For example, NR1 3SR."),
    "phone": _l("Please write a phone number. For example, 0161 496 0000."),
    "email": _l("Please write an email address. For example, name@example.com."),
    "exclusive": _l('You ticked "%(none)s". Untick it to choose other answers.'),
    "invalid_choice": _l("Please choose one of the answers."),
    "date_of_birth_mismatch": _l("This date of birth is not the one we have. Please check it."),
    "code_not_found": _l("We can not find this code. Please check your letter. Or call the team."),
}

# What a person sees when they answer no to consent in the referral journey (`forms.consent.NOT_GIVEN`).
REFUSALS = {
    "consent_self": _l("You said no. We can only put you on the list if you say yes. Not sure? Call the team."),
    "consent_parental": _l("You said no. We can only put them on the list if you say yes. Not sure? Call the team."),
    "consent_adult_behalf": _l(
        "The person must say yes before they go on the list. Please talk to them first. Or call the team."
    ),
    "consent_child_other": _l(
        "A parent must say yes before a child goes on the list. Please talk to them. Or call the team."
    ),
}

# The easy-read name of a thing an error message is about, keyed by the English words of its plain name
# (`Question.thing`): "Please choose if you still want to be on the list." rather than "... on the DSR."
THINGS = {
    "if you agree to be on the register": _l("if you say yes to being on the list"),
    "if you agree to them being on the register": _l("if you say yes to them being on the list"),
    "if they agree to be on the register": _l("if they say yes to being on the list"),
    "if someone with parental responsibility agrees": _l("if a parent says yes"),
    "if you still want to be on the DSR": _l("if you still want to be on the list"),
    "if you still want them to be on the DSR": _l("if you still want them to be on the list"),
    "the full name of the person on the DSR": _l("the name of the person on the list"),
    "the DSR reference": _l("the reference number"),
    "how the DSR team can contact you": _l("how the team can get in touch with you"),
    "a good and safe time to call you": _l("a good time to call you"),
}
