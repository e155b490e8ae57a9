"""The public pages' flat error summary gives the same HTML as NHS.UK's own `errorSummary` macro.

For every referral page, for both audiences, sent blank and sent with wrong answers (hostile text
included), the form's error list is rendered through `components/error-summary.html` (what the
layout uses) and through the `nhsuk-frontend-jinja` macro. The two must parse to the same tree.
"""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string

from forms.referral import STEPS
from tests.support.markup import AUDIENCES, answers_in_state, tree

FLAT = '{% from "components/error-summary.html" import error_summary %}{{ error_summary(title, items) }}'
NHSUK = (
    '{% from "nhsuk/components/error-summary/macro.jinja" import errorSummary %}'
    '{{ errorSummary({"titleText": title, "errorList": items}) }}'
)
TITLE = "There is a problem <b>&</b>"


@pytest.mark.parametrize("state", ["blank", "wrong"])
@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("slug", [step.slug for step in STEPS])
def test_each_error_list_renders_as_the_nhsuk_macro_does(
    markup_app: Flask, slug: str, audience: str, state: str
) -> None:
    form_class = next(step for step in STEPS if step.slug == slug).form(audience)
    with markup_app.test_request_context(method="POST"):
        form = form_class(formdata=answers_in_state(slug, state, form_class), meta={"csrf": False})
        form.validate()
        items = form.error_items()
        flat = render_template_string(FLAT, title=TITLE, items=items)
        nhsuk = render_template_string(NHSUK, title=TITLE, items=items)
    assert tree(flat) == tree(nhsuk), f"{slug}:\n{flat}\n---\n{nhsuk}"


def test_a_page_sent_blank_shows_the_flat_summary_with_each_message_linked(client) -> None:  # type: ignore[no-untyped-def]
    page = client.post("/referral/who", {}, expect=200)
    summary = page.soup.select_one(".nhsuk-error-summary [role=alert]")
    assert summary is not None
    assert summary.select_one("h2.nhsuk-error-summary__heading").get_text(strip=True) == "There is a problem"
    assert [a["href"] for a in summary.select("ul.nhsuk-error-summary__list a")] == ["#who"]
