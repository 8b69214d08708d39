"""Watching the sync folder while the app is open, with watchfiles, on a thread of its own.

The thread never calls into the app: it only notes when another machine's file last
changed, and the sync hook (journal.ui.sync_hook) looks at that note from the UI thread's
timer, so neither ever waits on the other. What is not news is filtered out before it is
noted: this machine's own files (its records and key file echoing back after a sync),
and the temporary and partial files sync engines write while copying (`.syncthing.*.tmp`,
`~syncthing~*`, `*.part`, ..., as journal.core.sync.layout skips them).

On a network file system (NFS, SMB, sshfs, ...) change notifications do not see other
computers' writes, so the watcher polls there (watchfiles' `force_polling`). Where no
watcher can start at all (the folder is missing, no inotify watches left), `failed` says
why and the hook polls directory times instead.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path, PurePosixPath

from journal.core.sync.layout import is_temporary

THREAD_NAME = "journal-sync-watch"
#: Longest the watcher groups a burst of changes; how long a burst must be quiet first.
DEBOUNCE_MS = 1_600
STEP_MS = 200
#: How often a polling watcher (network mounts) looks at the folder; how long a quiet
#: watcher waits before making sure the folder is still there (a USB stick pulled out).
POLL_DELAY_MS = 3_000
STILL_THERE_MS = 5_000
#: File systems whose other writers' changes inotify cannot see.
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "9p", "afs", "ceph", "glusterfs",
    "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "davfs", "fuse.davfs2",
    "virtiofs", "vboxsf", "fuse.vmhgfs-fuse", "lustre", "gpfs", "beegfs", "fuse.glusterfs",
})


def file_system_of(path: Path, mounts: str) -> str:
    """The type of the file system `path` is on, from the text of /proc/self/mounts."""
    best, kind = "", ""
    target = str(path)
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def on_network(path: Path, mounts_file: Path = Path("/proc/self/mounts")) -> bool:
    try:
        mounts = mounts_file.read_text(errors="replace")
    except OSError:
        return False  # not Linux: watchfiles' own choice (and WATCHFILES_FORCE_POLLING)
    return file_system_of(path.resolve(), mounts) in NETWORK_FILE_SYSTEMS


class FolderWatch:
    """A watcher of one `journal-sync` directory for the changes of machines other than
    `machine`."""

    def __init__(self, root: Path, machine: str, *, force_polling: bool | None = None) -> None:
        self.root, self.machine = Path(root), machine
        self.force_polling = force_polling
        self.failed: str | None = None
        """Why the watcher stopped or could not start (the hook then polls), or None."""
        self.gone = False
        """It stopped because the folder is not there (unmounted): worth a new watcher as
        soon as it is back."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_change = 0.0  # time.monotonic() of the latest news, 0 when none
        self._news = threading.Lock()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.force_polling is None and on_network(self.root):
            self.force_polling = True
        self._thread = threading.Thread(target=self._watch, name=THREAD_NAME, daemon=True)
        self._thread.start()

    def stop(self, wait: float = 0.0) -> None:
        """Tell the thread to end: it notices within STEP_MS and ends (watchfiles closes
        its watch). The UI thread does not wait for that unless `wait` seconds are given."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if wait and thread is not None and thread is not threading.current_thread():
            thread.join(wait)

    def news(self, quiet: float) -> bool:
        """True once, when another machine's files changed and have then been quiet for
        `quiet` seconds (a sync engine copying a batch of records is one piece of news)."""
        with self._news:
            if not self._last_change or time.monotonic() - self._last_change < quiet:
                return False
            self._last_change = 0.0
            return True

    def is_news(self, _change: object, path: str) -> bool:
        """A change worth a sync: another machine's record or key file, complete."""
        try:
            parts = PurePosixPath(Path(path).relative_to(self.root).as_posix()).parts
        except ValueError:
            return False
        if not parts or any(is_temporary(part) for part in parts):
            return False
        if parts[0] == "records":
            return len(parts) >= 2 and parts[1] != self.machine
        if parts[0] == "keys":
            return len(parts) == 2 and not parts[1].startswith(self.machine)
        return False

    def _watch(self) -> None:
        if not self.root.is_dir():  # (watchfiles would watch nothing, and never say so)
            self.gone, self.failed = True, f"{self.root} is not there"
            return
        try:
            from watchfiles import watch

            for changes in watch(self.root, watch_filter=self.is_news, debounce=DEBOUNCE_MS,
                                 step=STEP_MS, stop_event=self._stop,
                                 rust_timeout=STILL_THERE_MS, yield_on_timeout=True,
                                 raise_interrupt=False, force_polling=self.force_polling,
                                 poll_delay_ms=POLL_DELAY_MS,
                                 ignore_permission_denied=True):
                if changes:
                    with self._news:
                        self._last_change = time.monotonic()
                elif not self.root.is_dir():  # gone (unmounted): the hook polls for it
                    self.gone, self.failed = True, f"{self.root} went away"
                    return
        except Exception as exc:  # any failure at all: the hook polls instead
            if not self._stop.is_set():
                self.failed = str(exc) or type(exc).__name__
        else:
            if not self._stop.is_set():
                self.failed = "the watcher stopped"
