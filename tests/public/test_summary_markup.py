"""Check your answers' flat summary list gives the same HTML as NHS.UK's own `summaryList` macro.

Each section of the check page, for a person referring themself and for a parent with
professionals listed and hostile text in the free-text answers, is rendered through
`components/summary-list.html` (what the page uses) and through the `nhsuk-frontend-jinja`
macro with the same rows. The two must parse to the same tree, so the page cannot drift
from NHS.UK's markup.
"""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string
from sqlalchemy import select

from forms.journey import Journey
from forms.referral import STEPS
from portal import db
from portal.models import Draft
from portal.public.summary import check_sections
from portal.services import drafts
from tests.support.journey import CHILD_BIRTHDAY, walk_to_check
from tests.support.markup import WRONG, tree

FLAT = '{% from "components/summary-list.html" import summary_list %}{{ summary_list(rows) }}'
NHSUK = '{% from "nhsuk/components/summary-list/macro.jinja" import summaryList %}{{ summaryList({"rows": rows}) }}'
PARENT = {"who": {"who": "parent"}, "date_of_birth": CHILD_BIRTHDAY, "support": {"support": WRONG}}
DOCTOR = {
    "professional_name": "Dr <i>Jo</i> Bloggs",
    "professional_role": "GP",
    "professional_organisation": "",
    "professional_contact": "",
}


def _at_check(client, changes: dict):  # type: ignore[no-untyped-def]
    """Check your answers after `changes`; a parent also lists a professional (the add-another rows)."""
    check = walk_to_check(client, **changes)
    if changes:
        client.post("/referral/professionals?return_to=check", {"more_professionals": "yes"}, expect=302)
        client.post("/referral/professionals/add?return_to=check", DOCTOR, expect=302)
        client.post("/referral/professionals?return_to=check", {"more_professionals": "no"}, expect=302)
        check = client.get("/referral/check")
    return check


def _sections(app: Flask) -> list[dict]:
    with app.test_request_context("/referral/check"):
        draft = db.session().scalars(select(Draft)).one()
        return check_sections(Journey(STEPS, drafts.answers_of(draft)))


@pytest.mark.parametrize("changes", [{}, PARENT], ids=["themself", "parent-with-professional"])
def test_each_check_section_renders_as_the_nhsuk_macro_does(app: Flask, client, changes: dict) -> None:  # type: ignore[no-untyped-def]
    check = _at_check(client, changes)
    assert check.status == 200
    sections = _sections(app)
    assert sections and all(section["rows"] for section in sections)
    with app.test_request_context("/referral/check"):
        for section in sections:
            flat = render_template_string(FLAT, rows=section["rows"])
            nhsuk = render_template_string(NHSUK, rows=section["rows"])
            assert tree(flat) == tree(nhsuk), f"{section['title']}:\n{flat}\n---\n{nhsuk}"


def test_the_check_page_uses_the_flat_list_and_shows_answers_escaped(app: Flask, client) -> None:  # type: ignore[no-untyped-def]
    check = _at_check(client, PARENT)
    lists = check.soup.select("dl.nhsuk-summary-list")
    assert len(lists) == len(_sections(app))
    values = [value.get_text() for value in check.soup.select(".nhsuk-summary-list__value")]
    assert any("\"&'" in value for value in values), "the hostile answer is not shown as typed"
    assert any("Bloggs" in listed.get_text() for listed in lists), "the professional is not listed"
    assert not check.soup.select(".nhsuk-summary-list__value b, .nhsuk-summary-list__value i")
