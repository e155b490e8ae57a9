"""Sealed documents read back exactly as `json` reads them, through the faster reader exports use."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet, MultiFernet
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


def test_one_unsealer_opens_documents_sealed_under_an_old_key_and_refuses_others(app):
    with app.app_context():
        document = {"full_name": "Zoë Ábel", "risks": ["crisis"], "nhs_number": "9434765919"}
        old_key, other = Fernet.generate_key(), Fernet.generate_key()
        from_old_key = Fernet(old_key).encrypt(json.dumps(document).encode()).decode()
        keys = [*app.config["PORTAL_SETTINGS"].encryption_keys, old_key.decode()]  # as after a rotation
        app.extensions["cipher"] = MultiFernet([Fernet(key.encode()) for key in keys])
        unseal = crypto.unsealer()
        assert unseal(crypto.seal(document)) == document
        assert unseal(from_old_key) == document
        with pytest.raises(crypto.SealError):
            unseal(Fernet(other).encrypt(b"{}").decode())
