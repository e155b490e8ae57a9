"""A question is data; a dict from its kind to a builder makes the WTForms field.

Wording that speaks to "you" or about "them" is chosen in one place
(`Wording.for_audience`), from the "who is filling this in" answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import Field, SelectMultipleField, StringField
from wtforms.fields import RadioField

from forms import validators as v
from forms import widgets
from forms.wtforms_messages import WTFORMS_MESSAGES, WTFormsMessages

Answers = Mapping[str, Any]


@dataclass(frozen=True)
class Wording:
    """Text that differs when the person fills the form in themself ("you") or someone else does ("they")."""

    you: Any
    they: Any = None

    def lazy(self, audience: str) -> Any:
        """The (lazily translated) text, resolved to a language only when shown."""
        return self.they if audience == "they" and self.they is not None else self.you

    def for_audience(self, audience: str) -> str:
        return str(self.lazy(audience))


def words(you: Any, they: Any = None) -> Wording:
    return Wording(you, they)


@dataclass(frozen=True)
class Choice:
    value: str
    text: Wording
    hint: Wording | None = None


@dataclass(frozen=True)
class Question:
    """One question, defined once: its words, its answer kind, its checks, its easy-read picture."""

    id: str
    kind: str
    label: Wording
    thing: Wording
    hint: Wording | None = None
    choices: tuple[Choice, ...] = ()
    required: bool = True
    max_length: int = 100
    autocomplete: str | None = None
    width: int | None = None
    reveals: Mapping[str, str] = field(default_factory=dict)
    revealed_by: tuple[str, str] | None = None
    exclusive: str | None = None
    refusals: Mapping[str, Any] = field(default_factory=dict)
    about_person: bool = True
    picture: str | None = None

    def label_for(self, audience: str) -> str:
        return self.label.for_audience(audience)


# -- fields -----------------------------------------------------------------


# Four times the longest answer we keep (5,000). Only this much of a box is cleaned:
# bleach takes seconds over a few hundred kilobytes of "&amp;", and longer is refused anyway.
TYPED_TEXT_LIMIT = 20_000
TYPED_DATE_PART_LIMIT = 20


class TextField(StringField):
    """Text in, plain text out: cleaned of markup and control characters before any check."""

    def process_formdata(self, valuelist: list[str]) -> None:
        typed = valuelist[0] if valuelist else ""
        self.typed_too_long = len(typed) > TYPED_TEXT_LIMIT
        self.data = v.clean_text(typed[:TYPED_TEXT_LIMIT])


class ChoiceField(RadioField):
    def choice_items(self) -> list[tuple[str, Any, Any]]:
        return [(value, text, hint) for value, text, hint in self.choice_hints]

    def pre_validate(self, form: Any) -> None:
        if self.data not in (None, "") and self.data not in {c[0] for c in self.choice_hints}:
            raise v.StopValidation(v.message("invalid_choice", str(self.thing)))


class MultiChoiceField(SelectMultipleField):
    def choice_items(self) -> list[tuple[str, Any, Any]]:
        return [(value, text, hint) for value, text, hint in self.choice_hints]

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = list(dict.fromkeys(valuelist))

    def pre_validate(self, form: Any) -> None:
        allowed = {c[0] for c in self.choice_hints}
        if any(value not in allowed for value in self.data or []):
            raise v.StopValidation(v.message("invalid_choice", str(self.thing)))
        if self.exclusive and self.exclusive in (self.data or []) and len(self.data) > 1:
            none_text = next(text for value, text, _hint in self.choice_hints if value == self.exclusive)
            raise v.StopValidation(v.message("exclusive", none=str(none_text)))


class DateInputField(Field):
    """Day, month and year as three boxes; keeps what was typed so nothing is lost on an error."""

    part_labels = {"day": _l("Day"), "month": _l("Month"), "year": _l("Year")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._raw: dict[str, str] = {}
        self._typed_too_long: set[str] = set()
        self.parts_in_error: set[str] = set()

    def raw_parts(self) -> dict[str, str]:
        if self._raw:
            return self._raw
        if isinstance(self.data, date):
            return {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        return {}

    @property
    def error_target(self) -> str:
        first = next((p for p in ("day", "month", "year") if p in self.parts_in_error), "day")
        return f"{self.id}-{first}"

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors = []
        self.data = date.fromisoformat(data) if isinstance(data, str) and data else data
        if formdata is not None:
            typed = {p: formdata.get(f"{self.name}-{p}", "") for p in ("day", "month", "year")}
            self._raw = {p: v.clean_text(value[:TYPED_DATE_PART_LIMIT])[:10] for p, value in typed.items()}
            self._typed_too_long = {p for p, value in typed.items() if len(value) > TYPED_DATE_PART_LIMIT}
            self.data = None

    def pre_validate(self, form: Any) -> None:
        if not self._raw:
            return
        thing = str(self.thing)
        missing = {p for p, value in self._raw.items() if not value}
        if len(missing) == 3:
            if self.flags.required:
                raise v.StopValidation(v.message("date_required", thing))
            return
        if missing:
            self.parts_in_error = missing
            raise v.StopValidation(v.message("date_incomplete", thing))
        self.data, wrong = parse_date_parts(self._raw)
        if self.data is None or self._typed_too_long:
            self.data = None
            self.parts_in_error = wrong | self._typed_too_long
            raise v.StopValidation(v.message("date_real", thing))
        if self.data > date.today():
            raise v.StopValidation(v.message("date_past", thing))
        if self.data.year < v.OLDEST_YEAR:
            self.parts_in_error = {"year"}
            raise v.StopValidation(v.message("date_too_old", thing, year=v.OLDEST_YEAR))


DATE_PART_DIGITS = {"day": (1, 2), "month": (1, 2), "year": (4, 4)}


def parse_date_parts(raw: Mapping[str, str]) -> tuple[date | None, set[str]]:
    """The date typed in the three boxes, or None and the boxes at fault.

    Each box must hold digits only (`int()` would also take "1_0", "+1" or
    twelve digits, which overflow `date`), a 4-digit year, and a real day of
    a real month.
    """
    wrong = {
        part
        for part, (fewest, most) in DATE_PART_DIGITS.items()
        if not raw[part].isdecimal() or not fewest <= len(raw[part]) <= most
    }
    if wrong:
        return None, wrong
    day, month, year = (int(raw[part]) for part in ("day", "month", "year"))
    if year < 1:
        return None, {"year"}
    if not 1 <= month <= 12:
        return None, {"month"}
    try:
        return date(year, month, day), set()
    except ValueError:
        return None, {"day"}


# -- builders: kind → field -------------------------------------------------


def _text_checks(question: Question, thing: str) -> list[Any]:
    first: Any = v.Required(thing) if question.required else v.Optional()
    if question.revealed_by:
        first = v.RequiredIf(question.revealed_by[0], question.revealed_by[1], thing)
    return [first, v.MaxLength(question.max_length, thing)]


def _text(question: Question, thing: str) -> Field:
    widget = (
        widgets.Input(autocomplete=question.autocomplete, spellcheck=False)
        if question.autocomplete
        else widgets.Input()
    )
    if question.width:
        widget = widgets.Input(classes=f"nhsuk-input--width-{question.width}", autocomplete=question.autocomplete)
    return TextField(validators=_text_checks(question, thing), widget=widget)


def _name(question: Question, thing: str) -> Field:
    return TextField(
        validators=[*_text_checks(question, thing), v.HasLetters(thing)],
        widget=widgets.Input(autocomplete=question.autocomplete, spellcheck=False),
    )


def _textarea(question: Question, thing: str) -> Field:
    built = TextField(validators=_text_checks(question, thing), widget=widgets.CharacterCount())
    return built


def _normalised(normalise: Callable[[str], str | None], key: str, input_type: str, **params: Any):  # type: ignore[no-untyped-def]
    def build(question: Question, thing: str) -> Field:
        return TextField(
            validators=[*_text_checks(question, thing), v.Normalised(normalise, key)],
            widget=widgets.Input(input_type, autocomplete=question.autocomplete, spellcheck=False, **params),
        )

    return build


def _radios(question: Question, thing: str) -> Field:
    first = v.Required(thing, "choose") if question.required else v.Optional()
    checks = [first, v.Refused(question.refusals)] if question.refusals else [first]
    return ChoiceField(
        validators=checks, widget=widgets.Radios(), choices=[c.value for c in question.choices], validate_choice=False
    )


def _checkboxes(question: Question, thing: str) -> Field:
    first = v.Required(thing, "choose_any") if question.required else v.Optional()
    return MultiChoiceField(
        validators=[first], widget=widgets.Checkboxes(), choices=[c.value for c in question.choices]
    )


def _date(question: Question, thing: str) -> Field:
    return DateInputField(
        validators=[v.Required(thing, "date_required") if question.required else v.Optional()],
        widget=widgets.DateInput(),
    )


BUILDERS: dict[str, Callable[[Question, str], Field]] = {
    "text": _text,
    "name": _name,
    "textarea": _textarea,
    "radios": _radios,
    "checkboxes": _checkboxes,
    "date": _date,
    "postcode": _normalised(v.normalise_postcode, "postcode", "text", classes="nhsuk-input--width-10"),
    "nhs_number": _normalised(
        v.normalise_nhs_number, "nhs_number", "text", classes="nhsuk-input--width-10", inputmode="numeric"
    ),
    "phone": _normalised(v.normalise_phone, "phone", "tel", classes="nhsuk-input--width-20"),
    "email": _normalised(v.normalise_email, "email", "email"),
}


class QuestionForm(FlaskForm):
    """A page's form: one field per question, labelled for its audience."""

    questions: tuple[Question, ...] = ()
    audience = "you"

    class Meta:
        def get_translations(self, form: Any) -> WTFormsMessages:
            return WTFORMS_MESSAGES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in self.questions:
            bound = self[question.id]
            bound.label.text = question.label_for(self.audience)
            bound.hint = question.hint.for_audience(self.audience) if question.hint else None
            bound.thing = question.thing.lazy(self.audience)
            bound.max_length = question.max_length
            bound.exclusive = question.exclusive
            # A browser fills in its owner's birthday: right only when the person fills in for themself.
            bound.is_birthday = question.autocomplete == "bday" and self.audience == "you"
            if question.choices:
                bound.choice_hints = [
                    (
                        c.value,
                        c.text.for_audience(self.audience),
                        c.hint.for_audience(self.audience) if c.hint else None,
                    )
                    for c in question.choices
                ]
            if question.reveals:
                bound.revealed = {value: self._renderer(target) for value, target in question.reveals.items()}

    def _renderer(self, field_id: str) -> Callable[[], Markup]:
        return lambda: self[field_id]()

    def answers(self) -> dict[str, Any]:
        """The answers as stored: dates as ISO strings, unrevealed follow-ups dropped."""
        result: dict[str, Any] = {}
        for question in self.questions:
            data = self[question.id].data
            if question.revealed_by:
                parent, value = question.revealed_by
                chosen = self[parent].data
                if not (value in chosen if isinstance(chosen, list) else chosen == value):
                    data = ""
            if isinstance(data, date):
                data = data.isoformat()
            result[question.id] = data if data is not None else ""
        return result

    def error_items(self) -> list[dict[str, str]]:
        """The error summary: each message linked to the box it is about."""
        items = []
        for question in self.questions:
            bound = self[question.id]
            if bound.errors:
                target = getattr(bound, "error_target", bound.id)
                items.append({"text": str(bound.errors[0]), "href": f"#{target}"})
        return items


_FORM_CLASSES: dict[tuple[str, str], type[QuestionForm]] = {}


def _for_audience(question: Question, audience: str) -> Question:
    """A browser's autofill offers its owner's details: keep it only when they are the person's own."""
    if audience == "they" and question.about_person and question.autocomplete not in (None, "off"):
        return replace(question, autocomplete="off")
    return question


def form_class(key: str, questions: tuple[Question, ...], audience: str) -> type[QuestionForm]:
    """Build (once per page and audience) the form class for a set of questions."""
    cache_key = (key, audience)
    if cache_key not in _FORM_CLASSES:
        attrs: dict[str, Any] = {"questions": questions, "audience": audience}
        for question in questions:
            attrs[question.id] = BUILDERS[question.kind](
                _for_audience(question, audience), question.thing.lazy(audience)
            )
        _FORM_CLASSES[cache_key] = type(f"Form_{key}_{audience}", (QuestionForm,), attrs)
    return _FORM_CLASSES[cache_key]
