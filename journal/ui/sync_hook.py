"""Sync while the app is open (docs/sync.md): at unlock, a few seconds after saves, when the
sync folder changes, and at lock and quit.

Only for a vault linked with `journal sync init`. A sync runs in a thread worker holding the
vault for its turn (journal.ui.vault_access), so typing never waits on it. The folder is
watched by watchfiles on a thread of its own (journal.ui.folder_watch: other machines'
complete files only, polling on network mounts); where no watcher can run, by polling its
directories' modification times every few seconds. Either way the UI thread only looks
at a note, on a timer. The app never holds the passphrase for this: keys rotated
elsewhere need one `journal sync` (or a re-link), which the status says.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from journal.core.errors import JournalError
from journal.ui.folder_watch import FolderWatch
from journal.ui.ui_thread import to_ui
from journal.ui.vault_access import vault_in_use

#: Seconds after the last save before syncing it; between looks at the watcher's note;
#: how long the folder must be quiet after a change; between polls without a watcher.
DEBOUNCE_SECONDS = 5.0
TICK_SECONDS = 0.5
QUIET_SECONDS = 1.0
POLL_SECONDS = 3.0


class SyncHook:
    def __init__(self, app: Any) -> None:
        """`app` is the JournalApp (not imported: the app imports this module)."""
        self.app = app
        self.folder: Path | None = None
        self.status = ""
        """One line for the user: when the last sync ran and what it found."""
        self.brief = ""
        """The same in a few words, for the write screen's title line ("synced 21:30")."""
        self._debounce: Any = None
        self._poll: Any = None
        self._stamp: tuple[int, ...] = ()
        self._polled = 0.0
        self.watch: FolderWatch | None = None
        """The folder's watcher while unlocked (None: locked, or not linked)."""

    @property
    def linked(self) -> bool:
        return self.folder is not None

    def start(self) -> None:
        """At unlock: sync if this vault is linked, then watch the folder."""
        from journal.core.sync import session

        with vault_in_use(self.app) as vault:
            if vault is None or not session.is_linked(vault):
                return
            try:
                state = session.open_state(vault)
            except JournalError as exc:
                self._show_error(exc)
                return
            self.folder = Path(state.link.folder) / "journal-sync"
            machine = state.link.machine
            state.close()
        self._stamp = self._look()
        self._polled = time.monotonic()
        self.watch = FolderWatch(self.folder, machine)
        self.watch.start()
        self.soon("unlock", delay=0.0)
        self._poll = self.app.set_interval(TICK_SECONDS, self._check_folder)

    def stop(self) -> None:
        """At lock and quit: stop watching, then one last sync on this thread (the vault
        is about to close)."""
        self.stop_watching()
        if self.linked:
            self._run()
        self.folder = None

    def stop_watching(self) -> None:
        """No timer and no watcher thread left (lock, quit, the app closing)."""
        for timer in (self._debounce, self._poll):
            if timer is not None:
                timer.stop()
        self._debounce = self._poll = None
        watch, self.watch = self.watch, None
        if watch is not None:
            watch.stop()

    def saved(self) -> None:
        """An entry was saved: sync once the typing has paused."""
        if self.linked:
            self.soon("save", delay=DEBOUNCE_SECONDS)

    def soon(self, reason: str, delay: float) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        if delay <= 0:
            self._debounce = None
            self.app.run_worker(self._run, thread=True, group="sync", name=f"sync-{reason}")
            return
        self._debounce = self.app.set_timer(delay, lambda: self.soon(reason, 0.0))

    # -- the folder ------------------------------------------------------------------
    def _look(self) -> tuple[int, ...]:
        if self.folder is None:
            return ()
        stamps = []
        for directory in (self.folder / "keys", self.folder / "records",
                          *sorted((self.folder / "records").glob("*"))):
            try:
                stamps.append(directory.stat().st_mtime_ns)
            except OSError:
                stamps.append(0)
        return tuple(stamps)

    def _check_folder(self) -> None:
        """On the UI timer: the watcher's note, or (without a watcher) a poll now and
        then. Neither waits on anything."""
        watch = self.watch
        if watch is not None and watch.failed is None:
            if watch.news(QUIET_SECONDS):
                self.soon("folder", delay=0.0)
            return
        if time.monotonic() - self._polled < POLL_SECONDS:
            return
        self._polled = time.monotonic()
        stamp = self._look()
        changed = stamp != self._stamp
        self._watch_again(changed)
        if changed:
            self._stamp = stamp
            self.soon("folder", delay=0.0)

    def _watch_again(self, changed: bool) -> None:
        """A watcher gets another try once the folder it lost is there again (a USB stick
        mounted), or when the folder changed after any other failure; if it fails again,
        polling goes on."""
        old = self.watch
        if old is None or old.failed is None or self.folder is None:
            return
        if (old.gone or changed) and self.folder.is_dir():
            self.watch = FolderWatch(self.folder, old.machine)
            self.watch.start()

    # -- one sync --------------------------------------------------------------------
    def _run(self) -> None:
        """One sync, in a worker or (at lock and quit) on the UI thread. What it found is
        said once the vault's turn is released, and without waiting for the UI thread
        (journal.ui.ui_thread): a lock may be waiting for this very turn."""
        from journal.core.sync import session

        with vault_in_use(self.app) as vault:
            if vault is None:
                return
            try:
                report = session.sync(vault)
            except JournalError as exc:
                failed: JournalError | None = exc
            else:
                failed = None
        if failed is not None:
            to_ui(self.app, self._show_error, failed)
            return
        self._stamp = self._look()  # our own writes are not news
        to_ui(self.app, self._show, report)

    def _show_error(self, exc: JournalError) -> None:
        status = f"sync: {exc}"
        if status != self.status:  # the same problem (a folder not mounted) is said once
            self.app.notify(str(exc), title="Sync", severity="error", timeout=10,
                            markup=False)
        self.status = status
        self.brief = f"not synced {self.app.clock.now():%H:%M}"
        self.app.sub_title = status

    def _day_in_view(self) -> str | None:
        """The day (ISO) the write screen shows, when it is the screen in front and nothing
        typed there waits to be saved: a sync's change to that day shows by itself (the
        day reloads; a conflict opens its view), so a notice would only repeat it. None
        otherwise (the notices then say what changed), also when a report arrives as the
        app closes and no screen is left to ask."""
        screen = self.app.write_screen
        if screen is None or not screen.is_mounted or not self.app.screen_stack \
                or self.app.screen is not screen \
                or screen.debounce.dirty or screen.day is None:
            return None
        return str(screen.day.isoformat())

    def _show(self, report: Any) -> None:
        when = self.app.clock.now().strftime("%H:%M")
        problems = report.refused + report.waiting
        keys = [line for line in report.waiting if "passphrase" in line]
        if keys and keys[0] not in self.status:  # new sync keys from another machine
            self.app.notify(keys[0], title="Sync", severity="warning", timeout=12,
                            markup=False)
        many = len(problems)
        self.brief = (f"synced {when}" if not problems
                      else f"sync {when}: {many} problem{'s' if many != 1 else ''}")
        self.status = self.brief + (f" ({keys[0]})" if keys else "")
        self.app.sub_title = self.status
        in_view = self._day_in_view()
        if report.days_changed:
            days = len([d for d in report.days_changed if d != in_view])
            if days:
                senders = report.sent_by
                source = (f"from {' and '.join(senders)}" if 0 < len(senders) <= 2
                          else "from your other machines")
                self.app.notify(f"{days} day{'s' if days != 1 else ''} updated {source}.",
                                title="Sync", timeout=5, markup=False)
            self.app.day_changed_elsewhere()
        for day in report.conflicts:
            if day == in_view:
                continue  # the day reloads and its conflict view opens: no need to say it
            who = report.written_on(day) or "two machines"
            self.app.notify(f"{day} was changed on {who} while apart: both texts are "
                            "kept. Opening the day shows them side by side to choose from.",
                            title="Sync", severity="warning", timeout=12, markup=False)
        if report.refused:
            self.app.notify("\n".join(report.refused[:3]), title="Sync refused records",
                            severity="error", timeout=15, markup=False)
