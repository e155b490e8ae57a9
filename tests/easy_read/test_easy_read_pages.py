"""Every public page around the form shows its easy-read words in easy read, and only there.

Each page is reached the way a person reaches it (a letter's link, a saved
form's email, a wrong address), then read in both modes and switched by its own link.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

import pytest
from flask import Flask

from easy_read import consent_pages, info_pages, pages
from easy_read.blocks import Block
from tests.conftest import Page, PageClient
from tests.consent.conftest import BIRTHDAY, by_email, issue_token
from tests.consent.test_reminders import outbox
from tests.consent.test_withdrawal_and_saving import REQUEST
from tests.public.test_professionals import NURSE
from tests.services.test_outbox import _allow_inserts, _refuse_inserts
from tests.support.journey import PAGES, walk_to_check

Visit = Callable[[PageClient, Flask], str]


@pytest.fixture
def app(app: Flask) -> Flask:
    app.config["PORTAL_SETTINGS"].consent_link_rate_limit = "10000 per minute"
    return app


def _professionals(client: PageClient, app: Flask) -> str:
    walk_to_check(client)
    return "/referral/professionals/add?return_to=check"


def _professional_listed(client: PageClient, app: Flask) -> str:
    walk_to_check(client)
    client.post("/referral/professionals?return_to=check", {"more_professionals": "yes"}, expect=302)
    client.post("/referral/professionals/add?return_to=check", NURSE, expect=302)
    return "/referral/professionals/1/remove?return_to=check"


def _link(client: PageClient, app: Flask) -> str:
    return f"/consent/reconfirm/{issue_token(app, by_email(client))}"


def _decision(client: PageClient, app: Flask) -> str:
    url = _link(client, app)
    client.post(url, BIRTHDAY, expect=302)
    return f"{url}/answer"


def _call_back(client: PageClient, app: Flask) -> str:
    url = _decision(client, app)
    client.post(url, {"decision": "talk"}, expect=302)
    return url.replace("/answer", "/call-back")


def _answered(decision: str) -> Visit:
    def visit(client: PageClient, app: Flask) -> str:
        url = _decision(client, app)
        if decision == "talk":
            client.post(url, {"decision": "talk"}, expect=302)
            client.post(url.replace("/answer", "/call-back"), {"callback_times": "Mornings"}, expect=302)
        else:
            client.post(url, {"decision": decision}, expect=302)
        return "/consent/answered"

    return visit


def _save(client: PageClient, app: Flask) -> str:
    client.post("/referral/who", PAGES["who"], expect=302)
    return "/referral/save"


def _saved(client: PageClient, app: Flask) -> str:
    client.post(_save(client, app), {"email": "saver@example.com"}, expect=302)
    return "/referral/saved"


def _return(client: PageClient, app: Flask) -> str:
    _saved(client, app)
    message = outbox(app, "save_return")[-1]
    return re.search(r"/referral/return/\S+", message.body).group(0)


def _withdraw_check(client: PageClient, app: Flask) -> str:
    client.post("/come-off-the-dsr", REQUEST, expect=302)
    return "/come-off-the-dsr/check"


def _withdraw_confirmation(client: PageClient, app: Flask) -> str:
    client.post(_withdraw_check(client, app), {}, expect=302)
    return "/come-off-the-dsr/confirmation"


def _too_many(client: PageClient, app: Flask) -> str:
    app.config["PORTAL_SETTINGS"].consent_link_rate_limit = "1 per minute"
    client.get("/consent/reconfirm/not-a-real-token")
    return "/consent/reconfirm/not-a-real-token"


# page → (how to get there, its easy-read blocks, the status it answers with)
READ_BY_LINK: dict[str, tuple[Visit, tuple[Block, ...], int]] = {
    "privacy": (lambda c, a: "/privacy", info_pages.PRIVACY, 200),
    "help": (lambda c, a: "/help", info_pages.HELP, 200),
    "accessibility": (lambda c, a: "/accessibility", info_pages.ACCESSIBILITY, 200),
    "professional add": (_professionals, pages.PROFESSIONAL_ADD, 200),
    "professional remove": (_professional_listed, pages.PROFESSIONAL_REMOVE, 200),
    "consent code": (lambda c, a: "/consent/code", consent_pages.CODE, 200),
    "consent date of birth": (_link, consent_pages.DATE_OF_BIRTH, 200),
    "consent decision": (_decision, consent_pages.DECISION, 200),
    "consent call back": (_call_back, consent_pages.CALL_BACK, 200),
    **{f"consent answered {d}": (_answered(d), consent_pages.ANSWERED[d], 200) for d in ("keep", "remove", "talk")},
    "link no longer works": (lambda c, a: "/consent/reconfirm/not-a-real-token", consent_pages.LINK_DEAD, 200),
    "save for later": (_save, consent_pages.SAVE, 200),
    "saved for later": (_saved, consent_pages.SAVED, 200),
    "return to a saved form": (_return, consent_pages.RETURN, 200),
    "come off": (lambda c, a: "/come-off-the-dsr", consent_pages.WITHDRAW, 200),
    "come off, check": (_withdraw_check, consent_pages.WITHDRAW_CHECK, 200),
    "come off, confirmation": (_withdraw_confirmation, consent_pages.WITHDRAW_CONFIRMATION, 200),
    "error 404": (lambda c, a: "/no-such-page", info_pages.ERRORS["404"] + info_pages.ERROR_HELP, 404),
    "error 404 in the journey": (
        lambda c, a: "/referral/no-such-question",
        info_pages.ERRORS["404"] + info_pages.ERROR_HELP,
        404,
    ),
    "error 429": (_too_many, info_pages.ERRORS["429"] + info_pages.ERROR_HELP, 429),
}


BLOCK_TEXT = ".app-easy-read-block__text"


def easy_read_sentences(page: Page) -> list[str]:
    """The page's own easy-read sentences (not the emergency help every page carries)."""
    return [" ".join(p.get_text(" ").split()) for p in page.select(f"{BLOCK_TEXT}:not(.app-urgent-help *)")]


