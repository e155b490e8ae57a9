"""The columns of a CSV or Excel export, in the documented order, and one row per referral.

The order follows the DSR minimum dataset, so a row can be keyed straight into
the register: first what the team decided and the consent the register must
hold, then the person's details and their answers.

| #  | column                        | from                                                    |
|----|-------------------------------|---------------------------------------------------------|
| 1  | Reference                     | the referral's reference (DSR-XXXX-XXXX)                |
| 2  | Received                      | date received (YYYY-MM-DD, UK time)                     |
| 3  | Review due                    | received + 28 days                                      |
| 4  | Status                        | the queue item's status                                 |
| 5  | Outcome                       | accepted, not eligible, needs more information          |
| 6  | Rating                        | Red, Amber, Green or Blue                               |
| 7  | Consent date                  | date consent was last given or reconfirmed (blank while a best-interest decision is awaited) |
| 8  | Consent given by              | person, parental responsibility, ...                    |
| 9  | Consent wording version       | the hash of the words the person agreed to              |
| 10 | Best-interest decision needed | yes or no                                               |
| 11 | Erased                        | yes once retention has erased the personal data         |
| 12…| the person's details and answers, in the journey's order (ANSWER_COLUMNS) |

"Language of the form", beside the interpreter columns, is the language the person
used on the portal ("Polish (Polski)"): letters and emails to them go out in it.

Cells that a spreadsheet would run as a formula are neutralised by
`neutralise`, written once and used for CSV and Excel alike.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from forms import professionals
from forms.answers import professional_lines
from forms.questions import Question
from forms.referral import STEPS
from portal import i18n
from portal.services.exports.selection import ExportRow

UK = ZoneInfo("Europe/London")
HOUR = timedelta(hours=1)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0", "|", "%")
# C0 controls other than tab, line feed and carriage return: Excel cannot hold them.
_CONTROLS = {code: None for code in range(32) if code not in (9, 10, 13)}
_FORMULA_FIRSTS = frozenset(FORMULA_STARTS)  # each one character
_FIRST_CHARACTER = itertools.repeat(slice(0, 1))  # for `map`: never runs out
_CONTROL_BYTES = bytes(_CONTROLS)

RECORD_COLUMNS: tuple[str, ...] = (
    "Reference",
    "Received",
    "Review due",
    "Status",
    "Outcome",
    "Rating",
    "Consent date",
    "Consent given by",
    "Consent wording version",
    "Best-interest decision needed",
    "Erased",
)

FORM_LANGUAGE = "form_language"  # not an answer: `Referral.language`, put beside the answers by `cells`

# The person's details and answers: (answer key, column heading). Consent
# questions are not here: the consent columns above say what was agreed.
ANSWER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("full_name", "Full name"),
    ("preferred_name", "Preferred name"),
    ("date_of_birth", "Date of birth"),
    ("nhs_number", "NHS number"),
    ("address_line_1", "Address line 1"),
    ("address_line_2", "Address line 2"),
    ("town", "Town or city"),
    ("postcode", "Postcode"),
    ("gp_practice", "GP surgery"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("safe_contact", "Safe ways to contact"),
    ("contact_times", "Good times to contact"),
    ("contact_notes", "Notes about contacting"),
    ("diagnosis", "Learning disability or autism"),
    ("formats", "Information formats"),
    ("interpreter", "Interpreter needed"),
    ("interpreter_language", "Interpreter language"),
    (FORM_LANGUAGE, "Language of the form"),
    ("adjustments", "Other communication needs"),
    ("risks", "What is happening now"),
    ("situation", "What is happening, in their words"),
    ("in_hospital", "In hospital now"),
    ("hospital_name", "Hospital"),
    ("support", "Support in place"),
    (professionals.LIST_KEY, "Professionals involved"),
    ("who", "Filled in by"),
    ("referrer_name", "Referrer name"),
    ("referrer_relationship", "Referrer relationship or role"),
    ("referrer_organisation", "Referrer organisation"),
    ("referrer_phone", "Referrer phone"),
    ("referrer_email", "Referrer email"),
)

HEADINGS: tuple[str, ...] = RECORD_COLUMNS + tuple(heading for _key, heading in ANSWER_COLUMNS)
END_MARKER = "END OF EXPORT"
FAILED_MARKER = "EXPORT FAILED"


def neutralise(value: Any) -> str:
    """A cell a spreadsheet shows as text, never runs: formula starts get a leading apostrophe.

    One rule for CSV and Excel (ASVS 5.0 1.2.10), applied by `neutralise_all`.
    """
    return neutralise_all([value])[0]


def neutralise_all(values: list[Any]) -> list[str]:
    """`neutralise` for a whole row: an export makes millions of cells.

    Checks that run in C find the few cells that need anything done: the row
    joined together, line breaks and tabs aside, is nearly always printable (so
    holds no control character), and then only the cells that start with a
    formula start (a phone number's `+`, in most rows) are touched. A row with a
    control character is cleaned cell by cell: they are dropped before the
    formula check, so a control character in front of `=` cannot hide the formula from it.
    """
    try:
        joined, cells = "".join(values), list(values)  # every value already text: the usual case
    except TypeError:
        cells = [value if type(value) is str else ("" if value is None else str(value)) for value in values]
        joined = "".join(cells)
    if _without_controls(joined):
        starts = map(_FORMULA_FIRSTS.__contains__, map(operator.getitem, cells, _FIRST_CHARACTER))
        for index in list(itertools.compress(itertools.count(), starts)):
            cells[index] = "'" + cells[index]
        return cells
    for index, text in enumerate(cells):
        if not text.isprintable():  # rare, and far dearer than the check
            text = text.translate(_CONTROLS)
        if text.startswith(FORMULA_STARTS):
            text = "'" + text
        cells[index] = text
    return cells


def _without_controls(text: str) -> bool:
    """No C0 control but tab, line feed or carriage return, found in C: printable, or its UTF-8
    (where no other character makes a byte below 32) loses nothing when they are deleted."""
    if text.isprintable():
        return True
    encoded = text.encode("utf-8", "surrogatepass")
    return len(encoded.translate(None, _CONTROL_BYTES)) == len(encoded)


def day(moment: datetime | None) -> str:
    """A stored UTC time as the UK calendar date the team works in."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))
    return aware.astimezone(UK).date().isoformat()


def _questions() -> dict[str, Question]:
    return {question.id: question for step in STEPS for question in step.questions}


class RowMaker:
    """Turns a record into cells; choice texts are looked up once per export, not once per cell.

    The answers are picked in column order by one `itemgetter` over the answers laid
    on a row of blanks, and only the columns that need formatting (choices, the
    professionals, the form's language) are formatted one by one.
    """

    def __init__(self) -> None:
        questions = _questions()
        self.keys = tuple(key for key, _heading in ANSWER_COLUMNS)
        self.formatters: tuple[tuple[int, Callable[[Any], str]], ...] = tuple(
            (index, formatter)
            for index, key in enumerate(self.keys)
            if (formatter := self._formatter(questions.get(key), key)) is not _text
        )
        self._blanks = dict.fromkeys(self.keys, "")
        self._pick = operator.itemgetter(*self.keys)
        self._days = _UKDays()

    @staticmethod
    def _formatter(question: Question | None, key: str) -> Callable[[Any], str]:
        if key == professionals.LIST_KEY:
            return _professionals
        if key == FORM_LANGUAGE:
            return functools.lru_cache(maxsize=64)(i18n.label)
        if question is not None and question.choices:
            return _choice_formatter({c.value: str(c.text.for_audience("they")) for c in question.choices})
        return _text

    def cells(self, row: ExportRow) -> list[str]:
        values = list(self._pick({**self._blanks, **row.answers, FORM_LANGUAGE: row.language}))
        for index, formatter in self.formatters:
            values[index] = formatter(values[index])
        try:
            "".join(values)
        except TypeError:  # an answer stored as a list or a number
            values = [_text(value) for value in values]
        return neutralise_all(_record_cells(row, self._days) + values)


def _text(value: Any) -> str:
    if type(value) is str:
        return value
    return "" if value in (None, []) else str(value)


def _choice_formatter(texts: dict[str, str]) -> Callable[[Any], str]:
    def choice(value: Any) -> str:
        if type(value) is str:  # one choice, the usual case
            return texts.get(value, value) if value else ""
        return _choices(texts, value)

    return choice


def _choices(texts: dict[str, str], value: Any) -> str:
    if value in (None, "", []):
        return ""
    chosen = value if isinstance(value, list) else [value]
    return "; ".join(map(texts.get, chosen, map(str, chosen)))  # texts.get(v, str(v)) for each


def _professionals(value: Any) -> str:
    if not value:
        return ""
    return "; ".join(", ".join([person.get("professional_name", ""), *professional_lines(person)]) for person in value)


class _UKDays(dict[tuple[int, timedelta | None], str]):
    """UK dates of stored times, one time-zone conversion per hour: the UK's offset from UTC
    changes only on the hour, so every moment in an hour falls on the same UK date. The hour
    is found by number (with the offset, so a key is one moment), cheaper than `replace`."""

    def of(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        offset = moment.utcoffset()
        if offset and offset % HOUR:  # a zone off the hour (never UTC): no shortcut
            return day(moment)
        key = (moment.toordinal() * 24 + moment.hour, offset)
        found = self.get(key)
        if found is None:
            found = self[key] = day(moment.replace(minute=0, second=0, microsecond=0))
        return found


def _record_cells(row: ExportRow, days: _UKDays) -> list[str]:
    return [
        row.reference,
        days.of(row.received_at),
        days.of(row.review_due_at),
        row.status or "",
        row.outcome or "",
        row.rating or "",
        "" if row.consent_given_by == "best_interest_needed" else days.of(row.consent_at),
        row.consent_given_by or "",
        row.consent_wording_version or "",
        "yes" if row.best_interest_needed else "no",
        "yes" if row.erased else "no",
    ]
