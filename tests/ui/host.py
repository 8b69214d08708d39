"""A small host App for the browse, reflect and support screens in tests.

It offers what those screens read from the real app (`vault`, `settings`, `clock`,
`open_day`, the theme variables, F9 for support) and records every `open_day` call, so a
test can assert what would have been opened without the write screen.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from textual.app import App
from textual.binding import Binding
from textual.worker import WorkerCancelled

from journal.core.clock import FixedClock
from journal.core.demo import generate_year
from journal.core.model.entries import Entry
from journal.core.store.index import Index
from journal.settings import Settings
from journal.ui.screens.browse import BrowseScreen
from journal.ui.screens.reflect import ReflectScreen
from journal.ui.screens.support import SupportScreen
from journal.ui.themes import DEFAULT_THEME, THEME_VARIABLE_DEFAULTS, register_all

TODAY = date(2026, 11, 25)


def fixed_clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 25, 21, 30))


class MemoryVault:
    """The part of Vault the screens use (`summaries()`: partial entries newest first,
    `get`/`get_many`: full copies), in memory.

    Tests that check the real vault use journal.core.store.vault.Vault instead; this one keeps
    tests with thousands of entries quick.
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entries = {e.id: e.copy() for e in entries}
        self.reads = 0
        """Full reads of every entry (`entries()`): the screens should need none."""
        self.rows_read = 0

    def entries(self) -> list[Entry]:
        self.reads += 1
        return sorted((e.copy() for e in self._entries.values()),
                      key=lambda e: e.date, reverse=True)

    def index(self) -> Index:
        """The index the real vault keeps (partial entries: no body, no notes)."""
        return Index.from_entries(self._entries.values())

    def summaries(self) -> Sequence[Entry]:
        return self.index().select()

    def get(self, entry_id: str) -> Entry | None:
        self.rows_read += 1
        found = self._entries.get(entry_id)
        return found.copy() if found else None

    def get_many(self, entry_ids: Iterable[str]) -> list[Entry]:
        return [e for e in map(self.get, entry_ids) if e is not None]

    def entries_containing(self, entry_ids: Iterable[str], words: list[str]) -> list[Entry]:
        return self.get_many(entry_ids)  # the caller matches exactly

    def arrivals(self, day: object = None) -> list:
        """No quick captures were merged into this vault."""
        return []

    def put(self, entry: Entry) -> Entry:
        stored = entry.copy()
        stored.version += 1  # as the vault does on every save
        self._entries[entry.id] = stored
        return stored.copy()


def year_vault(seed: int = 7) -> MemoryVault:
    return MemoryVault(generate_year(TODAY, seed=seed))


class HostApp(App):
    """Hosts BrowseScreen / ReflectScreen as modes, like JournalApp does after unlocking."""

    MODES = {"browse": BrowseScreen, "reflect": ReflectScreen}
    BINDINGS = [Binding("f9", "support", "Support"),
                Binding("f3", "switch_mode('browse')", "Browse"),
                Binding("f4", "switch_mode('reflect')", "Reflect")]

    def __init__(self, vault: object, *, start: str = "browse",
                 settings: Settings | None = None, clock: FixedClock | None = None) -> None:
        super().__init__()
        self.vault = vault
        self.vault_lock = threading.RLock()
        share_turn = getattr(vault, "share_turn", None)  # a real Vault: as the app does
        if share_turn is not None:
            share_turn(self.vault_lock)
        self.settings = settings or Settings()
        self.clock = clock or fixed_clock()
        self.opened: list[date] = []
        self._start = start

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        register_all(self, None)
        self.theme = DEFAULT_THEME
        self.switch_mode(self._start)

    def open_day(self, day: date) -> None:
        self.opened.append(day)

    def action_support(self) -> None:
        if not isinstance(self.screen, SupportScreen):
            self.push_screen(SupportScreen())


async def _workers_done(app: App) -> None:
    for _ in range(10):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:  # an exclusive worker replaced by a newer one
            continue


async def settle(pilot, delay: float = 0.0) -> None:
    """Wait for workers and the messages they post (and optional timers)."""
    await _workers_done(pilot.app)
    await pilot.pause()
    if delay:
        await pilot.pause(delay)
    await _workers_done(pilot.app)
    await pilot.pause()


def screen_text(app: App) -> str:
    """What the current screen shows, as plain text (one line per terminal row)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
