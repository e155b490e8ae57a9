"""Consent: the version of the words a person agreed to, and what their answer records."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask
from flask_babel import Babel, force_locale

from forms import consent
from forms.consent import ADULT_BEHALF, CHILD_OTHER, PARENTAL, QUESTIONS, SELF, decision, wording_version
from forms.questions import Choice, words

ADULT = "1990-05-01"
CHILD = "2014-07-03"


# -- the version of the words ------------------------------------------------------------


@pytest.mark.parametrize("question", QUESTIONS.values(), ids=QUESTIONS.keys())
def test_the_version_names_the_question_and_is_stable(question):
    version = wording_version(question)
    assert version.startswith(f"{question.id}:")
    assert wording_version(dataclasses.replace(question)) == version


def test_each_consent_question_has_its_own_version():
    versions = {wording_version(q) for q in QUESTIONS.values()}
    assert len(versions) == len(QUESTIONS)


def changed_label(question):
    return dataclasses.replace(question, label=words(str(question.label.you) + " today", question.label.they))


def changed_they_label(question):
    return dataclasses.replace(question, label=words(question.label.you, "Do they agree, really?"))


def changed_hint(question):
    return dataclasses.replace(question, hint=words("Talk to them about it first."))


def changed_choice_text(question):
    first, *rest = question.choices
    return dataclasses.replace(question, choices=(dataclasses.replace(first, text=words("Yes, I agree")), *rest))


def changed_choice_hint(question):
    first, *rest = question.choices
    return dataclasses.replace(
        question, choices=(dataclasses.replace(first, hint=words("You can change your mind")), *rest)
    )


def added_choice(question):
    return dataclasses.replace(question, choices=(*question.choices, Choice("maybe", words("Maybe"))))


@pytest.mark.parametrize(
    "change",
    [changed_label, changed_they_label, changed_hint, changed_choice_text, changed_choice_hint, added_choice],
)
@pytest.mark.parametrize("question", QUESTIONS.values(), ids=QUESTIONS.keys())
def test_the_version_changes_when_any_word_of_the_question_changes(question, change):
    assert wording_version(change(question)) != wording_version(question)


def test_the_version_changes_when_the_best_interest_explanation_changes():
    best_interest = ADULT_BEHALF.choices[1]
    assert best_interest.value == "best_interest"
    reworded = dataclasses.replace(best_interest, hint=words("The DSR team will decide."))
    changed = dataclasses.replace(ADULT_BEHALF, choices=(ADULT_BEHALF.choices[0], reworded, ADULT_BEHALF.choices[2]))
    assert wording_version(changed) != wording_version(ADULT_BEHALF)


@pytest.mark.parametrize("paragraph", range(len(consent.EXPLANATION)))
def test_the_version_changes_when_any_paragraph_of_the_explanation_changes(monkeypatch, paragraph):
    before = wording_version(SELF)
    reworded = list(consent.EXPLANATION)
    reworded[paragraph] = consent.source_text(reworded[paragraph]).replace(" ", "  ", 1)
    monkeypatch.setattr(consent, "EXPLANATION", tuple(reworded))
    assert wording_version(SELF) != before


def test_the_version_does_not_change_when_the_refusal_message_changes():
    kinder = dataclasses.replace(SELF, refusals={"no": "Call the DSR team if you are not sure."})
    assert wording_version(kinder) == wording_version(SELF)


@pytest.fixture
def welsh_app(tmp_path: Path) -> Flask:
    """An app whose Welsh catalogue translates the consent question, so the active language really changes."""
    catalog = Catalog(locale="cy")
    catalog.add(consent.source_text(SELF.label.you), "Ydych chi'n cytuno i fod ar y Gofrestr Cymorth Dynamig?")
    catalog.add(consent.source_text(consent.EXPLANATION[0]), "Rhestr yw'r Gofrestr Cymorth Dynamig.")
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as mo:
        write_mo(mo, catalog)
    app = Flask(__name__)
    Babel(app, default_translation_directories=str(tmp_path))
    return app


def test_the_version_is_the_same_whatever_language_is_shown(welsh_app):
    with welsh_app.test_request_context():
        english = wording_version(SELF)
        with force_locale("cy"):
            assert str(SELF.label.you).startswith("Ydych chi")  # the words shown really are Welsh
            assert wording_version(SELF) == english


# -- what an answer records ------------------------------------------------------------------


@pytest.fixture
def today(time_machine):
    time_machine.move_to(date(2024, 6, 15), tick=False)


@pytest.mark.usefixtures("today")
@pytest.mark.parametrize(
    ("who", "born", "answer", "recorded"),
    [
        ("self", ADULT, {"consent_self": "yes"}, ("consent_self", "yes", "person")),
        ("self", ADULT, {"consent_self": "no"}, None),
        ("parent", CHILD, {"consent_parental": "yes"}, ("consent_parental", "yes", "parental_responsibility")),
        ("parent", CHILD, {"consent_parental": "no"}, None),
        ("parent", ADULT, {"consent_adult_behalf": "yes"}, ("consent_adult_behalf", "yes", "person_via_referrer")),
        (
            "family_carer",
            ADULT,
            {"consent_adult_behalf": "best_interest"},
            ("consent_adult_behalf", "best_interest", "best_interest_needed"),
        ),
        ("professional", ADULT, {"consent_adult_behalf": "no"}, None),
        (
            "professional",
            CHILD,
            {"consent_child_other": "yes"},
            ("consent_child_other", "yes", "parental_responsibility_via_referrer"),
        ),
        ("someone_else", CHILD, {"consent_child_other": "no"}, None),
    ],
)
def test_the_answer_on_the_route_that_applies_records_who_gave_consent(who, born, answer, recorded):
    assert decision({"who": who, "date_of_birth": born, **answer}) == recorded


@pytest.mark.usefixtures("today")
@pytest.mark.parametrize(
    ("who", "born", "answer"),
    [
        ("self", ADULT, {"consent_parental": "yes"}),  # an answer left from another route
        ("parent", ADULT, {"consent_parental": "yes"}),
        ("parent", CHILD, {"consent_adult_behalf": "yes"}),
        ("professional", CHILD, {"consent_parental": "yes"}),
        ("self", ADULT, {}),
    ],
)
def test_an_answer_on_another_route_records_nothing(who, born, answer):
    assert decision({"who": who, "date_of_birth": born, **answer}) is None


@pytest.mark.parametrize("answers", [{}, {"who": "self"}, {"date_of_birth": ADULT, "consent_self": "yes"}])
def test_no_decision_before_who_and_age_are_known(answers):
    assert decision(answers) is None


@pytest.mark.parametrize(
    ("question", "shown"),
    [
        (
            SELF,
            "We can only add you to the register if you agree. If you are not sure, call the DSR team to talk about it.",
        ),
        (
            PARENTAL,
            "We can only add them to the register if you agree. If you are not sure, call the DSR team to talk about it.",
        ),
        (ADULT_BEHALF, "We can only add them to the register if they agree. Talk to them first, or call the DSR team."),
        (
            CHILD_OTHER,
            "We need someone with parental responsibility to agree first. Talk to them, or call the DSR team.",
        ),
    ],
    ids=["self", "parental", "adult-behalf", "child-other"],
)
def test_saying_no_is_refused_kindly_with_what_to_do(post_page, question, shown):
    slug = next(step.slug for step in consent.STEPS if step.questions == (question,))
    posted = post_page(slug, {question.id: "no"}, "they")
    assert not posted.valid
    assert posted.error(question.id) == shown
