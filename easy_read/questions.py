"""Easy-read words above each question page: what we ask, why, and hard words explained.

Keyed by the id of the first question on the page (see `forms/referral.py`),
so a page's easy-read blocks follow its questions wherever the page moves.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from easy_read.blocks import Block, block

QUESTIONS: dict[str, tuple[Block, ...]] = {
    "who": (
        block(_l("First, tell us who is filling in this form."), "who"),
        block(_l("It can be the person, or someone who helps them."), "support"),
    ),
    "full_name": (
        block(_l("Please write the name of the person this form is about."), "name"),
        block(_l("You can also tell us the name they like to be called."), "happy"),
    ),
    "date_of_birth": (
        block(_l("Please write the day the person was born."), "birthday"),
        block(_l("Use numbers. For example, 27 3 2007 is 27 March 2007."), "calendar"),
    ),
    "nhs_number": (
        block(_l("Everyone has their own NHS number. It has 10 numbers."), "nhs_number"),
        block(_l("You can find it on a letter from your doctor."), "letter"),
        block(_l("If you do not know it, leave the box empty."), "question"),
    ),
    "address_line_1": (
        block(_l("Please write where the person lives."), "home"),
        block(_l("We may send letters to this address."), "letter"),
    ),
    "gp_practice": (
        block(_l("A GP is a family doctor. You see them near where you live."), "doctor"),
        block(_l("Write the name of the GP if you know it. You can leave it empty."), "question"),
    ),
    "phone": (
        block(_l("Please give us a phone number, an email, or both."), "phone"),
        block(_l("If you give us none, we will send a letter."), "letter"),
    ),
    "safe_contact": (
        block(_l("Tell us the safe ways for us to get in touch."), "safe"),
        block(_l("Tick all the ways that are safe."), "phone"),
    ),
    "diagnosis": (
        block(_l("This list is for people with a learning disability, and for autistic people."), "diagnosis"),
        block(_l("Tell us which is true. You can say if you are not sure."), "question"),
    ),
    "formats": (
        block(_l("Tell us how you like to get our letters. For example, easy read like this."), "formats"),
        block(
            _l("An interpreter helps people who speak another language. Some use sign language."),
            "interpreter",
        ),
    ),
    "risks": (
        block(_l("Tell us what is going on now."), "worried"),
        block(_l("Tell us why you are worried. Write as much or as little as you like."), "talk"),
    ),
    "in_hospital": (block(_l("Tell us if the person is in hospital now."), "hospital"),),
    "support": (
        block(_l("Tell us who helps the person now."), "support"),
        block(_l("It could be their family. It could be a support worker."), "team"),
    ),
    "more_professionals": (
        block(
            _l("A professional is someone whose job is to help. For example, a nurse or a teacher."),
            "professionals",
        ),
        block(_l("You can tell us about them if you want to."), "question"),
    ),
    "referrer_name": (
        block(_l("Now tell us about you. You are filling in this form."), "who"),
        block(_l("We need a way to get in touch with you."), "phone"),
    ),
    "consent_self": (block(_l("Do you say yes to being on the list?"), "consent"),),
    "consent_parental": (block(_l("Do you say yes to them being on the list?"), "consent"),),
    "consent_adult_behalf": (
        block(_l("Does the person say yes to being on the list?"), "consent"),
        block(
            _l("Some people can not choose this for themselves. Then the team talks to the people who know them."),
            "team",
        ),
    ),
    "consent_child_other": (
        block(_l("A parent must say yes before a child goes on the list."), "consent"),
        block(_l("Has a parent said yes?"), "question"),
    ),
}
