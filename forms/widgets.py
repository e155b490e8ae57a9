"""One WTForms widget per NHS.UK component (after govuk-frontend-wtf's `map_gov_params`).

A widget derives `id`, `name`, `label`, `hint`, `errorMessage` and the items
from the bound field, deep-merges the `params` the template passes, and
renders the component's `nhsuk-frontend-jinja` macro. Text is passed as
`text`, which the macros escape; only HTML we made ourselves is passed as `html`.
"""

from __future__ import annotations

import copy
from typing import Any

from flask import current_app
from markupsafe import Markup
from wtforms import Field


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge `extra` into a copy of `base`."""
    result = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def _macro(component: str, name: str):  # type: ignore[no-untyped-def]
    """The compiled macro, cached on the app's Jinja environment."""
    env = current_app.jinja_env
    cache: dict[str, Any] = env.globals.setdefault("_nhsuk_macros", {})
    if name not in cache:
        template = env.get_template(f"nhsuk/components/{component}/macro.jinja")
        cache[name] = getattr(template.module, name)
    return cache[name]


class NhsukWidget:
    """Base: subclasses name the component and add what is particular to it."""

    component = ""
    macro = ""
    params: dict[str, Any] = {}

    def __init__(self, **params: Any) -> None:
        self.params = merge(self.params, params)

    def __call__(self, field: Field, params: dict[str, Any] | None = None, **_: Any) -> Markup:
        mapped = merge(self.params, self.map_params(field))
        mapped = merge(mapped, params or {})
        # The macro escapes every `text` param itself (autoescape is on for .jinja).
        return Markup(_macro(self.component, self.macro)(mapped))  # noqa: S704

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


class Input(NhsukWidget):
    component, macro = "input", "input"

    def __init__(self, input_type: str = "text", **params: Any) -> None:
        super().__init__(type=input_type, **params)

    def map_params(self, field: Field) -> dict[str, Any]:
        params = super().map_params(field)
        value = field._value() if hasattr(field, "_value") else field.data
        params["value"] = value if value is not None else ""
        return params


class Textarea(NhsukWidget):
    component, macro = "textarea", "textarea"
    params = {"rows": 5}

    def map_params(self, field: Field) -> dict[str, Any]:
        params = super().map_params(field)
        params["value"] = field._value() if hasattr(field, "_value") else (field.data or "")
        return params


class CharacterCount(Textarea):
    """A textarea that tells the person how many characters are left (JS), and the limit in the hint."""

    component, macro = "character-count", "characterCount"

    def map_params(self, field: Field) -> dict[str, Any]:
        params = super().map_params(field)
        params["maxlength"] = getattr(field, "max_length", 2000)
        return params


class _Choices(NhsukWidget):
    """Radios and checkboxes: the label is the fieldset legend, items come from the choices."""

    def checked(self, field: Field, value: str) -> bool:
        raise NotImplementedError

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
            item: dict[str, Any] = {"value": value, "text": str(text), "checked": self.checked(field, value)}
            if hint:
                item["hint"] = {"text": str(hint)}
            if value in revealed:
                item["conditional"] = {"html": revealed[value]()}
            if value == getattr(field, "exclusive", None):
                items.append({"divider": str(getattr(field, "divider_text", "or"))})
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

    def checked(self, field: Field, value: str) -> bool:
        return value in (field.data or [])


class DateInput(NhsukWidget):
    """Day, month and year boxes; only the boxes at fault are marked in error."""

    component, macro = "date-input", "dateInput"

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
