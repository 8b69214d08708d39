"""No worker waits for the UI thread while it holds the vault's turn (docs/architecture.md,
"One thread at a time on the connection").

A worker inside the turn (an import planning or writing, a sync) that waited for the UI
thread (Textual's `call_from_thread`) while the UI thread waited for the turn (Ctrl+L,
auto-lock, the write screen's save) hung the app for good. Each test here puts a worker
inside the turn, lets it report only once the UI thread is waiting for that turn, and
checks that the lock ends and that what the worker did is whole. The app's lock is
watched (`WatchedTurn`): the UI thread waiting longer than `BOUND` seconds fails the test
instead of hanging the suite.
"""

from __future__ import annotations

import ast
import asyncio
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from journal.core.demo import generate
from journal.core.errors import StorageError
from journal.core.exchange import format_v1 as exchange
from journal.core.exchange.importers import plan as planning
from journal.core.sync import session
from journal.settings import Settings
from journal.ui.app import JournalApp
from journal.ui.screens.confirm import ConfirmScreen
from journal.ui.screens.transfer import ImportScreen
from journal.ui.screens.unlock import UnlockScreen
from journal.ui.vault_access import vault_in_use

from .conftest import PASSPHRASE, TODAY, open_vault, sample_entries, settle, unlock

#: Seconds the UI thread may wait for a worker's turn before the test calls it a hang.
BOUND = 10.0

#: Entries imported: many days, so the import writes many buckets in its one transaction.
INCOMING = generate(40, seed=11, start=date(2025, 3, 1), body_bytes=120, moments=1)


class WatchedTurn:
    """The app's `vault_lock`, watched: `ui_waiting` is set when the UI thread starts
    waiting for a turn another thread holds; a wait longer than BOUND raises (the test
    fails) where the app would hang."""

    def __init__(self, app: JournalApp) -> None:
        self.app = app
        self.inner = app.vault_lock
        self.ui_waiting = threading.Event()
        self.hung = False

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        on_ui = threading.get_ident() == self.app._thread_id
        if not on_ui or not blocking or timeout >= 0:
            return self.inner.acquire(blocking, timeout)
        if self.inner.acquire(False):
            return True
        self.ui_waiting.set()
        if self.inner.acquire(True, BOUND):
            return True
        self.hung = True
        raise AssertionError(f"the UI thread waited {BOUND} s for a worker's turn: a hang")

    def release(self) -> None:
        self.inner.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def watched(app: JournalApp) -> WatchedTurn:
    """Watch `app`'s lock (before unlock: the vault shares it as its turn then)."""
    turn = WatchedTurn(app)
    app.vault_lock = turn
    return turn


def gate(turn: WatchedTurn, real: Callable[..., Any], inside: threading.Event,
         after: bool = True) -> Callable[..., Any]:
    """`real` (planning's plan_source or apply), its first run held inside the worker's
    turn until the UI thread waits for that turn, then reporting progress from there."""
    runs = []

    def gated(vault: Any, what: Any, progress: Callable[[int], None] | None = None,
              **kw: Any) -> Any:
        first = not runs
        runs.append(1)
        if first and not after:
            inside.set()
            assert turn.ui_waiting.wait(BOUND), "the UI thread never waited for the turn"
            if progress is not None:
                progress(0)  # inside the turn, while the UI thread waits for it
        result = real(vault, what, progress=progress, **kw)
        if first and after:
            inside.set()
            assert turn.ui_waiting.wait(BOUND), "the UI thread never waited for the turn"
            if progress is not None:
                progress(0)
        return result

    return gated


async def started(event: threading.Event) -> None:
    assert await asyncio.to_thread(event.wait, BOUND), "the worker never took its turn"


def notes(app: JournalApp) -> list[str]:
    return [n.message for n in app._notifications]


async def ask_to_import(pilot: Any, source: Path) -> None:
    """Open the Import dialog, give it `source` and press Enter (the dry run starts)."""
    pilot.app.push_screen(ImportScreen())
    await pilot.pause()
    field = pilot.app.screen.query_one("#path", Input)
    field.value = str(source)
    field.focus()
    await pilot.press("enter")


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "export.json"
    path.write_text(exchange.to_json_text(INCOMING), encoding="utf-8")
    return path


def imported_whole(directory: Path, before: int) -> None:
    """Every incoming entry is in the vault, with its text: the import was not cut."""
    with open_vault(directory) as vault:
        assert vault.count() == before + len(INCOMING)
        for entry in INCOMING:
            stored = vault.get_by_date(entry.date)
            assert stored is not None and stored.body == entry.body


