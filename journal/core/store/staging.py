"""A new vault directory made whole or not at all: built aside, then renamed into place.

`journal init --from-sync` creates a vault, links it to the sync folder and fills it in a
first sync. Any step can fail (a full disk, the folder unplugged, Ctrl-C) and the program
can be killed. Built in the target itself, a failure left a half-made vault there, and the
next try refused because "a vault already exists". `staged(target)` hands out a hidden
sibling (`.NAME.building-XXXXXXXX`, on the same file system) to build in, and renames it
onto the target only when the block ends without an error: until then the target is as it
was (missing, or an empty directory). An error removes the sibling, which holds nothing but
what was made in it, and any parent directory made for the target that is still empty; a
killed program leaves the sibling, hidden, encrypted like any vault and never in the way of
the next try.

A target that cannot be renamed onto (a mount point, or an empty directory whose parent
this user may not write) is built in directly instead, and on an error everything made in
it is removed: it was empty, so nothing that was there before is touched either way.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from journal.core.errors import StorageError, VaultExists
from journal.core.store.private_dirs import make_private_dirs


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Path]:
    """Where to build the directory `target` (missing or empty): moved onto `target` when
    the block ends well, removed when it raises. Everything opened in it must be closed
    before the block ends."""
    target = Path(target)
    real = Path(os.path.realpath(target))  # a link to an empty directory: the directory
    if real.exists() and (not real.is_dir() or any(real.iterdir())):
        raise VaultExists(f"{target} is not an empty directory; choose another place "
                          "with --vault DIR")
    made = _missing(real.parent)
    in_place = real.is_dir() and (os.path.ismount(real) or not os.access(real.parent, os.W_OK))
    place = real if in_place else real.parent / f".{real.name}.building-{os.urandom(4).hex()}"
    try:
        if not in_place:
            try:
                make_private_dirs(real.parent)
            except OSError as exc:
                raise StorageError(f"cannot create {real.parent}: {exc.strerror}") from None
        yield place
        if not in_place:
            _rename(place, real, target)
    except BaseException:
        _remove_made(place, in_place)
        for directory in made:  # deepest first; one that is not empty is not ours alone
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise


def _missing(directory: Path) -> list[Path]:
    """`directory` and its ancestors that do not exist yet, deepest first."""
    missing = []
    while not os.path.lexists(directory) and directory != directory.parent:
        missing.append(directory)
        directory = directory.parent
    return missing


def _rename(place: Path, real: Path, target: Path) -> None:
    try:
        os.rename(place, real)  # onto a missing or empty directory: atomic
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
            raise VaultExists(f"{target} is no longer empty (something was written there "
                              "meanwhile); nothing was kept") from None
        raise StorageError(f"cannot move the new vault to {target}: {exc.strerror}; "
                           "nothing was kept") from None
    with contextlib.suppress(OSError):  # the rename itself survives a power cut
        fd = os.open(real.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_made(place: Path, in_place: bool) -> None:
    """Everything made in `place`: the whole sibling, or each entry of an empty target."""
    if not in_place:
        shutil.rmtree(place, ignore_errors=True)
        return
    for child in list(place.iterdir()) if place.is_dir() else []:
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                child.unlink()
