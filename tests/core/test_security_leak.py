"""T7 / T7b: no byte of what a user writes reaches the disk in the clear.

T7 runs the workload in a child process whose TMPDIR is a test-private directory (SQLite
and Python's tempfile read it once at start-up, hence the child): 300 entries carrying
unique canaries in the body, tags, people and moment notes, 150 edited, 75 deleted. Every
file of the vault directory (journal.db, -wal, -shm while open) and of the temp directory
is scanned while the vault is open and again after close: 0 canaries found.

T7b is the negative control: the same workload on plain SQLite (JSON rows, secure_delete
OFF) is found by the same scanner, so a 0 above means something.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))

from leakscan import scan  # noqa: E402

N, EDITED, DELETED = 300, 150, 75
DAY0 = date(2025, 1, 1)


def canaries(i: int, rev: int = 0) -> dict[str, str]:
    """Every needle holds its entry *and its revision* (R0 original, R1 edit), so a scan
    for an old revision finds that revision only, never the current text."""
    tag = f"client-name-{i:04d}-r{rev}"
    return {"body": f"CLIENT-NAME-{i:04d}-R{rev} said something only I should know",
            "tag": tag, "person": f"cperson{i:04d}r{rev}",
            "note": f"MOMENT-NOTE-{i:04d}-R{rev}"}


def entry_dict(i: int, rev: int) -> dict:
    c = canaries(i, rev)
    return {"date": (DAY0 + timedelta(days=i)).isoformat(),
            "body": f"{c['body']} #{c['tag']} @{c['person']}",
            "moments": [{"kind": "concern", "intensity": 5, "context": "work",
                         "note": c["note"], "tags": [c["tag"]], "people": [c["person"]]}]}


def all_needles() -> list[str]:
    out = []
    for i in range(N):
        for rev in (0, 1):
            c = canaries(i, rev)
            out += [_body_needle(i, rev), c["tag"], c["person"], c["note"]]
        out.append((DAY0 + timedelta(days=i)).isoformat())  # dates are private too
    return out


def _body_needle(i: int, rev: int) -> str:
    needle = f"CLIENT-NAME-{i:04d}-R{rev}"
    assert canaries(i, rev)["body"].startswith(needle)
    return needle


def superseded_needles() -> list[str]:
    """Text that is no longer in any current entry: the original revision of every edited
    entry and every revision of a deleted one (each needle names its revision)."""
    gone = [(i, 0) for i in range(EDITED)]
    gone += [(i, rev) for i in range(N - DELETED, N) for rev in ((0, 1) if i < EDITED else (0,))]
    return list(dict.fromkeys(needle for i, rev in gone
                              for needle in (_body_needle(i, rev), canaries(i, rev)["note"])))


def workload(put, edit, delete) -> None:
    ids = [put(entry_dict(i, 0)) for i in range(N)]
    for i in range(EDITED):
        edit(ids[i], entry_dict(i, 1))
    for i in range(N - DELETED, N):
        delete(ids[i])


# -- the child (run as a script) --------------------------------------------------------------
def child_vault(vault_dir: Path) -> dict:
    from journal.core.model.entries import Entry
    from journal.core.store.crypto import KdfParams
    from journal.core.store.vault import Vault

    vault, _ = Vault.create(vault_dir, "leak test", kdf=KdfParams.fast_for_tests())

    def put(data):
        return vault.put(Entry.from_dict(data)).id

    def edit(entry_id, data):
        entry = vault.get(entry_id)
        fresh = Entry.from_dict(data)
        entry.body, entry.moments = fresh.body, fresh.moments
        vault.put(entry)

    workload(put, edit, vault.delete)
    vault.entries()  # decrypt everything, as the app does after unlock
    roots = [vault_dir, tempfile.gettempdir()]
    while_open = scan(roots, all_needles())
    lengths = sorted({len(r[0]) for r in vault._conn.execute("SELECT ct FROM entries")})
    vault.close()
    after = scan(roots, all_needles())
    return {"open_files": [str(p) for p in while_open.files],
            "open_found": {k: [str(p) for p in v] for k, v in while_open.found.items()},
            "closed_files": [str(p) for p in after.files],
            "closed_found": {k: [str(p) for p in v] for k, v in after.found.items()},
            "bytes": while_open.bytes_scanned + after.bytes_scanned,
            "ct_lengths": lengths, "rows": N - DELETED}


def run_child(tmp_path: Path) -> dict:
    private_tmp = tmp_path / "tmpdir"
    private_tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(private_tmp), SQLITE_TMPDIR=str(private_tmp))
    out = subprocess.run([sys.executable, __file__, str(tmp_path / "vault")], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout)
    result["tmpdir"] = str(private_tmp)
    return result


def test_t7_no_canary_in_the_vault_dir_or_temp_dir(tmp_path):
    result = run_child(tmp_path)
    open_names = {Path(p).name for p in result["open_files"]}
    assert {"journal.db", "journal.db-wal", "journal.db-shm"} <= open_names  # really scanned
    assert result["open_found"] == {}, result["open_found"]
    assert result["closed_found"] == {}, result["closed_found"]
    assert {Path(p).name for p in result["closed_files"]} >= {"journal.db"}
    # The scanned temp dir is the one the child used: a plaintext file there is found.
    control = Path(result["tmpdir"]) / "control.txt"
    control.write_text(entry_dict(0, 0)["body"])
    assert scan([result["tmpdir"]], [canaries(0)["body"][:17]]).hits == 1
    print(f"\nFIGURE T7 canaries={len(all_needles())} entries={N} edited={EDITED} "
          f"deleted={DELETED} files_open={len(result['open_files'])} "
          f"files_closed={len(result['closed_files'])} bytes={result['bytes']} found=0 "
          f"distinct_ct_lengths={len(result['ct_lengths'])} rows={result['rows']}",
          file=sys.stderr)
    assert len(result["ct_lengths"]) <= 6  # padding: lengths fall into a few buckets


def test_t7b_negative_control_plain_sqlite_is_found(tmp_path):
    db = tmp_path / "plain" / "plain.db"
    db.parent.mkdir()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA secure_delete=OFF")
    conn.execute("CREATE TABLE e (id INTEGER PRIMARY KEY, data TEXT)")

    def put(data):
        return conn.execute("INSERT INTO e(data) VALUES (?)", (json.dumps(data),)).lastrowid

    def edit(row_id, data):
        conn.execute("UPDATE e SET data=? WHERE id=?", (json.dumps(data), row_id))

    workload(put, edit, lambda row_id: conn.execute("DELETE FROM e WHERE id=?", (row_id,)))
    old = superseded_needles()
    while_open = scan([db.parent], old)
    conn.close()
    after = scan([db.parent], old)
    print(f"\nFIGURE T7b plain_sqlite_secure_delete_off old_revisions_found_open="
          f"{len(while_open.found)}/{len(old)} found_closed={len(after.found)}/{len(old)}",
          file=sys.stderr)
    # Old revisions (edited-away originals, deleted entries) are still there, each found by
    # a needle naming its revision: the scanner can see exactly what T7 says is gone.
    assert len(while_open.found) >= len(old) // 2 and len(after.found) >= len(old) // 5
    assert any(f"-{i:04d}-R0" in needle for needle in after.found for i in range(EDITED))


if __name__ == "__main__":
    print(json.dumps(child_vault(Path(sys.argv[1]))))
