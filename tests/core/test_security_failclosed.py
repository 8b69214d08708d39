"""T12: without a working Argon2id the vault refuses to be created or opened.

`crypto.self_test` remembers a pass per Argon2id implementation object, so swapping the
implementation (what these tests do, and what a broken install would look like) re-runs
the RFC 9106 vector: a cached pass can never hide a missing or wrong KDF.
"""

from __future__ import annotations

import sys

import pytest
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import kdf as kdf_package
from cryptography.hazmat.primitives.kdf import argon2

from journal.core.errors import CryptoUnavailable
from journal.core.store import crypto
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault, db_path

PASS = "fail closed"


class Unsupported:
    def __init__(self, **kw):
        raise UnsupportedAlgorithm("Argon2id is not supported by this backend")


_REAL = argon2.Argon2id


class WrongOutput:
    """Runs, but gives a different answer (a miscompiled or patched library)."""

    def __init__(self, **kw):
        self._inner = _REAL(**kw)

    def derive(self, key_material):
        out = bytearray(self._inner.derive(key_material))
        out[0] ^= 1
        return bytes(out)


@pytest.fixture
def existing(tmp_path):
    vault, _ = Vault.create(tmp_path / "vault", PASS, kdf=KdfParams.fast_for_tests())
    vault.close()
    return tmp_path / "vault"


def _refuses(tmp_path, existing):
    before = db_path(existing).read_bytes()
    with pytest.raises(CryptoUnavailable) as created:
        Vault.create(tmp_path / "new", PASS, kdf=KdfParams.fast_for_tests())
    assert not (tmp_path / "new").exists()  # nothing written
    with pytest.raises(CryptoUnavailable) as opened:
        Vault.open(existing, PASS, allow_weak=True)
    assert db_path(existing).read_bytes() == before
    assert "refus" in str(created.value) and "\n" not in str(opened.value)
    assert CryptoUnavailable.exit_code == 3


@pytest.mark.parametrize("broken", [Unsupported, WrongOutput], ids=["unsupported", "wrong"])
def test_t12_broken_argon2id_refuses_even_after_a_cached_pass(tmp_path, existing,
                                                               monkeypatch, broken):
    crypto.self_test()  # a pass is remembered...
    monkeypatch.setattr(argon2, "Argon2id", broken)  # ...then the implementation changes
    _refuses(tmp_path, existing)
    with pytest.raises(CryptoUnavailable):
        crypto.self_test()


def test_t12_missing_argon2_module_refuses(tmp_path, existing, monkeypatch):
    monkeypatch.delattr(kdf_package, "argon2")
    monkeypatch.setitem(sys.modules, "cryptography.hazmat.primitives.kdf.argon2", None)
    _refuses(tmp_path, existing)


def test_t12_derive_never_leaks_a_stray_exception(monkeypatch):
    monkeypatch.setattr(argon2, "Argon2id", Unsupported)
    with pytest.raises(CryptoUnavailable):
        crypto.derive_kek(PASS, b"\0" * 16, KdfParams.fast_for_tests())


def test_t12_recovers_when_argon2id_comes_back(tmp_path, existing, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(argon2, "Argon2id", Unsupported)
        with pytest.raises(CryptoUnavailable):
            crypto.self_test()
    crypto.self_test()  # a failure is never cached either
    Vault.open(existing, PASS, allow_weak=True).close()
