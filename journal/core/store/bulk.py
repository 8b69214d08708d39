"""Helpers for loading many objects at once."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_reenable = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many long-lived objects at
    once (50,000 summaries, list rows, index items): each collection walks the whole
    growing heap, about 40-70% of such a load (measured by `make bench`). Reference
    counting still frees everything as usual. Nests and works across threads: when the
    last pause ends, the survivors are frozen (gc.freeze: later collections skip them,
    else the first one, perhaps on the UI thread, walks them all) and the collector
    resumes. `thaw()` (on lock) hands them back to the collector."""
    global _depth, _reenable
    with _lock:
        if _depth == 0:
            _reenable = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _reenable:
                gc.freeze()
                gc.enable()


def thaw() -> None:
    """Let the collector see what pauses froze again (the objects are garbage now, and any
    reference cycles among them can only be freed by the collector)."""
    gc.unfreeze()
