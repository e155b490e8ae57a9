"""One WTForms widget per NHS.UK component (after govuk-frontend-wtf's `map_gov_params`).

A widget derives `id`, `name`, `label`, `hint`, `errorMessage` and the items
from the bound field and deep-merges the `params` the template passes. It
renders the component from a flat partial in `portal/templates/components/`
(the same HTML as the `nhsuk-frontend-jinja` macro, proven by
tests/forms/test_widgets_markup.py, at a fraction of the cost: the macros
import four templates per call). Params the partial does not know fall back
to the NHS.UK macro, so nothing a person sees changes. Text is passed as
`text`, which both escape; only HTML we made ourselves is passed as `html`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from babel import Locale
from flask import current_app
from flask_babel import get_locale, gettext, ngettext
from markupsafe import Markup
from wtforms import Field

Macro = Callable[[dict[str, Any]], str]


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge `extra` into a copy of `base` (dicts are copied; other values are not changed by rendering)."""
    result = {key: merge(value, {}) if isinstance(value, dict) else value for key, value in base.items()}
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def _macro(template: str, name: str) -> Macro:
    """The compiled macro, looked up once per app: no template lookups or imports per call."""
    cache: dict[tuple[str, str], Macro] = current_app.extensions.setdefault("nhsuk_widget_macros", {})
    key = (template, name)
    if key not in cache:
        cache[key] = getattr(current_app.jinja_env.get_template(template).module, name)
    return cache[key]


def _only(value: Any, allowed: frozenset[str]) -> bool:
    """`value` is absent, or a dict of `allowed` keys with plain values (what the flat partials know)."""
    if value is None:
        return True
    return isinstance(value, dict) and value.keys() <= allowed


def _plain_attributes(value: Any) -> bool:
    return value is None or (isinstance(value, dict) and all(isinstance(v, str) for v in value.values()))


TEXT = frozenset({"text"})
LABEL = frozenset({"text", "isPageHeading", "size", "classes"})
FIELDSET = frozenset({"legend"})


def _fieldset_fits(fieldset: Any) -> bool:
    return _only(fieldset, FIELDSET) and (not fieldset or _only(fieldset.get("legend"), LABEL))


