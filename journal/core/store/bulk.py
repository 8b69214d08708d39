"""Helpers for loading and saving many objects at once."""

from __future__ import annotations

import gc
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from journal.core.model.entries import Entry
from journal.core.store import crypto

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


def bucket_of(entry_id: str) -> int:
    """The manifest bucket (and index chunk) an entry's id falls in: its first byte."""
    return crypto.manifest_bucket(uuid.UUID(entry_id).bytes)


def in_buckets(entries: Iterable[Entry], streamed: bool) -> Iterator[list[Entry]]:
    """`entries` as one list per manifest bucket, buckets ascending, each in id order
    (the table's key, so a bulk write fills the B-tree's pages one after another).

    Not `streamed`: `entries` is held by the caller anyway, so it is sorted here. Streamed:
    it is consumed one bucket at a time and must already come grouped by bucket in
    ascending order (an importer reading a large file yields it so, `Vault.put_many`
    relies on it to hold one bucket's entries at a time); anything else raises
    ValueError, a bug in the caller."""
    if not streamed:
        ordered = sorted(entries, key=lambda e: uuid.UUID(e.id).bytes)
        start = 0
        for end in range(1, len(ordered) + 1):
            if end == len(ordered) or bucket_of(ordered[end].id) != bucket_of(ordered[start].id):
                yield ordered[start:end]
                start = end
        return
    group: list[tuple[bytes, Entry]] = []
    current = -1
    for entry in entries:
        raw = uuid.UUID(entry.id).bytes
        bucket = crypto.manifest_bucket(raw)
        if bucket != current:
            if bucket < current:
                raise ValueError("a streamed put_many needs its entries grouped by bucket, "
                                 f"ascending: bucket {bucket} came after {current}")
            if group:
                yield _in_id_order(group)
            group, current = [], bucket
        group.append((raw, entry))
    if group:
        yield _in_id_order(group)


def _in_id_order(group: list[tuple[bytes, Entry]]) -> list[Entry]:
    group.sort(key=lambda pair: pair[0])
    return [entry for _raw, entry in group]
