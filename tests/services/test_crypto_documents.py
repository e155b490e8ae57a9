"""Sealed documents read back exactly as `json` reads them, through the faster reader exports use."""

from __future__ import annotations

import dataclasses
import json

import pytest
from cryptography.fernet import Fernet
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.services import crypto

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(max_size=12), JSON_VALUES, max_size=8))
def test_a_document_reads_back_exactly_as_json_reads_it(document):
    plain = json.dumps(document, separators=(",", ":")).encode()  # what `seal` encrypts
    assert repr(crypto.read_document(plain)) == repr(json.loads(plain))


@pytest.mark.parametrize(
    "value",
    [
        2**64,
        -(2**63) - 1,
        10**30,
        float("nan"),
        float("inf"),
        -0.0,
        5e-324,
        "\ud800 alone",
        [[[[[1]]]]],
        "+447700900123",
    ],
)
def test_values_the_fast_reader_would_get_wrong_or_refuse_still_read_exactly(value):
    plain = json.dumps({"answer": value}, separators=(",", ":")).encode()
    assert repr(crypto.read_document(plain)) == repr(json.loads(plain))


def test_deep_nesting_reads_as_json_reads_it():
    plain = ("[" * 600 + "]" * 600).encode()  # deeper than orjson's limit, within json's
    assert crypto.read_document(plain) == json.loads(plain)


def _rotated_to(app, keys: list[str]) -> None:
    app.config["PORTAL_SETTINGS"].encryption_keys = keys
    app.extensions.pop("key_ring", None)


DOCUMENT = {"full_name": "Zoë Ábel", "risks": ["crisis"], "nhs_number": "9434765919"}


def test_one_unsealer_opens_documents_sealed_under_an_old_key_and_refuses_others(app):
    with app.app_context():
        old_key, other = Fernet.generate_key().decode(), Fernet.generate_key().decode()
        _rotated_to(app, [old_key])
        from_old_key = crypto.seal(DOCUMENT)
        _rotated_to(app, [Fernet.generate_key().decode(), old_key])  # as after a rotation
        unseal = crypto.unsealer()
        sealed = crypto.seal(DOCUMENT)
        assert sealed.startswith("2.") and sealed.split(".")[1] != from_old_key.split(".")[1]
        assert unseal(sealed) == DOCUMENT
        assert unseal(from_old_key) == DOCUMENT
        _rotated_to(app, [other])
        with pytest.raises(crypto.SealError):
            crypto.unseal(sealed)


def test_values_sealed_with_fernet_before_version_2_still_open_and_reseal_as_version_2(app):
    with app.app_context():
        old_key, new_key = Fernet.generate_key(), Fernet.generate_key().decode()
        legacy = Fernet(old_key).encrypt(json.dumps(DOCUMENT).encode()).decode()
        assert legacy.startswith("gAAAA")
        _rotated_to(app, [new_key, old_key.decode()])
        assert crypto.unseal(legacy) == DOCUMENT
        resealed = crypto.reseal(legacy)
        assert resealed.startswith("2.")
        _rotated_to(app, [new_key])  # the old key thrown away
        assert crypto.unseal(resealed) == DOCUMENT
        with pytest.raises(crypto.SealError):
            crypto.unseal(legacy)
        with pytest.raises(crypto.SealError):
            crypto.unseal(Fernet(Fernet.generate_key()).encrypt(b"{}").decode())


def _changed(token: str, at: int) -> str:
    swap = "A" if token[at] != "A" else "B"
    return token[:at] + swap + token[at + 1 :]


def test_a_sealed_value_changed_anywhere_is_refused_never_opened_wrongly(app):
    with app.app_context():
        sealed = crypto.seal(DOCUMENT)
        version, key_id, body = sealed.split(".")
        damaged = [
            f"3.{key_id}.{body}",  # another version
            f"2.{key_id[:-1]}x.{body}",  # another key id
            f"2.{key_id}",  # cut short
            f"2.{key_id}.",
            f"2.{key_id}.{body[:20]}",
            f"2.{key_id}.not base64!",
            *(_changed(sealed, at) for at in range(len(version + key_id) + 2, len(sealed) - 2, 7)),
        ]
        for token in damaged:
            with pytest.raises(crypto.SealError):
                crypto.unseal(token)
        assert crypto.unseal(sealed) == DOCUMENT
        assert crypto.seal(DOCUMENT) != sealed  # a fresh nonce each time


def test_the_version_and_key_id_are_sealed_with_the_document(app):
    """A header rewritten to name another key that holds the very same AES key is still refused: the header
    is authenticated with the document, not merely used to pick the key."""
    with app.app_context():
        sealed = crypto.seal(DOCUMENT)
        _version, key_id, body = sealed.split(".")
        ring = crypto._key_ring()
        twin = dataclasses.replace(ring, opening={**ring.opening, "ffffffff": ring.opening[key_id]})
        assert twin.open(sealed) == json.dumps(DOCUMENT, separators=(",", ":")).encode()
        with pytest.raises(crypto.SealError):
            twin.open(f"2.ffffffff.{body}")
