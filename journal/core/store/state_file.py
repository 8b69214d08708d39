"""One small JSON object kept by this computer in its state directory (the highest save
counter seen per vault, the wrong passphrases in a row per vault): read whole, written
whole and atomically, 0600 in a 0700 folder, and best effort both ways, since it only
sharpens a warning or a wait and never holds anything a user wrote."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from journal.core.store.private_dirs import make_private_dirs


class StateFile:
    """The JSON object in `path`: `load` gives {} for a missing or unreadable file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def load(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def store(self, data: dict[str, dict]) -> None:
        """Replace the file by `data`; a state directory that cannot be written loses it."""
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            make_private_dirs(self.path.parent)  # with its new parents: 0700, any umask
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1, sort_keys=True)
            os.replace(temp, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()
