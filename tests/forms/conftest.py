"""Fixtures for the form layer: post a page's real form, as the journey view does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from forms.questions import QuestionForm
from forms.referral import STEPS
from tests.conftest import make_app

STEP_BY_SLUG = {step.slug: step for step in STEPS}


@dataclass
class Posted:
    """A page's form after a POST: whether it passed, and the form with its errors."""

    valid: bool
    form: QuestionForm

    def error(self, field_id: str) -> str | None:
        """The first message shown next to a field, or None."""
        errors = self.form[field_id].errors
        return str(errors[0]) if errors else None

    @property
    def summary(self) -> list[dict[str, str]]:
        return self.form.error_items()


PostPage = Callable[..., Posted]


@pytest.fixture
def post_page(app: Flask) -> PostPage:
    """Post `data` to a page's real form and validate it.

    CSRF is off for this form only: these tests are about answers; the page
    tests in tests/public post the token.
    """

    def post(slug: str, data: dict[str, Any], audience: str = "you") -> Posted:
        with app.test_request_context(method="POST", data=data):
            form = STEP_BY_SLUG[slug].form(audience)(meta={"csrf": False})
            return Posted(form.validate(), form)

    return post


@pytest.fixture(scope="module")
def markup_app(sqlite_template: Path) -> Iterator[Flask]:
    """One app for every case: the templates compile once, as in a running server (nothing is written)."""
    app = make_app(f"sqlite:///{sqlite_template}")
    yield app
    app.extensions["engine"].dispose()
