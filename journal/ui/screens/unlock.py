"""Unlock the vault, or create one on first run (passphrase twice, recovery code once).

Key derivation is slow on purpose, so it runs in a thread worker; results come back as
messages. Nothing here keeps the passphrase: the inputs are cleared once a worker starts.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Checkbox, Footer, Input, LoadingIndicator, Static

from journal.core.care.safety import support_after_merge
from journal.core.errors import JournalError, VaultNotFound, WrongPassphrase
from journal.core.store.captures import MergeResult
from journal.core.store.failed_unlocks import FailedUnlocks
from journal.core.store.index_store import index_done
from journal.core.store.passphrase_policy import judge
from journal.core.store.read_ahead import ReadAhead
from journal.core.store.rollback import SeenSaves
from journal.core.store.vault import Vault, merge_sealed
from journal.core.textsafe import for_markup, one_line
from journal.core.wording import plural
from journal.ui.messages import Unlocked
from journal.ui.screens import new_passphrase
from journal.ui.screens.try_pause import TryPause
from journal.ui.screens.worker_error import as_journal_error
from journal.ui.vault_access import allocation_burst
from journal.ui.widgets.moment_form import Vocabulary

if TYPE_CHECKING:
    from journal.ui.app import JournalApp

WARM_MODULES = ("journal.ui.screens.browse", "journal.ui.screens.reflect")
"""Imported while the key is derived (one core waits on Argon2 meanwhile), so switching to
browse or reflect after unlocking does not stop to import Markdown and the rest."""


class RecoveryCodeScreen(ModalScreen[bool]):
    """The recovery code, shown once. Continue stays disabled until the box is ticked."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        with Vertical(id="recovery-box") as box:
            box.border_title = "Your recovery code (shown once)"
            yield Static(
                "If you forget your passphrase, this code is the [b]only[/] way back into "
                "your journal: ctrl+r on the unlock screen (or [b]journal passwd "
                "--recovery-code[/]) sets a new passphrase with it. Write it on paper now "
                "and keep it somewhere safe, away from this computer. Anyone who has it "
                "can read your journal. It will not be shown again.", classes="recovery-text")
            yield Static(self.code, id="recovery-code")
            yield Checkbox("I have written it down", id="written")
            with Horizontal():
                yield Button("Continue", id="continue", variant="primary", disabled=True)

    def on_mount(self) -> None:
        self.query_one("#written").focus()

    @on(Checkbox.Changed)
    def _ticked(self, event: Checkbox.Changed) -> None:
        button = self.query_one("#continue", Button)
        button.disabled = not event.value
        if event.value:
            button.focus()

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        self.dismiss(True)


