"""Consent: who can give it, the words shown, and the version of those words.

The route depends on age and on who is filling in (DOMAIN.md, "Consent"):
a person aged 16 or over consents for themself; for a child, someone with
parental responsibility does; for an adult who may not be able to decide,
the form records that a best-interest decision may be needed. The version
stored with a consent is a hash of the exact English words shown, so changing
the words changes the version without anyone having to remember to bump it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from easy_read.messages import REFUSALS as EASY_READ_REFUSALS
from forms.journey import Answers, Step, age
from forms.messages import ByReadingMode
from forms.questions import Choice, Question, Wording, words

ADULT_AGE = 16

EXPLANATION: tuple[Any, ...] = (
    _l(
        "The Dynamic Support Register (DSR) is a list kept by the local NHS and council. It helps them give the right support early, so that people can stay well at home and out of hospital."
    ),
    _l("We will record the answers on this form, the date consent was given, and notes from the DSR team."),
    _l(
        "The people who can see it work for the NHS, the local council, mental health and community health services, and sometimes education services or the police, when they are helping with support."
    ),
    _l(
        "This website keeps the answers while the DSR team decides and, if the person goes on the DSR, for as long as they are on it, so that it can ask every year if they still agree. After that it deletes them."
    ),
    _l(
        "You can ask to come off the DSR at any time. Call or email the DSR team. Saying no will not change any other care or support."
    ),
)

NOT_GIVEN = {
    "consent_self": _l(
        "We can only add you to the register if you agree. If you are not sure, call the DSR team to talk about it."
    ),
    "consent_parental": _l(
        "We can only add them to the register if you agree. If you are not sure, call the DSR team to talk about it."
    ),
    "consent_adult_behalf": _l(
        "We can only add them to the register if they agree. Talk to them first, or call the DSR team."
    ),
    "consent_child_other": _l(
        "We need someone with parental responsibility to agree first. Talk to them, or call the DSR team."
    ),
}

YES_NO = (Choice("yes", words(_l("Yes"))), Choice("no", words(_l("No"))))

SELF = Question(
    "consent_self",
    "radios",
    words(_l("Do you agree to be on the Dynamic Support Register?")),
    words(_l("if you agree to be on the register")),
    hint=words(
        _l("If you are under 16, the DSR team will also talk to a parent or carer, unless that would not be safe.")
    ),
    choices=YES_NO,
    picture="consent",
    refusals={"no": ByReadingMode(NOT_GIVEN["consent_self"], EASY_READ_REFUSALS["consent_self"])},
)
PARENTAL = Question(
    "consent_parental",
    "radios",
    words(_l("As someone with parental responsibility, do you agree to them being on the Dynamic Support Register?")),
    words(_l("if you agree to them being on the register")),
    choices=YES_NO,
    hint=words(_l("If they are old enough to understand, please talk to them about it too.")),
    picture="consent",
    refusals={"no": ByReadingMode(NOT_GIVEN["consent_parental"], EASY_READ_REFUSALS["consent_parental"])},
)
ADULT_BEHALF = Question(
    "consent_adult_behalf",
    "radios",
    words(_l("Do they agree to be on the Dynamic Support Register?")),
    words(_l("if they agree to be on the register")),
    choices=(
        Choice("yes", words(_l("Yes, they have agreed"))),
        Choice(
            "best_interest",
            words(_l("They may not be able to decide this for themselves")),
            words(_l("The DSR team will talk to the people who know them about a best-interest decision.")),
        ),
        Choice("no", words(_l("No, they have not agreed"))),
    ),
    picture="consent",
    refusals={"no": ByReadingMode(NOT_GIVEN["consent_adult_behalf"], EASY_READ_REFUSALS["consent_adult_behalf"])},
)
CHILD_OTHER = Question(
    "consent_child_other",
    "radios",
    words(
        _l("Does someone with parental responsibility for them agree to them being on the Dynamic Support Register?")
    ),
    words(_l("if someone with parental responsibility agrees")),
    choices=(Choice("yes", words(_l("Yes, they have agreed"))), Choice("no", words(_l("No, or I do not know yet")))),
    picture="consent",
    refusals={"no": ByReadingMode(NOT_GIVEN["consent_child_other"], EASY_READ_REFUSALS["consent_child_other"])},
)

# Which answer means "yes", and who is recorded as giving consent for it.
GIVEN_BY = {
    ("consent_self", "yes"): "person",
    ("consent_parental", "yes"): "parental_responsibility",
    ("consent_adult_behalf", "yes"): "person_via_referrer",
    ("consent_adult_behalf", "best_interest"): "best_interest_needed",
    ("consent_child_other", "yes"): "parental_responsibility_via_referrer",
}


def _route(answers: Answers) -> str | None:
    years = age(answers)
    who = answers.get("who")
    if years is None or who is None:
        return None
    if who == "self":
        return "consent_self"
    if years >= ADULT_AGE:
        return "consent_adult_behalf"
    return "consent_parental" if who == "parent" else "consent_child_other"


def _on_route(question_id: str):  # type: ignore[no-untyped-def]
    return lambda answers: _route(answers) == question_id


def source_text(text: Any) -> str:
    """The English source of a lazily translated string, whatever language is active."""
    args = getattr(text, "_args", None)
    return str(args[0]) if args else str(text)


def _source_words(wording: Wording | None) -> list[str]:
    if wording is None:
        return []
    return [source_text(text) for text in (wording.you, wording.they) if text is not None]


def wording_version(question: Question, easy_read: Sequence[Any] = ()) -> str:
    """`consent_self:1a2b3c4d5e6f`: changes whenever the English words shown change.

    The words are the explanation, the question, its hint and every choice
    with its hint: a person agrees to all of them, so a change to any is a new version.
    In easy read the page also shows `easy_read` sentences; they are part of what the
    person agreed to, so they go into the hash, and the version says `easy`.
    """
    shown: dict[str, Any] = {
        "explanation": [source_text(part) for part in EXPLANATION],
        "label": _source_words(question.label),
        "hint": _source_words(question.hint),
        "choices": [[c.value, _source_words(c.text), _source_words(c.hint)] for c in question.choices],
    }
    if easy_read:
        shown["easy_read"] = [source_text(text) for text in easy_read]
    digest = hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()[:12]
    return f"{question.id}:easy:{digest}" if easy_read else f"{question.id}:{digest}"


def decision(answers: Answers) -> tuple[str, str, str] | None:
    """(question id, answer, given_by) for the consent that applies, or None if none is given yet."""
    route = _route(answers)
    if route is None or route not in answers:
        return None
    given_by = GIVEN_BY.get((route, answers[route]))
    if given_by == "person" and (age(answers) or 0) < ADULT_AGE:
        # A competent child may consent; the team checks, and involves a parent where it is safe.
        given_by = "person_under_16"
    return (route, answers[route], given_by) if given_by else None


QUESTIONS = {q.id: q for q in (SELF, PARENTAL, ADULT_BEHALF, CHILD_OTHER)}

STEPS: tuple[Step, ...] = tuple(
    Step(
        f"consent-{q.id.removeprefix('consent_').replace('_', '-')}",
        q.label,
        (q,),
        applies=_on_route(q.id),
        explanation=EXPLANATION,
        template="public/referral/consent.html",
    )
    for q in (SELF, PARENTAL, ADULT_BEHALF, CHILD_OTHER)
)
