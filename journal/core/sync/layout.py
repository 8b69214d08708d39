"""The sync folder's layout, and reading it as a sync engine leaves it.

    DIR/journal-sync/keys/<machine>.key              the sync key wrapped (folder_keys)
    DIR/journal-sync/records/<machine>/<seq>.jsr     that machine's change records (record)
    DIR/journal-sync/records/<machine>/1-<last>.jsc  its records 1..last in one (compaction)

Each machine writes only files under its own name, each once (atomically: a temporary
name, then a rename), so the engine never has two writers on a file. What engines add is
recognised: Syncthing's `NAME.sync-conflict-DATE-TIME-DEVICE.jsr` and Dropbox's
`NAME (… conflicted copy …).jsr` are *copies* of a record (offered as candidates for the
same sequence number); temporary and partial files (`.syncthing.*.tmp`, `~…`, `*.part`,
`*.partial`, `*.tmp`, our own `.journal-*.tmp`) are skipped.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from journal.core.errors import StorageError

ROOT = "journal-sync"
MACHINE_RE = re.compile(r"[0-9a-f]{16}")
_RECORD = re.compile(r"(\d{8})(.*)\.jsr")
_KEY = re.compile(r"([0-9a-f]{16})(.*)\.key")
_COMPACTION = re.compile(r"(\d{8})-(\d{8})(.*)\.jsc")
_TEMPORARY = (".", "~")
_TEMP_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".download")


def is_temporary(name: str) -> bool:
    return name.startswith(_TEMPORARY) or name.lower().endswith(_TEMP_SUFFIXES)


def record_name(seq: int) -> str:
    return f"{seq:08d}.jsr"


@dataclass
class MachineFiles:
    """One machine's records in the folder: the primary file and any conflict copies."""

    primary: dict[int, Path] = field(default_factory=dict)
    copies: dict[int, list[Path]] = field(default_factory=dict)
    #: compactions (records 1..last in one file), by last, copies included
    compactions: dict[int, list[Path]] = field(default_factory=dict)

    def seqs(self) -> set[int]:
        return set(self.primary) | set(self.copies)

    def candidates(self, seq: int) -> list[Path]:
        first = [self.primary[seq]] if seq in self.primary else []
        return first + sorted(self.copies.get(seq, []))


class Folder:
    """The `journal-sync` directory inside the folder the user chose."""

    def __init__(self, directory: Path) -> None:
        self.base = Path(directory)
        self.root = self.base / ROOT

    def exists(self) -> bool:
        return (self.root / "keys").is_dir()

    def create(self) -> None:
        try:
            if not self.base.is_dir():
                raise StorageError(f"the sync folder {self.base} does not exist")
            (self.root / "keys").mkdir(parents=True, exist_ok=True)
            (self.root / "records").mkdir(exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot prepare the sync folder {self.base}: "
                               f"{exc.strerror}") from None

    def key_files(self) -> list[Path]:
        """Every key file, primary names first (newest first), then conflict copies."""
        found = [p for p in _listdir(self.root / "keys")
                 if not is_temporary(p.name) and _KEY.fullmatch(p.name)]
        return sorted(found, key=lambda p: (_KEY.fullmatch(p.name).group(2) != "",  # type: ignore[union-attr]
                                            -_mtime(p), p.name))

    def key_path(self, machine: str) -> Path:
        return self.root / "keys" / f"{machine}.key"

    def machines(self) -> list[str]:
        return sorted(p.name for p in _listdir(self.root / "records")
                      if MACHINE_RE.fullmatch(p.name) and p.is_dir())

    def records(self, machine: str) -> MachineFiles:
        files = MachineFiles()
        for path in _listdir(self.root / "records" / machine):
            if is_temporary(path.name):
                continue
            packed = _COMPACTION.fullmatch(path.name)
            if packed and int(packed.group(1)) == 1:
                files.compactions.setdefault(int(packed.group(2)), []).append(path)
                continue
            match = _RECORD.fullmatch(path.name)
            if not match:
                continue
            seq = int(match.group(1))
            if match.group(2) == "":
                files.primary[seq] = path
            else:
                files.copies.setdefault(seq, []).append(path)
        return files

    def record_path(self, machine: str, seq: int) -> Path:
        return self.root / "records" / machine / record_name(seq)

    def compaction_path(self, machine: str, last: int) -> Path:
        return self.root / "records" / machine / f"{1:08d}-{last:08d}.jsc"

    def remove(self, path: Path) -> None:
        """Remove one of this machine's own files (after a compaction covers it)."""
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only or vanished file: the compaction covers it anyway

    def write(self, path: Path, data: bytes) -> None:
        """Write a whole file under a temporary name, then rename it into place."""
        tmp = path.parent / f".journal-{os.urandom(6).hex()}.tmp"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StorageError(f"cannot write to the sync folder: {exc.strerror}") from None


def read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # vanished between listing and reading: the engine moved it
        return None


def _listdir(directory: Path) -> list[Path]:
    try:
        return list(directory.iterdir())
    except OSError:
        return []


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
