"""Comparing our flat partials with NHS.UK's own macros: the same markup, whitespace aside.

Used by the markup tests of the form widgets, the error summary and check your answers.
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from werkzeug.datastructures import MultiDict

from forms.questions import QuestionForm
from tests.support.journey import PAGES

AUDIENCES = ("you", "they")
WRONG = "not right <b>\"&'</b> ☃"


def tree(html: str) -> list[Any]:
    """The parsed fragment, whitespace between and around text collapsed (a browser shows no difference)."""
    body = BeautifulSoup(f"<body>{html}</body>", "html5lib").body
    assert body is not None
    return _children(body)


def _children(tag: Tag) -> list[Any]:
    result: list[Any] = []
    for child in tag.children:
        if isinstance(child, Tag):
            attributes = {k: " ".join(v) if isinstance(v, list) else v for k, v in child.attrs.items()}
            result.append((child.name, sorted(attributes.items()), _children(child)))
        elif isinstance(child, NavigableString):
            text = str(child) if tag.name == "textarea" else " ".join(str(child).split())
            if text:
                result.append(text)
    return result


def answers_in_state(slug: str, state: str, form: type[QuestionForm]) -> MultiDict[str, Any] | None:
    """A page's form data: `empty` (a GET), `blank` (sent empty), `answered`, `revealed` (follow-ups shown), `wrong`."""
    if state == "empty":
        return None
    if state == "blank":
        return MultiDict()
    data = MultiDict()
    for name, value in PAGES.get(slug, {}).items():
        data.setlist(name, value if isinstance(value, list) else [value])
    for question in form.questions:
        if state == "revealed" and question.reveals:
            data.setlist(question.id, list(question.reveals))
        if state == "wrong" and question.kind not in ("radios", "checkboxes"):
            for name in [question.id, *(f"{question.id}-{part}" for part in ("day", "month", "year"))]:
                if name in data or question.kind == "date":
                    data.setlist(name, [WRONG])
    return data
