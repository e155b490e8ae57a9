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
}
