"""Hostile values typed into every box of the referral journey: no server error, nothing reflected as markup.

Each hostile value goes into each typed box, one at a time, on a referral
that is otherwise complete (a family carer's, so every page applies). Where
the portal refuses a value, it says why next to the box; where it keeps one,
what it keeps is plain text, and the page and check your answers show it as text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from forms import professionals
from forms.validators import BIDI_AND_INVISIBLE
from portal import db
from portal.models import Referral
from tests.conftest import PageClient
from tests.security.support import (
    HOSTILE,
    IMAGE,
    SCRIPT,
    TOO_LONG,
    TypedBox,
    assert_nothing_injected,
    draft_answers,
    post_raw,
    routes,
    typed_boxes,
    urls_for,
)
from tests.support.journey import PAGES, submit, walk_to_check

MARKUP = re.compile(r"<[A-Za-z/!?]")


def _kept(app: Flask, box: TypedBox) -> Any:
    """What the portal kept for this box (for the add-a-professional page, the newest professional's)."""
    (answers,) = draft_answers(app)
    if box.url.endswith("/professionals/add"):
        return answers[professionals.LIST_KEY][-1][box.name]
    return answers[box.question.id]


def _assert_plain_text(value: str) -> None:
    assert not MARKUP.search(value), f"markup kept: {value[:80]!r}"
    odd = [ch for ch in value if ch not in "\n\t" and unicodedata.category(ch) in {"Cc", "Cs"}]
    assert not odd, f"control characters kept: {odd!r}"
    assert not set(value) & BIDI_AND_INVISIBLE, f"bidi overrides kept: {value!r}"


def _visible(text: str) -> str:
    return " ".join(text.split())


def _check_refused(page: Any, box: TypedBox, payload: str | bytes) -> None:
    assert page.error_summary, "a refused answer without an error message"
    field = box.question.id if box.question.kind == "date" else box.name
    assert page.error_for(field), f"no error message next to {field}"
    if payload == TOO_LONG and box.question.kind != "date":
        assert f"{box.question.max_length:,} characters or fewer" in page.error_for(field)


def _check_kept(client: PageClient, app: Flask, box: TypedBox) -> None:
    if box.url.endswith("/professionals/add"):
        client.post("/referral/professionals?return_to=check", {"more_professionals": "no"}, expect=302)
    kept = _kept(app, box)
    _assert_plain_text(kept)
    if box.question.kind != "date" and not box.url.endswith("/add"):
        again = client.get(box.url + "?return_to=check")
        assert_nothing_injected(again)
        shown = again.soup.select_one(f"[name={box.name}]")
        typed = shown.get_text() if shown.name == "textarea" else shown.get("value", "")
        assert typed.strip() == kept.strip(), "the page does not show what was kept, as text"
    check = client.get("/referral/check")
    assert_nothing_injected(check)
    if box.question.kind != "date":
        assert _visible(kept) in _visible(check.text_of("main")), "check your answers does not show what was kept"


def _post_hostile(client: PageClient, app: Flask, box: TypedBox, payload: str | bytes) -> str | None:
    """Post one hostile value into one box; returns what went wrong, or None."""
    data = {**box.valid, box.name: payload}
    if box.question.revealed_by:
        data[box.question.revealed_by[0]] = box.question.revealed_by[1]
    try:
        page = post_raw(client, box.url + "?return_to=check", data)
        if page.status >= 500:
            return f"{box.id}: status {page.status}"
        assert_nothing_injected(page)
        if page.status == 200:
            _check_refused(page, box, payload)
        else:
            assert page.status == 302, f"status {page.status}"
            _check_kept(client, app, box)
    except AssertionError as error:
        return f"{box.id}: {error}"
    return None


@pytest.mark.parametrize("hostile", list(HOSTILE))
def test_a_hostile_value_in_any_box_gives_no_server_error_and_is_never_reflected(app, carer_at_check, hostile):
    problems = [_post_hostile(carer_at_check, app, box, HOSTILE[hostile]) for box in typed_boxes(PAGES)]
    assert [p for p in problems if p] == []
    submit(carer_at_check)
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Referral)) == 1


FREE_TEXT_CHANGES = {
    "name": {"full_name": f"Sam {SCRIPT}", "preferred_name": f"Sam {IMAGE}"},
    "address": {"address_line_1": SCRIPT, "address_line_2": IMAGE, "town": f"Norwich {SCRIPT}", "postcode": "NR1 3SR"},
    "gp": {"gp_practice": IMAGE},
    "safe_contact": {"safe_contact": ["letter"], "contact_times": SCRIPT, "contact_notes": f"{IMAGE}\n{SCRIPT}"},
    "communication": {"formats": ["audio"], "interpreter": "yes", "interpreter_language": SCRIPT, "adjustments": IMAGE},
    "whats_happening": {"risks": ["harm"], "situation": f"{SCRIPT}\r\n{IMAGE}"},
    "hospital": {"in_hospital": "yes", "hospital_name": IMAGE},
    "support": {"support": SCRIPT},
    "referrer": {
        "referrer_name": f"Alex {IMAGE}",
        "referrer_relationship": SCRIPT,
        "referrer_organisation": IMAGE,
        "referrer_phone": "0161 496 0001",
        "referrer_email": "",
    },
}


def test_markup_in_every_free_text_answer_is_shown_as_text_through_to_confirmation(client):
    check = walk_to_check(client, who={"who": "family_carer"}, **FREE_TEXT_CHANGES)
    assert_nothing_injected(check)
    assert check.text_of("main").count("alert(1)") == 9
    confirmation = submit(client)
    assert_nothing_injected(confirmation)


def test_a_body_over_the_size_limit_gets_the_kind_too_long_page_on_every_form(app, client):
    for rule in routes(app, "POST"):
        for url in urls_for(rule):
            page = post_raw(client, url, {"situation": "a" * 1_100_000})
            assert page.status == 413, f"POST {url}: {page.status}"
            assert page.h1 == "Your answer is too long"
