"""Sync timings in one fresh process, printed as JSON (run by bench.run):

  python -m bench.sync_probe N

Builds a vault of N generated entries (test-speed key derivation: every figure here is
*beyond* the key derivation, which bench reports on its own), links it to a new sync folder
and measures: the first push of N entries, the first sync of a new machine from that folder
(issue 18: "a few seconds beyond the key derivation"), then one changed day pushed by the
first machine and pulled by the second (issue 18: "under 0.2 s beyond it"), and the bytes
the folder grew by for that day.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from bench import gen
    from journal.core.store.crypto import KdfParams
    from journal.core.store.vault import Vault
    from journal.core.sync import folder_keys, session
    from journal.core.sync.layout import Folder

    size = int(argv[0]) if argv else 10_000
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    out: dict[str, float | int] = {"entries": size}
    def timed(name: str, step):  # noqa: ANN001, ANN202 - a call and what it returns
        wall, cpu = time.perf_counter(), time.process_time()
        result = step()
        out[f"{name}_s"] = time.perf_counter() - wall
        out[f"{name}_cpu_s"] = time.process_time() - cpu
        return result

    try:
        kdf, passphrase = KdfParams.fast_for_tests(), "bench passphrase"
        a, _ = Vault.create(tmp / "a", passphrase, kdf=kdf)
        items = gen.entries(size)
        for i in range(0, len(items), 2000):
            a.put_many(items[i:i + 2000])
        folder = tmp / "folder"
        folder.mkdir()
        session.link(a, folder, passphrase, allow_weak=True)
        timed("first_push", lambda: session.sync(a, passphrase, allow_weak=True))
        b, _ = Vault.create(tmp / "b", passphrase, kdf=kdf)
        keys = folder_keys.open_any(Folder(folder), passphrase, True)
        session.link(b, folder, passphrase, allow_weak=True, opened=keys)
        report = timed("first_sync_new_machine",
                       lambda: session.sync(b, passphrase, allow_weak=True))
        out["received"] = report.received
        before = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        entry = a.entries()[size // 2]
        entry.body += "\nOne more line, written later.\n"
        a.put(entry)
        timed("incremental_push", lambda: session.sync(a, passphrase, allow_weak=True))
        report = timed("incremental_pull", lambda: session.sync(b, passphrase, allow_weak=True))
        out["folder_growth_bytes"] = sum(p.stat().st_size for p in folder.rglob("*")
                                         if p.is_file()) - before
        assert report.received == 1 and report.days_changed == [entry.date.isoformat()]
        a.close()
        b.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
