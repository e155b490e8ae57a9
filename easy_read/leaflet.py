"""The easy-read leaflet "What is the Dynamic Support Register?", printed or sent by post.

It reuses the start page's and consent page's blocks (the same words and pictures
as the website) and adds only what a leaflet needs: what the register is without
"this form", how to ask, and a heading per part. `%(website)s` and `%(phone)s`
are filled in when the leaflet is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from easy_read.blocks import Block, block
from easy_read.pages import CONSENT, START, URGENT

TITLE = _l("What is the Dynamic Support Register?")

WHAT_IT_IS: tuple[Block, ...] = (block(_l("The Dynamic Support Register is a list of people."), "register"),)

HOW_TO_ASK: tuple[Block, ...] = (
    block(_l("You can ask to go on the list on our website. Go to %(website)s on a phone or computer."), "formats"),
    block(_l("Or you can call the team on %(phone)s."), "phone"),
)


@dataclass(frozen=True)
class Part:
    """One part of the leaflet: a heading and its blocks."""

    heading: Any
    blocks: tuple[Block, ...]


PARTS: tuple[Part, ...] = (
    Part(TITLE, WHAT_IT_IS + START[1:3]),
    Part(_l("How to ask"), HOW_TO_ASK + START[3:]),
    Part(_l("Saying yes"), CONSENT[1:]),
    Part(_l("Not for an emergency"), URGENT),
)


def every_block() -> tuple[Block, ...]:
    """The leaflet's blocks in reading order: what the readability gate checks and the PDF shows."""
    return tuple(b for part in PARTS for b in part.blocks)
