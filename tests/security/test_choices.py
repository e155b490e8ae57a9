"""Radios and checkboxes posted wrongly by a script: no server error, and nothing but an allowed choice is kept.

A browser can only send the choices on the page; a script can send anything:
a value that is not a choice, the same value twice, two values for one
radio, markup, or answers that belong to another page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Flask

from forms.journey import Journey
from forms.questions import Question
from forms.referral import STEPS
from tests.conftest import PageClient
from tests.security.support import SCRIPT, draft_answers, every_answer_string, post_raw
from tests.support.journey import PAGES

UNKNOWN = "not-one-of-the-choices"
CHOICES = {q.id: q for step in STEPS for q in step.questions if q.choices}
# What the carer's referral (the `carer_at_check` fixture) holds for each question with choices.
CARER = {**{k: v for answers in PAGES.values() for k, v in answers.items()}, "who": "family_carer"}


def _wrong_posts(question: Question, valid: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    kept = CARER[question.id]
    current = kept[0] if isinstance(kept, list) else kept
    other = next(c.value for c in question.choices if c.value != current)
    yield "unknown value", {**valid, question.id: UNKNOWN}
    yield "unknown among known", {**valid, question.id: [current, UNKNOWN]}
    yield "same value twice", {**valid, question.id: [current, current]}
    yield "two values", {**valid, question.id: [current, other]}
    yield "markup", {**valid, question.id: SCRIPT}
    yield "empty name", {**valid, "": UNKNOWN, f"{question.id}[]": UNKNOWN}
    yield (
        "another page's answers",
        {
            **valid,
            "who": "professional" if question.id != "who" else current,
            "full_name": UNKNOWN,
            "diagnosis": UNKNOWN,
            "professionals": UNKNOWN,
            "submission_id": UNKNOWN,
        },
    )


def _assert_only_allowed_choices(answers: dict[str, Any]) -> None:
    assert not [s for s in every_answer_string(answers) if UNKNOWN in s or "<script" in s], "an unknown value was kept"
    assert answers["who"] == "family_carer", "an answer from another page was kept"
    assert answers["full_name"] == PAGES["name"]["full_name"]
    for question_id, question in CHOICES.items():
        if question_id not in answers or answers[question_id] in ("", []):
            continue
        kept = answers[question_id]
        chosen = kept if isinstance(kept, list) else [kept]
        assert len(chosen) == len(set(chosen)), f"{question_id}: a choice kept twice"
        assert set(chosen) <= {c.value for c in question.choices}, f"{question_id}: {chosen}"


def _post_wrongly(client: PageClient, app: Flask, step_slug: str, question: Question) -> tuple[list[str], int]:
    """Every wrong post for one question; returns what went wrong and how many posts were refused with a message."""
    problems, refused = [], 0
    valid = {name: CARER[name] for name in PAGES[step_slug]}
    for what, data in _wrong_posts(question, valid):
        applies = step_slug in {s.slug for s in Journey(STEPS, draft_answers(app)[0]).applicable()}
        page = post_raw(client, f"/referral/{step_slug}?return_to=check", data)
        if page.status >= 500:
            problems.append(f"{step_slug} {what}: status {page.status}")
            continue
        refusable = what == "unknown value" or (what == "unknown among known" and question.kind == "checkboxes")
        if applies and refusable:
            refused += 1
            if not page.error_summary:
                problems.append(f"{step_slug} {what}: accepted without an error message")
        try:
            _assert_only_allowed_choices(draft_answers(app)[0])
        except AssertionError as error:
            problems.append(f"{step_slug} {what}: {error}")
    return problems, refused


def test_wrong_values_for_radios_and_checkboxes_are_refused_and_never_kept(app, carer_at_check):
    problems, refused = [], 0
    for step in STEPS:
        for question in step.questions:
            if question.choices:
                found, count = _post_wrongly(carer_at_check, app, step.slug, question)
                problems, refused = problems + found, refused + count
    assert problems == []
    assert refused >= 10, "too few pages were really tried"
    assert carer_at_check.get("/referral/check").h1 == "Check your answers before sending your referral"
