"""Hypothesis stateful test: three machines, one hostile folder engine.

The engine delays (files move only when a rule says so), reorders (any pending file may go
next), duplicates (delivering again, conflict copies), drops files and later restores them,
leaves partial files, tampers with records and replays old ones; users write and delete
days. Properties: a tampered,
replayed or rolled-back record is refused and reported at once; sync never raises; after an
honest catch-up every machine shows the same journal (the same export, byte for byte) and
every acknowledged write is in it.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule
from sync_sim import World, put

DAYS = [date(2026, 3, d) for d in (1, 2, 3)]


class HostileFolder(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        from journal.core.sync import session

        self._compact_every = session.COMPACT_EVERY
        session.COMPACT_EVERY = 3  # compactions happen within a run of a few steps
        self.tmp = Path(tempfile.mkdtemp(prefix="journal-sync-prop-"))
        self.world = World.make(self.tmp, 3)
        self.written: list[tuple[date, str]] = []
        self.deleted: set[date] = set()  # days deleted somewhere: convergence only
        self.counter = 0

    def teardown(self) -> None:
        try:
            self._converge()
        finally:
            from journal.core.sync import session

            session.COMPACT_EVERY = self._compact_every
            self.world.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- users -----------------------------------------------------------------------
    @rule(m=st.integers(0, 2), day=st.sampled_from(DAYS))
    def write(self, m: int, day: date) -> None:
        self.counter += 1
        token = f"tok{self.counter}-m{m}"
        self.world.machines[m].write(day, token)
        self.written.append((day, token))

    @rule(m=st.integers(0, 2), day=st.sampled_from(DAYS))
    def delete(self, m: int, day: date) -> None:
        vault = self.world.machines[m].vault
        entry = vault.get_by_date(day)
        if entry is not None:
            vault.delete(entry.id)
            self.deleted.add(day)

    @rule(m=st.integers(0, 2))
    def sync(self, m: int) -> None:
        self.world.machines[m].sync()  # refusals are reported, never raised

    # -- the engine ------------------------------------------------------------------
    def _missing(self, dst: int) -> list[tuple[str, bytes]]:
        have = self.world.files(self.world.machines[dst].view)
        return sorted((rel, data) for rel, data in self.world.genuine().items()
                      if have.get(rel) != data)

    @rule(dst=st.integers(0, 2), pick=st.integers(0, 10**6),
          how=st.sampled_from(["copy", "copy", "copy", "partial", "conflict-copy"]))
    def deliver(self, dst: int, pick: int, how: str) -> None:
        missing = self._missing(dst)
        if not missing:
            return
        rel, data = missing[pick % len(missing)]
        target = self.world.machines[dst].view / rel
        if how == "partial":
            put(target, data[: len(data) // 2])
        elif how == "conflict-copy" and rel.endswith(".jsr"):
            put(target.with_name(target.stem + ".sync-conflict-20260301-101010-ABCDEFG.jsr"),
                data)
        else:
            put(target, data)

    @rule(dst=st.integers(0, 2), pick=st.integers(0, 10**6))
    def drop(self, dst: int, pick: int) -> None:
        view = self.world.machines[dst].view
        files = sorted(p for p in view.rglob("*.jsr"))
        if files:
            files[pick % len(files)].unlink()  # an honest catch-up restores it later

    @rule(dst=st.integers(0, 2), pick=st.integers(0, 10**6), at=st.integers(0, 10**6))
    def tamper(self, dst: int, pick: int, at: int) -> None:
        machine = self.world.machines[dst]
        own = machine.view / "journal-sync" / "records" / _own(machine)
        others = sorted(p for p in machine.view.rglob("*.jsr")
                        if p.parent != own and ".sync-conflict-" not in p.name and _whole(p))
        if not others:
            return
        target = others[pick % len(others)]
        data = bytearray(target.read_bytes())
        if len(data) < 13:
            return
        spot = 12 + at % (len(data) - 12)
        data[spot] ^= 0x01
        reachable = int(target.name[:8]) <= _head(machine, target.parent.name) + 1
        target.write_bytes(bytes(data))
        report = machine.sync()
        if reachable:  # behind a gap it is not read yet (refused when the gap fills)
            name = target.parent.name
            assert any(name in line for line in report.refused), (target.name, report)

    @rule(dst=st.integers(0, 2), pick=st.integers(0, 10**6))
    def replay(self, dst: int, pick: int) -> None:
        machine = self.world.machines[dst]
        own = machine.view / "journal-sync" / "records" / _own(machine)
        chains = sorted({p.parent for p in machine.view.rglob("*.jsr") if p.parent != own
                         and not any(p.parent.glob("*.jsc"))})
        if not chains:
            return
        chain = chains[pick % len(chains)]
        files = sorted(p for p in chain.glob("*.jsr")
                       if ".sync-conflict-" not in p.name and _whole(p))
        if not files:
            return
        nxt = max(int(p.name[:8]) for p in files) + 1
        reachable = nxt <= _head(machine, chain.name) + 1
        put(chain / f"{nxt:08d}.jsr", files[pick % len(files)].read_bytes())
        report = machine.sync()
        if reachable:
            assert any(chain.name in line for line in report.refused), report

    @precondition(lambda self: True)
    @rule(dst=st.integers(0, 2), src=st.integers(0, 2))
    def roll_back(self, dst: int, src: int) -> None:
        """The folder puts back an older state of another machine's chain."""
        machine = self.world.machines[dst]
        writer = _own(self.world.machines[src])
        if src == dst:
            return
        from journal.core.sync import session

        state = session.open_state(machine.vault)
        try:
            seen = state.seen(writer)
        finally:
            state.close()
        if not seen:
            return
        chain = machine.view / "journal-sync" / "records" / writer
        newest = chain / f"{max(seen):08d}.jsr"
        if not newest.exists():
            return
        newest.unlink()
        for copy in chain.glob(f"{max(seen):08d}.*"):
            copy.unlink()
        report = machine.sync()
        assert any(writer in line for line in report.refused), report

    # -- the end ---------------------------------------------------------------------
    def _converge(self) -> None:
        world = self.world
        for machine in world.machines:
            machine.sync()
        world.deliver_all()
        for machine in world.machines:
            report = machine.sync()
            assert report.refused == [] and report.waiting == [], report
        world.deliver_all()
        reports = [m.sync() for m in world.machines]
        assert all(r.in_step and r.sent == 0 for r in reports), reports
        exports = [m.export() for m in world.machines]
        for other in exports[1:]:
            assert exports[0] == other, "\n".join(difflib.unified_diff(
                exports[0].splitlines(), other.splitlines(), lineterm=""))
        for day, token in self.written:
            if day in self.deleted:
                continue
            entry = world.machines[0].vault.get_by_date(day)
            assert entry is not None and token in entry.body, (day, token)


def _whole(path: Path) -> bool:
    """Not a partial copy (a partial file is "still being copied", not yet refused)."""
    from journal.core.sync import record

    try:
        record.epoch_of(path.read_bytes())
    except record.Incomplete:
        return False
    except record.Refused:
        return True
    return True


def _head(machine, writer: str) -> int:  # noqa: ANN001
    """The last record of `writer` this machine has accepted."""
    from journal.core.sync import session

    state = session.open_state(machine.vault)
    try:
        return max(state.seen(writer), default=0)
    finally:
        state.close()


def _own(machine) -> str:  # noqa: ANN001
    from journal.core.sync import session

    state = session.open_state(machine.vault)
    try:
        return state.link.machine
    finally:
        state.close()


LONG = bool(os.environ.get("JOURNAL_LONG"))  # the long profile: JOURNAL_LONG=1
HostileFolder.TestCase.settings = settings(
    max_examples=300 if LONG else 25, stateful_step_count=60 if LONG else 30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestHostileFolder = HostileFolder.TestCase
