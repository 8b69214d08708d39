"""Writing in the person's own editor ($VISUAL, else $EDITOR), for `journal add` and the
app's "edit in your editor" key.

The text has to sit in a file while the editor has it. That file lives in a private
directory (0700, the file 0600) on a memory-backed file system when there is one
(`/dev/shm`, else `$XDG_RUNTIME_DIR`), so it never reaches the disk; only where neither
exists (macOS) does it fall back to the system temp directory. The directory, with any
swap or backup file the editor left beside the text, is removed as soon as the editor
exits, whatever happened. Nothing here runs at import time.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from journal.core.errors import JournalError

#: Tried in order when neither $VISUAL nor $EDITOR is set.
FALLBACKS = ("nano", "vi")
MEMORY_DIRS = ("/dev/shm",)


class EditorError(JournalError):
    """No editor could be started, or it failed: nothing was saved."""


def editor_command(env: Mapping[str, str]) -> list[str]:
    """$VISUAL, else $EDITOR (split as a shell would: `code --wait`), else nano or vi."""
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                raise EditorError(f"${name} cannot be read as a command: {value[:60]}") \
                    from None
            if words:
                return words
    for name in FALLBACKS:
        found = shutil.which(name, path=env.get("PATH"))
        if found:
            return [found]
    raise EditorError("no editor: set $EDITOR (for example EDITOR=nano), or pipe the text in")


def private_dir(env: Mapping[str, str]) -> Path:
    """Where the editor's file may live: memory-backed when the system has such a place."""
    candidates = [*MEMORY_DIRS, env.get("XDG_RUNTIME_DIR", "")]
    for candidate in candidates:
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return Path(candidate)
    return Path(tempfile.gettempdir())


def edit(text: str = "", *, env: Mapping[str, str] | None = None,
         suffix: str = ".md") -> str:
    """Open `text` in the editor and return what was saved. EditorError when the editor
    cannot be started or exits with an error (what it saved is then not used)."""
    env = dict(os.environ if env is None else env)
    command = editor_command(env)
    folder = Path(tempfile.mkdtemp(prefix="journal-", dir=private_dir(env)))  # 0700
    try:
        path = folder / f"entry{suffix}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            done = subprocess.run([*command, str(path)], env=env, check=False)
        except OSError as exc:
            raise EditorError(f"cannot start the editor {command[0]!r}: "
                              f"{exc.strerror or exc}") from None
        if done.returncode != 0:
            raise EditorError(f"the editor {Path(command[0]).name} exited with status "
                              f"{done.returncode}; nothing was saved")
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""
        except UnicodeDecodeError:
            raise EditorError("the editor saved text that is not UTF-8; nothing was saved") \
                from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
