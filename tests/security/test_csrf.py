"""Every route that changes something refuses a post without this session's CSRF token, and stores nothing.

The routes come from the app's own URL map, so a new form is covered the day it is added.
"""

from __future__ import annotations

import pytest
from flask import Flask

from tests.conftest import PageClient
from tests.security.support import PROFESSIONAL, post_raw, routes, table_rows, urls_for
from tests.support.journey import PAGES

TIMED_OUT = "Sorry, this page has timed out"


def _plausible_form(url: str, client: PageClient) -> dict[str, object]:
    """What the page would post: its valid answers, or the check page's submission id."""
    slug = url.removeprefix("/referral/").split("?")[0]
    if slug == "check":
        return {"submission_id": client.get("/referral/check").soup.select_one("input[name=submission_id]")["value"]}
    if slug == "professionals/add":
        return dict(PROFESSIONAL)
    return {**PAGES.get(slug, {}), "back": "/referral/who"}


def _token_from_another_session(app: Flask) -> str:
    other = PageClient(app.test_client())
    other.get("/referral/who")
    return other.csrf_token


@pytest.mark.parametrize("token", ["missing", "empty", "forged", "another session's"])
def test_every_post_route_refuses_a_missing_or_wrong_csrf_token_and_stores_nothing(app, carer_at_check, token):
    tokens = {"empty": "", "forged": "IjAwMDAi.aaaa.bbbb", "another session's": _token_from_another_session(app)}
    before = table_rows(app)
    checked = []
    for rule in routes(app, "POST"):
        for url in urls_for(rule):
            data = _plausible_form(url, carer_at_check)
            if token in tokens:
                data["csrf_token"] = tokens[token]
            page = post_raw(carer_at_check, url, data, csrf=False)
            assert page.status == 400, f"POST {url} with {token} token: {page.status}"
            assert page.h1 == TIMED_OUT, f"POST {url}: {page.h1!r}"
            checked.append(url)
    assert table_rows(app) == before
    assert "/referral/check" in checked and "/session/extend" in checked


def test_a_fetch_to_keep_answers_without_the_token_header_is_refused(app, carer_at_check):
    before = table_rows(app)
    response = carer_at_check.client.post("/session/extend", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert table_rows(app) == before
