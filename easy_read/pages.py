"""Easy-read words for the referral pages that are not one question: start, consent, check, confirmation, professionals.

The pages around the form are in `info_pages.py`; the consent-by-link pages in `consent_pages.py`.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from easy_read.blocks import Block, block
from easy_read.questions import QUESTIONS

START: tuple[Block, ...] = (
    block(
        _l("This form asks to put a person on a list. The list is called the Dynamic Support Register."),
        "register",
    ),
    block(_l("The list is for people with a learning disability, and for autistic people."), "diagnosis"),
    block(_l("It helps people get the right help early. Then they can stay well at home."), "home"),
    block(_l("You can fill in this form for yourself. Or you can fill it in for someone else."), "who"),
    block(_l("It takes about 10 minutes."), "time"),
    block(_l("We will ask for consent. Consent means saying yes to being on the list."), "consent"),
    block(_l("The team will read the form within 4 weeks. Then they will tell you what happens next."), "calendar"),
)

URGENT: tuple[Block, ...] = (
    block(_l("This form is not for an emergency."), "emergency"),
    block(_l("If someone could die, call 999 now."), "phone"),
    block(_l("If you need help fast, call NHS 111."), "doctor"),
)

CONSENT: tuple[Block, ...] = (
    block(_l("Now we ask for consent. Consent means saying yes."), "consent"),
    block(_l("The list is kept by the NHS and the council. It helps them give the right help early."), "register"),
    block(_l("We keep the answers on this form. We also keep the day you said yes."), "formats"),
    block(_l("We keep them while you are on the list. After that, we delete them."), "remove"),
    block(
        _l("People who work for the NHS and the council can see it. Sometimes a school or the police can too."),
        "team",
    ),
    block(_l("They only look at it when they help the person."), "safe"),
    block(_l("Every year we will ask if you still say yes."), "calendar"),
    block(_l("You can say no. You can come off the list at any time."), "no"),
    block(
        _l("To come off the list, call the team. Or press the link to come off, at the bottom of the page."), "phone"
    ),
    block(_l("Saying no will not change any other help you get."), "support"),
)

CHECK_ANSWERS = block(_l("Please check your answers."), "check")
CHANGE_AN_ANSWER = block(_l("If an answer is wrong, press Change next to it."), "question")

CHECK: tuple[Block, ...] = (
    CHECK_ANSWERS,
    CHANGE_AN_ANSWER,
    block(
        _l("When your answers are right, press Send referral. A referral means asking the team for help."),
        "sent",
    ),
)

CONFIRMATION: tuple[Block, ...] = (
    block(_l("Thank you. We have your form."), "sent"),
    block(_l("Keep your reference number safe. It is at the top of this page."), "nhs_number"),
    block(_l("The team will read your form. They will tell you what happens by %(date)s."), "calendar"),
    block(_l("If you have a question, call %(phone)s."), "phone"),
)

PROFESSIONAL_ADD: tuple[Block, ...] = (
    block(
        _l("Tell us about 1 professional. A professional is someone whose job is to help."),
        "professionals",
    ),
    block(_l("Write their name and their job. The other boxes you can leave empty."), "name"),
    block(_l("You can add another one after this."), "add"),
)

PROFESSIONAL_REMOVE: tuple[Block, ...] = (
    block(_l("Do you want to take them off this form?"), "remove"),
    block(_l("To take them off, press Yes, remove."), "question"),
    block(_l("To keep them on the form, press No, keep them."), "back"),
)

MODE_CHOICE: tuple[Block, ...] = (block(_l("Easy read has short sentences and pictures."), "easy_read"),)

PAGES: dict[str, tuple[Block, ...]] = {
    "start": START + URGENT,
    "consent": CONSENT,
    "check": CHECK,
    "confirmation": CONFIRMATION,
}


def consent_page_words(question_id: str) -> list[Any]:
    """Every easy-read sentence the consent page shows for this question: part of what is agreed to."""
    return [b.text for b in (*CONSENT, *QUESTIONS.get(question_id, ()))]
