"""Sealing personal data at rest.

Each referral's answers are one JSON document, sealed with AES-256-GCM: the database alone
reveals nothing about a person, and one decryption per referral keeps exports fast (one per
field would cost ten times as much). A sealed value is `2.<key id>.<nonce + ciphertext + tag>`
(base64), the version and key id authenticated with it, so keys rotate as before:
the first key in `ENCRYPTION_KEYS` seals, every key opens, `flask keys rotate` re-seals.

The keys are still Fernet keys (`flask keys generate`); each one's AES key is derived from it
with HKDF. Values sealed with Fernet before version 2 (they start `gAAAA`) still open, and
`flask keys rotate` re-seals them as version 2. Fernet itself is no longer used to seal: its
AES-CBC, HMAC and padding objects took about twice the CPU to open a referral, the largest
part of a CSV export. A random 96-bit nonce per seal is safe for 2^32 seals under one key
(NIST SP 800-38D): billions of page saves, far beyond any key's life here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

# orjson reads an integer beyond 64 bits as a float where `json` keeps it exact; 18 digits always fit.
_DIGITS_AS_NINES = bytes.maketrans(b"012345678", b"999999999")
_LONG_NUMBER = b"9" * 19
VERSION = "2"
_NONCE_BYTES = 12
_DERIVE_INFO = b"dsr-portal sealed documents v2: AES-256-GCM"


class SealError(RuntimeError):
    """Sealed data could not be opened with any configured key."""


@dataclass(frozen=True)
class KeyRing:
    """The configured keys: the first seals, every one opens (by its id); Fernet for values sealed before v2."""

    sealing_header: str
    sealing_key: AESGCM
    opening: dict[str, list[AESGCM]]
    legacy: MultiFernet

    @classmethod
    def of(cls, keys: list[str]) -> KeyRing:
        opening: dict[str, list[AESGCM]] = {}
        first: tuple[str, AESGCM] | None = None
        for key in keys:
            raw = base64.urlsafe_b64decode(key.strip().encode())
            derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DERIVE_INFO).derive(raw)
            key_id = hashlib.sha256(b"key id " + derived).hexdigest()[:8]
            opening.setdefault(key_id, []).append(AESGCM(derived))
            first = first or (key_id, opening[key_id][-1])
        if first is None:
            raise SealError("no encryption keys are configured")
        legacy = MultiFernet([Fernet(key.strip().encode()) for key in keys])
        return cls(f"{VERSION}.{first[0]}.", first[1], opening, legacy)

    def seal(self, plain: bytes) -> str:
        header = self.sealing_header
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self.sealing_key.encrypt(nonce, plain, header.encode())
        return header + base64.b64encode(nonce + sealed).decode()

    def open(self, token: str) -> bytes:
        if not token.startswith(VERSION + "."):
            try:
                return self.legacy.decrypt(token.encode())
            except InvalidToken as error:
                raise SealError("sealed data cannot be opened with the configured keys") from error
        parts = token.split(".", 2)
        if len(parts) != 3:
            raise SealError("sealed data is damaged")
        header, body = f"{parts[0]}.{parts[1]}.".encode(), parts[2]
        try:
            raw = base64.b64decode(body, validate=True)
        except ValueError as error:
            raise SealError("sealed data is damaged") from error
        for key in self.opening.get(parts[1], []):
            try:
                return key.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], header)
            except (InvalidTag, ValueError):
                continue
        raise SealError("sealed data cannot be opened with the configured keys")


def _key_ring() -> KeyRing:
    ring = current_app.extensions.get("key_ring")
    if ring is None:
        ring = KeyRing.of(current_app.config["PORTAL_SETTINGS"].encryption_keys)
        current_app.extensions["key_ring"] = ring
    return ring


def seal(document: dict[str, Any]) -> str:
    return _key_ring().seal(json.dumps(document, separators=(",", ":")).encode())


def unseal(token: str) -> dict[str, Any]:
    return unsealer()(token)


def unsealer() -> Callable[[str], dict[str, Any]]:
    """`unseal` for many documents (an export): the key ring is looked up once, not once per referral."""
    open_token = _key_ring().open

    def unseal_one(token: str) -> dict[str, Any]:
        return read_document(open_token(token))

    return unseal_one


def read_document(plain: bytes) -> dict[str, Any]:
    """The JSON `seal` wrote, read by orjson (about twice as fast) wherever it reads exactly what `json`
    reads: anything it refuses (NaN, a lone surrogate, deep nesting) or might read differently (an
    integer of 19 digits or more) goes to `json`, which gives the same result, or error, as ever."""
    if _LONG_NUMBER not in plain.translate(_DIGITS_AS_NINES):
        try:
            return orjson.loads(plain)
        except orjson.JSONDecodeError:
            pass
    return json.loads(plain)


def reseal(token: str) -> str:
    """Re-encrypt under the current first key, as version 2 (used by `flask keys rotate`)."""
    ring = _key_ring()
    return ring.seal(ring.open(token))
