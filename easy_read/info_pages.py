"""Easy-read words for the pages around the form: privacy notice, help, accessibility statement, error pages.

Values in `%(name)s` (the team's phone number and email) are filled in by the
template, so the words stay the same for every area and translate once.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from easy_read.blocks import Block, block

PRIVACY: tuple[Block, ...] = (
    block(_l("This page tells you what we do with the answers on this form."), "formats"),
    block(_l("We keep the answers you write on the form."), "formats"),
    block(_l("The team uses them to decide if the person goes on the list."), "register"),
    block(
        _l(
            "People who work for the NHS and the council can see the answers. Sometimes a school or the police can too."
        ),
        "team",
    ),
    block(_l("They only look at them when they help the person."), "safe"),
    block(_l("We keep the answers safe. We lock them with a secret code."), "safe"),
    block(_l("We write down each time the team looks at the answers."), "check"),
    block(_l("We keep the answers while you are on the list. After that, this website deletes them."), "remove"),
    block(_l("You can ask to see the answers. You can ask us to change them."), "question"),
    block(_l("You can come off the list at any time."), "no"),
    block(_l("To ask, call %(phone)s or email %(email)s."), "phone"),
)

HELP: tuple[Block, ...] = (
    block(_l("You can call the team. Their phone number is %(phone)s."), "phone"),
    block(_l("You can email the team. Their email is %(email)s."), "email"),
    block(_l("The team can fill in the form with you on the phone."), "support"),
    block(_l("They can send you the form on paper."), "letter"),
)

ACCESSIBILITY: tuple[Block, ...] = (
    block(_l("We want everyone to be able to use this website."), "website"),
    block(_l("You can use it with a keyboard only."), "website"),
    block(_l("You can use a screen reader. A screen reader reads the words out loud."), "talk"),
    block(_l("You can make the words bigger. They still fit on the screen."), "seeing"),
    block(_l("You can use it on a small phone."), "phone"),
    block(_l("Each page of the form has easy read, like this page."), "easy_read"),
    block(_l("The pictures come from OpenMoji. The words below say more."), "pictures"),
    block(_l("If this website is hard to use, call %(phone)s. We can fill in the form with you."), "support"),
)

# Error pages: what went wrong, what to do, and where to get help.
ERROR_HELP: tuple[Block, ...] = (block(_l("If you need help, call the team on %(phone)s."), "phone"),)

ERRORS: dict[str, tuple[Block, ...]] = {
    "400": (
        block(_l("Something went wrong with this page."), "problem"),
        block(_l("Please go back and try again."), "back"),
    ),
    "404": (
        block(_l("We can not find this page."), "problem"),
        block(_l("If you typed the address, check it is right."), "website"),
    ),
    "413": (
        block(_l("Your answer is too long."), "problem"),
        block(_l("Please go back and make it shorter."), "back"),
        block(_l("You can tell the team more when they get in touch."), "talk"),
    ),
    "429": (
        block(_l("You tried too many times."), "problem"),
        block(_l("Please wait 1 minute. Then go back and try again."), "time"),
        block(_l("Your answers are saved."), "save"),
    ),
    "500": (
        block(_l("Sorry, something went wrong on our side."), "problem"),
        block(_l("Please try again later."), "time"),
        block(_l("Your answers are saved."), "save"),
    ),
    "session_expired": (
        block(_l("This page was open for a long time, so it stopped working."), "time"),
        block(_l("Please go back. Then load the page again and try again."), "back"),
        block(_l("We keep the answers you saved for a few hours."), "save"),
    ),
}
