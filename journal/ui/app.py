"""JournalApp: modes (unlock, write, browse, reflect), global keys, locking, themes.

Everything comes in through `make_app`; nothing happens at import time.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from journal.core.clock import Clock
from journal.core.store.crypto import KdfParams
from journal.core.store.turn import HeldTurn
from journal.paths import Paths
from journal.settings import Settings
from journal.ui import session, ui_thread, vault_access
from journal.ui.autosave import IdleTimer
from journal.ui.commands import ask_for_date, journal_commands, kept_built_ins
from journal.ui.messages import EntrySaved, Unlocked
from journal.ui.screens.confirm import ConfirmScreen
from journal.ui.screens.unlock import UnlockScreen
from journal.ui.screens.write import WriteScreen
from journal.ui.sync_hook import SyncHook
from journal.ui.typing_order import typed_in
from journal.ui.widgets.moment_form import Vocabulary

#: Modes that hold decrypted text: all are dropped on lock.
CONTENT_MODES = ("write", "browse", "reflect")
_OTHER_SCREENS = {"browse": ("journal.ui.screens.browse", "BrowseScreen"),
                  "reflect": ("journal.ui.screens.reflect", "ReflectScreen")}


def _optional(module: str, name: str) -> type | None:
    """A screen another module provides, or None while that module does not exist."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


