"""A forgotten passphrase replaced in the app: the recovery code, then a new passphrase.

Two steps, as `journal passwd --recovery-code` asks them. The code is one try at the
vault's key, counted with the wrong passphrases in a row (`FailedUnlocks`, the same count
and growing wait as the unlock screen and the CLI). Once it opens the vault, the new
passphrase is asked twice under the policy a new vault gets (`passphrase_policy.judge`).
Only then is anything written: `Vault.change_passphrase` swaps the key wrap in one
transaction, and a linked vault's key file in the sync folder is wrapped under the new
passphrase (`session.rewrap`), as the CLI does. The recovery code is not touched: it still
opens the vault afterwards. Escape goes back at any step and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, LoadingIndicator, Static

from journal.core.errors import JournalError, WrongPassphrase
from journal.core.store.failed_unlocks import FailedUnlocks
from journal.core.store.keyring import NO_RECOVERY_CODE
from journal.core.store.passphrase_policy import judge
from journal.core.store.rollback import SeenSaves
from journal.core.store.vault import Vault
from journal.core.textsafe import for_markup
from journal.core.wording import plural
from journal.ui.screens import new_passphrase
from journal.ui.screens.try_pause import TryPause
from journal.ui.screens.worker_error import as_journal_error

if TYPE_CHECKING:
    from journal.ui.app import JournalApp

#: How often the second step looks whether the app's auto-lock time has passed.
IDLE_TICK = 1.0

#: Said once the passphrase is replaced, as `journal passwd` says it.
OLD_COPIES = ("Copies or backups of the vault made before now still open with the old "
              "passphrase; if it may be known, run 'journal rotate-keys'.")
RESYNCED = ("This machine's key in the sync folder now opens with the new passphrase; "
            "change it on your other machines too.")


@dataclass
class Recovered:
    """The vault, open under its new passphrase, and what to tell the person."""

    vault: Vault
    notices: list[str] = field(default_factory=list)


class RecoveryScreen(Screen["Recovered | None"]):
    """Asks for the recovery code, then a new passphrase twice; dismissed with `Recovered`
    once the new passphrase is stored, or None (Escape: nothing changed)."""

    CSS_PATH = "unlock.tcss"
    BINDINGS = [Binding("escape", "back", "Back"),
                Binding("enter", "go", "Continue", show=False)]

    @dataclass
    class Failed(Message):
        error: JournalError

    @dataclass
    class Opened(Message):
        vault: Vault

    @dataclass
    class Done(Message):
        recovered: Recovered

    def __init__(self) -> None:
        super().__init__()
        self.vault: Vault | None = None
        """Open with the recovery code, between the two steps: closed on the way back."""
        self.attempts = 0
        """Wrong passphrases or codes in a row for this vault (FailedUnlocks)."""
        self.pause = TryPause(self, lambda: self.journal.clock.now(), self._show_wait,
                              self._wait_over)
        """The pause after wrong codes (and passphrases: one count): no try while it runs."""

    @property
    def journal(self) -> JournalApp:
        return cast("JournalApp", self.app)

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="unlock-box") as box:
            box.border_title = "journal: forgotten passphrase"
            yield Static(id="recovery-intro")
            yield Input(id="code", placeholder="Recovery code, e.g. ABCD-EFGH-…")
            yield Input(password=True, id="new", placeholder="New passphrase")
            yield Input(password=True, id="again", placeholder="The same passphrase again")
            yield Static(id="strength")
            yield Static(id="unlock-status")
            yield LoadingIndicator(id="busy")
            with Horizontal(id="unlock-buttons"):
                yield Button("Back", id="back")
                yield Button("Check code", id="go", variant="primary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#busy").display = False
        self._step_code()
        self._hold_if_owed()

    def on_unmount(self) -> None:
        """Quitting between the steps: the vault opened by the code is closed, unchanged."""
        if self.vault is not None:
            self.vault.close()
            self.vault = None

    # -- the two steps ------------------------------------------------------------------
    def _step_code(self) -> None:
        self.query_one("#recovery-intro", Static).update(
            "Forgotten your passphrase? Type the [b]recovery code[/] you wrote down when "
            "the journal was created (dashes and capitals do not matter). Next you choose "
            "a new passphrase; the recovery code keeps working.")
        for name in ("#new", "#again", "#strength"):
            self.query_one(name).display = False
        self.query_one("#go", Button).label = "Check code"
        self.query_one("#code").focus()

    def _step_passphrase(self) -> None:
        self.query_one("#recovery-intro", Static).update(
            "[b]The recovery code opened your journal.[/] Choose a new passphrase and type "
            "it twice. Nothing changes until you press Enter; Escape keeps the old one.")
        self.query_one("#code").display = False
        for name in ("#new", "#again", "#strength"):
            self.query_one(name).display = True
        self.query_one("#go", Button).label = "Set passphrase"
        self.query_one("#new").focus()
        self.set_interval(IDLE_TICK, self._idle_check)

    def _idle_check(self) -> None:
        """The vault the code opened is an unlocked vault: left alone as long as the
        app's auto-lock allows, it is closed and the screen goes back, nothing changed."""
        app = self.journal
        if (self.vault is not None and not self.query_one("#busy").display
                and app.idle.expired(app.clock.now())):
            self.action_back()
            app.notify(f"Locked after {app.idle.minutes} idle minutes; the passphrase was "
                       "not changed.", timeout=8)

    def _status(self, text: str) -> None:
        self.query_one("#unlock-status", Static).update(text)

    def _busy(self, busy: bool, status: str = "") -> None:
        self.query_one("#busy").display = busy
        self.query_one("#unlock-buttons").display = not busy
        for widget in self.query(Input):
            widget.disabled = busy
        self._status(status)

    @on(Input.Changed, "#new")
    def _strength(self, event: Input.Changed) -> None:
        text = judge(event.value).advice if event.value else ""
        self.query_one("#strength", Static).update(f"[$text-muted]{text}[/]")

    @on(Input.Submitted)
    @on(Button.Pressed, "#go")
    def action_go(self, event: Message | None = None) -> None:
        if self.query_one("#busy").display or self.held:
            return
        if self.vault is None:
            code = self.query_one("#code", Input)
            if not code.value.strip():
                code.focus()
                return
            secret, code.value = code.value, ""
            self._busy(True, "Checking the recovery code…")
            self.open_with_code(secret)
            return
        passphrase = new_passphrase.chosen(
            self.query_one("#new", Input), self.query_one("#again", Input),
            self.query_one("#strength", Static), self._status)
        if passphrase is None:
            return
        self._busy(True, "Setting your new passphrase…")
        self.replace_passphrase(self.vault, passphrase)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        if self.query_one("#busy").display:
            return  # a worker is writing: it finishes, all or nothing
        if self.vault is not None:
            self.vault.close()
            self.vault = None
        self.dismiss(None)

    # -- the workers --------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="kdf", exit_on_error=False)
    def open_with_code(self, code: str) -> None:
        app = self.journal
        try:
            header, ro = Vault.read_header(app.paths.vault)
            ro.close()
            with self.failures.one_try(header.vault_id, app.clock.now):
                vault = Vault.open(app.paths.vault, recovery_code=code,
                                   allow_weak=app.allow_weak, clock=app.clock,
                                   seen=SeenSaves(app.paths.seen_saves_file))
        except Exception as exc:  # noqa: BLE001 - every failure reaches the person
            self.post_message(self.Failed(as_journal_error(exc)))
            return
        self.post_message(self.Opened(vault))

    @work(thread=True, exclusive=True, group="kdf", exit_on_error=False)
    def replace_passphrase(self, vault: Vault, passphrase: str) -> None:
        """What `journal passwd` does after its unlock: the key wrap swapped in one
        transaction, then this machine's key file in the sync folder."""
        notices: list[str] = []
        try:
            note = vault.change_passphrase(passphrase)
        except Exception as exc:  # noqa: BLE001 - nothing was changed
            self.post_message(self.Failed(as_journal_error(exc)))
            return
        if note:
            notices.append(note)
        notices.append("Passphrase changed. " + OLD_COPIES)
        try:
            from journal.core.sync import session

            if session.rewrap(vault, passphrase):
                notices.append(RESYNCED)
        except JournalError as exc:  # the vault's passphrase is changed: say what is not
            notices.append(f"The sync folder's key file still opens with the old "
                           f"passphrase: {exc}")
        self.post_message(self.Done(Recovered(vault, notices)))

    @on(Opened)
    def _opened(self, event: Opened) -> None:
        if not self.is_attached:  # gone back meanwhile: nothing is kept open
            event.vault.close()
            return
        self.vault = event.vault
        self.attempts = 0
        self._busy(False, "")
        self._step_passphrase()

    @on(Done)
    def _done(self, event: Done) -> None:
        self.vault = None  # the unlock screen owns it now
        self.dismiss(event.recovered)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self._busy(False, "")
        if self.vault is None and isinstance(event.error, WrongPassphrase):
            if not self._hold_if_owed():
                self._status(self._wrong_line(0, event.error))
            self.query_one("#code").focus()
            return
        self._status(f"[b $error]{for_markup(str(event.error))}[/] Nothing was changed.")
        self.query_one("#code" if self.vault is None else "#new").focus()

    # -- the wait after wrong tries (the unlock screen's, counted in the same place) ---
    @property
    def failures(self) -> FailedUnlocks:
        return FailedUnlocks(self.journal.paths.failed_unlocks_file)

    def _wrong_line(self, wait: int, error: JournalError | None = None) -> str:
        if error is not None and str(error) == NO_RECOVERY_CODE:
            return ("[b $error]This journal was created without a recovery code.[/] Only "
                    "its passphrase opens it.")
        if self.attempts > 1:
            what = f"{self.attempts} wrong passphrases or codes in a row"
        else:
            what = "That code did not unlock this journal"
        return (f"[b $error]{for_markup(what)}.[/] Check each group of four against the "
                "paper, then try again"
                + (f" in {plural(wait, 'second')}." if wait else "."))

    def _hold_if_owed(self) -> int:
        try:
            header, ro = Vault.read_header(self.journal.paths.vault)
        except JournalError:
            return 0
        ro.close()
        pause = self.failures.pause(header.vault_id, self.journal.clock.now())
        self.attempts = pause.failures
        if pause.seconds:
            self.pause.start(pause.seconds)
        return pause.seconds

    @property
    def held(self) -> bool:
        return self.pause.held

    def _show_wait(self, left: int) -> None:
        self._status(self._wrong_line(left))

    def _wait_over(self) -> None:
        self._status(self._wrong_line(0) if self.attempts else "")
        self.query_one("#code").focus()
