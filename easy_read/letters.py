"""Easy-read words for the letters and emails the person gets about consent and saved answers.

The same blocks make both: a letter prints each block's picture beside its
sentence; an email (plain text) prints the sentences alone, one idea a
paragraph. `%(name)s` values are filled in when a letter or email is made:
`%(date)s` is the date that group of blocks is about (the reply-by date, the
date the link ends, or the date the team acts by). Web addresses are printed
on their own line, never inside a sentence. The readability gate reads `PAGES`
(through `tests/easy_read/pages.py`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from easy_read.blocks import Block, block

RECONFIRM_TITLE = _l("Do you still want to be on the list?")

RECONFIRM: tuple[Block, ...] = (
    block(_l("You are on a list called the Dynamic Support Register."), "register"),
    block(_l("The list helps the NHS and the council give you the right help early."), "support"),
    block(_l("Every year we ask if you still want to be on the list."), "calendar"),
    block(_l("Please tell us by %(date)s."), "time"),
)

# Letter only: how to answer on paper (the web address, the QR code and the short code go after these).
RECONFIRM_BY_LETTER: tuple[Block, ...] = (
    block(_l("Point a phone camera at the square code. Then open the link."), "phone"),
    block(_l("Or type the code on this website."), "check"),
)

# Email only: the link goes straight after this.
RECONFIRM_BY_EMAIL: tuple[Block, ...] = (block(_l("To tell us, open the link below."), "check"),)

# `%(date)s` here is the last day the link works.
RECONFIRM_AFTER: tuple[Block, ...] = (
    block(_l("First we will ask for the date of birth."), "birthday"),
    block(_l("The link works until %(date)s."), "time"),
    block(_l("You can call the team instead. The number is %(phone)s."), "phone"),
)

ANSWER_TITLE = _l("We have your answer")

ANSWER: dict[str, tuple[Block, ...]] = {
    "keep": (
        block(_l("Thank you. We have your answer."), "sent"),
        block(_l("You want to stay on the list. It is called the Dynamic Support Register."), "register"),
        block(_l("We will ask you again in a year."), "calendar"),
        block(_l("You can change your mind at any time."), "talk"),
        block(_l("To come off the list, call the team on %(phone)s."), "phone"),
    ),
    "remove": (
        block(_l("Thank you. We have your answer."), "sent"),
        block(_l("You want to come off the list. It is called the Dynamic Support Register."), "register"),
        block(_l("The team will check this. They will write to you by %(date)s."), "calendar"),
    ),
    "talk": (
        block(_l("Thank you. We have your answer."), "sent"),
        block(_l("You want to talk to someone first."), "talk"),
        block(_l("Someone from the team will call you by %(date)s."), "phone"),
    ),
}

# Email only, after "keep": a link to come off the list instead of a phone call.
ANSWER_WITHDRAW_LINK: tuple[Block, ...] = (block(_l("Or open the link below."), "check"),)

NOT_YOU: tuple[Block, ...] = (block(_l("Was this not you? Please call the team on %(phone)s."), "question"),)

SAVE_RETURN_TITLE = _l("Your saved answers")

SAVE_RETURN: tuple[Block, ...] = (
    block(_l("You asked us to save your answers."), "sent"),
    block(_l("To carry on, open the link below."), "check"),
)

SAVE_RETURN_AFTER: tuple[Block, ...] = (
    block(_l("The link works one time only. It works until %(date)s."), "time"),
    block(_l("Did you not ask for this? Then you can forget this email."), "question"),
)

EMAIL_END: tuple[Block, ...] = (block(_l("This email has no personal details. Please do not reply to it."), "safe"),)

# Each whole letter or email as the reader meets it, for the readability gate.
PAGES: dict[str, tuple[Block, ...]] = {
    "reconfirmation letter": RECONFIRM + RECONFIRM_BY_LETTER + RECONFIRM_AFTER,
    "reconfirmation email": RECONFIRM + RECONFIRM_BY_EMAIL + RECONFIRM_AFTER + EMAIL_END,
    **{f"answer letter ({decision})": blocks + NOT_YOU for decision, blocks in ANSWER.items()},
    "answer email (keep)": ANSWER["keep"] + ANSWER_WITHDRAW_LINK + NOT_YOU + EMAIL_END,
    **{f"answer email ({decision})": ANSWER[decision] + NOT_YOU + EMAIL_END for decision in ("remove", "talk")},
    "save and return email": SAVE_RETURN + SAVE_RETURN_AFTER + EMAIL_END,
}


def sentences(blocks: tuple[Block, ...], **values: Any) -> list[str]:
    """The blocks' words in the current language, values filled in: an email's paragraphs."""
    return [str(item.text) % values if "%(" in str(item.text) else str(item.text) for item in blocks]
