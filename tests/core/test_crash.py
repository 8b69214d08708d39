"""T8: kill -9 at random points of a write loop; the vault is always committed-or-absent.

A forked child loops over adds, edits, deletes, passphrase changes and key rotations on a
real vault (synchronous=FULL, WAL). Before each operation it appends what it is about to do
to a log, and after the call returns (the transaction committed) a `done` line. The parent
SIGKILLs it at a random moment, then proves:

* SQLite's integrity_check passes and `vault.check()` finds nothing (every record and the
  manifest authenticate);
* the vault unlocks with the passphrase of the last committed state, or of the operation
  in flight (old-or-new, never neither);
* its content is *exactly* the state after the last reported operation, or after the one
  in flight: every committed entry intact, nothing half-applied.

The worker and the checker are reused by the power-loss simulation (T11).
The KDF is deliberately tiny here (test-only, allowed through allow_weak=True): the
property under test is storage atomicity, and unlocking hundreds of times must stay cheap.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from journal.core.errors import WrongPassphrase
from journal.core.model.entries import Entry, Moment
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault

LONG = bool(os.environ.get("JOURNAL_LONG"))
KILLS = 400 if LONG else 60
TINY_KDF = KdfParams(memory_kib=64, iterations=1, lanes=1)  # tests only, never the product
FIRST_PASS = "crash test passphrase"
BASE_DAY = date(2020, 1, 1)


# -- the child --------------------------------------------------------------------------------
def worker(vault_dir: Path, log_path: Path, seed: int, passphrase: str,
           max_entries: int = 40, autocheckpoint: int | None = None) -> None:
    """Loop forever over random writes, logging intent before and `done` after each.
    `autocheckpoint` (pages) makes SQLite checkpoint far more often than its default 1000,
    so crashes and cuts also land inside checkpoints."""
    rng = random.Random(seed)
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def log(obj: dict) -> None:
        os.write(fd, (json.dumps(obj) + "\n").encode())

    vault = Vault.open(vault_dir, passphrase, allow_weak=True)
    if autocheckpoint:
        vault._conn.execute(f"PRAGMA wal_autocheckpoint={int(autocheckpoint)}")
    entries = {e.id: e for e in vault.entries()}
    used = {e.date for e in entries.values()}
    seq = 0
    while True:
        seq += 1
        roll = rng.random()
        if roll < 0.38 and len(entries) < max_entries or not entries:
            day = BASE_DAY + timedelta(days=rng.randrange(3650))
            while day in used:
                day += timedelta(days=1)
            entry = Entry(date=day, body=f"note {seed}-{seq} " + "x" * rng.randrange(600),
                          moments=[Moment(kind="concern", intensity=rng.randrange(11),
                                          context="work")])
            log({"seq": seq, "op": "put", "id": entry.id, "version": 1,
                 "date": day.isoformat(), "body": entry.body})
            saved = vault.put(entry)
            entries[saved.id] = saved
            used.add(day)
        elif roll < 0.68:
            entry = entries[rng.choice(sorted(entries))]
            entry.body = f"edit {seed}-{seq} " + "y" * rng.randrange(900)
            log({"seq": seq, "op": "put", "id": entry.id, "version": entry.version + 1,
                 "date": entry.date.isoformat(), "body": entry.body})
            saved = vault.put(entry)
            entries[saved.id] = saved
        elif roll < 0.82 and len(entries) > 3:
            entry_id = rng.choice(sorted(entries))
            log({"seq": seq, "op": "delete", "id": entry_id})
            vault.delete(entry_id)
            used.discard(entries.pop(entry_id).date)
        elif roll < 0.91:
            new = f"pass {seed}-{seq}"
            log({"seq": seq, "op": "passwd", "new": new})
            vault.change_passphrase(new)
            passphrase = new
        else:
            log({"seq": seq, "op": "rotate"})
            vault.rotate_keys(passphrase, new_recovery=bool(seq % 2))
            entries = {e.id: e for e in vault.entries()}
        log({"done": seq})


def fork_worker(vault_dir: Path, log_path: Path, seed: int, passphrase: str,
                autocheckpoint: int | None = None) -> int:
    """Fork (fast: no interpreter start-up) and run the worker in the child."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        code = 0
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            worker(vault_dir, log_path, seed, passphrase, autocheckpoint=autocheckpoint)
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    return pid


