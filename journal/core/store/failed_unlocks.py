"""Wrong passphrases in a row, per vault id, remembered on this computer.

After two free tries (typos), each wrong passphrase doubles the wait before the next try,
up to a minute (`wait_after`). The count lives in a small JSON file in the user's state
directory (the path is injected, beside `rollback.SeenSaves`'s file; nothing a person
writes is in it: a vault id, a count and a time), so quitting the app and starting it
again, or running another command, gets no free tries: the app and every CLI command that
asks for a passphrase read and write the same count. A try is counted when it starts, so
one cut short (the program killed during the key derivation) still counts; a success
clears the count; a try that failed for another reason (a damaged vault) is not counted.
`journal init --from-sync` tries a passphrase before any vault exists: its count is kept
under the sync folder's key (journal.core.sync.folder_keys.tries_key) in the same file.

What it protects against: someone at the keyboard guessing through the program. Not
against anyone who can copy the vault file: they run Argon2id offline, as fast as their
hardware allows, and only the key derivation's cost protects the passphrase then. Nor
against someone who can write the state directory: deleting the file resets the count.
The file is written 0600, atomically (temp file, rename).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from journal.core.errors import WrongPassphrase
from journal.core.store.state_file import StateFile

#: Wrong passphrases allowed without a pause (typos); after that each wait doubles.
FREE_TRIES = 2
MAX_WAIT = 60


def wait_after(failures: int) -> int:
    """Seconds to wait before the next try after `failures` wrong passphrases in a row:
    0, 0, then 2, 4, 8... up to a minute."""
    return 0 if failures <= FREE_TRIES else min(MAX_WAIT, 2 ** (failures - FREE_TRIES))


@dataclass(frozen=True)
class Pause:
    """What the next try must wait: `seconds` still to go (0: none) after `failures`."""

    failures: int
    seconds: int


class FailedUnlocks:
    """The count of wrong passphrases in a row per vault id, in the JSON file `path`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file = StateFile(self.path)

    def _read(self, vault_id: bytes) -> tuple[int, datetime | None]:
        record = self._file.load().get(vault_id.hex())
        try:
            return int(record["failures"]), datetime.fromisoformat(record["at"])
        except (KeyError, TypeError, ValueError):
            return 0, None

    def _write(self, vault_id: bytes, failures: int, at: datetime | None) -> None:
        data = self._file.load()
        if failures <= 0 or at is None:
            data.pop(vault_id.hex(), None)
        else:
            data[vault_id.hex()] = {"failures": failures,
                                    "at": at.replace(microsecond=0).isoformat()}
        self._file.store(data)

    def failures(self, vault_id: bytes) -> int:
        return self._read(vault_id)[0]

    def pause(self, vault_id: bytes, now: datetime) -> Pause:
        """The wait still ahead of the next try, counted from the last wrong one. Never
        longer than the wait itself, so a clock set back cannot make it grow."""
        failures, at = self._read(vault_id)
        full = wait_after(failures)
        if not full or at is None:
            return Pause(failures, 0)
        left = full - (now - at).total_seconds()
        return Pause(failures, max(0, min(full, math.ceil(left))))

    @contextlib.contextmanager
    def one_try(self, vault_id: bytes, now: Callable[[], datetime]) -> Iterator[None]:
        """Around one try at the vault's key: counted before it starts; a wrong
        passphrase (`WrongPassphrase` leaving the block) restarts the wait from its
        answer, a success clears the count, any other error puts the count back."""
        before, at = self._read(vault_id)
        self._write(vault_id, before + 1, now())
        try:
            yield
        except WrongPassphrase:
            self._write(vault_id, before + 1, now())
            raise
        except Exception:
            self._write(vault_id, before, at)
            raise
        self._write(vault_id, 0, None)
