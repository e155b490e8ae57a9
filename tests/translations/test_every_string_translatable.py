"""Everything a member of the public sees can be translated: a pseudo-localised walk through the portal.

Every message of a test-only catalogue reads "⟦English⟧". Each public page, in plain English and in
easy read, with and without errors, is rendered in that language; any visible text outside the marks
(bar numbers, dates, the reference, answers typed in, the team's own details and the language
names) was never wrapped in `_()` / `{% trans %}`, and fails here with the page and the text.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from portal import i18n
from tests.conftest import Page, PageClient
from tests.consent.conftest import BIRTHDAY, issue_token
from tests.support.journey import PAGES, submit
from tests.translations.catalogues import answers_typed, visible_untranslated

PSEUDO = "pl"
HIDDEN_TAGS = ("script", "style", "template")
SHOWN_ATTRIBUTES = ("alt", "aria-label", "title", "placeholder")
DATE = re.compile(r"\b\d{1,2} \w+ \d{4}\b")
REFERENCE = re.compile(r"\bDSR-[A-Z0-9-]+\b")
INFORMATION_PAGES = ("/", "/privacy", "/accessibility", "/help", "/come-off-the-dsr", "/consent/code")


def allowed_values(app: Flask) -> tuple[str, ...]:
    """Text that is right to show untranslated: what a person typed, the team's details, language names."""
    team = app.config["PORTAL_SETTINGS"].team
    names = tuple(language.name for language in i18n.LANGUAGES.values())
    return (*answers_typed(PAGES), *vars(team).values(), *names, "NHS")


def untranslated(page: Page, allowed: tuple[str, ...]) -> list[str]:
    soup = BeautifulSoup(page.html, "html.parser")
    for tag in soup(HIDDEN_TAGS):
        tag.decompose()
    texts = [soup.get_text("\n")]
    texts += [str(tag[name]) for name in SHOWN_ATTRIBUTES for tag in soup.select(f"[{name}]")]
    texts += [str(tag["value"]) for tag in soup.select("input[type=submit][value], input[type=button][value]")]
    found: list[str] = []
    for text in texts:
        text = REFERENCE.sub(" ", DATE.sub(" ", text))
        found += visible_untranslated(text, allowed)
    return found


class PseudoClient(PageClient):
    """The page client, without the English-only title check ("Error: " is translated here too)."""

    def _remember(self, page: Page) -> None:
        token = page.soup.select_one("input[name=csrf_token]")
        if token:
            self.csrf_token = token["value"]


class Walk:
    """A person going through the portal in the pseudo language; collects every untranslated text."""

    def __init__(self, app: Flask, mode: str) -> None:
        self.client = PseudoClient(app.test_client())
        self.allowed = allowed_values(app)
        self.problems: dict[str, list[str]] = {}
        self.client.get(f"/?lang={PSEUDO}&mode={mode}")

    def see(self, label: str, page: Page) -> Page:
        redirect = 300 <= page.status < 400  # nobody sees a redirect's body
        if not redirect and (found := untranslated(page, self.allowed)):
            self.problems[label] = found
        return page

    def get(self, url: str, expect: int = 200) -> Page:
        return self.see(f"GET {url}", self.client.get(url, expect))

    def post(self, url: str, data: dict[str, object], expect: int | None = None) -> Page:
        return self.see(f"POST {url}", self.client.post(url, data, expect))

    def journey(self) -> None:
        """Every question page, first sent empty (its errors), then answered; check and confirmation."""
        url = "/referral/who"
        for _ in range(40):
            slug = url.removeprefix("/referral/").split("?")[0]
            if slug == "check":
                break
            self.get(url)
            self.post(url, {})
            answered = self.client.post(url, PAGES[slug])
            assert answered.status == 302, f"{slug}: {answered.error_summary}"
            url = answered.response.location
        self.get("/referral/save")
        self.post("/referral/save", {})
        self.get("/referral/check")
        self.see("GET /referral/confirmation", submit(self.client))


@pytest.mark.parametrize("mode", ["plain", "easy"])
def test_every_public_page_shows_only_translated_text(pseudo_app: Flask, mode: str) -> None:
    walk = Walk(pseudo_app, mode)
    for url in INFORMATION_PAGES:
        walk.get(url)
    walk.get("/no-such-page", expect=404)
    walk.post("/come-off-the-dsr", {})
    walk.post("/consent/code", {})
    walk.journey()
    reference = walk.client.get("/referral/confirmation").text_of(".app-reference")
    token = issue_token(pseudo_app, reference)
    walk.get(f"/consent/reconfirm/{token}")
    walk.post(f"/consent/reconfirm/{token}", {})
    walk.post(f"/consent/reconfirm/{token}", BIRTHDAY, expect=302)
    walk.get(f"/consent/reconfirm/{token}/answer")
    walk.post(f"/consent/reconfirm/{token}/answer", {})
    walk.get(f"/consent/reconfirm/{token}/call-back")
    walk.post(f"/consent/reconfirm/{token}/answer", {"decision": "keep"}, expect=302)
    walk.get("/consent/answered")
    walk.get("/consent/reconfirm/a-link-that-was-never-issued")
    walk.get("/referral/return/a-link-that-was-never-issued")
    assert walk.problems == {}, "text shown without _() (wrap it, then run `make translations`)"


def test_the_pseudo_catalogue_is_what_pages_show(pseudo_app: Flask) -> None:
    """The walk above can fail: an English page, unmarked, is all untranslated text."""
    client = PageClient(pseudo_app.test_client())
    english = client.get("/?lang=en")
    assert english.soup.html["lang"] == "en"
    assert any(english.h1 in piece for piece in untranslated(english, allowed_values(pseudo_app)))
    marked = client.get(f"/?lang={PSEUDO}")
    assert marked.soup.html["lang"] == PSEUDO
    assert marked.h1.startswith("⟦")
