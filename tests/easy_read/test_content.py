"""Easy-read content as data: every page has it, every picture exists and is used, words are translatable."""

from __future__ import annotations

import json

import pytest
from flask_babel.speaklater import LazyString

from easy_read.blocks import Block
from easy_read.messages import MESSAGES as EASY_READ_MESSAGES
from easy_read.messages import REFUSALS, THINGS
from easy_read.pictures import PICTURES, asset_name, source_file
from easy_read.questions import QUESTIONS
from forms import consent
from forms.messages import MESSAGES
from forms.referral import STEPS
from forms.withdrawal import CALLBACK_TIMES, RECONFIRM, WITHDRAWAL_QUESTIONS
from portal.assets import DIST
from tests.easy_read.pages import ALL_BLOCKS, defined_blocks

QUESTION_IDS = {q.id for step in STEPS for q in step.questions}


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.slug)
def test_every_question_page_has_easy_read_words(step):
    assert QUESTIONS.get(step.questions[0].id)


def test_easy_read_words_are_keyed_by_real_question_ids():
    assert set(QUESTIONS) <= QUESTION_IDS


@pytest.mark.parametrize(
    ("step", "question"),
    [(s, q) for s in STEPS for q in s.questions if q.picture],
    ids=lambda x: getattr(x, "id", getattr(x, "slug", "")),
)
def test_a_question_s_picture_idea_is_shown_on_its_page(step, question):
    assert question.picture in PICTURES
    assert question.picture in {b.picture for b in QUESTIONS[step.questions[0].id]}


def test_every_picture_is_used_so_only_used_pictures_are_served():
    assert set(PICTURES) == {b.picture for b in ALL_BLOCKS}


def test_every_easy_read_block_is_on_a_page_the_readability_gate_measures():
    measured = {id(b) for b in ALL_BLOCKS}
    assert [name for name, b in defined_blocks() if id(b) not in measured] == []


def test_every_picture_means_one_idea():
    """The same picture for the same idea everywhere: two ideas never share a drawing."""
    assert len(set(PICTURES.values())) == len(PICTURES)


def test_every_consent_no_has_an_easy_read_version():
    assert set(REFUSALS) == {q.id for q in consent.QUESTIONS.values() if q.refusals}
    assert all(isinstance(text, LazyString) for text in REFUSALS.values())


def test_easy_read_names_of_things_are_for_real_questions():
    """A renamed plain question would silently lose its easy-read name: each key is a question's words."""
    questions = [*consent.QUESTIONS.values(), RECONFIRM, CALLBACK_TIMES, *WITHDRAWAL_QUESTIONS]
    plain_things = {consent.source_text(text) for q in questions for text in (q.thing.you, q.thing.they) if text}
    assert set(THINGS) <= plain_things
    assert all(isinstance(text, LazyString) for text in THINGS.values())


@pytest.mark.parametrize("idea", PICTURES)
def test_every_picture_comes_from_openmoji_and_is_built(idea):
    assert source_file(idea).read_text().startswith("<svg")
    manifest = json.loads((DIST / "manifest.json").read_text())
    built = DIST / manifest[asset_name(idea)]
    assert built.read_text().startswith("<svg") and built.with_name(built.name + ".br").exists()


def test_a_block_with_an_unknown_picture_is_refused():
    with pytest.raises(ValueError, match="no picture"):
        Block("Hello.", "unicorn")


def test_every_easy_read_sentence_is_translatable():
    assert all(isinstance(b.text, LazyString) for b in ALL_BLOCKS)
    assert all(b.alt == "" or isinstance(b.alt, LazyString) for b in ALL_BLOCKS)


def test_every_error_message_has_an_easy_read_version_with_the_same_placeholders():
    assert set(EASY_READ_MESSAGES) == set(MESSAGES)
    for key, plain in MESSAGES.items():
        assert "%(none)s" not in str(plain) or "%(none)s" in str(EASY_READ_MESSAGES[key])
        for placeholder in ("%(max)s", "%(year)s"):
            assert (placeholder in str(plain)) == (placeholder in str(EASY_READ_MESSAGES[key])), key


def test_easy_read_has_no_italics_or_block_capitals():
    for b in ALL_BLOCKS:
        words = str(b.text).replace("NHS", "").replace("GP", "")
        assert not any(w.isupper() and len(w) > 1 for w in words.split()), b.text


def test_the_accessibility_statement_credits_openmoji(client):
    credit = client.get("/accessibility").soup.select_one(".app-picture-credit")
    assert "OpenMoji" in credit.get_text()
    assert credit.select_one("a[href='https://creativecommons.org/licenses/by-sa/4.0/']")