class JournalApp(App):
    TITLE = "journal"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help", tooltip="Every key of the app"),
        Binding("f2", "today", "Today", id="app.today", tooltip="Tonight's entry",
                show=False),
        Binding("f3", "mode('browse')", "Browse", id="app.browse", tooltip="Past entries"),
        Binding("f4", "mode('reflect')", "Reflect", id="app.reflect",
                tooltip="Patterns in your entries"),
        Binding("f5", "settings", "Settings", id="app.settings", show=False,
                tooltip="Auto-lock, prompts, theme, work end"),
        Binding("ctrl+r", "captures", "Captures", id="app.captures", show=False,
                tooltip="Review the quick captures merged into your days"),
        Binding("f9", "support", "Support", id="app.support", show=False,
                tooltip="Crisis lines and resources"),
        Binding("ctrl+l", "lock", "Lock", id="app.lock", priority=True,
                tooltip="Save, forget the key, show the unlock screen"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True,
                tooltip="Save and quit"),
    ]

    def __init__(self, *, paths: Paths, settings: Settings, clock: Clock,
                 kdf: KdfParams | None = None, allow_weak: bool = False,
                 theme: str | None = None, passphrase_hint: str | None = None) -> None:
        super().__init__()
        self.paths, self.settings, self.clock = paths, settings, clock
        self.kdf, self.allow_weak = kdf, allow_weak
        self.passphrase_hint = passphrase_hint
        self.vault = None
        """The open journal.core.store.vault.Vault, or None while locked."""
        self.vault_lock = HeldTurn()
        """Held by whoever uses `vault` (journal.ui.vault_access): one thread at a time;
        it knows its holder, so no thread waits for the UI thread in its turn."""
        self.current_day: date = clock.today()
        """The day the write screen shows (kept across a lock)."""
        self.idle = IdleTimer(settings.autolock_minutes, clock.now())
        self.vocabulary = Vocabulary()
        """Words used before (tags, people, feelings, recovery), for completion."""
        self.startup_messages: list[str] = []
        """Warnings to show once the app runs (e.g. a bad settings file)."""
        self.autolock_chosen_here = False
        """True once the Settings screen saved in this run: auto-lock is the user's choice
        (a theme picked from the palette saves the settings too, but chooses nothing else)."""
        self._theme_override = theme
        self._resume_mode = "write"
        self._write_screen: WriteScreen | None = None
        self.sync = SyncHook(self)
        """Sync with the folder while unlocked, when the vault is linked (docs/sync.md)."""

    # -- settings and themes (journal.ui.session) --------------------------------------
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return session.theme_variable_defaults()

    def preview_theme(self, name: str) -> None:
        if name in self.available_themes:
            self.theme = name

    def apply_settings(self, new: Settings) -> bool:
        """Save `new` to the settings file and use it. False (and a notice) if it failed."""
        if not session.save_settings(self, new):
            return False
        self.autolock_chosen_here = True
        if self._write_screen is not None and self._write_screen.is_mounted:
            self._write_screen.query_one("#prompts").display = new.guided_prompts
        return True

    # -- lifecycle ---------------------------------------------------------------------
    async def on_mount(self) -> None:
        session.setup_themes(self, self._theme_override or self.settings.theme)
        for message in self.startup_messages:
            self.notify(message, severity="warning", timeout=12)
        self.add_mode("unlock", UnlockScreen)
        await self.switch_mode("unlock")
        self.set_interval(1.0, self.check_autolock)
        self.call_after_refresh(self.theme_changed_signal.subscribe, self,
                                lambda theme: session.persist_theme(self, theme))

    def on_unmount(self) -> None:
        self.sync.stop_watching()  # however the app ends, no watcher thread outlives it
        with self.vault_lock:
            if self.vault is not None:
                self.vault.close()
                self.vault = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown,
                              events.MouseScrollUp)) and not event.is_forwarded:
            self.idle.touch(self.clock.now())
        if (isinstance(event, events.Key) and not event.is_forwarded
                and self._write_screen is not None and self.screen is self._write_screen
                and self._write_screen.answer_offer(event)):
            return  # read in typing order: the practice offer's key (issue 17)
        await super().on_event(event)

    def _new_write_screen(self) -> Screen:
        self._write_screen = WriteScreen()
        return self._write_screen

    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Textual's, refused to a thread in the vault's turn (journal.ui.ui_thread)."""
        ui_thread.refuse_in_turn(self)
        return super().call_from_thread(callback, *args, **kwargs)

    def has_mode(self, mode: str) -> bool:
        return mode in self._modes

    async def on_unlocked(self, message: Unlocked) -> None:
        message.vault.share_turn(self.vault_lock)  # one lock: the app's turns are the vault's
        self.vault = message.vault
        self.vocabulary = message.vocabulary or Vocabulary()
        self.idle.touch(self.clock.now())
        self.add_mode("write", self._new_write_screen)
        for mode, (module, name) in _OTHER_SCREENS.items():
            screen_type = _optional(module, name)
            if screen_type is not None:
                self.add_mode(mode, screen_type)
        await self.switch_mode(self._resume_mode if self.has_mode(self._resume_mode)
                               else "write")
        self.sync.start()
        if message.merged:
            lines = "".join(f"\n{line}" for line in message.arrivals)
            self.notify(f"{message.merged} quick note{'s' if message.merged != 1 else ''} "
                        "arrived and were added to their days (sent without the passphrase: "
                        f"check they are yours; ctrl+r reviews or discards each):{lines}",
                        timeout=15, markup=False)
        for notice in message.notices:
            self.notify(notice, timeout=10, markup=False)
        if message.problems:
            self.notify("\n".join(message.problems), title="Quick notes", severity="error",
                        timeout=15, markup=False)
        session.notice_autolock_off(self)
        if message.support:
            self.action_support()

    def on_entry_saved(self, _message: EntrySaved) -> None:
        self.sync.saved()

    def day_changed_elsewhere(self) -> None:
        """Sync wrote days: the write screen reloads its day unless typing is pending."""
        if self._write_screen is not None and self._write_screen.is_mounted:
            self._write_screen.call_later(self._write_screen.sync_day)

    # -- actions -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("today", "lock", "mode", "go_to_date", "captures") and self.vault is None:
            return False
        if action == "mode" and not self.has_mode(str(parameters[0])):
            return None
        # no footer key for the screen already shown (room at 80 columns)
        return not (action == "mode" and parameters[0] == self.current_mode)

    async def action_mode(self, mode: str) -> None:
        if self.vault is not None and self.has_mode(mode):
            await self.switch_mode(mode)

    def open_day(self, day: date) -> None:
        """Show `day`'s entry on the write screen (saving what was pending first)."""
        if self.vault is None:
            return
        self.current_day = day
        self.switch_mode("write")
        if self._write_screen is not None and self._write_screen.is_mounted:
            self._write_screen.call_later(self._write_screen.sync_day)

    def action_today(self) -> None:
        self.open_day(self.clock.today())

    def action_go_to_date(self) -> None:
        ask_for_date(self)

    @property
    def write_screen(self) -> WriteScreen | None:
        """The write screen of this unlocked session, if it was made."""
        return self._write_screen

    def action_captures(self) -> None:
        """The quick captures merged into this vault: read, keep, discard (ctrl+r)."""
        from journal.ui.screens.captures import CapturesScreen

        if self.vault is not None and not isinstance(self.screen, CapturesScreen):
            self.push_screen(CapturesScreen())

    def action_help(self) -> None:
        from journal.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_settings(self) -> None:
        from journal.ui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_support(self) -> None:
        support = _optional("journal.ui.screens.support", "SupportScreen")
        if support is None:
            self.notify("The support screen is not available in this build.")
        elif not isinstance(self.screen, support):
            self.push_screen(support())

    async def action_practice(self) -> None:
        """The practice toward concern, any time; kept with the write screen's latest
        contagion moment that has none (journal.ui.screens.practice_flow)."""
        from journal.ui.screens.practice_flow import start_practice

        if self.vault is None:
            return
        if self.current_mode != "write":
            await self.switch_mode("write")
        if self._write_screen is not None:
            start_practice(self._write_screen)

    #: Textual's own palette commands that would only repeat ours ("Keys" beside "Help:
    #: keys") or do nothing useful in this app.
    HIDDEN_SYSTEM_COMMANDS = frozenset({"Keys", "Maximize", "Minimize"})

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from journal_commands(self)
        yield from (command for command in kept_built_ins(super().get_system_commands(screen))
                    if command.title not in self.HIDDEN_SYSTEM_COMMANDS)

    # Textual's ways of writing the screen (or any file) to disk, by action, by the
    # TEXTUAL_SCREENSHOT variable or from the palette, would put journal text in a
    # plaintext file: refused. `export_screenshot` (a string, for snapshot tests) stays.
    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self._refuse_screen_to_disk()

    def save_screenshot(self, *_args: object, **_kwargs: object) -> str:
        self._refuse_screen_to_disk()
        return ""

    def deliver_screenshot(self, *_args: object, **_kwargs: object) -> str | None:
        self._refuse_screen_to_disk()
        return None

    def deliver_text(self, *_args: object, **_kwargs: object) -> str | None:
        self._refuse_screen_to_disk()
        return None

    def deliver_binary(self, *_args: object, **_kwargs: object) -> str | None:
        self._refuse_screen_to_disk()
        return None

    def _refuse_screen_to_disk(self) -> None:
        self.notify("Screenshots and file downloads are off: they would write your "
                    "journal to disk unencrypted.", severity="warning")

    def _flush(self) -> bool:
        write = self._write_screen
        return write is None or not write.is_mounted or write.flush()

    async def _typed(self) -> None:
        """Let keys typed just before Ctrl+Q or Ctrl+L reach their fields first."""
        write = self._write_screen
        if write is not None and write.is_mounted:
            fields = write.text_fields()
            if isinstance(self.screen, ModalScreen):  # an open moment form, say
                fields += list(self.screen.query(Input))
            await typed_in(fields)
            await typed_in([write])  # and the screen has heard that they changed

    async def action_lock(self, reason: str = "", after_typing: bool = True) -> None:
        """Save, then drop the key and every screen holding decrypted text."""
        if self.vault is None:
            return
        if after_typing:  # a key (ctrl+l) may have overtaken letters typed just before it
            await self._typed()
        if not self._flush():
            self.notify("Not locked: your latest text could not be saved yet; "
                        "trying again in a minute.", severity="error")
            self.idle.touch(self.clock.now() - timedelta(minutes=self.idle.minutes - 1))
            return
        self.sync.stop()
        if self.current_mode in CONTENT_MODES:
            self._resume_mode = self.current_mode
        await self.switch_mode("unlock")
        for mode in CONTENT_MODES:
            if self.has_mode(mode):
                await self.remove_mode(mode)
        self._write_screen = None
        self.vocabulary = Vocabulary()
        with self.vault_lock:  # waits for a worker's current vault call to end
            vault, self.vault = self.vault, None
            if vault is not None:  # (a second lock that ran during the awaits above)
                vault.close()
        vault_access.thaw()
        self.refresh_bindings()  # the footer: no Browse, Reflect or Lock while locked
        if reason:
            self.notify(reason, timeout=8)

    async def check_autolock(self) -> None:
        if self.vault is not None and self.idle.expired(self.clock.now()):
            await self.action_lock(f"Locked after {self.idle.minutes} idle minutes.",
                                   after_typing=False)  # idle: nothing is on its way

    async def action_quit(self) -> None:
        await self._typed()
        if self._flush():
            self.sync.stop()
            self.exit()
            return

        def decided(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(ConfirmScreen(
            "Not saved", "Your latest text could not be saved (see the message). Quit anyway "
            "and lose it?", yes="Quit anyway", no="Stay"), decided)


def make_app(*, paths: Paths, settings: Settings, clock: Clock, kdf: KdfParams | None = None,
             allow_weak: bool = False, theme: str | None = None,
             passphrase_hint: str | None = None) -> JournalApp:
    return JournalApp(paths=paths, settings=settings, clock=clock, kdf=kdf,
                      allow_weak=allow_weak, theme=theme, passphrase_hint=passphrase_hint)
