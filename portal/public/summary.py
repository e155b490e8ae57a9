"""Check your answers: each answer as a person would say it, with a link to change it."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape

from forms import professionals
from forms.journey import Journey, Step
from forms.questions import Question


def display_answer(question: Question, value: Any, audience: str) -> Markup | str:
    """The answer in words: choice texts, a long date, line breaks kept; always escaped."""
    if value in (None, "", []):
        return _("Not given")
    if question.kind == "date":
        return format_date(date.fromisoformat(value), "d MMMM y")
    if question.choices:
        texts = {c.value: c.text.for_audience(audience) for c in question.choices}
        chosen = value if isinstance(value, list) else [value]
        return Markup("<br>").join(escape(texts.get(v, v)) for v in chosen)
    return Markup("<br>").join(escape(line) for line in str(value).splitlines())


def _row(step: Step, question: Question, journey: Journey) -> dict[str, Any]:
    label = question.thing.for_audience(journey.audience)
    return {
        "key": {"text": label[:1].upper() + label[1:]},
        "value": {"html": display_answer(question, journey.answers.get(question.id), journey.audience)},
        "actions": {
            "items": [
                {
                    "href": url_for("public.question", slug=step.slug, return_to="check") + f"#{question.id}",
                    "text": _("Change"),
                    "visuallyHiddenText": label,
                }
            ]
        },
    }


def _professional_row(person: dict[str, str], action: dict[str, Any]) -> dict[str, Any]:
    details = [
        person.get(key, "") for key in ("professional_role", "professional_organisation", "professional_contact")
    ]
    return {
        "key": {"text": person.get("professional_name", "")},
        "value": {"html": Markup("<br>").join(escape(line) for line in details if line)},
        "actions": {"items": [{**action, "visuallyHiddenText": person.get("professional_name", "")}]},
    }


def professional_rows(listed: list[dict[str, str]], return_to: str | None = None) -> list[dict[str, Any]]:
    """The add-another list: one row per professional, each with a link to remove them."""
    return [
        _professional_row(
            person,
            {"href": url_for("public.professional_remove", number=n, return_to=return_to), "text": _("Remove")},
        )
        for n, person in enumerate(listed, start=1)
    ]


def _professionals_section(step: Step, journey: Journey) -> list[dict[str, Any]]:
    listed = journey.answers.get(professionals.LIST_KEY, [])
    change = {"href": url_for("public.professionals_list", return_to="check"), "text": _("Change")}
    if not listed:
        return [
            {
                "key": {"text": _("Professionals")},
                "value": {"text": _("None added")},
                "actions": {"items": [{**change, "visuallyHiddenText": _("professionals")}]},
            }
        ]
    return [_professional_row(person, change) for person in listed]


def _question_rows(step: Step, journey: Journey) -> list[dict[str, Any]]:
    return [
        _row(step, question, journey)
        for question in step.questions
        if not question.revealed_by or journey.answers.get(question.id)
    ]


SECTION_ROWS = {professionals.STEP.slug: _professionals_section}


def check_sections(journey: Journey) -> list[dict[str, Any]]:
    """One summary list per page of the journey, in order."""
    return [
        {
            "title": step.title.for_audience(journey.audience),
            "rows": SECTION_ROWS.get(step.slug, _question_rows)(step, journey),
        }
        for step in journey.applicable()
    ]
