"""The readability gate for the easy-read leaflet's own blocks and the ones it reuses, read in leaflet order."""

from __future__ import annotations

import re

import pytest

from easy_read.jargon import JARGON
from easy_read.leaflet import PARTS, every_block
from tests.easy_read.readability import scores, sentences, word_count

VALUES = {"website": "https://www.example.nhs.uk", "phone": "0300 000 0000"}


def words_of(text: object) -> str:
    return str(text) % VALUES if "%(" in str(text) else str(text)


def leaflet_text() -> str:
    return " ".join(words_of(b.text) for b in every_block())


@pytest.mark.parametrize("sentence", sentences(leaflet_text()))
def test_every_leaflet_sentence_has_at_most_15_words(sentence):
    assert word_count(sentence) <= 15


def test_the_leaflet_is_easy_to_read():
    assert scores(leaflet_text())["ease"] >= 80


def test_a_hard_word_is_explained_where_the_leaflet_first_uses_it():
    headings = " ".join(str(part.heading) for part in PARTS[1:])
    unexplained = []
    for term, explanation in JARGON.items():
        mentions = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
        assert not mentions.search(headings), f"{term!r} in a heading, with no room to explain it"
        first = next((b for b in every_block() if mentions.search(words_of(b.text))), None)
        if first is not None and explanation.lower() not in words_of(first.text).lower():
            unexplained.append(term)
    assert unexplained == []