class UnlockScreen(Screen):
    """Asks for the passphrase (or creates the vault) and posts `Unlocked`."""

    CSS_PATH = "unlock.tcss"
    BINDINGS = [Binding("enter", "go", "Unlock", show=False),
                Binding("ctrl+r", "recover", "Forgot passphrase",
                        tooltip="Set a new passphrase with your recovery code")]

    @dataclass
    class Failed(Message):
        error: JournalError

    @dataclass
    class Created(Message):
        vault: Vault
        code: str | None

    def __init__(self) -> None:
        super().__init__()
        self.creating = False
        self.attempts = 0
        """Wrong passphrases in a row for this vault, on this computer (FailedUnlocks)."""
        self.vault_id: bytes | None = None
        self.opening = False
        """True between a successful open/create and the app taking over."""
        self.pause = TryPause(self, lambda: self.journal.clock.now(), self._show_wait,
                              self._wait_over)
        """The pause after wrong passphrases: no try is taken while it runs."""

    @property
    def journal(self) -> JournalApp:
        return cast("JournalApp", self.app)

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="unlock-box") as box:
            box.border_title = "journal"
            yield Static(id="unlock-intro")
            yield Static(id="unlock-hint")
            yield Input(password=True, id="passphrase", placeholder="Passphrase")
            yield Input(password=True, id="again", placeholder="The same passphrase again")
            yield Static(id="strength")
            yield Static(id="unlock-status")
            yield LoadingIndicator(id="busy")
            with Horizontal(id="unlock-buttons"):
                yield Button("Unlock", id="go", variant="primary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#busy").display = False
        self.prepare()

    def on_screen_resume(self) -> None:
        if self.is_mounted and not self.opening:
            self.prepare()

    def prepare(self) -> None:
        """Decide between unlocking and creating, from what is on disk."""
        directory = self.journal.paths.vault
        status = ""
        try:
            if directory.exists() and not directory.is_dir():
                raise JournalError(f"{directory} is a file, not a folder; start the journal "
                                   "with --vault DIR pointing at a folder")
            header, ro = Vault.read_header(directory)
            ro.close()
            self.vault_id = header.vault_id
            self.creating = False
        except VaultNotFound:
            self.creating = True
        except JournalError as exc:
            self.creating = False
            status = f"[b $error]This vault cannot be opened:[/] {for_markup(str(exc))}"
        shown = for_markup(str(directory))  # a folder name is user text: never markup
        if self.creating:
            intro = (f"[b]Welcome.[/] There is no journal here yet ([$text-muted]{shown}[/]). "
                     "Choose a passphrase to create one. Everything you write is encrypted "
                     "with it: without it, or the recovery code shown next, no one can read "
                     "your journal, not even you.")
        else:
            intro = f"Enter your passphrase to unlock your journal ([$text-muted]{shown}[/])."
        self.query_one("#unlock-intro", Static).update(intro)
        hint = self.journal.passphrase_hint
        self.query_one("#unlock-hint", Static).update(
            f"[b]Demo vault.[/] Its passphrase is: [b]{hint}[/]" if hint else "")
        self.query_one("#unlock-hint").display = bool(hint)
        self.query_one("#again").display = self.creating
        self.query_one("#strength").display = self.creating
        self.query_one("#go", Button).label = "Create journal" if self.creating else "Unlock"
        self.query_one("#unlock-status", Static).update(status)
        for field in self.query(Input):
            field.value = ""
        self.query_one("#passphrase").focus()
        self.refresh_bindings()  # "Forgot passphrase" only when there is a vault to unlock
        if not self.creating and not status:
            self._hold_if_owed()  # quitting and starting again gets no free tries

    @property
    def failures(self) -> FailedUnlocks:
        return FailedUnlocks(self.journal.paths.failed_unlocks_file)

    def _hold_if_owed(self) -> int:
        """Start the pause the wrong passphrases in a row earned (in this run or an
        earlier one, in the app or the CLI); the seconds it has left."""
        if self.vault_id is None:
            return 0
        pause = self.failures.pause(self.vault_id, self.journal.clock.now())
        self.attempts = pause.failures
        if pause.seconds:
            self.pause.start(pause.seconds)
        return pause.seconds

    def _wrong_line(self, wait: int) -> str:
        what = (f"{self.attempts} wrong passphrases in a row" if self.attempts > 1 else
                "That passphrase did not unlock this journal")
        forgot = (" Forgotten? Your recovery code sets a new one: press ctrl+r."
                  if self.attempts > 1 else "")
        return (f"[b $error]{what}.[/] Check Caps Lock and the keyboard layout, then try "
                "again" + (f" in {plural(wait, 'second')}." if wait else ".")
                + forgot)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "recover":
            return not self.creating and self.vault_id is not None
        return True

    def action_recover(self) -> None:
        """The recovery screen (journal.ui.screens.recovery): back here with the vault
        open under its new passphrase, or with nothing changed."""
        if self.query_one("#busy").display or self.opening:
            return
        from journal.ui.screens.recovery import Recovered, RecoveryScreen

        def back(result: Recovered | None) -> None:
            if result is None:
                self.query_one("#passphrase").focus()
                return
            self.attempts = 0
            self.opening = True  # coming back here is no fresh start (`prepare`)
            self._busy(True, "Opening your journal…")
            self.finish_open(result.vault, result.notices)

        self.app.push_screen(RecoveryScreen(), back)

    def _busy(self, busy: bool, status: str = "") -> None:
        self.query_one("#busy").display = busy
        self.query_one("#unlock-buttons").display = not busy
        for field in self.query(Input):
            field.disabled = busy
        self.query_one("#unlock-status", Static).update(status)

    @on(Input.Changed, "#passphrase")
    def _strength(self, event: Input.Changed) -> None:
        if self.creating:
            text = judge(event.value).advice if event.value else ""
            self.query_one("#strength", Static).update(f"[$text-muted]{text}[/]")

    @on(Input.Submitted)
    @on(Button.Pressed, "#go")
    def action_go(self, event: Message | None = None) -> None:
        if self.query_one("#busy").display or self.held:
            return
        first = self.query_one("#passphrase", Input)
        again = self.query_one("#again", Input)
        if not first.value:
            first.focus()
            return
        if not self.creating:
            passphrase, first.value = first.value, ""
            self._busy(True, "Unlocking: deriving your key (this is slow on purpose)…")
            self.open_vault(passphrase)
            self._warm_up()
            return
        passphrase = new_passphrase.chosen(first, again, self.query_one("#strength", Static),
                                           self.query_one("#unlock-status", Static).update)
        if passphrase is None:
            return
        self._busy(True, "Creating your journal: choosing a strong key setting for this "
                         "computer (a few seconds)…")
        self.create_vault(passphrase)

    @work(thread=True, exclusive=True, group="kdf", exit_on_error=False)
    def open_vault(self, passphrase: str) -> None:
        try:
            vault = self._try(passphrase)
        except Exception as exc:  # noqa: BLE001 - every failure reaches the person
            self.post_message(self.Failed(as_journal_error(exc)))
            return
        self._opened(vault)

    @work(thread=True, exclusive=True, group="kdf", exit_on_error=False)
    def finish_open(self, vault: Vault, notices: list[str]) -> None:
        """A vault the recovery screen opened (and gave a new passphrase): the rest of
        an unlock, its notices said first."""
        self._opened(vault, notices)

    def _opened(self, vault: Vault, said: list[str] | None = None) -> None:
        """After the key opened `vault` (in a worker): sealed notes merged, the index
        read (and stored when rebuilt), and `Unlocked` posted."""
        try:
            result = merge_sealed(vault)
        except JournalError as exc:
            result = MergeResult(problems=[f"quick notes were not merged: {exc}"])
        if vault.rollback_warning:
            result.problems.insert(0, vault.rollback_warning)
        notices: list[str] = list(said or ())
        try:  # the words used before, from the encrypted index (no bodies): off the UI
            # thread, and the index stays cached in the vault for browse and reflect
            with allocation_burst():
                started = monotonic()
                index = vault.index()
                notices += _store_rebuilt_index(vault, monotonic() - started)
                vocabulary = Vocabulary.from_index(index)
                index.select()  # puts the index in order once, here, for browse
        except JournalError as exc:
            vocabulary = Vocabulary()
            result.problems.append(str(exc))
        arrivals = [f"{a.day.isoformat()}  \u201c{one_line(a.words)}\u201d"
                    for a in result.arrivals]
        self.post_message(Unlocked(vault, result.merged, result.problems, vocabulary,
                                   arrivals, notices, _support_after_merge(vault, result)))

    def _try(self, passphrase: str) -> Vault:
        """One try, counted in the wrong passphrases in a row this computer keeps for the
        vault (the CLI counts in the same place)."""
        app = self.journal
        header, ro = Vault.read_header(app.paths.vault)
        ro.close()
        self.vault_id = header.vault_id
        with self.failures.one_try(header.vault_id, app.clock.now):
            try:
                return Vault.open(app.paths.vault, passphrase, allow_weak=app.allow_weak,
                                  clock=app.clock, seen=SeenSaves(app.paths.seen_saves_file),
                                  read_ahead=ReadAhead(chunks=True))  # the index comes next
            except WrongPassphrase:  # changed on another synced machine? (docs/sync.md)
                from journal.core.sync import session

                try:
                    found = session.unlock_with_new_passphrase(
                        app.paths.vault, passphrase, allow_weak=app.allow_weak,
                        clock=app.clock)
                except JournalError:
                    found = None
                if found is None:
                    raise
                return found

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        for module in WARM_MODULES:
            importlib.import_module(module)

    @work(thread=True, exclusive=True, group="kdf", exit_on_error=False)
    def create_vault(self, passphrase: str) -> None:
        app = self.journal
        try:
            vault, code = Vault.create(app.paths.vault, passphrase, kdf=app.kdf, clock=app.clock)
        except Exception as exc:  # noqa: BLE001 - every failure reaches the person
            self.post_message(self.Failed(as_journal_error(exc)))
            return
        self.post_message(self.Created(vault, code))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        if isinstance(event.error, WrongPassphrase):
            self._busy(False, "")
            if not self._hold_if_owed():
                self.query_one("#unlock-status", Static).update(self._wrong_line(0))
        else:
            self._busy(False, f"[b $error]{for_markup(str(event.error))}[/]")
        self.query_one("#passphrase").focus()

    @property
    def held(self) -> bool:
        return self.pause.held

    def _show_wait(self, left: int) -> None:
        self.query_one("#unlock-status", Static).update(self._wrong_line(left))

    def _wait_over(self) -> None:
        self.query_one("#unlock-status", Static).update(
            self._wrong_line(0) if self.attempts else "")
        self.query_one("#passphrase").focus()

    @on(Created)
    def _created(self, event: Created) -> None:
        vault = event.vault

        def acknowledged(_: bool | None) -> None:
            self.post_message(Unlocked(vault))

        self.opening = True
        self._busy(True, "Opening your journal…")
        if event.code:
            self.app.push_screen(RecoveryCodeScreen(event.code), acknowledged)
        else:
            acknowledged(True)

    @on(Unlocked)
    def _unlocked(self, event: Unlocked) -> None:
        self.opening = False
        self._busy(False, "")  # the message bubbles on to the app


