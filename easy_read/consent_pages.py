"""Easy-read words for the consent pages: answering by link or letter code, coming off the list, save and return.

A person reaches most of these pages from a letter, an email or a text message,
so each page first says where they are, then what to do. `%(date)s`,
`%(phone)s` and `%(email)s` are filled in by the template.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from easy_read.blocks import Block, block
from easy_read.pages import CHANGE_AN_ANSWER, CHECK_ANSWERS

ABOUT_THE_LIST = block(
    _l("This is about the Dynamic Support Register. It is a list kept by the NHS and the council."),
    "register",
)
NO_CHANGE_TO_HELP = block(_l("Saying no will not change any other help you get."), "support")
ANY_QUESTION = block(_l("If you have a question, call %(phone)s."), "phone")
ONLY_THE_TEAM = block(_l("Only the team can take someone off the list."), "team")
TEAM_CONFIRMS_BY = block(_l("They will get in touch by %(date)s to say it is done."), "calendar")

CODE: tuple[Block, ...] = (
    block(_l("Your letter from the team has a code on it."), "letter"),
    block(_l("The code has 8 letters and numbers. Type it in the box."), "code"),
)

DATE_OF_BIRTH: tuple[Block, ...] = (
    ABOUT_THE_LIST,
    block(_l("First, please write the date of birth of the person on the list."), "birthday"),
    block(_l("This checks the link is yours. It keeps the answers safe."), "safe"),
)

DECISION: tuple[Block, ...] = (
    ABOUT_THE_LIST,
    block(_l("Every year we ask if you still say yes to the list."), "calendar"),
    block(_l("The list helps the NHS and the council give the right help early."), "register"),
    block(_l("You can say yes. You can say no and come off the list."), "consent"),
    block(_l("Or you can talk to someone from the team first."), "talk"),
    NO_CHANGE_TO_HELP,
)

CALL_BACK: tuple[Block, ...] = (
    block(_l("Someone from the team will call you."), "phone"),
    block(_l("Tell us a good time to call. It must be a safe time for you."), "time"),
)

ANSWERED: dict[str, tuple[Block, ...]] = {
    "keep": (
        block(_l("Thank you. You are still on the list."), "sent"),
        block(_l("We will ask you again in 1 year."), "calendar"),
        ANY_QUESTION,
    ),
    "remove": (
        block(_l("Thank you. You want to come off the list."), "no"),
        ONLY_THE_TEAM,
        TEAM_CONFIRMS_BY,
        NO_CHANGE_TO_HELP,
        ANY_QUESTION,
    ),
    "talk": (
        block(_l("Thank you. Someone from the team will call you."), "phone"),
        block(_l("They will call by %(date)s, at the time you told us."), "calendar"),
        ANY_QUESTION,
    ),
}

LINK_DEAD: tuple[Block, ...] = (
    block(_l("This link does not work any more."), "link"),
    block(_l("A link only works for a short time. It stops when we send a new one."), "time"),
    block(_l("Call the team on %(phone)s. They can send you a new link."), "phone"),
    block(_l("You can also ask to come off the list without a link."), "no"),
)

RETURN: tuple[Block, ...] = (
    block(_l("Your answers are saved."), "save"),
    block(_l("Press Carry on to go back to your form."), "formats"),
)

SAVE: tuple[Block, ...] = (
    block(_l("We can keep your answers for 7 days."), "save"),
    block(_l("We will send you an email with a link in it."), "email"),
    block(_l("Press the link to come back to your form."), "link"),
)

SAVED: tuple[Block, ...] = (
    block(_l("We sent you an email. It has a link in it."), "email"),
    block(_l("The link works 1 time. It works for 7 days."), "time"),
    block(_l("If you can not find the email, look in your junk folder."), "question"),
)

WITHDRAW: tuple[Block, ...] = (
    block(
        _l("You can ask to come off the Dynamic Support Register at any time. It is a list."),
        "no",
    ),
    NO_CHANGE_TO_HELP,
    block(_l("Tell us who the person is. Then the team can find them."), "name"),
    block(_l("Tell us how to get in touch with you."), "phone"),
    block(_l("The team will take the person off the list. Then they will tell you."), "team"),
)

WITHDRAW_CHECK: tuple[Block, ...] = (
    CHECK_ANSWERS,
    CHANGE_AN_ANSWER,
    block(_l("When your answers are right, press Send request."), "sent"),
)

WITHDRAW_CONFIRMATION: tuple[Block, ...] = (
    block(_l("Thank you. We have your request."), "sent"),
    ONLY_THE_TEAM,
    TEAM_CONFIRMS_BY,
    block(_l("Until then, the person stays on the list."), "register"),
    ANY_QUESTION,
)
