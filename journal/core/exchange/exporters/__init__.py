"""Export formats: a registry of modules `journal.core.exchange.exporters.<module>`.

Each format module defines `write(entries, out) -> list[Path]`: it writes `entries` (any
order) to `out` and returns the files it created. For "json", "jrnl" (a plain jrnl journal)
and "dayone" (a Day One JSON zip) `out` is a file; for "markdown" it is a directory. A
format whose file is one stream of text ("json", "jrnl") also has `render(entries) -> str`,
what `journal export -o -` writes to standard output (`render` here).
Everything an exporter writes is plaintext: create files with
`create_private_file` (mode 0600, never following or clobbering an existing file unless
told to) and let the caller warn the user where the plaintext now lives.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from journal.core.errors import StorageError, ValidationError
from journal.core.exchange.registry import load_format
from journal.core.model.entries import Entry

FORMATS = ("json", "markdown", "jrnl", "dayone")
_MODULES = {"json": "json_v1", "markdown": "markdown", "jrnl": "jrnl", "dayone": "dayone"}


def module_for(fmt: str) -> ModuleType:
    return load_format(__name__, _MODULES, FORMATS, fmt, "export")


#: Formats written to one file (the others write a directory).
FILE_FORMATS = ("json", "jrnl", "dayone")
#: Formats that are one stream of text, so they can go to standard output (Day One's is a
#: zip, Markdown's a folder).
STREAM_FORMATS = ("json", "jrnl")


def render(fmt: str, entries: Iterable[Entry]) -> str:
    """The whole export of a stream format as text, exactly as its file would hold it."""
    if fmt not in STREAM_FORMATS:
        raise ValidationError(f"--format {fmt} is not one stream of text")
    return str(module_for(fmt).render(list(entries)))


def write(fmt: str, entries: Iterable[Entry], out: Path, *, replace: bool = False) -> list[Path]:
    """`replace` (file formats only) lets a file replace an existing one."""
    if fmt in FILE_FORMATS:
        return list(module_for(fmt).write(list(entries), Path(out), replace=replace))
    return list(module_for(fmt).write(list(entries), Path(out)))


def create_private_file(path: Path, data: bytes, *, replace: bool = False) -> Path:
    """Write `data` to a new file readable only by its owner (0600).

    Without `replace`, an existing path is refused (O_EXCL: no race, no symlink followed).
    With `replace`, the data goes to a fresh 0600 file beside it, is flushed to disk, and
    then atomically renamed over the old one."""
    path = Path(path)
    if path.is_dir():
        raise ValidationError(f"{path} is a directory; name a file")
    if path.exists() and not replace:
        raise ValidationError(f"{path} already exists; choose another name or use --force")
    target = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp") if replace else path
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o600)
    except FileExistsError:
        raise ValidationError(f"{path} already exists; choose another name or use --force") \
            from None
    except OSError as exc:
        raise StorageError(f"cannot create {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(target, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise StorageError(f"cannot write {path}: {exc.strerror}; nothing was kept") from None
    return path
