"""A block is one idea: a short sentence or two beside a picture."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from easy_read.pictures import PICTURES


@dataclass(frozen=True)
class Block:
    """One idea. `alt` is empty when the sentence beside the picture says it all (a decorative picture)."""

    text: Any
    picture: str
    alt: Any = ""

    def __post_init__(self) -> None:
        if self.picture not in PICTURES:
            raise ValueError(f"no picture for the idea {self.picture!r}")


def block(text: Any, picture: str, alt: Any = "") -> Block:
    return Block(text, picture, alt)
