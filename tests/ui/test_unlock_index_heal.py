"""Unlocking is a read-write session: index chunks it had to rebuild (after a chunk-format
change, or chunks missing) are stored at once, and a long rebuild is said in a notice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from journal.core.model.entries import Entry
from journal.ui.screens import unlock as unlock_screen
from tests.raw_sql import raw_sql

from .conftest import TODAY, unlock


@pytest.mark.parametrize("threshold, said", [(0.0, True), (3600.0, False)])
async def test_unlock_stores_the_rebuilt_index(app_factory, make_vault, monkeypatch,
                                               threshold, said):
    directory = make_vault([Entry(date=TODAY - timedelta(days=i), body=f"day {i} #ward")
                            for i in range(4)])
    raw_sql(directory, "DELETE FROM index_chunks")
    monkeypatch.setattr(unlock_screen, "HEAL_NOTICE_SECONDS", threshold)
    app = app_factory()
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await unlock(pilot)
        assert app.vault is not None
        assert len(app.vault.summaries()) == 4
    stored = raw_sql(directory, "SELECT bucket FROM index_chunks")
    assert stored and len(stored) <= 4
    line = "The encrypted index was rebuilt (4 entries) and stored"
    assert any(line in n for n in notes) is said


async def test_unlock_stores_the_upgrade_of_an_older_vault(app_factory, paths, monkeypatch):
    """Issue 19, target 4: a vault of storage version 5 (tests/data/index-v4, made by main
    a36e878: chunks without their folds) is upgraded at unlock and stored at once (that no
    entry is decrypted for it: tests/core/test_index_upgrade.py); the notice says it was
    upgraded, not rebuilt."""
    import json
    import shutil
    from pathlib import Path

    from journal.core.store import crypto
    from journal.core.store.index_chunk import chunk_aad

    old = Path(__file__).resolve().parents[1] / "data" / "index-v4"
    expected = json.loads((old / "reflect.json").read_text(encoding="utf-8"))
    shutil.copytree(old, paths.vault)
    monkeypatch.setattr(unlock_screen, "HEAL_NOTICE_SECONDS", 0.0)
    app = app_factory()
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await unlock(pilot, expected["passphrase"])
        assert app.vault is not None
        assert app.vault.indexes.pending() == 0   # stored at unlock
        said = [n for n in notes if "encrypted index" in n]
        assert said == ["The encrypted index was upgraded (the moments of 80 entries folded "
                        "from the index itself; no entry decrypted) and stored: the next "
                        "unlock will be quicker."]
        keys = app.vault.keyring.subkeys["summary-aead"], app.vault.keyring.vault_id
    rows = raw_sql(paths.vault, "SELECT bucket, ct FROM index_chunks")
    formats = {json.loads(crypto.unpad(crypto.open_sealed(
        keys[0], blob, chunk_aad(keys[1], bucket))).split(b"\n")[0])["v"] for bucket, blob in rows}
    assert len(rows) > 50 and formats == {6}
