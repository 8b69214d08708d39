"""Directories the journal creates are owner-only (0700), whatever the umask.

`Path.mkdir(mode=0o700, parents=True)` gives that mode to the last directory only; the
parents it creates get the umask's default, 0755 under the usual umask and 0777 under
umask 0 (as `mkdir -p` does). So the vault's, settings' and exports' directories, and every
parent the journal creates for them, are made here one by one and set to 0700 with chmod,
which the umask does not touch. A directory that already exists keeps its mode: it is the
user's (or was made by someone else between our check and our mkdir).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

PRIVATE_DIR = 0o700


def make_private_dirs(path: Path) -> Path:
    """Create `path` and any missing parents, each 0700; an existing directory is fine."""
    path = Path(path)
    missing = []
    probe = path
    while not os.path.lexists(probe) and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue  # made meanwhile by someone else: not ours to change
        os.chmod(directory, PRIVATE_DIR)
    if not path.is_dir():
        raise FileExistsError(errno.EEXIST, "exists and is not a directory", str(path))
    return path