def assert_shows(page: Page, blocks: tuple[Block, ...]) -> None:
    """Every block's words, in order; a filled-in value (`%(date)s`) is matched up to where it starts."""
    shown = easy_read_sentences(page)
    assert [s[: len(str(b.text).split("%(")[0])] for s, b in zip(shown, blocks, strict=True)] == [
        str(b.text).split("%(")[0] for b in blocks
    ]
    assert "%(" not in page.text_of("main")
    for picture, block in zip(
        page.select(".app-easy-read-block__picture:not(.app-urgent-help *)"), blocks, strict=True
    ):
        assert picture["src"].startswith(f"/assets/picture-{block.picture}.")


@pytest.mark.parametrize("name", READ_BY_LINK)
def test_each_page_shows_its_easy_read_words_in_easy_read(client, app, name):
    visit, blocks, status = READ_BY_LINK[name]
    client.get("/?mode=easy")
    page = client.get(visit(client, app), expect=status)
    assert_shows(page, blocks)


@pytest.mark.parametrize("name", READ_BY_LINK)
def test_each_page_has_no_easy_read_words_in_plain_english(client, app, name):
    visit, _blocks, status = READ_BY_LINK[name]
    page = client.get(visit(client, app), expect=status)
    assert easy_read_sentences(page) == []
    assert page.text_of("main") != page.h1


@pytest.mark.parametrize("name", READ_BY_LINK)
def test_each_page_s_own_switch_link_opens_it_in_easy_read_and_back(client, app, name):
    visit, blocks, status = READ_BY_LINK[name]
    url = visit(client, app)
    plain = client.get(url, expect=status)
    switch = plain.soup.select_one(".app-reading-mode-switch a")
    assert switch["href"].startswith("?"), "query-only, so a signed link's token never appears in its page"
    easy = client.get(urljoin(url, switch["href"]), expect=status)
    assert_shows(easy, blocks)
    back = easy.soup.select_one(".app-reading-mode-switch a")
    assert easy_read_sentences(client.get(urljoin(url, back["href"]), expect=status)) == []


def test_the_accessibility_statement_credits_openmoji_in_easy_read_too(client):
    credit = client.get("/accessibility?mode=easy").soup.select_one(".app-picture-credit")
    assert "OpenMoji" in credit.get_text()
    assert credit.select_one("a[href='https://creativecommons.org/licenses/by-sa/4.0/']")


def test_the_emergency_help_on_every_page_is_in_easy_read_too(client):
    """Not for emergencies is said on every page; in easy read it says so in easy read."""
    easy = client.get("/referral/who?mode=easy")
    shown = [" ".join(p.get_text(" ").split()) for p in easy.select(f".app-urgent-help {BLOCK_TEXT}")]
    assert shown == [str(block.text) for block in pages.URGENT]
    assert "not an emergency service" not in easy.text_of(".app-urgent-help")
    assert "not an emergency service" in client.get("/referral/who?mode=plain").text_of(".app-urgent-help")


# -- error pages reached by a failed post -------------------------------------------------


def test_a_timed_out_page_is_in_easy_read(client):
    client.get("/?mode=easy")
    page = client.post("/referral/who", PAGES["who"], expect=400, csrf=False)
    assert_shows(page, info_pages.ERRORS["session_expired"] + info_pages.ERROR_HELP)


def test_a_too_long_answer_is_in_easy_read(client):
    client.get("/?mode=easy")
    page = client.post("/referral/who", {"who": "x" * 600_000}, expect=413)
    assert_shows(page, info_pages.ERRORS["413"] + info_pages.ERROR_HELP)


def test_a_problem_with_the_service_is_in_easy_read(client, app):
    client.get("/?mode=easy")
    check = walk_to_check(client)
    submission_id = check.soup.select_one("input[name=submission_id]")["value"]
    _refuse_inserts(app, "referrals")
    try:
        page = client.post("/referral/check", {"submission_id": submission_id}, expect=500)
    finally:
        _allow_inserts(app, "referrals")
    assert_shows(page, info_pages.ERRORS["500"] + info_pages.ERROR_HELP)


def test_staff_error_pages_stay_in_plain_english(client):
    client.get("/?mode=easy")
    page = client.get("/staff/no-such-page", expect=404)
    assert easy_read_sentences(page) == []
    assert page.select(".app-reading-mode-switch") == []