#: A rebuild of the index at unlock that took at least this long is worth a notice.
HEAL_NOTICE_SECONDS = 1.0


def _store_rebuilt_index(vault: Vault, took: float) -> list[str]:
    """Unlocking is a read-write session: index chunks the unlock had to rebuild (chunks
    missing, damaged or of a format before one this program can read) or upgrade (chunks
    of the format before the fold, folded again from their own moments) are stored at
    once, so no later read does it again. Said in a notice, in the CLI's words
    (`index_done`), when the person waited for it."""
    pending = vault.indexes.pending()
    if not pending:
        return []
    done = index_done(pending, vault.indexes.pending_upgraded())
    try:
        stored = vault.store_healed_index()
    except JournalError as exc:  # busy or read-only: the session goes on, rebuilt in memory
        return [f"The encrypted index was {done} but not stored: {exc}"]
    if stored and took >= HEAL_NOTICE_SECONDS:
        return [f"The encrypted index was {index_done(stored, vault.indexes.stored_upgraded)}"
                " and stored: the next unlock will be quicker."]
    return []


def _support_after_merge(vault: Vault, result: MergeResult) -> bool:
    """A merged sealed note's check-in, counted as if it had been chosen in the app (the
    note could not read the entries before it): True when the rule shows support."""
    if not result.checked_in:
        return False
    try:
        return support_after_merge(result.checked_in, vault.summaries)
    except JournalError:
        return False  # the index's own problem is said with the others
