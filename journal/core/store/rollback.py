"""Noticing a vault that went back in time (issue 13 item 5).

Every save raises a counter inside the authenticated manifest (`Manifest`). This module
keeps, outside the vault, the highest counter this user has seen per vault id, with the
dates, in a small JSON file in the user's state directory (the path is injected; nothing a
person writes is in it: the vault id, two counters and three dates). Unlocking a vault whose
counter is lower than one seen before gives a warning naming the dates: a backup was
restored, or someone put back old rows with their old manifest. `journal restore` marks the
vault id so the restore it announced does not warn again.

The file is not authenticated: whoever can write it can silence the warning (lower or delete
the record), never forge entries. It is written 0600, atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from journal.core.store.state_file import StateFile


@dataclass(frozen=True)
class Seen:
    counter: int
    saved_at: str  # when that save was made ("" if unknown)
    seen_at: str  # when this computer saw it


def _when(text: str) -> str:
    try:
        return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return "an unknown time"


class SeenSaves:
    """The highest save counter seen per vault id, in `path`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file = StateFile(self.path)

    def seen(self, vault_id: bytes) -> Seen | None:
        record = self._file.load().get(vault_id.hex())
        if not isinstance(record, dict) or record.get("restored"):
            return None
        try:
            return Seen(int(record["counter"]), str(record.get("saved_at", "")),
                        str(record.get("seen_at", "")))
        except (KeyError, TypeError, ValueError):
            return None

    def observe(self, vault_id: bytes, counter: int, saved_at: datetime | None,
                now: datetime) -> str | None:
        """Record this vault's counter (keeping the highest) and return a warning if it
        is lower than one seen before, else None."""
        data = self._file.load()
        key = vault_id.hex()
        before = self.seen(vault_id)
        saved = saved_at.isoformat() if saved_at else ""
        if before is None or counter >= before.counter:
            data[key] = {"counter": counter, "saved_at": saved,
                         "seen_at": now.replace(microsecond=0).isoformat()}
            self._file.store(data)
            return None
        return (f"this vault went back in time: it was last saved {_when(saved)} (save "
                f"{counter}), but on {_when(before.seen_at)} this computer saw it saved "
                f"{_when(before.saved_at)} (save {before.counter}). A backup was restored or "
                "old entries were put back: anything written after "
                f"{_when(saved)} is not in it")

    def forget_for_restore(self, vault_id: bytes) -> None:
        """`journal restore` said it goes back in time: its first unlock starts afresh."""
        data = self._file.load()
        if vault_id.hex() in data:
            data[vault_id.hex()] = {"restored": True}
            self._file.store(data)
