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

    @property
    def in_step(self) -> bool:
        return not self.refused and not self.waiting

    def to_json(self) -> dict[str, Any]:
        return {"machine": self.machine, "sent": self.sent, "received": self.received,
                "days_changed": sorted(self.days_changed), "conflicts": sorted(self.conflicts),
                "refused": self.refused, "waiting": self.waiting, "restored": self.restored,
                "in_step": self.in_step}

    def refusal(self) -> SyncRefused | None:
        if not self.refused:
            return None
        many = len(self.refused)
        return SyncRefused(f"{many} problem{'s' if many != 1 else ''} in the sync folder: "
                           f"{self.refused[0]}", self.refused)
