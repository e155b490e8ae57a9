"""Every easy-read page the readability gate measures, by name: the blocks a reader sees on it, in order."""

from __future__ import annotations

from easy_read import consent_pages, info_pages, letters, pages
from easy_read.blocks import Block
from easy_read.questions import QUESTIONS

EASY_READ_PAGES: dict[str, tuple[Block, ...]] = {
    "start": pages.START + pages.URGENT,
    "mode choice": pages.MODE_CHOICE,
    "check": pages.CHECK,
    "confirmation": pages.CONFIRMATION,
    **{f"consent ({qid})": pages.CONSENT + QUESTIONS[qid] for qid in QUESTIONS if qid.startswith("consent_")},
    **{f"question {qid}": blocks for qid, blocks in QUESTIONS.items() if not qid.startswith("consent_")},
    "professional add": pages.PROFESSIONAL_ADD,
    "professional remove": pages.PROFESSIONAL_REMOVE,
    "privacy": info_pages.PRIVACY,
    "help": info_pages.HELP,
    "accessibility": info_pages.ACCESSIBILITY,
    **{f"error {name}": blocks + info_pages.ERROR_HELP for name, blocks in info_pages.ERRORS.items()},
    "consent code": consent_pages.CODE,
    "consent date of birth": consent_pages.DATE_OF_BIRTH,
    "consent decision": consent_pages.DECISION,
    "consent call back": consent_pages.CALL_BACK,
    **{f"consent answered {decision}": blocks for decision, blocks in consent_pages.ANSWERED.items()},
    "link no longer works": consent_pages.LINK_DEAD,
    "return to a saved form": consent_pages.RETURN,
    "save for later": consent_pages.SAVE,
    "saved for later": consent_pages.SAVED,
    "come off": consent_pages.WITHDRAW,
    "come off, check": consent_pages.WITHDRAW_CHECK,
    "come off, confirmation": consent_pages.WITHDRAW_CONFIRMATION,
    **letters.PAGES,
}

ALL_BLOCKS: list[Block] = [b for blocks in EASY_READ_PAGES.values() for b in blocks]


def defined_blocks() -> list[tuple[str, Block]]:
    """Every block the easy-read modules define, wherever it sits: a page the gate forgot shows up here."""
    found = []
    for module in (pages, info_pages, consent_pages, letters):
        for name, value in vars(module).items():
            groups = value.values() if isinstance(value, dict) else [value]
            for group in groups:
                if isinstance(group, Block):
                    group = (group,)
                if isinstance(group, tuple) and all(isinstance(b, Block) for b in group):
                    found += [(f"{module.__name__}.{name}", b) for b in group]
    return found
