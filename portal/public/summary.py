"""Check your answers: each answer as a person would say it, with a link to change it."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape

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


def check_sections(journey: Journey) -> list[dict[str, Any]]:
    """One summary list per page of the journey, in order."""
    sections = []
    for step in journey.applicable():
        rows = [
            _row(step, question, journey)
            for question in step.questions
            if not question.revealed_by or journey.answers.get(question.id)
        ]
        sections.append({"title": step.title.for_audience(journey.audience), "rows": rows})
    return sections
