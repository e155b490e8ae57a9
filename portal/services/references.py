"""Reference numbers that are easy to read aloud and type.

No 0/O, 1/I/L or look-alikes; grouped in fours like a phone number.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PREFIX = "DSR"


def new_reference() -> str:
    """e.g. `DSR-7KQM-4TXH`: 31^8 ≈ 8.5e11 possibilities, so collisions are rare and retried."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{PREFIX}-{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str:
    """Accept what a person might type: lower case, spaces, missing dashes."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) != 8:
        return ""
    return f"{PREFIX}-{compact[:4]}-{compact[4:]}"
