"""A reusable plaintext scanner: does any byte of what a user typed sit in a file?

Used by the vault leak tests (T7/T7b in tests/core/test_security_leak.py) and meant for any
other test that must prove "no plaintext on disk" (app sessions, exports, the temp dir):

    sys.path.insert(0, str(TESTS_DIR))  # tests/ is not a package: put it on the path
    from leakscan import scan
    report = scan([vault_dir, tempfile.gettempdir()], ["CLIENT-NAME-0042", ...])
    assert report.found == {}, report.describe()

Each needle is looked for in UTF-8 and in UTF-16 (LE and BE, as SQLite can store text), in
every regular file under the given roots (symlinks are not followed). A scanner that cannot
find anything proves nothing, so every use should be paired with a negative control; this
module's own `selftest()` is one.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_PREFIX = 6  # bytes: needles sharing these are searched together


def encodings(needle: str | bytes) -> list[bytes]:
    """The byte forms a needle can take on disk."""
    if isinstance(needle, bytes):
        return [needle]
    return [needle.encode("utf-8"), needle.encode("utf-16-le"), needle.encode("utf-16-be")]


def files_under(roots: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every regular file under the roots (a root may itself be a file); missing roots are
    skipped, symlinks are neither followed nor scanned."""
    found: list[Path] = []
    for root in roots:
        root = Path(root)
        try:
            mode = root.lstat().st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISREG(mode):
            found.append(root)
            continue
        if not stat.S_ISDIR(mode):
            continue
        for dirpath, _dirs, names in os.walk(root, followlinks=False):
            for name in names:
                path = Path(dirpath) / name
                try:
                    if stat.S_ISREG(path.lstat().st_mode):
                        found.append(path)
                except FileNotFoundError:  # removed while we walked (a -wal at close)
                    continue
    return sorted(found)


@dataclass
class ScanReport:
    files: list[Path]
    bytes_scanned: int = 0
    #: needle -> the files it was found in
    found: dict[str, list[Path]] = field(default_factory=dict)

    @property
    def hits(self) -> int:
        return len(self.found)

    def names(self) -> list[str]:
        return [p.name for p in self.files]

    def describe(self) -> str:
        lines = [f"{len(self.files)} files, {self.bytes_scanned} bytes, {self.hits} found"]
        for needle, paths in sorted(self.found.items())[:20]:
            lines.append(f"  {needle!r} in {', '.join(str(p) for p in paths)}")
        return "\n".join(lines)


def scan(roots: Iterable[str | os.PathLike[str]], needles: Iterable[str | bytes]) -> ScanReport:
    """Search every file under `roots` for every needle (all its encodings).

    Needles are grouped by their first bytes, so thousands of canaries that share a prefix
    ("CLIENT-NAME-0001", ...) cost one pass per prefix, not one per needle."""
    groups: dict[bytes, list[tuple[bytes, str]]] = {}
    for needle in needles:
        name = needle if isinstance(needle, str) else needle.decode("latin-1")
        for form in encodings(needle):
            groups.setdefault(form[:_PREFIX], []).append((form, name))
    report = ScanReport(files=files_under(roots))
    for path in report.files:
        try:
            data = path.read_bytes()
        except (FileNotFoundError, PermissionError):
            continue
        report.bytes_scanned += len(data)
        seen: set[str] = set()
        for prefix, members in groups.items():
            pos = data.find(prefix)
            while pos != -1:
                for form, name in members:
                    if name not in seen and data.startswith(form, pos):
                        seen.add(name)
                        report.found.setdefault(name, []).append(path)
                pos = data.find(prefix, pos + 1)
    return report


def selftest(tmp: Path) -> None:
    """The scanner finds a needle in UTF-8 and UTF-16 and in nested files (a control)."""
    (tmp / "a").mkdir(parents=True, exist_ok=True)
    (tmp / "a" / "x.bin").write_bytes(b"\0" * 10 + "Zoë-7".encode("utf-16-le") + b"\1")
    (tmp / "y.txt").write_text("nothing here, then CANARY-1 ", encoding="utf-8")
    report = scan([tmp], ["Zoë-7", "CANARY-1", "CANARY-2"])
    assert set(report.found) == {"Zoë-7", "CANARY-1"}, report.describe()
