"""The vault's one sqlite connection is shared by the UI thread and thread workers, but it
must never be used by two threads at once: `app.vault_lock` (journal.ui.vault_access)
takes the turns. These tests run the browse workers (summaries, word search, preview)
while saves happen on the UI thread, through a guard that counts how many threads are
inside the vault at the same moment (and sleeps inside each call to widen any overlap).
"""

from __future__ import annotations

import threading
import time
from datetime import date

from journal.core.demo import generate
from journal.core.model.entries import Entry
from journal.core.store.index_store import IndexStore
from journal.ui.screens.browse import BrowseScreen
from journal.ui.vault_access import vault_in_use
from journal.ui.widgets.filters import FilterBar
from tests.conftest import open_vault
from tests.ui.host import HostApp, settle

DAY = date(2026, 11, 25)


class OneAtATime:
    """Wraps a Vault: records the most threads ever inside it at once."""

    def __init__(self, vault: object) -> None:
        self._vault = vault
        self._count_lock = threading.Lock()
        self.inside = 0
        self.most_at_once = 0
        self.calls: dict[str, int] = {}
        self.threads: set[int] = set()

    def __getattr__(self, name: str):
        target = getattr(self._vault, name)
        if not callable(target):
            return target

        def guarded(*args, **kwargs):
            with self._count_lock:
                self.inside += 1
                self.most_at_once = max(self.most_at_once, self.inside)
                self.calls[name] = self.calls.get(name, 0) + 1
                self.threads.add(threading.get_ident())
            try:
                time.sleep(0.002)
                return target(*args, **kwargs)
            finally:
                with self._count_lock:
                    self.inside -= 1

        return guarded


async def test_browse_workers_and_saves_take_turns_and_no_save_is_lost(vault, vault_dir):
    vault.put_many(generate(600, seed=5, start=date(2024, 1, 1), body_bytes=200, moments=1))
    guard = OneAtATime(vault)
    app = HostApp(guard)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        bar = screen.query_one(FilterBar)
        entry = Entry(DAY, body="first words")
        for i in range(12):
            screen.reload()  # an index worker
            bar.input.value = f"'ward {i % 3}'"  # a phrase-search worker after the debounce
            bar._apply()
            screen.entry_list.action_cursor_down()  # a preview fetch
            await pilot.pause(0.01)
            entry.body = f"saved {i}: the words typed so far"
            with vault_in_use(app) as v:  # what the write screen's save does
                assert v is not None
                entry = v.put(entry)
        await settle(pilot, 0.2)
        assert "could not" not in screen.preview.document
    assert guard.most_at_once == 1
    assert guard.calls.get("index", 0) >= 2 and guard.calls.get("entries_containing", 0) >= 2
    assert guard.calls.get("put") == 12
    assert len(guard.threads) >= 2  # the workers really ran in other threads
    vault.close()
    reopened = open_vault(vault_dir)
    assert reopened.get_by_date(DAY).body == "saved 11: the words typed so far"
    assert reopened.count() == 601


async def test_the_guard_sees_two_threads_without_the_lock(vault):
    """The check above can fail: the same guard catches two unlocked threads at once."""
    vault.put_many(generate(50, seed=5, start=date(2024, 1, 1), body_bytes=100, moments=1))
    guard = OneAtATime(vault)
    start = threading.Barrier(2)

    def read() -> None:
        start.wait()
        for _ in range(20):
            guard.count()

    others = [threading.Thread(target=read) for _ in range(2)]
    for t in others:
        t.start()
    for t in others:
        t.join()
    assert guard.most_at_once == 2


async def test_a_word_search_reads_the_word_rows_in_the_vaults_turn(vault, monkeypatch):
    """The index reads its word rows from the vault at the first word search (and may
    rebuild some): that read must hold `app.vault_lock` like any vault call, else it runs
    beside a save on the one connection (a save once failed with "no such savepoint")."""
    vault.put_many(generate(60, seed=5, start=date(2024, 1, 1), body_bytes=200, moments=1))
    held: list[bool] = []
    real = IndexStore.read_words

    def read_words(self, index):  # noqa: ANN001, ANN202
        held.append(app.vault_lock._is_owned())
        return real(self, index)

    monkeypatch.setattr(IndexStore, "read_words", read_words)
    vault.indexes.forget()
    app = HostApp(vault)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        bar = screen.query_one(FilterBar)
        bar.input.value = "'ward'"
        bar._apply()
        await app.workers.wait_for_complete()
        await settle(pilot, 0.2)
    assert held == [True]


async def test_in_the_app_a_lazy_index_read_from_any_thread_takes_the_apps_lock(
        unlocked, make_vault, monkeypatch):
    """Closed by design, not path by path: the open vault takes the app's lock as its own
    turn (`Vault.share_turn` at unlock), so even a thread that calls a lazy path of the
    index without `vault_in_use` (here the browse screen's index, its word rows read at
    the first word search) waits for the UI thread's turn and reads holding the lock."""
    make_vault(list(generate(60, seed=5, start=date(2024, 1, 1), body_bytes=200, moments=1)))
    held: list[bool] = []
    real = IndexStore.read_words

    def read_words(self, index):  # noqa: ANN001, ANN202
        held.append(app.vault_lock._is_owned())
        return real(self, index)

    monkeypatch.setattr(IndexStore, "read_words", read_words)
    app = None
    async with unlocked(size=(100, 30), key="f3") as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        index = screen.index
        assert index is not None and index.loaded_word_chunks() is None
        with app.vault_lock:  # the UI thread's turn, as a save takes it
            reader = threading.Thread(target=index.word_chunks)
            reader.start()
            assert app.vault.count() == 60
            assert held == []  # the reader waits for the turn
        reader.join()
        assert app.vault.turn is app.vault_lock
    assert held == [True]
    assert index.loaded_word_chunks() is not None
