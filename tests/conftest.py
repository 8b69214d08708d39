"""Shared fixtures: temp vaults with fast (test-only) KDF parameters, a fixed clock."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from journal.core.clock import FixedClock
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault

PASSPHRASE = "correct horse battery staple"

#: Folders under $HOME the program (through platformdirs) would write to, by XDG name.
XDG_DIRS = {"XDG_CONFIG_HOME": "config", "XDG_STATE_HOME": "state", "XDG_DATA_HOME": "data",
            "XDG_CACHE_HOME": "cache"}


@pytest.fixture(autouse=True)
def sandbox_home(tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test writes to the real user's folders: $HOME and every XDG folder point at a
    fresh temp dir (the XDG ones outside that HOME, so a test can see HOME stay empty),
    and no JOURNAL_* setting of the person running the tests leaks in. Subprocesses
    inherit it. Returns the sandbox; its `home` is $HOME."""
    root = tmp_path_factory.mktemp("sandbox")
    (root / "home").mkdir()
    monkeypatch.setenv("HOME", str(root / "home"))
    for name, folder in XDG_DIRS.items():
        monkeypatch.setenv(name, str(root / folder))
    for name in ("JOURNAL_VAULT", "JOURNAL_CONFIG_DIR", "JOURNAL_STATE_DIR",
                 "JOURNAL_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    return root


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked `slow` (several seconds each) run first, the rest in their usual
    order: pytest-xdist hands tests out in this order, so a long test no longer starts last
    and keeps one worker busy after the others have finished."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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
