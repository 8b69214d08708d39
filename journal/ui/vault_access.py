"""One vault connection, several threads: every use of the open vault goes through here.

The vault's sqlite connection may be used from any thread, but not from two at once.
`app.vault_lock` (a re-entrant lock) takes the turns: thread workers hold it for one
vault call at a time (long jobs go in small chunks), the UI thread takes it for saves and
one-row reads, or only tries (autosave, preview) and comes back a moment later, so it
never waits on a bulk read. Locking the app closes the vault under the same lock.

The lock is the open vault's own turn too (`Vault.share_turn` at unlock,
journal.core.store.turn): every vault call, and what the vault hands out that reads later
(the index's word rows at a first word search), takes it by itself, so a call made
without `vault_in_use` still waits for its turn. Holding it here is what keeps several
calls together (a save and the reads around it) and lets the UI thread only try.

Since the UI thread waits for the turn, a thread holding it never waits for the UI thread
(journal.ui.ui_thread: its news is handed over, not waited for); the lock is a `HeldTurn`,
which knows its holder, so the app refuses such a wait.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from journal.core.store.bulk import paused_gc, thaw

if TYPE_CHECKING:
    from journal.core.store.index import Index
    from journal.core.store.vault import Vault


@contextmanager
def vault_in_use(app: Any, blocking: bool = True, timeout: float = -1
                 ) -> Iterator[Vault | None]:
    """The open vault, for this thread alone until the block ends. None when the app is
    locked, or when another thread kept it past `timeout` seconds (or at all, with
    blocking=False)."""
    lock = app.vault_lock
    if not lock.acquire(blocking, timeout if blocking else -1):
        yield None
        return
    try:
        yield app.vault
    finally:
        lock.release()


def vault_index(app: Any) -> Index | None:
    """The open vault's index (the vault caches it until someone commits), or None when
    the app is locked. Call it from a worker: a first load reads every chunk."""
    with vault_in_use(app) as vault:
        return None if vault is None else vault.index()


#: The core's collector pause (nesting, thread-aware), under the name the screens use.
allocation_burst = paused_gc

__all__ = ["allocation_burst", "thaw", "vault_in_use", "vault_index"]
