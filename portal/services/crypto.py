"""Sealing personal data at rest.

Each referral's answers are one JSON document sealed with MultiFernet: the
database alone reveals nothing about a person, keys rotate (the first key in
`ENCRYPTION_KEYS` seals, every key opens), and one decryption per referral
keeps exports fast (one per field would cost ten times as much).
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class SealError(RuntimeError):
    """Sealed data could not be opened with any configured key."""


def _cipher() -> MultiFernet:
    cipher = current_app.extensions.get("cipher")
    if cipher is None:
        keys = current_app.config["PORTAL_SETTINGS"].encryption_keys
        cipher = MultiFernet([Fernet(key.strip().encode()) for key in keys])
        current_app.extensions["cipher"] = cipher
    return cipher


def seal(document: dict[str, Any]) -> str:
    return _cipher().encrypt(json.dumps(document, separators=(",", ":")).encode()).decode()


def unseal(token: str) -> dict[str, Any]:
    try:
        return json.loads(_cipher().decrypt(token.encode()))
    except InvalidToken as error:
        raise SealError("sealed data cannot be opened with the configured keys") from error


def reseal(token: str) -> str:
    """Re-encrypt under the current first key (used by `flask keys rotate`)."""
    return _cipher().rotate(token.encode()).decode()
