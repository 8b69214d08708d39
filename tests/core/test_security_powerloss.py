"""T11: power-loss simulation. Every cut leaves a vault that is committed-or-absent.

Python's sqlite3 offers no VFS hook, so we cannot intercept fsync. What we do instead (see
docs/reliability.md for what this does and does not cover):

1. The T8 worker writes in a forked child. At random moments the parent SIGSTOPs it,
   copies journal.db, -wal and -shm, reads the worker's log, and SIGCONTs it. A stopped
   process is between system calls, so each copy is exactly what the kernel holds: the
   disk after a crash with nothing lost ("exact" cut).
2. From each copy we derive the states a power cut could leave, using what SQLite's
   synchronous=FULL WAL guarantees: the WAL is fsynced at every commit, the database file
   only during a checkpoint, and the WAL is never reset before the database is synced.
   * "torn tail": frames after the last commit frame of the current WAL generation were
     never synced: cut the WAL at a random byte inside them, or overwrite them with garbage;
   * "torn checkpoint": while the WAL generation is unchanged between two copies, any mix
     of database pages from the older and the newer copy is a state a cut in the middle of
     a checkpoint can leave (the WAL still holds every page the checkpoint copied).
3. Each cut is opened as the next start would: integrity_check, unlock with the old or the
   new passphrase, manifest + every record, and content equal to the state after the last
   reported operation or the one in flight. Never corrupt, never unlockable-but-wrong.
"""

from __future__ import annotations

import importlib.util
import os
import random
import shutil
import signal
import struct
import sys
import time
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("_crash", Path(__file__).with_name(
    "test_crash.py"))
crash = importlib.util.module_from_spec(_spec)
sys.modules["_crash"] = crash  # dataclasses look their module up while building
_spec.loader.exec_module(crash)

LONG = bool(os.environ.get("JOURNAL_LONG"))
CUTS = 10_000 if LONG else 1_000
WAL_HEADER, FRAME_HEADER = 32, 24


def wal_layout(wal: bytes) -> tuple[tuple[int, int] | None, int, int]:
    """(salts, page_size, end of the last commit frame of the current generation)."""
    if len(wal) < WAL_HEADER:
        return None, 0, 0
    page_size = struct.unpack(">I", wal[8:12])[0]
    salts = struct.unpack(">II", wal[16:24])
    frame = FRAME_HEADER + page_size
    end, offset = WAL_HEADER, WAL_HEADER
    while offset + frame <= len(wal):
        _pgno, commit, s1, s2 = struct.unpack(">IIII", wal[offset:offset + 16])
        if (s1, s2) != salts:
            break
        offset += frame
        if commit:
            end = offset
    return salts, page_size, end


def cuts(prev: dict | None, snap: dict, rng: random.Random) -> list[tuple[str, dict]]:
    """The power-loss states derivable from one stopped-process copy."""
    out = [("exact", snap["files"])]
    files = snap["files"]
    wal = files.get("-wal", b"")
    salts, page_size, end = wal_layout(wal)
    if "-shm" in files:  # SQLite never syncs the shm: after a cut it holds anything
        out.append(("shm-garbage", {**files, "-shm": os.urandom(len(files["-shm"]))}))
    if salts:
        frame = FRAME_HEADER + page_size
        # A next transaction that had started to append when the power went.
        out.append(("wal-garbage-appended", {**files, "-wal": wal[:end] + os.urandom(
            rng.randrange(1, 2 * frame))}))
        if end > WAL_HEADER:  # a frame with the right salts but out of checksum sequence
            start = rng.randrange(WAL_HEADER, end - frame + 1, frame)
            out.append(("wal-stale-frame", {**files, "-wal": wal[:end] + wal[
                start:start + frame]}))
    if salts and len(wal) > end:
        cut_at = rng.randrange(end, len(wal))
        out.append(("torn-tail-cut", {**files, "-wal": wal[:cut_at]}))
        garbage = wal[:end] + os.urandom(len(wal) - end)
        out.append(("torn-tail-garbage", {**files, "-wal": garbage}))
    if prev is not None and salts:
        old_db, new_db = prev["files"][""], files[""]
        prev_salts = wal_layout(prev["files"].get("-wal", b""))[0]
        if prev_salts == salts and len(old_db) == len(new_db) and old_db != new_db:
            size = page_size or 4096
            pages = [old_db[i:i + size] if rng.random() < 0.5 else new_db[i:i + size]
                     for i in range(0, len(new_db), size)]
            out.append(("torn-checkpoint", {**files, "": b"".join(pages)}))
    return out


def copy_files(vault_dir: Path, log_path: Path) -> dict:
    files = {}
    for suffix in ("", "-wal", "-shm"):
        path = vault_dir / f"journal.db{suffix}"
        if path.exists():
            files[suffix] = path.read_bytes()
    return {"files": files, "log": log_path.read_text() if log_path.exists() else ""}


@pytest.mark.slow
def test_t11_power_loss_cuts_are_committed_or_absent(tmp_path):
    rng = random.Random(11)
    vault_dir, log_path = tmp_path / "vault", tmp_path / "log"
    state = crash.new_vault(vault_dir)
    pid = crash.fork_worker(vault_dir, log_path, seed=rng.randrange(1 << 30),
                            passphrase=crash.FIRST_PASS, autocheckpoint=6)
    counts: dict[str, int] = {}
    prev, copies, history = None, 0, None
    try:
        time.sleep(0.02)
        while sum(counts.values()) < CUTS:
            time.sleep(rng.uniform(0.0, 0.012))
            os.kill(pid, signal.SIGSTOP)  # between two system calls of the writer
            os.waitpid(pid, os.WUNTRACED)
            snap = copy_files(vault_dir, log_path)
            copies += 1
            history = crash.replay(state, crash.FIRST_PASS, snap["log"])
            for kind, files in cuts(prev, snap, rng):
                cut_dir = tmp_path / f"cut-{copies}-{kind}"
                cut_dir.mkdir(mode=0o700)
                for suffix, data in files.items():
                    (cut_dir / f"journal.db{suffix}").write_bytes(data)
                try:
                    crash.verify(cut_dir, history, history.done, history.begun)
                except AssertionError as exc:
                    raise AssertionError(f"cut {copies} ({kind}): {exc}") from None
                counts[kind] = counts.get(kind, 0) + 1
                shutil.rmtree(cut_dir)
            prev = snap
            os.kill(pid, signal.SIGCONT)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    total = sum(counts.values())
    print(f"\nFIGURE T11 cuts={total} copies={copies} by_kind={counts} corrupt=0 wrong=0 "
          f"ops_in_run={history.done}", file=sys.stderr)
    assert total >= CUTS
    assert history.done > 20  # the copies span a real stream of commits