class NhsukWidget:
    """Base: subclasses name the component, its flat partial and the params the partial knows."""

    component = ""
    macro = ""
    partial = ""
    known: frozenset[str] = frozenset()
    params: dict[str, Any] = {}

    def __init__(self, **params: Any) -> None:
        self.params = merge(self.params, params)

    def __call__(self, field: Field, params: dict[str, Any] | None = None, **_: Any) -> Markup:
        mapped = self.params_for(field, params)
        if self.fits(mapped):
            return Markup(_macro(self.partial, self.macro)(mapped))  # noqa: S704 - the partial escapes `text`
        return self.nhsuk_macro()(mapped)  # type: ignore[return-value]

    def nhsuk_macro(self) -> Macro:
        """The `nhsuk-frontend-jinja` macro itself: the reference the partial must match."""
        return _macro(f"nhsuk/components/{self.component}/macro.jinja", self.macro)

    def params_for(self, field: Field, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """The component's params: the widget's own, then the field's, then the template's."""
        mapped = merge(self.params, self.map_params(field))
        return merge(mapped, params) if params else mapped

    def fits(self, params: dict[str, Any]) -> bool:
        """Whether the flat partial knows every param given (else the NHS.UK macro renders it)."""
        return (
            params.keys() <= self.known
            and _only(params.get("label"), LABEL)
            and _only(params.get("hint"), TEXT)
            and _only(params.get("errorMessage"), TEXT)
            and _plain_attributes(params.get("attributes"))
        )

    def map_params(self, field: Field) -> dict[str, Any]:
        params: dict[str, Any] = {"id": field.id, "name": field.name}
        if field.label and field.label.text:
            params["label"] = {"text": str(field.label.text)}
        hint = getattr(field, "hint", None)
        if hint:
            params["hint"] = {"text": str(hint)}
        if field.errors:
            params["errorMessage"] = {"text": str(field.errors[0])}
        return params


_FIELD = frozenset({"id", "name", "label", "hint", "errorMessage", "value", "classes", "attributes", "autocomplete"})


class Input(NhsukWidget):
    component, macro, partial = "input", "input", "components/input.html"
    known = _FIELD | {"type", "spellcheck", "inputmode"}

    def __init__(self, input_type: str = "text", **params: Any) -> None:
        super().__init__(type=input_type, **params)

    def map_params(self, field: Field) -> dict[str, Any]:
        params = super().map_params(field)
        params["value"] = self.value_of(field)
        return params

    @staticmethod
    def value_of(field: Field) -> Any:
        """What the box shows: the answer so far, as the field writes it, or nothing."""
        value = field._value() if hasattr(field, "_value") else field.data
        return value if value is not None else ""

    def fits(self, params: dict[str, Any]) -> bool:
        return super().fits(params) and isinstance(params.get("value", ""), str)


class Textarea(NhsukWidget):
    component, macro, partial = "textarea", "textarea", "components/character-count.html"
    known = _FIELD | {"rows", "spellcheck"}
    params = {"rows": 5}

    def map_params(self, field: Field) -> dict[str, Any]:
        params = super().map_params(field)
        params["value"] = self.value_of(field)
        return params

    @staticmethod
    def value_of(field: Field) -> Any:
        """What the box shows: the answer so far, as the field writes it, or nothing."""
        return field._value() if hasattr(field, "_value") else (field.data or "")


JS_COUNT = "%{count}"  # NHS.UK's script puts the number here


def cldr_plural_messages(words: Callable[[int], str]) -> dict[str, str]:
    """One message per CLDR plural category of the page's language, as NHS.UK's script looks them up.

    The script picks "one", "few", "many"… with the browser's `Intl.PluralRules`;
    gettext picks its own plural form by number, so each category is translated
    through a number that falls in it (`words(number)` calls `ngettext`, so Babel extracts it).
    """
    return {tag: words(number) for tag, number in _plural_samples(str(get_locale() or "en")).items()}


@cache
def _plural_samples(locale: str) -> dict[str, int]:
    """A number in each CLDR plural category of this language (the rules never change while running)."""
    rule = Locale.parse(locale).plural_form
    samples: dict[str, int] = {}
    for number in range(200):
        samples.setdefault(rule(number), number)
    samples.setdefault("other", 5)  # the script's fallback (Polish uses it only for fractions)
    return samples


def character_count_messages() -> dict[str, Any]:
    """The character count's words in the page's language: the limit in the hint, and what the script says."""
    return {
        "textareaDescriptionText": gettext("You can enter up to %(count)s characters", count=JS_COUNT),
        "charactersUnderLimitText": cldr_plural_messages(
            lambda n: ngettext(
                "You have %(count)s character remaining", "You have %(count)s characters remaining", n, count=JS_COUNT
            )
        ),
        "charactersAtLimitText": gettext("You have 0 characters remaining"),
        "charactersOverLimitText": cldr_plural_messages(
            lambda n: ngettext(
                "You have %(count)s character too many", "You have %(count)s characters too many", n, count=JS_COUNT
            )
        ),
    }


class CharacterCount(Textarea):
    """A textarea that tells the person how many characters are left (JS), and the limit in the hint."""

    component, macro = "character-count", "characterCount"
    known = Textarea.known | {
        "maxlength",
        "textareaDescriptionText",
        "charactersUnderLimitText",
        "charactersAtLimitText",
        "charactersOverLimitText",
    }

    def map_params(self, field: Field) -> dict[str, Any]:
        params = super().map_params(field)
        params["maxlength"] = getattr(field, "max_length", 2000)
        params.update(character_count_messages())
        return params

    def fits(self, params: dict[str, Any]) -> bool:
        return super().fits(params) and bool(params.get("maxlength"))


_ITEM = frozenset({"value", "text", "checked", "hint", "conditional", "divider"})


class _Choices(NhsukWidget):
    """Radios and checkboxes: the label is the fieldset legend, items come from the choices."""

    partial = "components/choices.html"
    known = frozenset({"name", "idPrefix", "fieldset", "hint", "errorMessage", "items", "classes", "attributes"})
    item_keys = _ITEM

    def checked(self, field: Field, value: str) -> bool:
        raise NotImplementedError

    def fits(self, params: dict[str, Any]) -> bool:
        return (
            super().fits(params)
            and _fieldset_fits(params.get("fieldset"))
            and all(
                isinstance(item, dict)
                and item.keys() <= self.item_keys
                and _only(item.get("hint"), TEXT)
                and _only(item.get("conditional"), frozenset({"html"}))
                for item in params.get("items", ())
            )
        )

    def map_params(self, field: Field) -> dict[str, Any]:
        params = super().map_params(field)
        label = params.pop("label", None)
        params.pop("id")
        params["idPrefix"] = field.id
        if label:
            params["fieldset"] = {"legend": {"text": label["text"], "size": "m"}}
        revealed = getattr(field, "revealed", {})
        items = []
        for value, text, hint in field.choice_items():
            words = {"html": text} if isinstance(text, Markup) else {"text": str(text)}
            item: dict[str, Any] = {"value": value, **words, "checked": self.checked(field, value)}
            if hint:
                item["hint"] = {"text": str(hint)}
            if value in revealed:
                item["conditional"] = {"html": revealed[value]()}
            if value == getattr(field, "exclusive", None):
                items.append({"divider": str(getattr(field, "divider_text", None) or gettext("or"))})
                item["exclusive"] = True
            items.append(item)
        params["items"] = items
        return params


class Radios(_Choices):
    component, macro = "radios", "radios"

    def checked(self, field: Field, value: str) -> bool:
        return field.data is not None and str(field.data) == value


class Checkboxes(_Choices):
    component, macro = "checkboxes", "checkboxes"
    item_keys = _ITEM | {"exclusive"}

    def checked(self, field: Field, value: str) -> bool:
        return value in (field.data or [])


_DATE_ITEM = frozenset({"id", "name", "label", "value", "classes", "autocomplete"})


class DateInput(NhsukWidget):
    """Day, month and year boxes; only the boxes at fault are marked in error."""

    component, macro, partial = "date-input", "dateInput", "components/date-input.html"
    known = frozenset({"id", "name", "fieldset", "hint", "errorMessage", "items"})

    def fits(self, params: dict[str, Any]) -> bool:
        items = params.get("items") or []
        classes = [str(item.get("classes", "")) for item in items]
        return (
            super().fits(params)
            and bool(params.get("fieldset", {}).get("legend", {}).get("text"))
            and _fieldset_fits(params["fieldset"])
            and all(item.keys() <= _DATE_ITEM and isinstance(item.get("label"), str) for item in items)
            and all("nhsuk-input--width-" in c for c in classes)
            # The macro marks every box when none is marked; the partial only knows the marked case.
            and (not params.get("errorMessage") or any("nhsuk-input--error" in c for c in classes))
        )

    def map_params(self, field: Field) -> dict[str, Any]:
        params = super().map_params(field)
        label = params.pop("label", None)
        if label:
            params["fieldset"] = {"legend": {"text": label["text"], "size": "m"}}
        wrong = getattr(field, "parts_in_error", set())
        raw = field.raw_parts()
        items = []
        for part, width, autocomplete in (("day", 2, "bday-day"), ("month", 2, "bday-month"), ("year", 4, "bday-year")):
            classes = f"nhsuk-input--width-{width}"
            if field.errors and (not wrong or part in wrong):
                classes += " nhsuk-input--error"
            items.append(
                {
                    "id": f"{field.id}-{part}",
                    "name": f"{field.name}-{part}",
                    "label": str(field.part_labels[part]),
                    "value": raw.get(part, ""),
                    "classes": classes,
                    "autocomplete": autocomplete if getattr(field, "is_birthday", False) else None,
                }
            )
        params["items"] = items
        return params
