"""The referral journey as a person walks it in a browser: answers found by their labels.

Each page's answers are listed in the order a person meets them. `walk` answers
them with the mouse (fill and click by label); `tests.browser.keyboard` answers
the same lists with the keyboard alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

# The button that sends a page: "Continue", or on the add-a-professional page, "Add this professional".
MAIN_BUTTON = re.compile(r"^(Continue|Add this professional)$")
REFERENCE = re.compile(r"DSR-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}")


@dataclass(frozen=True)
class Type:
    """Type `text` into the box labelled `label`."""

    label: str
    text: str


@dataclass(frozen=True)
class Choose:
    """Tick the radio or checkbox labelled `label`."""

    label: str


Answer = Type | Choose
# The pages in the order the journey shows them (a page can come twice), each with its answers.
Answers = tuple[tuple[str, tuple[Answer, ...]], ...]

MYSELF_PAGES = {
    "who": (Choose("I am filling this in for myself"),),
    "name": (Type("Full name", "Siân O'Neil-Jones"), Type("What would you like us to call you? (optional)", "Siân")),
    "date-of-birth": (Type("Day", "29"), Type("Month", "2"), Type("Year", "2000")),
    "nhs-number": (Type("What is your NHS number? (optional)", "943 476 5919"),),
    "address": (Type("Address line 1", "1 High Street"), Type("Town or city", "Norwich"), Type("Postcode", "NR1 3SR")),
    "gp": (Type("Which GP surgery are you registered with? (optional)", "Riverside Medical Centre"),),
    "contact-details": (
        Type("Phone number (optional)", "0161 496 0000"),
        Type("Email address (optional)", "sian@example.com"),
    ),
    "safe-contact": (
        Choose("Phone calls"),
        Choose("Letters"),
        Type("When is a good time to contact you? (optional)", "Mornings"),
    ),
    "diagnosis": (Choose("Autistic"),),
    "communication": (Choose("Easy read"), Choose("Yes"), Type("Which language?", "Polish")),
    "whats-happening": (
        Choose("My home, school, care or family arrangement might break down"),
        Type("Tell us what is happening and why you are worried", "My placement is at risk."),
    ),
    "hospital": (Choose("No"),),
    "support": (Type("What support do you have now? (optional)", "A support worker twice a week."),),
}
MYSELF: Answers = (
    *MYSELF_PAGES.items(),
    ("professionals", (Choose("Yes"),)),
    ("professionals/add", (Type("Their full name", "Jo Bloggs"), Type("Their job role", "Community nurse"))),
    ("professionals", (Choose("No"),)),
    ("consent-self", (Choose("Yes"),)),
)

CHILD_BIRTH_YEAR = str(date.today().year - 10)

PARENT_OF_A_CHILD_PAGES = {
    "who": (Choose("A parent, or someone with parental responsibility"),),
    "name": (Type("Their full name", "Ffion Price"), Type("What do they like to be called? (optional)", "Ffi")),
    "date-of-birth": (Type("Day", "3"), Type("Month", "7"), Type("Year", CHILD_BIRTH_YEAR)),
    "nhs-number": (),
    "address": (
        Type("Address line 1", "22 Mill Lane"),
        Type("Address line 2 (optional)", "Flat 2"),
        Type("Town or city", "Ipswich"),
        Type("Postcode", "IP1 1AA"),
    ),
    "gp": (),
    "contact-details": (Type("Email address (optional)", "parent@example.com"),),
    "safe-contact": (Choose("Emails"), Type("When is a good time to contact them? (optional)", "After school")),
    "diagnosis": (Choose("Both a learning disability and autistic"),),
    "communication": (Choose("No, they do not need a different format"), Choose("No")),
    "whats-happening": (Type("Tell us what is happening and why you are worried", "School placement is at risk."),),
    "hospital": (Choose("Yes"), Type("Which hospital?", "Woodlands Unit")),
    "support": (),
    "professionals": (Choose("No"),),
    "referrer": (
        Type("Your full name", "Rhian Price"),
        Type("Your relationship to them, or your job role", "Mum"),
        Type("Your phone number", "0161 496 0001"),
    ),
    "consent-parental": (Choose("Yes"),),
}
PARENT_OF_A_CHILD: Answers = tuple(PARENT_OF_A_CHILD_PAGES.items())


def slug_of(page: Page) -> str:
    return urlsplit(page.url).path.removeprefix("/referral/")


def shows_errors(page: Page) -> bool:
    return page.locator(".nhsuk-error-summary").count() > 0


def answer_with_mouse(page: Page, answers: tuple[Answer, ...]) -> None:
    for answer in answers:
        field = page.get_by_label(answer.label, exact=True)
        if isinstance(answer, Choose):
            field.check()
        else:
            field.fill(answer.text)


def press_continue(page: Page) -> None:
    page.get_by_role("button", name=MAIN_BUTTON).click()


@dataclass
class Walked:
    """The pages a walk went through, and those that showed an error when sent empty."""

    pages: list[str]
    errors: list[str]


def walk(
    page: Page,
    answers: Answers,
    *,
    errors_first: bool = False,
    audit: bool | Container[str] = True,
    reach_check: bool = True,
    answer: Callable[[Page, tuple[Answer, ...]], None] = answer_with_mouse,
    go_on: Callable[[Page], None] = press_continue,
) -> Walked:
    """From the journey's first page to check your answers, in the order `answers` expects.

    `audit` runs axe on every page (or on the pages it names). With
    `errors_first`, each page is first sent empty; if that gives an error, axe
    checks the page in its error state too, and if not, the person comes back.
    """
    walked = Walked([], [])
    for expected, page_answers in answers:
        slug = slug_of(page)
        assert slug == expected, f"expected {expected}, came to {slug} after {walked.pages}"
        walked.pages.append(slug)
        if audit is True or (audit and slug in audit):
            assert_accessible(page, slug)
        if errors_first and slug not in walked.pages[:-1]:
            go_on(page)
            if shows_errors(page) and slug_of(page) == slug:
                walked.errors.append(slug)
                assert page.title().startswith("Error: ")
                assert_accessible(page, f"{slug} with an error")
            else:
                page.goto(f"/referral/{slug}")
        answer(page, page_answers)
        go_on(page)
        assert not shows_errors(page), f"{slug}: {page.locator('.nhsuk-error-summary').all_inner_texts()}"
    if reach_check:
        assert slug_of(page) == "check", f"expected check your answers after {walked.pages}, came to {slug_of(page)}"
        if audit:
            assert_accessible(page, "check your answers")
    return walked


def start(page: Page) -> None:
    """Open the start page, check it, and press Start now."""
    page.goto("/")
    assert_accessible(page, "start page")
    page.get_by_role("button", name="Start now").click()
    assert slug_of(page) == "who"


def send(page: Page, go_on: Callable[[Page], None] | None = None) -> str:
    """From check your answers: send the referral and return the reference the person is shown."""
    if go_on is None:
        page.get_by_role("button", name="Send referral").click()
    else:
        go_on(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral sent")
    assert_accessible(page, "confirmation")
    shown = page.locator(".app-reference").inner_text().strip()
    assert REFERENCE.fullmatch(shown), f"no reference on the confirmation page: {shown!r}"
    return shown
