"""Check your answers: each answer in words, with a link to change it."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from forms import professionals
from forms.answers import AnswerRow, answer_sections, professional_lines
from forms.journey import Journey


def _lines_html(lines: list[str]) -> Markup:
    return Markup("<br>").join(escape(line) for line in lines)


def _change_link(row: AnswerRow) -> dict[str, Any]:
    if row.question_id == professionals.LIST_KEY:
        href = url_for("public.professionals_list", return_to="check")
    else:
        href = url_for("public.question", slug=row.step.slug, return_to="check") + f"#{row.question_id}"
    return {"href": href, "text": _("Change"), "visuallyHiddenText": row.label}


def check_sections(journey: Journey) -> list[dict[str, Any]]:
    """One summary list per page of the journey, in order, each row with its change link."""
    return [
        {
            "title": title,
            "rows": [
                {
                    "key": {"text": row.label},
                    "value": {"html": _lines_html(row.lines)},
                    "actions": {"items": [_change_link(row)]},
                }
                for row in rows
            ],
        }
        for title, rows in answer_sections(journey)
    ]


def professional_rows(listed: list[dict[str, str]], return_to: str | None = None) -> list[dict[str, Any]]:
    """The add-another list: one row per professional, each with a link to remove them."""
    return [
        {
            "key": {"text": person.get("professional_name", "")},
            "value": {"html": _lines_html(professional_lines(person))},
            "actions": {
                "items": [
                    {
                        "href": url_for("public.professional_remove", number=number, return_to=return_to),
                        "text": _("Remove"),
                        "visuallyHiddenText": person.get("professional_name", ""),
                    }
                ]
            },
        }
        for number, person in enumerate(listed, start=1)
    ]
