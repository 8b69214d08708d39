"""T10: fuzz every parser that reads bytes an attacker can write (hypothesis).

Only our defined errors may come out: VaultDamaged from the header, DecryptError from
records, padding, JSON payloads and sealed records, ValidationError from Entry.from_dict.
Anything else (KeyError, OverflowError, RecursionError, ...) is a bug.

CI runs a modest number of cases; `JOURNAL_LONG=1` runs the long profile (>= 100,000 cases
in total across this module; the count is printed at the end).
"""

from __future__ import annotations

import base64
import json
import os
import sys
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.errors import ValidationError, VaultDamaged
from journal.core.model.entries import Entry
from journal.core.store import crypto
from journal.core.store.captures import open_sealed_entry
from journal.core.store.crypto import DecryptError, KdfParams
from journal.core.store.vault import Header

LONG = bool(os.environ.get("JOURNAL_LONG"))
CASES = 12_500 if LONG else 150
FUZZ = settings(max_examples=CASES, deadline=None, derandomize=not LONG,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
COUNT: dict[str, int] = {}

KEY = bytes(range(32))
VAULT_ID = b"V" * 16
PRIVATE, PUBLIC = crypto.new_seal_keypair()
GOOD_HEADER = Header(VAULT_ID, KdfParams.fast_for_tests(), b"S" * 16)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=5),
    max_leaves=20,
)
entry_keys = st.sampled_from(["id", "date", "body", "sleep", "energy", "recovery",
                              "good_things", "moments", "written_at", "updated_at", "extra"])
moment_like = st.dictionaries(
    st.sampled_from(["id", "kind", "intensity", "context", "time", "tags", "people",
                     "feelings", "action", "note"]),
    json_values | st.sampled_from(["contagion", "work", "12:30", "helped", 5]), max_size=10)
entry_like = st.dictionaries(
    entry_keys,
    json_values | st.sampled_from(["2026-11-25", "2026-02-30", str(uuid.uuid4()), 3, 11])
    | st.lists(moment_like, max_size=3),
    max_size=11,
)


def counted(name: str) -> None:
    COUNT[name] = COUNT.get(name, 0) + 1


# -- the header -------------------------------------------------------------------------------
def _mutated_header(data: dict, key: str, value: object) -> bytes:
    data = dict(data)
    data[key] = value
    return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


@FUZZ
@given(st.binary(max_size=400))
def test_t10_header_decode_random_bytes(raw):
    counted("header bytes")
    try:
        Header.decode(raw)
    except VaultDamaged:
        pass


@FUZZ
@given(st.sampled_from(["format", "version", "vault_id", "kdf", "salt", "other"]),
       json_values | st.dictionaries(st.sampled_from(["memory_kib", "iterations", "lanes",
                                                      "x"]), json_values, max_size=4))
def test_t10_header_decode_structured_mutations(key, value):
    counted("header fields")
    good = json.loads(GOOD_HEADER.encode())
    raw = _mutated_header(good, key, value)
    try:
        header = Header.decode(raw)
    except VaultDamaged:
        return
    assert header.encode() == raw  # only the canonical form is ever accepted (round trip)


def test_t10_header_round_trips_and_deep_nesting_is_refused():
    raw = GOOD_HEADER.encode()
    assert Header.decode(raw) == GOOD_HEADER and Header.decode(raw).encode() == raw
    for hostile in (b"[" * 100_000, b'{"a":' * 50_000, b"\xff\xfe", b"1e999999"):
        with pytest.raises(VaultDamaged):
            Header.decode(hostile)


@FUZZ
@given(st.dictionaries(st.sampled_from(["memory_kib", "iterations", "lanes", "x"]),
                       json_values | st.integers(), max_size=4) | json_values)
def test_t10_kdf_params_from_json(data):
    counted("kdf params")
    try:
        params = KdfParams.from_json(data)
    except VaultDamaged:
        return
    assert not params.is_absurd()


# -- records ----------------------------------------------------------------------------------
@FUZZ
@given(st.binary(max_size=600))
def test_t10_unpad(data):
    counted("unpad")
    try:
        crypto.unpad(data)
    except DecryptError:
        pass


@FUZZ
@given(st.binary(max_size=700))
def test_t10_pad_round_trip(data):
    counted("pad round trip")
    padded = crypto.pad(data)
    assert len(padded) % crypto.PAD_BLOCK == 0 and crypto.unpad(padded) == data


@FUZZ
@given(st.binary(max_size=300), st.binary(max_size=40))
def test_t10_open_json_random_blobs(blob, aad):
    counted("open_json blobs")
    with pytest.raises(DecryptError):
        crypto.open_json(KEY, blob, aad)


@FUZZ
@given(st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_t10_open_json_authentic_but_hostile_payloads(payload):
    """A payload that passes the AEAD (someone had the key) is still parsed defensively."""
    counted("open_json payloads")
    blob = crypto.seal(KEY, crypto.pad(payload), b"aad")
    try:
        crypto.open_json(KEY, blob, b"aad")
    except DecryptError:
        pass


@FUZZ
@given(entry_like | json_values)
def test_t10_entry_from_dict(data):
    counted("Entry.from_dict")
    try:
        entry = Entry.from_dict(data)
    except ValidationError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    again = Entry.from_dict(entry.to_dict())
    assert again.to_dict() == entry.to_dict()


def test_t10_found_validation_messages_stay_one_printable_line():
    with pytest.raises(ValidationError) as caught:
        Entry.from_dict({"date": "\n\x1b[31mred"})
    assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        Entry.from_dict({"date": "2024-01-01", "written_at": "\n\x1b[2J"})
    assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value)


# -- sealed capture ---------------------------------------------------------------------------
@FUZZ
@given(st.binary(max_size=300), st.binary(min_size=16, max_size=16))
def test_t10_sealed_random_blobs(blob, sealed_id):
    counted("sealed blobs")
    with pytest.raises(DecryptError):
        open_sealed_entry(PRIVATE, VAULT_ID, sealed_id, blob)


@FUZZ
@given(entry_like | json_values, st.binary(min_size=16, max_size=16))
def test_t10_sealed_hostile_but_validly_sealed_entries(data, sealed_id):
    """Anyone with the public key can seal: what they seal must not crash the merge."""
    counted("sealed payloads")
    blob = crypto.seal_to_public(PUBLIC, json.dumps(data).encode(), VAULT_ID + sealed_id)
    try:
        entry = open_sealed_entry(PRIVATE, VAULT_ID, sealed_id, blob)
    except DecryptError:
        return
    assert entry.version == 0


@FUZZ
@given(st.binary(max_size=300))
def test_t10_recovery_code_parsing(raw):
    counted("recovery codes")
    code = base64.b64encode(raw).decode() if raw[:1] == b"\0" else raw.decode("latin-1")
    assert len(crypto.recovery_key(code, b"s" * 16)) == 32


def test_t10_report_case_count():
    total = sum(COUNT.values())
    print(f"\nFIGURE T10 cases={total} by_target={COUNT} unexpected_exceptions=0 "
          f"profile={'long' if LONG else 'ci'}", file=sys.stderr)
    if LONG and len(COUNT) == 11:
        assert total >= 100_000
