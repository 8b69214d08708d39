"""The safety check-in on the write screen (issue 17, domain.md §6): after the choice is
saved, "not safe", or "struggling" on this and the two entries before it, shows the
support screen at once. Only the choice is read, never what was written."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from journal.core.care.safety import check_ins_before, needs_support
from journal.core.errors import JournalError
from journal.ui.vault_access import vault_in_use


class WriteScreen(Protocol):
    """What this module uses of journal.ui.screens.write.WriteScreen (named here, not
    imported: the write screen imports this module)."""

    day: date | None

    @property
    def journal(self) -> Any: ...

    @property
    def app(self) -> Any: ...


def after_check_in(screen: WriteScreen, check_in: str | None) -> None:
    if screen.day is None:
        return
    earlier: list[str | None] = []
    if check_in == "struggling":
        try:
            with vault_in_use(screen.journal) as vault:
                if vault is not None:
                    earlier = check_ins_before(vault.summaries(), screen.day)
        except JournalError:
            earlier = []
    if needs_support(check_in, earlier):
        screen.app.action_support()
