"""Easy read or plain English: chosen on the first page, switched on any page, remembered, carried in a link."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from sqlalchemy import select

from portal import db
from portal.models import Referral
from portal.services import crypto
from tests.conftest import PageClient
from tests.support.journey import PAGES, submit, walk_to_check

PUBLIC_PAGES = ["/", "/privacy", "/accessibility", "/help", "/referral/who"]
EASY_READ_START = "This form asks to put a person on a list. The list is called the Dynamic Support Register."


BLOCK_TEXT = ".app-easy-read-block__text"


def easy_read_sentences(page) -> list[str]:
    """The page's own easy-read sentences (not the emergency help every page carries)."""
    return [" ".join(p.get_text(" ").split()) for p in page.select(f"{BLOCK_TEXT}:not(.app-urgent-help *)")]


def test_the_first_page_asks_how_the_reader_wants_to_read(client):
    page = client.get("/")
    choice = page.text_of(".app-reading-mode-choice")
    assert "How do you want to read this website?" in choice
    assert "Easy read has short sentences and pictures." in choice
    links = {" ".join(a.get_text(" ").split()): a["href"] for a in page.select(".app-reading-mode-choice a")}
    assert links == {"Easy read: short sentences with pictures": "?mode=easy", "Plain English": "?mode=plain"}


def test_plain_english_is_shown_until_easy_read_is_chosen(client):
    page = client.get("/")
    assert EASY_READ_START not in easy_read_sentences(page)
    assert "The Dynamic Support Register (DSR) is a list of people" in page.text_of("main")


def test_a_link_with_mode_easy_opens_the_easy_read_version(client):
    page = client.get("/?mode=easy")
    assert "We will ask for consent. Consent means saying yes to being on the list." in easy_read_sentences(page)
    assert "If someone could die, call 999 now." in easy_read_sentences(page)
    assert page.soup.select_one('.app-reading-mode-choice a[aria-current="true"]')["href"] == "?mode=easy"


def test_the_choice_is_remembered_on_later_pages(client):
    client.get("/?mode=easy")
    page = client.get("/referral/who")
    assert easy_read_sentences(page)[0] == "First, tell us who is filling in this form."


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_links_to_the_other_mode(client, url):
    plain = client.get(url)
    switch = plain.soup.select_one(".app-reading-mode-switch a")
    assert switch.get_text(strip=True) == "Easy read version of this page"
    easy = client.get(urljoin(url, switch["href"]))
    back = easy.soup.select_one(".app-reading-mode-switch a")
    assert back.get_text(strip=True) == "Plain English version of this page"
    assert urljoin(url, back["href"]).startswith(url.split("?")[0])
    assert "app-easy-read" in easy.soup.select_one("main .nhsuk-grid-column-two-thirds")["class"]


def test_the_switch_link_keeps_the_page_address_and_its_query(client):
    walk_to_check(client)
    page = client.get("/referral/name?return_to=check")
    assert page.soup.select_one(".app-reading-mode-switch a")["href"] == "?return_to=check&mode=easy"


def test_switching_back_to_plain_english_is_remembered(client):
    client.get("/?mode=easy")
    client.get("/?mode=plain")
    assert easy_read_sentences(client.get("/referral/who")) == []


def test_an_unknown_mode_in_a_link_changes_nothing(client):
    client.get("/?mode=easy")
    page = client.get("/?mode=shouting")
    assert EASY_READ_START in easy_read_sentences(page)


def test_staff_pages_have_no_reading_mode_switch(client):
    page = client.get("/staff/sign-in")
    assert page.select(".app-reading-mode-switch") == []


def test_error_messages_are_in_easy_read_when_easy_read_is_chosen(client):
    client.get("/?mode=easy")
    client.post("/referral/who", {"who": "self"}, expect=302)
    page = client.post("/referral/name", {"full_name": ""}, expect=200)
    assert page.error_summary == ["Please write your full name."]
    page = client.post("/referral/name", {"full_name": "Sam Lee"}, expect=302)
    page = client.post(
        "/referral/date-of-birth",
        {"date_of_birth-day": "31", "date_of_birth-month": "2", "date_of_birth-year": "2001"},
        expect=200,
    )
    assert page.error_summary == ["Please write a real date. For example, 27 3 2007."]


def test_error_messages_stay_plain_english_in_plain_english(client):
    client.post("/referral/who", {"who": "self"}, expect=302)
    page = client.post("/referral/name", {"full_name": ""}, expect=200)
    assert page.error_summary == ["Enter your full name"]


def test_every_question_page_has_easy_read_words_above_the_question(client):
    client.get("/?mode=easy")
    url = "/referral/who"
    seen = []
    for _ in range(30):
        slug = url.removeprefix("/referral/").split("?")[0]
        if slug == "check":
            break
        page = client.get(url)
        assert easy_read_sentences(page), f"{slug} has no easy-read words"
        for picture in page.select(".app-easy-read-block__picture"):
            assert picture["src"].startswith("/assets/picture-") and picture.has_attr("alt")
        seen.append(slug)
        url = client.post(url, PAGES[slug], expect=302).response.location
    assert seen[0] == "who" and seen[-1] == "consent-self"


def test_check_confirmation_and_consent_are_in_easy_read(client):
    client.get("/?mode=easy")
    check = walk_to_check(client)
    assert easy_read_sentences(check)[0] == "Please check your answers."
    consent = client.get("/referral/consent-self")
    assert "Now we ask for consent. Consent means saying yes." in easy_read_sentences(consent)
    assert "Read all the words about the register" in consent.text_of(".nhsuk-details__summary")
    confirmation = submit(client)
    sentences = easy_read_sentences(confirmation)
    assert sentences[0] == "Thank you. We have your form."
    assert any(s.startswith("The team will read your form. They will tell you what happens by ") for s in sentences)
    assert "%(" not in confirmation.text_of("main")


@pytest.mark.parametrize("who", ["self", "family_carer"])
def test_both_modes_store_identical_answers_and_record_the_mode(app, who):
    for mode in ("plain", "easy"):
        reader = PageClient(app.test_client())
        reader.get(f"/?mode={mode}")
        walk_to_check(reader, who={"who": who})
        submit(reader)
    with app.app_context():
        plain, easy = db.session().scalars(select(Referral).order_by(Referral.id)).all()
        assert crypto.unseal(easy.answers_sealed) == crypto.unseal(plain.answers_sealed)
        assert (plain.reading_mode, easy.reading_mode) == ("plain", "easy")
