"""The flat component partials give the same HTML as NHS.UK's own macros.

Every question of every referral page, for both audiences, empty, with
answers, with errors (empty and with wrong answers) and with follow-up
questions revealed, is rendered through our widget (the flat partial in
portal/templates/components/) and through the `nhsuk-frontend-jinja` macro
with the same params. The two must parse to the same tree: if NHS.UK's
markup moves on, this fails rather than the pages drifting from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from werkzeug.datastructures import MultiDict

from forms.referral import STEPS
from tests.support.markup import AUDIENCES, WRONG, answers_in_state, tree

# The params templates pass: `macros.html` when a question is the page heading, and smaller headings.
LABEL_PARAMS: tuple[dict[str, Any] | None, ...] = (
    None,
    {"label": {"isPageHeading": True, "size": "l"}},
    {"label": {"isPageHeading": True, "classes": "nhsuk-label--l"}},
    {"label": {"size": "s"}},
)
FIELDSET_PARAMS: tuple[dict[str, Any] | None, ...] = (
    None,
    {"fieldset": {"legend": {"isPageHeading": True, "size": "l"}}},
    {"fieldset": {"legend": {"size": "s"}}},
)


def _cases() -> Iterator[tuple[str, str, str]]:
    for step in STEPS:
        for audience in AUDIENCES:
            for state in ("empty", "answered", "revealed", "blank", "wrong"):
                yield step.slug, audience, state


@pytest.mark.parametrize(("slug", "audience", "state"), list(_cases()))
def test_each_question_renders_as_the_nhsuk_macro_does(markup_app: Flask, slug: str, audience: str, state: str) -> None:
    step = next(s for s in STEPS if s.slug == slug)
    form_class = step.form(audience)
    data = answers_in_state(slug, state, form_class)
    with markup_app.test_request_context(method="POST" if data is not None else "GET"):
        form = form_class(formdata=data, meta={"csrf": False})
        if state in ("blank", "wrong"):
            form.validate()
        for question in form_class.questions:
            field = form[question.id]
            for extra in LABEL_PARAMS if "label" in field.widget.known else FIELDSET_PARAMS:
                params = field.widget.params_for(field, extra)
                flat = str(field(params=extra))
                nhsuk = str(field.widget.nhsuk_macro()(params))
                assert field.widget.fits(params), f"{question.id}: the flat partial is not used for {params}"
                assert tree(flat) == tree(nhsuk), f"{question.id} with {extra}:\n{flat}\n---\n{nhsuk}"


def test_the_wrong_answers_are_shown_escaped(app: Flask) -> None:
    """The check above would pass if both escaped nothing: the person sees their own words, not markup."""
    form_class = next(s for s in STEPS if s.slug == "name").form("you")
    with app.test_request_context(method="POST"):
        form = form_class(formdata=MultiDict({"full_name": WRONG}), meta={"csrf": False})
        html = str(form["full_name"]())
    box = BeautifulSoup(html, "html5lib").select_one("input#full_name")
    assert box is not None and box["value"] == form["full_name"]._value()
    assert "\"&'" in box["value"]
