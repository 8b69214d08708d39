"""Import formats: a registry of modules `journal.core.exchange.importers.<module>`.

Each format module defines

    detect(path: Path) -> bool
        True if the file (or directory) at `path` looks like this format. Cheap: read at
        most the first few kilobytes; never ask for a passphrase; never raise for a file
        that is simply some other format.

    read(path: Path, source_passphrase=None) -> list[Entry]
        Read and validate the WHOLE source; raise ValidationError (naming the item and the
        field) on the first problem. Return entries in source order; several entries may
        share a date (the importer merges them). Never write anything to disk.

and may define

    open_source(path: Path, source_passphrase=None, progress=None, again=False)
            -> importers.source.Source
        The same validation, keeping only each entry's id and date: the entries are read
        again, in parts, as they are written (the JSON export: `export_stream`; jrnl's
        text, held as text and folded again: `folded`); `progress(n)` is told of about
        each n bytes checked; `again`: the source may be planned more than once (a source
        it holds whole after all hands over copies).

`source_passphrase` is the passphrase of an encrypted SOURCE (e.g. an encrypted jrnl
journal), never the vault's. It is None, a str, or a zero-argument callable returning the
str: call `secret(source_passphrase)` only once you know the source is encrypted, so the
user is asked only when needed.

A format whose module is not installed raises ValidationError "format X is not available".
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from journal.core.errors import ValidationError
from journal.core.exchange.importers.source import HeldSource, Source
from journal.core.exchange.registry import load_format
from journal.core.model.entries import Entry

FORMATS = ("json", "jrnl", "dayone", "markdown")
_MODULES = {"json": "json_v1", "jrnl": "jrnl", "dayone": "dayone", "markdown": "markdown"}

SourcePassphrase = str | Callable[[], str] | None


def secret(source_passphrase: SourcePassphrase) -> str | None:
    """The source passphrase, asking for it (through the callable) only now."""
    if callable(source_passphrase):
        return source_passphrase()
    return source_passphrase


def module_for(fmt: str) -> ModuleType:
    return load_format(__name__, _MODULES, FORMATS, fmt, "import")


def available() -> tuple[str, ...]:
    out = []
    for fmt in FORMATS:
        try:
            module_for(fmt)
        except ValidationError:
            continue
        out.append(fmt)
    return tuple(out)


def detect(path: Path) -> str:
    """The format of `path`, trying each available format in FORMATS order."""
    path = Path(path)
    if not path.exists():
        raise ValidationError(f"{path} does not exist")
    for fmt in available():
        try:
            if module_for(fmt).detect(path):
                return fmt
        except OSError as exc:
            raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None
    raise ValidationError(f"cannot tell what format {path} is; name it with --format "
                          f"({', '.join(FORMATS)})")


def read(path: Path, fmt: str | None = None,
         source_passphrase: SourcePassphrase = None,
         timeformat: str | None = None) -> list[Entry]:
    """Every entry of the source, fully validated (nothing is written). `timeformat`: a jrnl
    journal's `timeformat` (strftime), for the jrnl format only."""
    path = Path(path)
    fmt = fmt or detect(path)
    module = module_for(fmt)
    options = {"timeformat": timeformat} if timeformat and fmt == "jrnl" else {}
    try:
        return list(module.read(path, source_passphrase=source_passphrase, **options))
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None


def streams(fmt: str) -> bool:
    """Whether this format's source is read as a stream (`open_source` in its module)."""
    return hasattr(module_for(fmt), "open_source")


def open_source(path: Path, fmt: str | None = None,
                source_passphrase: SourcePassphrase = None,
                timeformat: str | None = None,
                progress: Callable[[int], None] | None = None, *,
                again: bool = False) -> Source:
    """The source validated (nothing is written), as `read`; a format that can read its
    file again in parts (`open_source` in its module) keeps only ids and dates, and tells
    `progress(n)` as it checks n more bytes; any other is read whole and held. `again`:
    the source can be planned more than once (a stream always can; a held source then
    hands over copies)."""
    path = Path(path)
    fmt = fmt or detect(path)
    module = module_for(fmt)
    if not streams(fmt):
        return HeldSource(read(path, fmt, source_passphrase, timeformat), keep=again)
    options = {"timeformat": timeformat} if timeformat and fmt == "jrnl" else {}
    try:
        return module.open_source(path, source_passphrase=source_passphrase,
                                  progress=progress, again=again, **options)
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None
