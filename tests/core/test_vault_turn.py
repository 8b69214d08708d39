"""The vault's turn: its one SQLite connection serves one thread at a time, and the Vault
takes that turn itself, for its own methods and for everything it hands out that reads
later (the index's word rows, loaded at the first word search), so no caller (a screen, a
worker) can forget to. A read snapshot of one thread with a save of another nested in it
once failed a save with "no such savepoint" (tests/ui/test_vault_threads.py).

A watch on the connection records, for every statement any part of the vault runs,
whether the calling thread holds the vault's turn at that moment: holding an RLock means
no other thread does, so "always held" is "never two threads on the connection at once",
checked without timing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from journal.core.demo import generate
from journal.core.errors import JournalError, VaultLocked
from journal.core.model.entries import Entry
from journal.core.model.query import Query
from journal.core.store.turn import HeldTurn
from journal.core.store.vault import Vault

PARTS = ("records", "manifest", "indexes", "keyring", "captures", "maintenance")


class TurnWatch:
    """A vault's connection, seen by every part of it: for each statement, whether the
    thread running it held the vault's turn."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._conn: sqlite3.Connection = vault._conn
        self.statements: list[tuple[bool, str]] = []
        for holder in (vault, *(getattr(vault, part) for part in PARTS)):
            holder._conn = self  # type: ignore[assignment]

    def _held(self) -> bool:
        turn = getattr(self._vault, "turn", None)
        return turn is not None and turn._is_owned()

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self.statements.append((self._held(), sql))
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self.statements.append((self._held(), sql))
        return self._conn.executemany(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def outside_the_turn(self) -> list[str]:
        return [sql for held, sql in self.statements if not held]


def on_another_thread(work: Callable[[], Any]) -> Any:
    """Run `work` on a new thread (as a screen's worker does) and hand back its result or
    raise its error."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


@pytest.fixture
def filled(vault: Vault) -> Vault:
    vault.put_many(generate(80, seed=3, start=date(2024, 1, 1), body_bytes=200, moments=1))
    vault.indexes.forget()  # the next index() reads its chunks, the first word search its rows
    return vault


def test_a_lazy_word_row_load_from_a_worker_takes_the_vaults_turn(filled):
    """The index the vault hands out reads its word rows later, from whichever thread runs
    the first word search: that read is the vault's, in the vault's turn."""
    index = filled.index()
    assert index.loaded_word_chunks() is None
    watch = TurnWatch(filled)
    hits = on_another_thread(lambda: index.select(Query(text=["ward"])))
    assert index.loaded_word_chunks() is not None and watch.statements
    assert watch.outside_the_turn() == []
    assert len(hits) == len(filled.index().select(Query(text=["ward"])))


def test_an_index_patched_by_a_save_still_loads_its_word_rows_in_the_turn(filled):
    """A save patches the cached index (`with_chunks`) rather than reading it again: the
    patched one keeps the way to its word rows, and that way still takes the turn."""
    filled.index()
    filled.put(Entry(date(2026, 11, 25), body="ward round, then home"))
    patched = filled.index()
    assert patched.loaded_word_chunks() is None
    watch = TurnWatch(filled)
    on_another_thread(patched.word_chunks)
    assert watch.statements and watch.outside_the_turn() == []


def test_every_vault_call_from_a_worker_is_in_the_turn(filled):
    """Reads, saves and the index, called from a thread that took no lock: each runs every
    statement holding the vault's turn (a caller that forgets the app's lock is safe)."""
    some = filled.summaries()[:5]
    watch = TurnWatch(filled)
    entry = Entry(date(2026, 11, 25), body="first words")

    def calls() -> None:
        nonlocal entry
        filled.index()
        filled.count()
        filled.get(some[0].id)
        filled.get_by_date(some[1].date)
        filled.get_many([e.id for e in some])
        filled.entries_containing([e.id for e in some], ["ward"])
        filled.versions()
        filled.last_saved()
        filled.arrivals()
        entry = filled.put(entry)
        filled.delete(entry.id)
        with filled.transaction():
            filled.put(Entry(date(2026, 11, 24), body="in one transaction"))
        filled.entries()

    on_another_thread(calls)
    assert len(watch.statements) > 20
    assert watch.outside_the_turn() == []


def test_a_call_waits_for_another_threads_turn(filled):
    """While one thread holds the turn (the app's UI thread), a worker's lazy read waits for
    it rather than running beside it: it runs once the turn is given back, and then holds
    the turn itself."""
    index = filled.index()
    watch = TurnWatch(filled)
    started = threading.Event()
    result: list[object] = []

    def worker() -> None:
        started.set()
        result.append(index.word_chunks())

    with filled.turn:
        thread = threading.Thread(target=worker)
        thread.start()
        started.wait()
        assert filled.count() == 80  # (a save here would make `index` stale: a conflict)
        saved_statements = len(watch.statements)
        assert result == []  # it cannot have read: it needs the turn held here
    thread.join()
    assert result and watch.outside_the_turn() == []
    assert len(watch.statements) > saved_statements


def test_a_lazy_read_after_the_vault_is_locked_says_so(filled):
    """An index still held (a worker's) after the vault was locked: its first word search
    is a clear error of the program's own, never a closed connection's traceback."""
    index = filled.index()
    filled.close()
    with pytest.raises(VaultLocked) as raised:
        on_another_thread(index.word_chunks)
    assert isinstance(raised.value, JournalError)
    assert "locked" in str(raised.value)


def test_the_turn_can_be_one_the_caller_already_holds(vault):
    """The app shares its own lock (`vault_lock`) as the vault's turn, so the app's turns
    and the vault's are one: holding the app's lock, the vault's calls go straight on."""
    shared = threading.RLock()
    vault.share_turn(shared)
    assert vault.turn is shared
    watch = TurnWatch(vault)
    with shared:
        vault.put(Entry(date(2026, 11, 25), body="saved"))
    on_another_thread(vault.count)
    assert watch.statements and watch.outside_the_turn() == []


#: Public members of the Vault that reach no connection by themselves: opening and
#: creating (no other thread has the vault yet), `close` and `transaction` (which take the
#: turn in their own bodies), what only delegates to a method that takes it (`put`,
#: `summaries`), and what needs only the keys or the path.
NOT_WRAPPED = {"create", "read_header", "open", "close", "lock", "transaction", "put",
               "summaries", "refresh", "day_key", "derived_key", "sealed_box", "share_turn",
               "header", "closed"}


def test_every_public_vault_method_takes_the_turn_or_is_named_as_not_needing_it():
    """A method added to the Vault takes the turn, or is named above with its reason."""
    methods = {name for name, member in vars(Vault).items()
               if not name.startswith("_")
               and (callable(member) or isinstance(member, property | classmethod))}
    unwrapped = {name for name in methods - NOT_WRAPPED
                 if not getattr(vars(Vault)[name], "takes_turn", False)}
    assert unwrapped == set()
    assert getattr(Vault._word_rows, "takes_turn", False)  # what the index holds
    assert methods >= NOT_WRAPPED  # the list names only what exists


def test_two_workers_racing_a_first_word_search_read_the_word_rows_once(filled):
    """Two threads that both found the index without its word rows queue for the turn;
    the second, once in, finds them loaded by the first and reads nothing."""
    index = filled.index()
    first = on_another_thread(index.word_chunks)
    watch = TurnWatch(filled)
    second = on_another_thread(lambda: index._source(index))  # what the second one runs
    assert second is first
    assert watch.statements == []


def test_a_held_turn_knows_its_holder_and_is_the_vaults_turn(vault):
    """`HeldTurn` (the app's `vault_lock`): re-entrant, and only the thread holding it is
    told it does, also while another thread waits for it; shared, it is the vault's turn."""
    turn = HeldTurn()
    vault.share_turn(turn)
    seen: list[bool] = []
    with turn:
        with turn:
            seen.append(turn.held_here())
        seen.append(turn.held_here())
        seen.append(on_another_thread(turn.held_here))
        seen.append(on_another_thread(lambda: turn.acquire(timeout=0.01)))
        with pytest.raises(RuntimeError):
            on_another_thread(turn.release)
        assert vault.count() == 0  # the vault's call takes the same turn, re-entered
    seen.append(turn.held_here())
    assert seen == [True, True, False, False, False]
    assert on_another_thread(lambda: (turn.acquire(timeout=1), turn.held_here(),
                                      turn.release())) == (True, True, None)
    watch = TurnWatch(vault)
    on_another_thread(lambda: vault.put(Entry(date(2026, 1, 2), body="in its turn")))
    assert watch.statements and watch.outside_the_turn() == []
