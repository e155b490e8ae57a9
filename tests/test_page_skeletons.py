"""A question page served from its skeleton is, byte for byte, the page a full render gives, and the skeletons
hold nothing about anyone.

Two apps share one database and one secret: one serves question pages from skeletons, the other
(`PAGE_SKELETONS` off) renders every page in full. The same person's cookie asks both for each
page of the journey, blank and then answered, in plain English and easy read, left to right and
right to left. Only the CSP nonce and the CSRF token may differ, and each page's own are checked
first: the nonce is its response's, the token is the one the next POST is sent with.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from markupsafe import escape

from portal.page_skeletons import Skeleton
from tests.conftest import Page, PageClient
from tests.support.journey import CHILD_BIRTHDAY, PAGES

# Answers no hint or example contains, to look for afterwards: quotes, ampersands and angle brackets must be escaped as a full render escapes them.
TRACEABLE = {
    "name": {"full_name": 'Zoë "Zed" O\'Neil & Söhne', "preferred_name": "Zed & <Zo>"},
    "nhs-number": {"nhs_number": "916 442 3123"},
    "address": {
        "address_line_1": "17 Quillfeather Row",
        "address_line_2": "",
        "town": "Zedbury",
        "postcode": "nr1 3sr",
    },
    "gp": {"gp_practice": 'Riverside & "Parkway" Surgery'},
    "support": {"support": 'A support worker & a "key" worker <weekly>.'},
}
WHO = [("self", {}), ("parent", {"date-of-birth": CHILD_BIRTHDAY}), ("professional", {})]


@pytest.fixture
def two_apps(twin_apps: tuple[Flask, Flask]) -> tuple[Flask, Flask]:
    served, reference = twin_apps
    reference.config["PAGE_SKELETONS"] = False
    return served, reference


def _same_person(source: Any, target: Any) -> None:
    target.set_cookie("session", source.get_cookie("session").value)


def _without_request_values(page: Page) -> str:
    """The page with its nonce and CSRF token replaced, after checking they are this response's own."""
    tokens = set(re.findall(r'name="csrf_token" value="([^"]*)"', page.html))
    assert len(tokens) == 1, tokens
    return page.without_nonce().replace(tokens.pop(), "TOKEN")


def _compare(served: PageClient, reference: Any, url: str) -> Page:
    page = served.get(url)
    _same_person(served.client, reference)
    full = Page(reference.get(url))
    assert full.status == 200
    assert _without_request_values(page) == _without_request_values(full), url
    return page


# Every referrer, language direction and reading mode, each pair of them at least once.
COMBINATIONS = [
    ("self", "en", "plain"),
    ("self", "ar", "easy"),
    ("parent", "en", "easy"),
    ("parent", "ar", "plain"),
    ("professional", "en", "plain"),
    ("professional", "ar", "easy"),
]


@pytest.mark.parametrize(("who", "language", "mode"), COMBINATIONS)
def test_every_question_page_is_the_page_a_full_render_gives(two_apps, who, language, mode):
    changes = dict(WHO)[who]
    served_app, reference_app = two_apps
    served, reference = PageClient(served_app.test_client()), reference_app.test_client()
    served.get(f"/?lang={language}&mode={mode}")
    pages = {**PAGES, **TRACEABLE, "who": {"who": who}, **changes}
    url, seen = "/referral/who", []
    while not url.endswith("/referral/check"):
        slug = url.removeprefix("/referral/").split("?")[0]
        seen.append(slug)
        _compare(served, reference, url)  # blank, the first time (and the skeleton is made)
        _compare(served, reference, url)  # blank, from the skeleton
        sent = served.post(url, pages[slug], expect=302)  # with the token the skeleton's page carried
        _compare(served, reference, url)  # answered: typed answers in the holes, or a full render
        url = sent.response.location
        assert len(seen) < 40
    skeletons = served_app.extensions["page_skeletons"].values()
    usable = [s for s in skeletons if isinstance(s, Skeleton)]
    assert len(usable) == len(list(skeletons)), "a page could not be served from a skeleton"
    assert len(usable) >= len(seen) - 1  # the professionals page has its own view


def test_the_skeletons_hold_nothing_anyone_typed(two_apps):
    served_app, _ = two_apps
    client = PageClient(served_app.test_client())
    url = "/referral/who"
    while not url.endswith("/referral/check"):
        slug = url.removeprefix("/referral/").split("?")[0]
        client.get(url)
        client.post(url, {**PAGES, **TRACEABLE}[slug], expect=302)
        url = client.post(url, {**PAGES, **TRACEABLE}[slug], expect=302).response.location
    kept = "".join(
        "".join(s.pieces) for s in served_app.extensions["page_skeletons"].values() if isinstance(s, Skeleton)
    )
    assert kept
    for answers in TRACEABLE.values():
        for value in answers.values():
            assert not value or (value not in kept and str(escape(value)) not in kept), value


def test_a_page_with_a_chosen_answer_or_a_query_is_rendered_in_full(two_apps):
    served_app, _ = two_apps
    client = PageClient(served_app.test_client())
    client.post("/referral/who", {"who": "self"}, expect=302)
    assert client.get("/referral/who").select("input[value=self]")[0].has_attr("checked")
    client.get("/referral/name?return_to=check")
    assert "name" not in [key[1] for key in served_app.extensions["page_skeletons"]]
    client.get("/referral/name")
    assert "name" in [key[1] for key in served_app.extensions["page_skeletons"]]
