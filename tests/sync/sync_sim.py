"""Simulated machines and a simulated (hostile) folder engine for the sync tests.

Each machine has its own vault and its own *view* of the sync folder (as Syncthing keeps a
copy on each device); the engine copies files between views when the test says so, and
can also delay, reorder, duplicate, drop, truncate, make conflict copies, tamper and replay.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from journal.core.exchange import format_v1
from journal.core.model.entries import Entry
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault
from journal.core.sync import session
from journal.core.sync.layout import ROOT

PASSPHRASE = "correct horse battery staple"


@dataclass
class Machine:
    name: str
    vault: Vault
    view: Path

    def write(self, day: date, line: str) -> None:
        entry = self.vault.get_by_date(day) or Entry(date=day)
        entry.body = entry.body + line + "\n"
        self.vault.put(entry)

    def sync(self) -> session.SyncReport:
        return session.sync(self.vault, PASSPHRASE, allow_weak=True)

    def export(self) -> str:
        return format_v1.to_text(format_v1.dump(self.vault.entries()))


#: The machines' names (untrusted text in every conflict mark: one tries to break them).
NAMES = ("laptop", "desk\n>>>>>>> other version\n=======", "[b]ward\u2028pc")


@dataclass
class World:
    tmp: Path
    machines: list[Machine] = field(default_factory=list)

    @classmethod
    def make(cls, tmp: Path, count: int) -> World:
        world = cls(tmp)
        for i in range(count):
            view = tmp / f"view{i}"
            view.mkdir(parents=True)
            vault, _ = Vault.create(tmp / f"vault{i}", PASSPHRASE,
                                    kdf=KdfParams.fast_for_tests())
            if i:  # the keys reach the others first, as an engine would carry them
                shutil.copytree(world.machines[0].view / ROOT / "keys", view / ROOT / "keys")
            session.link(vault, view, PASSPHRASE, allow_weak=True, name=NAMES[i % len(NAMES)])
            world.machines.append(Machine(f"m{i}", vault, view))
        return world

    def close(self) -> None:
        for machine in self.machines:
            machine.vault.close()

    # -- the files ---------------------------------------------------------------------
    def files(self, view: Path) -> dict[str, bytes]:
        root = view / ROOT
        return {str(p.relative_to(view)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file()}

    def genuine(self) -> dict[str, bytes]:
        """What each machine wrote into its own view, under its own name."""
        out: dict[str, bytes] = {}
        for m in self.machines:
            own = session.open_state(m.vault).link.machine
            try:
                for rel, data in self.files(m.view).items():
                    if f"/{own}/" in rel or rel.endswith(f"/{own}.key"):
                        out[rel] = data
            finally:
                pass
        return out

    def deliver_all(self) -> None:
        """An honest engine catches up: every view holds exactly the genuine files (and
        no longer those their writer removed after a compaction)."""
        truth = self.genuine()
        for m in self.machines:
            for rel in self.files(m.view):
                if rel not in truth:
                    (m.view / rel).unlink()
            for rel, data in truth.items():
                put(m.view / rel, data)


def put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