async def test_ctrl_l_while_the_import_writes_waits_for_it_and_saves_the_text(
        app_factory, make_vault, paths, source, monkeypatch):
    make_vault(sample_entries())
    app = app_factory()
    turn = watched(app)
    inside = threading.Event()
    monkeypatch.setattr(planning, "apply", gate(turn, planning.apply, inside, after=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await pilot.press(*"typed before")  # pending: the lock's save waits for the turn
        await ask_to_import(pilot, source)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # the import's worker takes the turn and writes
        await started(inside)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert not turn.hung
        assert app.vault is None and isinstance(app.screen, UnlockScreen)
        assert any(f"Imported {len(INCOMING)} new entries" in n for n in notes(app))
    imported_whole(paths.vault, before=2)  # yesterday's, and the text typed today
    with open_vault(paths.vault) as vault:
        assert vault.get_by_date(TODAY).body == "typed before"


async def test_auto_lock_while_the_import_writes_waits_for_it(
        app_factory, make_vault, paths, source, monkeypatch, ui_clock):
    make_vault(sample_entries())
    app = app_factory(settings=Settings(autolock_minutes=5))
    turn = watched(app)
    inside = threading.Event()
    monkeypatch.setattr(planning, "apply", gate(turn, planning.apply, inside))
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await ask_to_import(pilot, source)
        await settle(pilot)
        await pilot.press("y")
        await started(inside)
        ui_clock.advance(minutes=6)  # the app's second timer locks it
        assert await asyncio.to_thread(turn.ui_waiting.wait, BOUND)
        await settle(pilot)
        assert not turn.hung
        assert app.vault is None and isinstance(app.screen, UnlockScreen)
        assert any("Locked after 5 idle minutes" in n for n in notes(app))
        assert any(f"Imported {len(INCOMING)} new entries" in n for n in notes(app))
    imported_whole(paths.vault, before=1)


async def test_ctrl_l_during_the_dry_run_locks_and_writes_nothing(
        app_factory, make_vault, paths, source, monkeypatch):
    make_vault(sample_entries())
    app = app_factory()
    turn = watched(app)
    inside = threading.Event()
    monkeypatch.setattr(planning, "plan_source",
                        gate(turn, planning.plan_source, inside))
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await pilot.press(*"typed before")  # the lock's save waits for the dry run's turn
        await ask_to_import(pilot, source)
        dialog = app.screen
        await started(inside)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert not turn.hung
        assert app.vault is None and isinstance(app.screen, UnlockScreen)
        assert not any(isinstance(s, (ImportScreen, ConfirmScreen)) for s in app.screen_stack)
        assert isinstance(dialog, ImportScreen) and dialog._source is None  # let go
        await unlock(pilot)  # and the app is whole after it
        assert app.vault is not None and app.vault.count() == 2
    with open_vault(paths.vault) as vault:
        assert vault.count() == 2  # yesterday's and the text typed: nothing imported
        assert vault.get_by_date(TODAY).body == "typed before"


async def test_a_sync_error_while_locking_is_said_once_and_the_app_locks(
        app_factory, linked_vault, paths, monkeypatch):
    linked_vault()
    app = app_factory()
    turn = watched(app)
    inside = threading.Event()
    runs: list[str] = []

    def failing_sync(vault: Any, *args: Any, **kw: Any) -> Any:
        runs.append(threading.current_thread().name)
        if len(runs) == 1:  # the sync at unlock, in its worker, inside the turn
            inside.set()
            assert turn.ui_waiting.wait(BOUND), "the UI thread never waited for the turn"
        raise StorageError("the sync folder is not there (is the drive mounted?)")

    monkeypatch.setattr(session, "sync", failing_sync)
    async with app.run_test() as pilot:
        await pilot.pause()
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")  # unlocks; its sync starts in a worker
        await started(inside)
        await pilot.press("ctrl+l")  # saves, then the last sync, on this thread
        await settle(pilot)
        assert not turn.hung
        assert app.vault is None and isinstance(app.screen, UnlockScreen)
        assert len(runs) == 2
        said = [n for n in notes(app) if "sync folder is not there" in n]
        assert len(said) == 1
        assert app.sync.status.startswith("sync: the sync folder is not there")


async def test_a_worker_in_its_turn_that_would_wait_for_the_ui_thread_is_refused(
        unlocked, make_vault):
    """The rule by construction: `call_from_thread` from a thread holding the turn raises
    at once (it would hang the app the moment the UI thread waits for that turn); a
    thread outside the turn still may."""
    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        seen: list[object] = []

        def in_turn() -> None:
            with vault_in_use(app):
                try:
                    app.call_from_thread(seen.append, "waited")
                except RuntimeError as exc:
                    seen.append(str(exc))
            seen.append(app.call_from_thread(len, "outside"))

        worker = threading.Thread(target=in_turn, daemon=True)
        worker.start()
        await asyncio.to_thread(worker.join, BOUND)  # the UI thread stays free meanwhile
        assert not worker.is_alive(), "the worker waited for the UI thread in its turn"
        assert len(seen) == 2 and "holds the vault's turn" in str(seen[0])
        assert seen[1] == len("outside")


def _waits_for_the_ui_thread(tree: ast.AST) -> list[str]:
    return [f"line {node.lineno}" for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr == "call_from_thread"]


def test_only_the_app_names_call_from_thread():
    """Every place a worker could wait for the UI thread, listed: none in a screen, a
    widget or a hook. They hand the UI thread its work through `ui_thread.to_ui`, which
    never waits; the app's own `call_from_thread` refuses a thread in its turn."""
    root = Path(__file__).resolve().parents[2] / "journal"
    found = {}
    for path in sorted(root.rglob("*.py")):
        uses = _waits_for_the_ui_thread(ast.parse(path.read_text(encoding="utf-8")))
        if uses:
            found[str(path.relative_to(root))] = len(uses)
    assert found == {"ui/app.py": 1}
