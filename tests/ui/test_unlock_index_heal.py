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
