"""Answers in words, as a person would say them: one place for check-your-answers, the
team's record page, PDFs and exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from forms import professionals
from forms.journey import Journey, Step
from forms.questions import Question


def answer_lines(question: Question, value: Any, audience: str) -> list[str]:
    """The answer as lines of plain text: choice texts, a long date, line breaks kept."""
    if value in (None, "", []):
        return [_("Not given")]
    if question.kind == "date":
        return [format_date(date.fromisoformat(value), "d MMMM y")]
    if question.choices:
        texts = {c.value: c.text.for_audience(audience) for c in question.choices}
        return [texts.get(v, v) for v in (value if isinstance(value, list) else [value])]
    return str(value).splitlines() or [""]


def label_of(question: Question, audience: str) -> str:
    thing = question.thing.for_audience(audience)
    return thing[:1].upper() + thing[1:]


@dataclass(frozen=True)
class AnswerRow:
    step: Step
    question_id: str
    label: str
    lines: list[str]


def professional_lines(person: dict[str, str]) -> list[str]:
    keys = ("professional_role", "professional_organisation", "professional_contact")
    return [person[key] for key in keys if person.get(key)]


def answer_rows(step: Step, journey: Journey) -> list[AnswerRow]:
    """One page's answers in words (follow-up questions only when answered)."""
    if step.slug == professionals.STEP.slug:
        listed = journey.answers.get(professionals.LIST_KEY, [])
        if not listed:
            return [AnswerRow(step, professionals.LIST_KEY, _("Professionals"), [_("None added")])]
        return [
            AnswerRow(step, professionals.LIST_KEY, person.get("professional_name", ""), professional_lines(person))
            for person in listed
        ]
    return [
        AnswerRow(
            step,
            question.id,
            label_of(question, journey.audience),
            answer_lines(question, journey.answers.get(question.id), journey.audience),
        )
        for question in step.questions
        if not question.revealed_by or journey.answers.get(question.id)
    ]


def answer_sections(journey: Journey) -> list[tuple[str, list[AnswerRow]]]:
    """Every page that applies, in order, with its answers in words."""
    return [(step.title.for_audience(journey.audience), answer_rows(step, journey)) for step in journey.applicable()]
