"""Measuring text as a reader meets it: sentences, words, and the visible text of a rendered page."""

from __future__ import annotations

import re
from typing import Any

import textstat

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
WORD = re.compile(r"[\w'\u2019@.-]*\w")
HIDDEN = "script, style, template, input[type=hidden], .nhsuk-u-visually-hidden, .app-honeypot, [hidden]"


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(" ".join(text.split())) if s]


def word_count(sentence: str) -> int:
    return len(WORD.findall(sentence))


def visible_text(page: Any) -> str:
    """The words of `main` a sighted reader sees, each line ended as a sentence (headings, labels, buttons)."""
    main = page.soup.select_one("main")
    for hidden in main.select(HIDDEN):
        hidden.decompose()
    lines = [" ".join(line.split()) for line in main.get_text("\n").split("\n")]
    return " ".join(line if line.endswith((".", "?", "!", ":")) else f"{line}." for line in lines if line)


def scores(text: str) -> dict[str, float]:
    found = sentences(text)
    words = sum(word_count(s) for s in found)
    return {
        "sentences": len(found),
        "longest": max((word_count(s) for s in found), default=0),
        "average": words / len(found) if found else 0.0,
        "ease": textstat.flesch_reading_ease(text),
        "grade": textstat.flesch_kincaid_grade(text),
    }
