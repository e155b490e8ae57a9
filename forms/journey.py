"""A journey: an ordered list of pages, and which of them apply, derived from the answers.

No cursor is stored (after GOV.UK Forms' runner): a page is done when every
question on it has an answer, and the next page is the first that applies and
is not done. "Change" links carry `return_to=check`, the only allowed value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from forms.questions import Question, QuestionForm, Wording, form_class
from forms.validators import age_on

Answers = Mapping[str, Any]
RETURN_TO_VALUES = frozenset({"check"})


def always(_answers: Answers) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    """One page of a journey."""

    slug: str
    title: Wording
    questions: tuple[Question, ...]
    applies: Callable[[Answers], bool] = always
    lead: Wording | None = None
    explanation: tuple[Any, ...] = ()
    extra_keys: tuple[str, ...] = ()
    template: str = "public/referral/question.html"

    @property
    def single(self) -> bool:
        """One question on the page: its label is the page heading."""
        return len(self.questions) == 1

    def form(self, audience: str) -> type[QuestionForm]:
        return form_class(self.slug, self.questions, audience)


def audience(answers: Answers) -> str:
    """'you' when the person fills the form in themself, else 'they'."""
    return "you" if answers.get("who") == "self" else "they"


def age(answers: Answers, today: date | None = None) -> int | None:
    raw = answers.get("date_of_birth")
    if not raw:
        return None
    return age_on(date.fromisoformat(raw), today or date.today())


class Journey:
    """What has been answered, what applies, and where to go next."""

    def __init__(self, steps: tuple[Step, ...], answers: Answers) -> None:
        self.steps = steps
        self.answers = answers
        self.by_slug = {step.slug: step for step in steps}

    @property
    def audience(self) -> str:
        return audience(self.answers)

    def applicable(self) -> list[Step]:
        return [step for step in self.steps if step.applies(self.answers)]

    def is_done(self, step: Step) -> bool:
        return all(q.id in self.answers for q in step.questions)

    def first_unfinished(self) -> Step | None:
        return next((step for step in self.applicable() if not self.is_done(step)), None)

    def is_complete(self) -> bool:
        return self.first_unfinished() is None

    def can_visit(self, step: Step) -> bool:
        """A page can be seen once every applicable page before it is done."""
        if not step.applies(self.answers):
            return False
        for earlier in self.applicable():
            if earlier.slug == step.slug:
                return True
            if not self.is_done(earlier):
                return False
        return False

    def next_slug(self, current: Step, return_to: str | None) -> str:
        """The page after `current`: back to check when changing an answer, unless a new page now applies."""
        unfinished = self.first_unfinished()
        if return_to in RETURN_TO_VALUES:
            return unfinished.slug if unfinished else "check"
        slugs = [step.slug for step in self.applicable()]
        if current.slug in slugs and slugs.index(current.slug) + 1 < len(slugs):
            return slugs[slugs.index(current.slug) + 1]
        return unfinished.slug if unfinished else "check"

    def relevant_answers(self) -> dict[str, Any]:
        """Only the answers to pages that apply: a changed "who" leaves no stale answers behind."""
        kept = {q.id for step in self.applicable() for q in step.questions}
        kept |= {key for step in self.applicable() for key in step.extra_keys}
        return {key: value for key, value in self.answers.items() if key in kept}

    def previous_slug(self, current: Step) -> str | None:
        pages = [step.slug for step in self.applicable()]
        if current.slug in pages and pages.index(current.slug) > 0:
            return pages[pages.index(current.slug) - 1]
        return None
