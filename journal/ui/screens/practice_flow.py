"""From a saved moment to a practice and back (issue 17): the one-line offer after a heavy
contagion moment (at or above the setting, never when turned off, never twice for one
moment), the practice screen, and keeping its record with the moment on the write screen."""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

from textual import events

from journal.core.care.practice_script import DONE, OFFER_KEY
from journal.core.model.entries import Moment
from journal.core.model.practice import Practice


class WriteScreen(Protocol):
    """What this module uses of journal.ui.screens.write.WriteScreen (named here, not
    imported: the write screen imports this module)."""

    moments: list[Moment]
    practice_offered: set[str]

    @property
    def offer_line(self) -> Any: ...

    @property
    def journal(self) -> Any: ...

    @property
    def app(self) -> Any: ...

    def notify(self, message: str, *, title: str = "", timeout: float | None = None) -> None: ...

    def moment_changed(self) -> None: ...


def should_offer(screen: WriteScreen, moment: Moment) -> bool:
    settings = screen.journal.settings
    return (settings.practice_offer and moment.kind == "contagion"
            and moment.intensity >= settings.practice_offer_from
            and moment.practice is None and moment.id not in screen.practice_offered)


def offer_after(screen: WriteScreen, moment: Moment) -> None:
    """Show the offer line if this moment calls for it; its key starts the practice."""
    if not should_offer(screen, moment):
        return
    screen.practice_offered.add(moment.id)
    if screen.app.screen is not screen:  # typed on before the offer could show (ctrl+n
        return  # for the next moment, at paste speed): that key already carried on
    screen.offer_line.show_for(moment.id)


def answer(screen: WriteScreen, event: events.Key) -> bool:
    """Called by the app for each key it reads, in typing order, while the write screen is
    shown. With the offer up: its key starts the practice (True: the key is spent); any
    other key takes the offer down and returns False, so it goes on to do its own job."""
    if not screen.offer_line.pending:
        return False
    moment_id = screen.offer_line.withdraw()
    if event.character != OFFER_KEY:
        return False
    start_practice(screen, moment_id)
    return True


def start_practice(screen: WriteScreen, moment_id: str | None = None) -> None:
    """The practice screen; what it returns is kept with `moment_id`, else with the day's
    latest contagion moment without a practice (the palette's way in)."""
    from journal.ui.screens.practice import PracticeScreen

    screen_of_practice = PracticeScreen(moment_id)

    def finished(practice: Practice | None) -> None:
        if practice is None or screen_of_practice.kept:
            return
        if keep(screen, practice, moment_id):
            screen.notify(DONE, title="Practice kept", timeout=6)
        else:
            screen.notify("This day has no contagion moment to keep it with, so it was "
                          "not kept. Thank you for taking the time.", timeout=6)

    screen.app.push_screen(screen_of_practice, finished)


def absorb_open_practice(screen: WriteScreen) -> None:
    """Locking or quitting in the middle of a practice keeps what was taken so far."""
    from journal.ui.screens.practice import PracticeScreen

    open_practice = screen.app.screen
    if not isinstance(open_practice, PracticeScreen) or open_practice.kept:
        return
    practice = open_practice.run.result()
    open_practice.kept = True
    if practice is not None:
        keep(screen, practice, open_practice.moment_id)


def keep(screen: WriteScreen, practice: Practice, moment_id: str | None) -> bool:
    """Attach `practice` to its moment on the write screen and save. False if none fits."""
    moments = screen.moments
    index = next((i for i, m in enumerate(moments) if m.id == moment_id), None)
    if index is None:
        index = next((i for i in range(len(moments) - 1, -1, -1)
                      if moments[i].kind == "contagion" and moments[i].practice is None), None)
    if index is None:
        return False
    moments[index] = dataclasses.replace(moments[index], practice=practice)
    screen.practice_offered.add(moments[index].id)
    screen.moment_changed()
    return True
