"""One vault connection, several threads: every use of the open vault goes through here.

The vault's sqlite connection may be used from any thread, but not from two at once.
`app.vault_lock` (a re-entrant lock) takes the turns: thread workers hold it for one
vault call at a time (long jobs go in small chunks), the UI thread takes it for saves and
one-row reads, or only tries (autosave, preview) and comes back a moment later, so it
never waits on a bulk read. Locking the app closes the vault under the same lock.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journal.core.vault import Vault


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


_burst_lock = threading.Lock()
_burst_depth = 0
_burst_reenable = False


@contextmanager
def allocation_burst() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a worker builds many long-lived
    objects at once (50,000 summaries, list rows, index items): each collection walks the
    whole growing heap, which made those loads about three times slower. Reference
    counting still frees everything as usual. When the last burst (of any thread) ends,
    the survivors are frozen (gc.freeze: later collections skip them, else the first one,
    on the UI thread, would walk them all: a second's stall at 50,000 entries) and the
    collector resumes. `thaw()` (on lock) hands them back to the collector."""
    global _burst_depth, _burst_reenable
    with _burst_lock:
        if _burst_depth == 0:
            _burst_reenable = gc.isenabled()
            gc.disable()
        _burst_depth += 1
    try:
        yield
    finally:
        with _burst_lock:
            _burst_depth -= 1
            if _burst_depth == 0 and _burst_reenable:
                gc.freeze()
                gc.enable()


def thaw() -> None:
    """Let the collector see what bursts froze again (the app locked: it is garbage now,
    and any reference cycles in it can only be freed by the collector)."""
    gc.unfreeze()
