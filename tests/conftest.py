"""Shared fixtures: temp vaults with fast (test-only) KDF parameters, a fixed clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from journal.core.clock import FixedClock
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 25, 21, 30, 0))


@pytest.fixture
def fast_kdf() -> KdfParams:
    return KdfParams.fast_for_tests()


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_dir: Path, fast_kdf: KdfParams, clock: FixedClock):
    v, _code = Vault.create(vault_dir, PASSPHRASE, kdf=fast_kdf, clock=clock)
    yield v
    v.close()


def open_vault(directory: Path, passphrase: str = PASSPHRASE, **kw) -> Vault:
    return Vault.open(directory, passphrase, allow_weak=True, **kw)
