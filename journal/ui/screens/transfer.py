"""Import…, Export… and Backup… (command palette): the same core calls as the CLI's
`journal import/export/backup`, run in a thread worker that takes the vault through
`vault_in_use`. The worker hands its progress and results to the UI thread without
waiting for it (journal.ui.ui_thread: a lock may be waiting for the worker's turn), and
each of them asks first whether the dialog is still there. Every path or message a user
(or a file) wrote is shown without markup."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from journal.core.errors import JournalError, ValidationError
from journal.core.exchange import exporters, importers
from journal.core.exchange.importers import plan as planning
from journal.core.exchange.importers import report
from journal.core.exchange.importers.source import Source
from journal.core.store import backup as backup_mod
from journal.core.textsafe import for_markup, one_line
from journal.core.wording import plural
from journal.ui.screens.confirm import DIALOG_CSS, ConfirmScreen
from journal.ui.ui_thread import to_ui
from journal.ui.vault_access import vault_in_use

if TYPE_CHECKING:
    from journal.ui.app import JournalApp

#: Wider than the other dialogs (paths are long); labels wrap instead of being cut.
EXTRA_CSS = "{name} > Vertical {{ width: 76; }} {name} Label {{ width: 1fr; }} " \
    "{name} Select {{ margin-bottom: 1; }}"
LOCKED = "The journal is locked: unlock it and try again."


def _problem(exc: BaseException) -> str:
    """One line for the user, whatever went wrong."""
    if isinstance(exc, JournalError):
        return one_line(str(exc))
    if isinstance(exc, OSError):
        return one_line(f"{exc.filename or 'the file'}: {exc.strerror or exc}")
    return one_line(f"unexpected problem ({type(exc).__name__}): {exc}")


class _Dialog(ModalScreen[None]):
    """A dialog with some fields, one error line, Cancel and a go button; `start` runs
    when the button is pressed or Enter is hit in an input."""

    TITLE_TEXT = ""
    GO = "Go"
    AUTO_FOCUS = "#path"
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False
        self.host: JournalApp | None = None
        """The app, named when the dialog starts its work: what its worker hands results
        to (a worker thread finds `self.app` only while the dialog is on the app)."""

    def fields(self) -> Iterator:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.TITLE_TEXT
            yield from self.fields()
            yield Static("", classes="dialog-error", markup=False)
            with Horizontal():
                yield Button("Cancel (Esc)", id="cancel")
                yield Button(self.GO, id="go", variant="primary")

    def path(self) -> Path | None:
        text = self.query_one("#path", Input).value.strip()
        return Path(text).expanduser() if text else None

    @on(Button.Pressed, "#go")
    @on(Input.Submitted)
    def _go(self) -> None:
        if self.busy:
            return
        self.show_error("")
        if self.path() is None:
            self.show_error("Name the file first.")
            return
        self.busy = True
        self.host = cast("JournalApp", self.app)
        self.start()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.is_current:
            self.dismiss(None)

    def show_error(self, text: str) -> None:
        self.query_one(".dialog-error", Static).update(one_line(text))

    def failed(self, text: str) -> None:
        self.busy = False
        if self.is_attached:
            self.show_error(text)

    def finished(self, text: str, severity: str = "information") -> None:
        self.busy = False
        self.journal.notify(text, severity=severity, timeout=12, markup=False)
        if self.is_current:
            self.dismiss(None)

    def ask(self, title: str, body: str, yes: str, then: Callable[[], None]) -> None:
        """Confirm (body already markup-safe); on no, the dialog is usable again."""
        def answered(ok: bool | None) -> None:
            if ok:
                then()
            else:
                self.busy = False

        self.app.push_screen(ConfirmScreen(title, body, yes=yes, no="Back"), answered)

    @property
    def journal(self) -> JournalApp:
        """The app, also from the worker (named at the start; see `host`)."""
        return self.host if self.host is not None else cast("JournalApp", self.app)

    def to_ui(self, callback: Callable[..., object], *args: Any) -> None:
        """From the worker: `callback(*args)` on the UI thread, never waited for."""
        to_ui(self.journal, callback, *args)

    def run_guarded(self, job: Callable[[], str]) -> None:
        """In a worker thread: run `job`; report its message, or its error on one line."""
        try:
            message = job()
        except Exception as exc:  # a worker must not crash the app: say what went wrong
            self.to_ui(self.failed, _problem(exc))
            return
        if message:
            self.to_ui(self.finished, message)


class ImportScreen(_Dialog):
    """Check the whole source, show the dry run, then import in one transaction, as the
    CLI does: a large JSON export is read again in parts as it is written, never held."""

    DEFAULT_CSS = (DIALOG_CSS + EXTRA_CSS).format(name="ImportScreen")
    TITLE_TEXT = "Import"
    GO = "Check"

    def fields(self) -> Iterator:
        yield Label("File or folder to import (exchange JSON, jrnl, Day One, Markdown)")
        yield Input(placeholder="~/Downloads/export.json", id="path")
        yield Label("Format")
        yield Select([("Detect from the file", "auto"),
                      *((fmt, fmt) for fmt in importers.FORMATS)],
                     value="auto", allow_blank=False, id="format")
        yield Input(placeholder="Passphrase of the jrnl journal (if it is encrypted)",
                    password=True, id="source-passphrase")
        yield ProgressBar(id="progress", show_eta=False)

    def __init__(self) -> None:
        super().__init__()
        #: The source checked and shown, held open until imported or the dialog closes.
        self._source: Source | None = None

    def on_mount(self) -> None:
        self.query_one("#source-passphrase").display = False
        self.query_one("#progress").display = False

    def show_progress(self, total: int) -> None:
        if not self.is_attached:  # closed (a lock) before the worker's news arrived
            return
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=total, progress=0)
        bar.display = True

    def advance(self, done: int) -> None:
        if self.is_attached:
            self.query_one("#progress", ProgressBar).advance(done)

    def _ticker(self) -> Callable[[int], None]:
        """A progress callback for the worker thread: the bar is moved at most ten times a
        second (each move is a message to the UI thread), and once more at the end
        (`tick(0)`)."""
        pending = [0, time.monotonic()]

        def tick(done: int) -> None:
            pending[0] += done
            now = time.monotonic()
            if done == 0 or now - pending[1] >= 0.1:
                self.to_ui(self.advance, pending[0])
                pending[0], pending[1] = 0, now

        return tick

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        if event.value == "jrnl":
            self.show_passphrase()

    def show_passphrase(self) -> None:
        if self.is_attached:
            self.query_one("#source-passphrase").display = True

    def start(self) -> None:
        fmt = self.query_one("#format", Select).value
        passphrase = self.query_one("#source-passphrase", Input).value
        self.check(self.path(), None if fmt == "auto" else str(fmt), passphrase)

    def _close_source(self) -> None:
        source, self._source = self._source, None
        if source is not None:
            source.close()

    def on_unmount(self) -> None:
        self._close_source()

    def _phase(self, total: int) -> Callable[[int], None]:
        """Show the bar for a step of `total` units; its ticker (from the worker)."""
        self.to_ui(self.show_progress, total)
        return self._ticker()

    @work(thread=True, exclusive=True, group="transfer")
    def check(self, path: Path, fmt: str | None, passphrase: str) -> None:
        """The CLI's path (`journal import`): the source validated whole (a JSON export
        kept as its entries' ids and dates, not its entries), then planned against the
        vault from those; nothing is written before the confirmation."""
        def job() -> str:
            self.to_ui(self._close_source)
            found = fmt or importers.detect(path)
            if found == "jrnl":
                self.to_ui(self.show_passphrase)

            def source_passphrase() -> str:
                if passphrase:
                    return passphrase
                raise ValidationError(f"{path} is encrypted: enter the jrnl passphrase")

            size = path.stat().st_size if importers.streams(found) and path.is_file() else 0
            tick = self._phase(size) if size else None
            source = importers.open_source(path, found, source_passphrase=source_passphrase,
                                           progress=tick, again=True)
            try:
                if tick:
                    tick(0)
                with vault_in_use(self.journal) as vault:
                    if vault is None:
                        raise ValidationError(LOCKED)
                    tick = self._phase(len(source.survey))
                    result = planning.plan_source(vault, source, progress=tick)
                    tick(0)
            except BaseException:
                source.close()
                raise
            self.to_ui(self.review, path, found, source, result)
            return ""

        self.run_guarded(job)

    def review(self, path: Path, fmt: str, source: Source,
               result: planning.ImportPlan) -> None:
        """Show the dry run; the source stays open (the plan is made again from it when
        the import is confirmed, against the vault as it is then)."""
        self._close_source()
        self._source = source
        if not self.is_attached:
            self._close_source()
            return
        self.query_one("#progress").display = False
        read = report.read_line(source.survey, fmt, path)
        if not result.write_count:
            self._close_source()
            self.finished(f"{read} Nothing to import: every entry is already in the journal.")
            return
        lines = [read, "", *report.summary(result, "Will import", most=6), "",
                 "Everything is written in one step: all of it, or nothing."]
        body = "\n".join(for_markup(line) for line in lines)
        self.ask("Import these entries?", body, "Import", lambda: self.apply(source))

    @work(thread=True, exclusive=True, group="transfer")
    def apply(self, source: Source) -> None:
        def job() -> str:
            with vault_in_use(self.journal) as vault:  # plan again: exactly what gets written
                if vault is None:
                    raise ValidationError(LOCKED)
                tick = self._phase(len(source.survey))
                result = planning.plan_source(vault, source, progress=tick)
                tick(0)
                tick = self._phase(result.write_count)
                planning.apply(vault, result, progress=tick)
                tick(0)  # the rest
            return " ".join(report.summary(result, "Imported", most=0))

        try:
            self.run_guarded(job)
        finally:
            self.to_ui(self._close_source)


class ExportScreen(_Dialog):
    """Write every entry as plaintext JSON, Markdown, jrnl or Day One, after a clear
    warning."""

    DEFAULT_CSS = (DIALOG_CSS + EXTRA_CSS).format(name="ExportScreen") + \
        "ExportScreen .warning { color: $warning; }"
    TITLE_TEXT = "Export"
    GO = "Export"

    def fields(self) -> Iterator:
        yield Label("Format")
        yield Select([("JSON (one file, exchange format)", "json"),
                      ("Markdown (one file per day, in a new folder)", "markdown"),
                      ("jrnl (one plain jrnl journal file)", "jrnl"),
                      ("Day One (a JSON export .zip)", "dayone")],
                     value="json", allow_blank=False, id="format")
        yield Label("Save to (a new file; for Markdown a new or empty folder)")
        yield Input(placeholder="~/journal-export.json", id="path")
        yield Label("Time zone your entries were written in (Day One shows each entry's "
                    "time in it)", id="zone-label")
        yield Input(getattr(self._clock_zone(), "key", None) or "",
                    placeholder="this computer's zone (or a name: Europe/London)", id="zone")
        yield Static("The export is PLAINTEXT: not encrypted, not protected by your "
                     "passphrase.", classes="warning dialog-body")

    def _clock_zone(self) -> tzinfo:
        return cast("JournalApp", self.app).clock.zone()

    def on_mount(self) -> None:
        self._show_zone(False)

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        self._show_zone(event.value == "dayone")

    def _show_zone(self, shown: bool) -> None:
        for widget in self.query("#zone-label, #zone"):
            widget.display = shown

    def zone(self) -> tzinfo:
        """The zone field's (`journal export --timezone`), else the clock's; a zone that
        cannot be named to Day One is refused here, before anything is asked or written."""
        from journal.core.exchange.exporters import dayone

        name = self.query_one("#zone", Input).value.strip()
        zone = dayone.named_zone(name) if name else self._clock_zone()
        dayone.zone_name(zone, cast("JournalApp", self.app).clock.now())
        return zone

    def start(self) -> None:
        fmt = str(self.query_one("#format", Select).value)
        path = self.path()
        assert path is not None
        options: dict[str, Any] = {}
        if fmt == "dayone":
            try:
                options["zone"] = self.zone()
            except ValidationError as exc:
                self.failed(str(exc))
                return
        body = (f"Your whole journal will be written [b]UNENCRYPTED[/b] ({fmt}) to\n\n"
                f"  {for_markup(str(path))}\n\nreadable only by you (mode 0600), but not "
                "protected by your passphrase: anyone who gets the file can read it. "
                "Delete it when you no longer need it.")
        self.ask("Write a plaintext copy?", body, "Export plaintext",
                 lambda: self._maybe_replace(fmt, path, options))

    def _maybe_replace(self, fmt: str, path: Path, options: dict[str, Any]) -> None:
        if fmt in exporters.FILE_FORMATS and path.is_file():
            self.ask("Replace the file?", f"{for_markup(str(path))} already exists. "
                     "Replace it with this export?", "Replace",
                     lambda: self.export(fmt, path, True, options))
        else:
            self.export(fmt, path, False, options)

    @work(thread=True, exclusive=True, group="transfer")
    def export(self, fmt: str, path: Path, replace: bool, options: dict[str, Any]) -> None:
        """`options`: the exporter's own (Day One: the zone its times were written in)."""
        def job() -> str:
            with vault_in_use(self.journal) as vault:
                if vault is None:
                    raise ValidationError(LOCKED)
                entries = vault.entries()
            written = exporters.module_for(fmt).write(entries, path, replace=replace,
                                                      **options)
            files = (f" ({plural(len(written), 'file', grouped=True)})"
                     if fmt == "markdown" else "")
            return (f"Exported {plural(len(entries), 'entry', 'entries', grouped=True)} to "
                    f"{path}{files}. It is PLAINTEXT: delete it when you no longer need it.")

        self.run_guarded(job)

    def finished(self, text: str, severity: str = "warning") -> None:
        super().finished(text, severity)


class BackupScreen(_Dialog):
    """An encrypted copy of the vault in a new file (no passphrase needed)."""

    DEFAULT_CSS = (DIALOG_CSS + EXTRA_CSS).format(name="BackupScreen")
    TITLE_TEXT = "Backup"
    GO = "Back up"

    def fields(self) -> Iterator:
        yield Label("New backup file (stays encrypted; opens with your passphrase)")
        day = self.app.clock.today().isoformat()
        yield Input(f"~/journal-{day}.vault", id="path")

    def start(self) -> None:
        self.backup(self.path())

    @work(thread=True, exclusive=True, group="transfer")
    def backup(self, dest: Path) -> None:
        def job() -> str:
            result = backup_mod.backup(self.journal.paths.vault, dest)
            sealed = (f" and {plural(result.sealed, 'quick note', grouped=True)}"
                      if result.sealed else "")
            return (f"Backed up {plural(result.entries, 'entry', 'entries', grouped=True)}"
                    f"{sealed} to {dest} ({result.size:,} bytes, encrypted).")

        self.run_guarded(job)
