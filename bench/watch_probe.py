"""What watching the sync folder costs while the app is open, printed as JSON:

  python -m bench.watch_probe [SECONDS]

A folder laid out as sync leaves it (three machines, 64 records each, 1-4 KiB), watched the
three ways the app can (journal.ui.folder_watch and journal.ui.sync_hook): watchfiles with
notifications, watchfiles polling (network mounts), and the hook's own directory-time
poll every 3 s (where no watcher starts). For each: the process's CPU time while the
folder is idle for SECONDS, and how long after another machine's record lands (written
under a temporary name, then renamed, as every machine writes) the watcher has news
(median of 5; the app then waits QUIET_SECONDS more for the rest of a batch).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

MACHINES = ("aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _folder(tmp: Path) -> Path:
    root = tmp / "journal-sync"
    (root / "keys").mkdir(parents=True)
    for machine in MACHINES:
        (root / "keys" / f"{machine}.key").write_bytes(os.urandom(600))
        records = root / "records" / machine
        records.mkdir(parents=True)
        for seq in range(1, 65):
            (records / f"{seq:08d}.jsr").write_bytes(os.urandom(1024 * (1 + seq % 4)))
    return root


def _land(root: Path, seq: int) -> None:
    records = root / "records" / MACHINES[1]
    tmp = records / f".journal-{seq}.tmp"
    tmp.write_bytes(os.urandom(2048))
    os.replace(tmp, records / f"{seq:08d}.jsr")


def _watcher(root: Path, polling: bool, idle: float) -> dict[str, float]:
    from journal.ui.folder_watch import FolderWatch

    watch = FolderWatch(root, MACHINES[0], force_polling=polling)
    watch.start()
    time.sleep(1.0)  # started, first scan done
    before = _cpu()
    time.sleep(idle)
    cpu = _cpu() - before
    delays = []
    for n in range(5):
        start = time.monotonic()
        _land(root, 1000 + n + (100 if polling else 0))
        while not watch.news(0.0) and time.monotonic() - start < 30:
            time.sleep(0.01)
        delays.append(time.monotonic() - start)
        time.sleep(0.5)
    watch.stop(wait=2.0)
    return {"idle_cpu_s": round(cpu, 4), "news_after_s": round(statistics.median(delays), 3)}


def _poll(root: Path, idle: float) -> dict[str, float]:
    """The hook's fallback: stat of keys/, records/ and each machine's directory."""
    def look() -> tuple[int, ...]:
        dirs = [root / "keys", root / "records", *sorted((root / "records").glob("*"))]
        return tuple(d.stat().st_mtime_ns for d in dirs)

    before, end = _cpu(), time.monotonic() + idle
    while time.monotonic() < end:
        look()
        time.sleep(3.0)
    # half a period on average: not measured
    return {"idle_cpu_s": round(_cpu() - before, 4), "news_after_s_expected": 1.5}


def main(argv: list[str]) -> int:
    idle = float(argv[0]) if argv else 30.0
    tmp = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    try:
        root = _folder(tmp)
        out = {"idle_seconds": idle, "files": len(list(root.rglob("*"))),
               "watchfiles_notify": _watcher(root, False, idle),
               "watchfiles_polling": _watcher(root, True, idle),
               "directory_poll_3s": _poll(root, idle)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
