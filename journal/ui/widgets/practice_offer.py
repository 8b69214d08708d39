"""The one-line offer of a practice after a heavy contagion moment is saved (issue 17),
shown inside the write screen above its footer. It never takes focus and never takes a
key away from where it was going: the app reads each key in typing order and asks the
write screen whether it answers the offer (journal.ui.screens.practice_flow.answer)."""

from __future__ import annotations

from textual.widgets import Static

from journal.core.care.practice_script import OFFER


class PracticeOfferLine(Static, can_focus=False):
    """Hidden until `show_for(moment_id)`; `withdraw()` hides it and returns whose it was."""

    DEFAULT_CSS = """
    PracticeOfferLine {
        display: none; width: 100%; height: auto; padding: 0 1;
        background: $panel; color: $foreground;
    }
    PracticeOfferLine.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(OFFER, id=id, markup=False)
        self.moment_id: str | None = None

    @property
    def pending(self) -> bool:
        return self.moment_id is not None

    def show_for(self, moment_id: str) -> None:
        self.moment_id = moment_id
        self.add_class("-shown")

    def withdraw(self) -> str | None:
        moment_id, self.moment_id = self.moment_id, None
        self.remove_class("-shown")
        return moment_id