# -- the parent's bookkeeping -----------------------------------------------------------------
State = dict[str, tuple[int, str, str]]  # id -> (version, date, body)


@dataclass
class History:
    """The states the vault may legally be in: states[k] after k logged operations."""

    states: list[tuple[State, str]]
    done: int = 0
    ops: list[dict] = field(default_factory=list)

    @property
    def begun(self) -> int:
        return len(self.states) - 1


def replay(initial: State, passphrase: str, log_text: str) -> History:
    history = History(states=[(dict(initial), passphrase)])
    for line in log_text.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:  # a line cut by the kill: never reported
            continue
        if "done" in record:
            history.done = record["done"]
            continue
        if "op" not in record:
            continue
        state, current = dict(history.states[-1][0]), history.states[-1][1]
        op = record["op"]
        if op == "put":
            state[record["id"]] = (record["version"], record["date"], record["body"])
        elif op == "delete":
            state.pop(record["id"], None)
        elif op == "passwd":
            current = record["new"]
        elif op == "rotate":
            state = {k: (v + 1, d, b) for k, (v, d, b) in state.items()}
        history.states.append((state, current))
        history.ops.append(record)
    assert history.done in (history.begun, history.begun - 1), "log out of order"
    return history


def snapshot_state(vault: Vault) -> State:
    return {e.id: (e.version, e.date.isoformat(), e.body) for e in vault.entries()}


def verify(vault_dir: Path, history: History, lo: int, hi: int) -> int:
    """Open the vault and prove it is exactly one of states[lo..hi]. Returns that k."""
    candidates = []
    for _state, passphrase in history.states[lo:hi + 1]:
        if passphrase not in candidates:
            candidates.append(passphrase)
    opened = None
    for passphrase in candidates:
        try:
            opened = (Vault.open(vault_dir, passphrase, allow_weak=True), passphrase)
            break
        except WrongPassphrase:
            continue
    assert opened is not None, f"no passphrase of states {lo}..{hi} unlocks the vault"
    vault, used = opened
    try:
        report = vault.check()
        assert report.ok, report.problems
        actual = snapshot_state(vault)
    finally:
        vault.close()
    for k in range(hi, lo - 1, -1):
        state, passphrase = history.states[k]
        if state == actual and passphrase == used:
            return k
    missing = {k: v for k, v in history.states[lo][0].items() if actual.get(k) != v}
    raise AssertionError(f"state matches none of {lo}..{hi}; differing entries: "
                         f"{sorted(missing)[:5]}")


def new_vault(vault_dir: Path, entries: int = 8) -> State:
    vault, _ = Vault.create(vault_dir, FIRST_PASS, kdf=TINY_KDF)
    with vault:
        for i in range(entries):
            vault.put(Entry(date=BASE_DAY - timedelta(days=i + 1), body=f"seed entry {i}"))
        return snapshot_state(vault)


# -- T8 ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_t8_kill_minus_9_at_random_points(tmp_path):
    rng = random.Random(8)
    vault_dir = tmp_path / "vault"
    state, passphrase = new_vault(vault_dir), FIRST_PASS
    ops_done = 0
    in_flight: dict[str, int] = {}
    landed_after: dict[str, int] = {}
    for kill in range(KILLS):
        log_path = tmp_path / f"log-{kill}"
        pid = fork_worker(vault_dir, log_path, seed=rng.randrange(1 << 30),
                          passphrase=passphrase, autocheckpoint=(8 if kill % 2 else None))
        time.sleep(rng.uniform(0.005, 0.25))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), "the worker stopped by itself (it crashed?)"
        history = replay(state, passphrase, log_path.read_text() if log_path.exists() else "")
        if history.begun > history.done:
            kind = history.ops[-1]["op"]
            in_flight[kind] = in_flight.get(kind, 0) + 1
        k = verify(vault_dir, history, history.done, history.begun)
        if k > history.done:
            kind = history.ops[-1]["op"]
            landed_after[kind] = landed_after.get(kind, 0) + 1
        ops_done += history.done
        state, passphrase = history.states[k]
    print(f"\nFIGURE T8 kills={KILLS} recovered={KILLS} ops_committed={ops_done} "
          f"killed_in_flight={in_flight} in_flight_that_had_committed={landed_after} "
          f"entries_at_end={len(state)}", file=sys.stderr)
    assert ops_done > KILLS // 4  # the kills landed inside a working loop, not before it
