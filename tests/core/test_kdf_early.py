"""A head start on the key derivation (journal.core.store.kdf): the same key, derived once, and
never two Argon2id buffers at once when the guess was wrong."""

from __future__ import annotations

import threading

import pytest

from journal.core.store import kdf
from journal.core.store.kdf import KdfParams

FAST = KdfParams.fast_for_tests()


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = kdf._derive
    monkeypatch.setattr(kdf, "_derive", lambda *a: calls.append(a[1:]) or real(*a))
    monkeypatch.setattr(kdf, "_early", {})
    return calls


def test_the_head_start_is_taken_by_the_same_derivation(counted):
    expected = kdf._derive("pass phrase", b"s" * 16, FAST)
    counted.clear()
    kdf.derive_kek_early("pass phrase", b"s" * 16, FAST)
    assert kdf.derive_kek("pass phrase", b"s" * 16, FAST) == expected
    assert counted == [(b"s" * 16, FAST)]  # derived once, on the other thread
    assert kdf._early == {}


@pytest.mark.parametrize("other", [("another phrase", b"s" * 16, FAST),
                                   ("pass phrase", b"t" * 16, FAST),
                                   ("pass phrase", b"s" * 16, KdfParams(8 * 1024, 2, 1))])
def test_a_head_start_on_other_inputs_is_not_used(counted, other):
    kdf.derive_kek_early("pass phrase", b"s" * 16, FAST)
    assert kdf.derive_kek(*other) == kdf._derive(*other)
    assert not any(t.name == "journal-kdf" and t.is_alive() for t in threading.enumerate())


def test_no_head_start_for_settings_out_of_range(counted):
    kdf.derive_kek_early("pass phrase", b"s" * 16, KdfParams(8, 99, 1))
    assert kdf._early == {} and counted == []


def test_every_argon2id_derivation_holds_the_one_at_a_time_lock(monkeypatch):
    """Two derivations at once in one process hung inside OpenSSL (a head start beside the
    self-test's vector, under load): each must run under kdf.ONE_AT_A_TIME."""
    from cryptography.hazmat.primitives.kdf import argon2

    from journal.core.store import crypto

    held = []
    real = argon2.Argon2id

    class Watched:
        def __init__(self, **kwargs):
            self._impl = real(**kwargs)

        def derive(self, secret):
            held.append(kdf.ONE_AT_A_TIME.locked())
            return self._impl.derive(secret)

    monkeypatch.setattr(argon2, "Argon2id", Watched)
    crypto._forget_self_test()
    crypto.self_test()
    kdf.derive_kek("pass phrase", b"s" * 16, FAST)
    kdf.derive_kek_early("pass phrase", b"t" * 16, FAST)
    kdf.derive_kek("pass phrase", b"t" * 16, FAST)
    crypto._forget_self_test()
    assert held == [True, True, True]
