"""What one sync did: sent, received, the days it changed, conflicts, what the folder held
that was refused or is still waiting (the CLI prints it, the app shows it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journal.core.errors import SyncRefused


@dataclass
class SyncReport:
    machine: str = ""
    sent: int = 0
    received: int = 0
    days_changed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    restored: int = 0
    conflict_machines: dict[str, list[str]] = field(default_factory=dict)
    """For each day in `conflicts`, the machines (ids) whose versions it keeps."""
    senders: list[str] = field(default_factory=list)
    """The machines (ids) whose records brought changes."""
    names: dict[str, str] = field(default_factory=dict)
    """Each machine of the folder as a person tells it apart (journal.core.sync.machines),
    by id: what the lines below say beside an id."""

    @property
    def sent_by(self) -> list[str]:
        """Who the changes came from, as a person tells the machines apart."""
        return [self.names.get(m) or f"machine {m[:8]}" for m in self.senders]

    def written_on(self, day: str) -> str:
        """Who wrote a conflicted day's versions, for a person: "this machine and desktop"
        ("" when its versions do not say: written before machine ids)."""
        ids = sorted(self.conflict_machines.get(day, []), key=lambda m: m != self.machine)
        said = ["this machine" if m == self.machine else self.names.get(m) or
                f"machine {m[:8]}" for m in ids]  # this machine first
        if len(said) < 2:
            return ""
        return ", ".join(said[:-1]) + " and " + said[-1]

    def name_machines(self, names: dict[str, str]) -> None:
        """Keep `names` and say each machine's beside its id in the refused and waiting
        lines (`machine 3f9c…: record 4 …` → `machine 3f9c… (desktop): record 4 …`)."""
        self.names = dict(names)
        for lines in (self.refused, self.waiting):
            lines[:] = [self._named(line) for line in lines]

    def _named(self, line: str) -> str:
        head, colon, rest = line.partition(": ")
        machine = head.removeprefix("machine ")
        said = self.names.get(machine, "")
        if not colon or machine == head or not said or said.startswith("machine "):
            return line
        return f"{head} ({said}): {rest}"

    @property
    def in_step(self) -> bool:
        return not self.refused and not self.waiting

    def to_json(self) -> dict[str, Any]:
        return {"machine": self.machine, "sent": self.sent, "received": self.received,
                "days_changed": sorted(self.days_changed), "conflicts": sorted(self.conflicts),
                "refused": self.refused, "waiting": self.waiting, "restored": self.restored,
                "in_step": self.in_step, "from": self.sent_by}

    def refusal(self) -> SyncRefused | None:
        if not self.refused:
            return None
        many = len(self.refused)
        return SyncRefused(f"{many} problem{'s' if many != 1 else ''} in the sync folder: "
                           f"{self.refused[0]}", self.refused)
