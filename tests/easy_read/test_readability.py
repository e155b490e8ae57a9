"""The readability gate: easy read is short and simple, plain English is plain, and every page's scores are printed.

Easy read: every sentence at most 15 words, every page Flesch reading ease at
least 80, and no hard word without its explanation beside it. Plain English:
each rendered page averages at most 20 words a sentence with a Flesch-Kincaid
grade of at most 9. Run with `-s` to see the table.
"""

from __future__ import annotations

import re

import pytest

from easy_read.blocks import Block
from easy_read.jargon import JARGON
from easy_read.messages import MESSAGES as EASY_READ_MESSAGES
from easy_read.messages import REFUSALS, THINGS
from tests.conftest import PageClient
from tests.easy_read.pages import EASY_READ_PAGES
from tests.easy_read.readability import scores, sentences, visible_text, word_count
from tests.support.journey import PAGES, submit, walk_to_check

MOST_WORDS_IN_A_SENTENCE = 15
LEAST_READING_EASE = 80
MOST_PLAIN_AVERAGE_WORDS = 20
MOST_PLAIN_GRADE = 9
SAMPLE_VALUES = {
    "date": "12 December 2026",
    "phone": "01603 000000",
    "thing": "your full name",
    "Thing": "Your full name",
}
SAMPLE_VALUES |= {"max": "100", "year": "1900", "none": "No", "email": "team@example.nhs.uk"}


def words_of(block: Block) -> str:
    return str(block.text) % SAMPLE_VALUES if "%(" in str(block.text) else str(block.text)


def page_text(blocks: tuple[Block, ...]) -> str:
    return " ".join(words_of(b) for b in blocks)


def print_table(title: str, rows: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}\n{'page':40} {'sentences':>9} {'longest':>7} {'average':>7} {'ease':>6} {'grade':>5}")
    for name, s in rows.items():
        print(
            f"{name:40} {s['sentences']:>9} {s['longest']:>7} {s['average']:>7.1f} {s['ease']:>6.1f} {s['grade']:>5.1f}"
        )


def test_print_easy_read_scores():
    print_table("Easy read", {name: scores(page_text(blocks)) for name, blocks in EASY_READ_PAGES.items()})


@pytest.mark.parametrize("name", EASY_READ_PAGES)
def test_every_easy_read_sentence_has_at_most_15_words(name):
    too_long = [s for s in sentences(page_text(EASY_READ_PAGES[name])) if word_count(s) > MOST_WORDS_IN_A_SENTENCE]
    assert too_long == []


@pytest.mark.parametrize("name", EASY_READ_PAGES)
def test_every_easy_read_page_is_easy_to_read(name):
    assert scores(page_text(EASY_READ_PAGES[name]))["ease"] >= LEAST_READING_EASE


@pytest.mark.parametrize("key", EASY_READ_MESSAGES)
def test_every_easy_read_error_message_is_short(key):
    text = str(EASY_READ_MESSAGES[key]) % SAMPLE_VALUES
    assert max(word_count(s) for s in sentences(text)) <= MOST_WORDS_IN_A_SENTENCE


@pytest.mark.parametrize(("key", "thing"), [(k, t) for k in EASY_READ_MESSAGES for t in THINGS])
def test_every_easy_read_error_message_is_short_with_each_easy_read_thing(key, thing):
    text = str(EASY_READ_MESSAGES[key]) % {**SAMPLE_VALUES, "thing": str(THINGS[thing])}
    assert max(word_count(s) for s in sentences(text)) <= MOST_WORDS_IN_A_SENTENCE


@pytest.mark.parametrize("question_id", REFUSALS)
def test_every_easy_read_consent_no_is_short_and_easy(question_id):
    text = str(REFUSALS[question_id])
    assert max(word_count(s) for s in sentences(text)) <= MOST_WORDS_IN_A_SENTENCE
    assert scores(text)["ease"] >= LEAST_READING_EASE
    assert [term for term in JARGON if _mentions(term, text) and JARGON[term].lower() not in text.lower()] == []


def _mentions(term: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


@pytest.mark.parametrize("name", EASY_READ_PAGES)
def test_a_hard_word_is_explained_where_it_is_first_used(name):
    unexplained = []
    for term, explanation in JARGON.items():
        first = next((b for b in EASY_READ_PAGES[name] if _mentions(term, words_of(b))), None)
        if first is not None and explanation.lower() not in words_of(first).lower():
            unexplained.append(term)
    assert unexplained == []


def test_the_jargon_check_can_fail():
    """A block that names a register term without its explanation is caught."""
    block = Block("Your C(E)TR is on Monday.", "calendar")
    assert _mentions("C(E)TR", words_of(block))
    assert JARGON["C(E)TR"] not in words_of(block).lower()


# -- plain English: the pages as rendered -------------------------------------------------


def plain_pages(client) -> dict[str, str]:
    """Every public page of the self-referral journey, in plain English, as visible text."""
    found = {url: visible_text(client.get(url)) for url in ("/", "/privacy", "/accessibility", "/help")}
    url = "/referral/who"
    while not url.endswith("/referral/check"):
        slug = url.removeprefix("/referral/").split("?")[0]
        found[url] = visible_text(client.get(url))
        url = client.post(url, PAGES[slug], expect=302).response.location
    found["/referral/check"] = visible_text(walk_to_check(client))
    found["/referral/confirmation"] = visible_text(submit(client))
    return found


def assert_plain(title: str, pages: dict[str, str]) -> None:
    """Print every page's scores, then fail on any page whose sentences are too long or too hard."""
    rows = {name: scores(text) for name, text in pages.items()}
    print_table(title, rows)
    too_long = {url: round(s["average"], 1) for url, s in rows.items() if s["average"] > MOST_PLAIN_AVERAGE_WORDS}
    too_hard = {url: round(s["grade"], 1) for url, s in rows.items() if s["grade"] > MOST_PLAIN_GRADE}
    assert (too_long, too_hard) == ({}, {})


def test_plain_english_pages_are_plain(client):
    assert_plain("Plain English", plain_pages(client))


def plain_pages_around_the_form(app) -> dict[str, str]:
    """The information, consent-by-link, come-off and error pages, in plain English, as visible text."""
    from tests.easy_read.test_easy_read_pages import READ_BY_LINK

    found = {}
    for name, (visit, _blocks, status) in READ_BY_LINK.items():
        app.config["PORTAL_SETTINGS"].consent_link_rate_limit = "10000 per minute"
        reader = PageClient(app.test_client())
        found[name] = visible_text(reader.get(visit(reader, app), expect=status))
    reader = PageClient(app.test_client())
    found["error session expired"] = visible_text(reader.post("/referral/who", PAGES["who"], expect=400, csrf=False))
    found["error 413"] = visible_text(reader.post("/referral/who", {"who": "x" * 600_000}, expect=413))
    return found


def test_plain_english_pages_around_the_form_are_plain(app):
    assert_plain("Plain English, around the form", plain_pages_around_the_form(app))
