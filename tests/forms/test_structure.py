"""Every question, checked as data: ids, builders, words, choices and what reveals what."""

from __future__ import annotations

import warnings
from collections import Counter

import pytest

from forms import professionals
from forms.journey import Step
from forms.questions import BUILDERS, Question
from forms.referral import STEPS

CHOICE_KINDS = {"radios", "checkboxes"}
AUDIENCES = ("you", "they")

# The add-a-professional page's questions are asked outside STEPS, once per professional.
ADD_PROFESSIONAL = Step("add-professional", professionals.ADD_TITLE, professionals.DETAILS)
PAGES: tuple[Step, ...] = (*STEPS, ADD_PROFESSIONAL)
ON_PAGE = [(step, question) for step in PAGES for question in step.questions]
QUESTIONS = [question for _, question in ON_PAGE]


def by_id(pairs):
    return pytest.mark.parametrize(("step", "question"), pairs, ids=[f"{s.slug}:{q.id}" for s, q in pairs])


def test_every_question_id_is_unique_across_the_journey():
    counts = Counter([q.id for q in QUESTIONS] + [key for step in PAGES for key in step.extra_keys])
    assert [qid for qid, count in counts.items() if count > 1] == []


def test_every_page_slug_is_unique():
    counts = Counter(step.slug for step in PAGES)
    assert [slug for slug, count in counts.items() if count > 1] == []


@by_id(ON_PAGE)
def test_every_kind_has_a_builder(step, question):
    assert question.kind in BUILDERS


@by_id(ON_PAGE)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_question_has_a_label_and_a_thing(step, question, audience):
    assert question.label.for_audience(audience).strip()
    assert question.thing.for_audience(audience).strip()


@by_id(ON_PAGE)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_thing_fits_the_message_vocabulary(step, question, audience):
    """`thing` is a noun phrase that follows "Enter": lower case, no full stop or question mark."""
    thing = question.thing.for_audience(audience)
    assert thing[0].islower(), thing
    assert not thing.endswith((".", "?")), thing


@by_id([(s, q) for s, q in ON_PAGE if q.kind in CHOICE_KINDS])
def test_choice_questions_have_choices_with_unique_values(step, question):
    values = [choice.value for choice in question.choices]
    assert len(values) >= 2
    assert len(values) == len(set(values))


@by_id([(s, q) for s, q in ON_PAGE if q.kind in CHOICE_KINDS])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_choice_has_words(step, question, audience):
    assert all(choice.text.for_audience(audience).strip() for choice in question.choices)


@by_id([(s, q) for s, q in ON_PAGE if q.kind not in CHOICE_KINDS])
def test_questions_without_choices_have_none(step, question):
    assert question.choices == ()
    assert question.reveals == {}
    assert question.exclusive is None


@by_id([(s, q) for s, q in ON_PAGE if q.revealed_by])
def test_a_follow_up_is_revealed_by_a_choice_on_its_own_page(step, question):
    parent_id, value = question.revealed_by
    parents = [q for q in step.questions if q.id == parent_id]
    assert parents, f"{parent_id} is not on the {step.slug} page"
    assert value in {choice.value for choice in parents[0].choices}
    assert parents[0].reveals.get(value) == question.id


@by_id([(s, q) for s, q in ON_PAGE if q.reveals])
def test_a_revealed_question_is_on_the_same_page_and_knows_what_reveals_it(step, question):
    on_page = {q.id: q for q in step.questions}
    for value, target in question.reveals.items():
        assert value in {choice.value for choice in question.choices}
        assert target in on_page, f"{target} is not on the {step.slug} page"
        assert on_page[target].revealed_by == (question.id, value)


@by_id([(s, q) for s, q in ON_PAGE if q.revealed_by])
def test_a_follow_up_is_asked_only_when_revealed(step, question):
    assert not question.required


@by_id([(s, q) for s, q in ON_PAGE if q.exclusive or q.refusals])
def test_exclusive_and_refused_answers_are_choices(step, question):
    values = {choice.value for choice in question.choices}
    assert {question.exclusive} - {None} <= values
    assert set(question.refusals) <= values


@by_id([(s, q) for s, q in ON_PAGE if q.kind not in CHOICE_KINDS | {"date"}])
def test_text_limits_are_sensible(step, question):
    assert 1 <= question.max_length <= 5000


@pytest.mark.parametrize("step", PAGES, ids=[step.slug for step in PAGES])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_page_form_builds_and_renders(app, step, audience):
    with app.test_request_context():
        form = step.form(audience)(meta={"csrf": False})
        for question in step.questions:
            assert f'name="{question.id}' in str(form[question.id]())


def needs_picture(question: Question) -> bool:
    """Easy read shows a picture for each main question; optional details and follow-ups may go without."""
    return question.required and question.revealed_by is None


def test_report_questions_without_an_easy_read_picture():
    """Not a failure yet: easy read will need these pictures. Listed in the warnings summary."""
    missing = [q.id for q in QUESTIONS if needs_picture(q) and not q.picture]
    if missing:
        warnings.warn(f"questions without an easy-read picture: {', '.join(missing)}", stacklevel=1)
