"""No plaintext on disk after real app sessions (issue 7), proved with the reusable scanner
tests/leakscan.py and a negative control.

1. In-process (Textual Pilot): unlock, type, autosave, edit (replace all the text), add a
   moment with tags/people/feelings/note, remove it, erase a paragraph of an older entry,
   save, lock, scan while locked and still running, unlock, quit; scan again.
2. A real `journal` process in a pseudo-terminal: keys typed through the pty, autosave,
   then kill -9 in the middle of typing more; scan; reopen and find the autosaved text.
3. The command palette: every command it offers is run (Textual's "Screenshot", which
   wrote the screen into ~/Downloads as plaintext SVG, is gone), and the other ways to a
   screenshot or a file download are refused; HOME and the working dir are scanned too.

Scanned: every file under the vault directory (with its sync state), the config directory,
a private TMPDIR (SQLite and Python put temp files there), HOME and the whole test
directory, which holds the sync folder the app syncs to. Each typed
word is a unique canary; 0 may be found.
"""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from faultkit import PASSPHRASE, add_tests_dir_to_path
from textual.widgets import Input, TextArea

from journal.core.clock import FixedClock
from journal.core.model.entries import Entry
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault
from journal.paths import Paths
from journal.settings import Settings
from journal.ui.app import make_app

add_tests_dir_to_path()
from leakscan import scan, selftest  # noqa: E402

TODAY = date(2026, 11, 25)
OLD_DAY = date(2026, 11, 20)
CANARIES = {
    "body": "CANARYbodyQ7x1", "edit": "CANARYeditZ3k9", "tag": "canarytagm4p2",
    "person": "canarypersonw8e5", "feeling": "canaryfeelingr2d6", "note": "CANARYnoteH5j3",
    "old": "CANARYoldT9v4", "erased": "CANARYerasedB1n7",
}


def negative_control(where: Path, needles: list[str]) -> None:
    """The scanner finds what a careless store leaves: plain SQLite, secure_delete off,
    rows written then deleted (tests/leakscan.py's selftest covers UTF-16 and nesting)."""
    selftest(where / "selftest")
    db = where / "careless.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA secure_delete=OFF")
    conn.execute("CREATE TABLE t(x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(n * 20,) for n in needles])
    conn.commit()
    conn.execute("DELETE FROM t")
    conn.commit()
    conn.close()
    report = scan([where], needles)
    assert set(report.found) == set(needles), report.describe()


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    tmp = tmp_path / "tmpdir"
    tmp.mkdir(mode=0o700)
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setenv("SQLITE_TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


async def _settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.mark.slow
async def test_pilot_session_leaves_no_plaintext(tmp_path, private_tmp, tmp_path_factory):
    negative_control(tmp_path_factory.mktemp("control"), list(CANARIES.values()))
    paths = Paths(vault=tmp_path / "vault", config_dir=tmp_path / "config")
    clock = FixedClock(datetime(2026, 11, 25, 21, 30))
    vault, _ = Vault.create(paths.vault, PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                            clock=clock)
    vault.put(Entry(date=OLD_DAY, body=f"keep {CANARIES['old']}\n\n{CANARIES['erased']} gone"))
    sync_folder = tmp_path / "Sync"  # synced (docs/sync.md): its records are scanned too
    sync_folder.mkdir()
    from journal.core.sync import session

    session.link(vault, sync_folder, PASSPHRASE, allow_weak=True)
    vault.close()
    app = make_app(paths=paths, settings=Settings(), clock=clock,
                   kdf=KdfParams.fast_for_tests(), allow_weak=True)
    roots = [paths.vault, paths.config_dir, private_tmp, tmp_path / "home", tmp_path]
    needles = list(CANARIES.values())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.press(*f"Tonight {CANARIES['body']} was hard")
        clock.advance(seconds=3)
        await pilot.pause(0.7)  # the autosave tick
        assert not app.screen.debounce.dirty, "autosave did not run"
        editor = app.screen.query_one("#editor", TextArea)
        editor.select_all()
        await pilot.press(*f"Rewritten: {CANARIES['edit']}")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+n", "c", "7", "w")
        await pilot.press(*CANARIES["tag"], "tab", *CANARIES["person"], "tab",
                          *CANARIES["feeling"], "tab", "tab", "tab", *CANARIES["note"])
        await pilot.press("enter")
        await _settle(pilot)
        # the offer after a heavy moment: a practice (land 8, then stop), kept with it
        await pilot.press("p", "enter", "8", "enter", "escape")
        await _settle(pilot)
        assert app.screen.moments and app.screen.moments[0].note == CANARIES["note"]
        assert app.screen.moments[0].practice is not None
        await pilot.press("ctrl+t", "x")
        await pilot.pause()
        await pilot.press("y")
        await _settle(pilot)
        assert app.screen.moments == []
        app.open_day(OLD_DAY)
        await _settle(pilot)
        editor = app.screen.query_one("#editor", TextArea)
        editor.load_text(f"keep {CANARIES['old']}")
        app.screen._edited()
        await pilot.press("end", *" (edited)", "ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+l")
        await _settle(pilot)
        assert app.vault is None
        locked = scan(roots, needles)
        assert locked.found == {}, "while locked: " + locked.describe()
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
    report = scan(roots, needles)
    assert report.found == {}, report.describe()
    assert paths.vault / "journal.db" in report.files and report.bytes_scanned > 0
    synced = [p for p in report.files if p.suffix == ".jsr" and sync_folder in p.parents]
    assert len(synced) >= 2, "the app's syncs (unlock, lock, quit) wrote no records"
    with Vault.open(paths.vault, PASSPHRASE, allow_weak=True) as vault:  # it was all saved
        assert vault.get_by_date(TODAY).body == f"Rewritten: {CANARIES['edit']}"
        assert vault.get_by_date(OLD_DAY).body == f"keep {CANARIES['old']} (edited)"


# -- a real process in a pseudo-terminal, killed with SIGKILL ------------------------------------
class Terminal:
    """A child process on a pty of 100x30; its output is drained by a thread (and kept)."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import fcntl
        import pty
        import struct
        import termios

        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.output = bytearray()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.2)
                if ready:
                    chunk = os.read(self.master, 65536)
                    if not chunk:
                        return
                    self.output += chunk
            except OSError:
                return

    def wait_for(self, needle: bytes, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"never saw {needle!r}; last output: "
                                     f"{bytes(self.output[-600:])!r}")
            time.sleep(0.1)

    def type(self, text: str) -> None:
        for char in text:
            os.write(self.master, char.encode())
            time.sleep(0.01)

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        os.close(self.master)


def _saved_body(vault_dir: Path) -> str | None:
    try:
        with Vault.open(vault_dir, PASSPHRASE) as vault:
            entry = vault.get_by_date(date.today())
            return entry.body if entry else None
    except Exception:  # busy or mid-write: ask again
        return None


@pytest.mark.slow
def test_pty_session_killed_with_sigkill_leaves_no_plaintext(tmp_path, tmp_path_factory):
    home, tmp, config = tmp_path / "home", tmp_path / "tmpdir", tmp_path / "config"
    for folder in (home, tmp, config):
        folder.mkdir(mode=0o700)
    vault_dir = tmp_path / "vault"
    # the product's own floor parameters: the real process refuses test-only ones
    Vault.create(vault_dir, PASSPHRASE, kdf=KdfParams.floor(), recovery=False)[0].close()
    saved, unsaved = "CANARYsavedP4q8", "CANARYunsavedL2w6"
    negative_control(tmp_path_factory.mktemp("control"), [saved, unsaved])
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "TMPDIR": str(tmp), "SQLITE_TMPDIR": str(tmp), "XDG_CACHE_HOME": str(home / "c"),
           "XDG_DATA_HOME": str(home / "d"), "XDG_CONFIG_HOME": str(home / "cfg"),
           "JOURNAL_VAULT": str(vault_dir), "JOURNAL_CONFIG_DIR": str(config),
           "TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8",
           "PYTHONPATH": os.pathsep.join(sys.path), "TEXTUAL_ANIMATIONS": "none"}
    term = Terminal([sys.executable, "-m", "journal", "app"], env)
    try:
        term.wait_for(b"Unlock")
        term.type(PASSPHRASE + "\r")
        term.wait_for(b"Tonight", timeout=90)  # the editor's placeholder: unlocked
        term.type(f"First {saved} words")
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # autosave comes ~2 s after the last key
            time.sleep(0.5)
            body = _saved_body(vault_dir)
            if body and saved in body:
                break
        assert body and saved in body, "autosave never reached the vault"
        term.type(f" then {unsaved} half-typed")
        term.kill9()
    finally:
        if term.proc.poll() is None:
            term.kill9()
    assert term.proc.returncode == -signal.SIGKILL
    report = scan([vault_dir, config, tmp, home, tmp_path], [saved, unsaved])
    assert report.found == {}, report.describe()
    with Vault.open(vault_dir, PASSPHRASE) as vault:  # what was autosaved came back
        assert vault.check().ok
        assert saved in vault.get_by_date(date.today()).body


# -- the command palette (issue 13, item 14) ----------------------------------------------------
PALETTE_CANARY = "CANARYpaletteK8s2"


async def _palette_hits(pilot, query: str) -> list[str]:
    """Type `query` into the real command palette (ctrl+p) and read the matching titles."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    for _ in range(10):  # the search runs in a worker
        await pilot.pause(0.05)
    options = pilot.app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(options.option_count)]


@pytest.mark.slow
async def test_palette_and_textual_built_ins_write_no_plaintext(tmp_path, private_tmp,
                                                               monkeypatch):
    """Textual's "Screenshot" wrote the screen (journal text included) as a plaintext SVG
    into ~/Downloads. The palette no longer offers it (nor any built-in outside an
    allow-list), and every other way to a screenshot or a file download is refused; every
    command the palette offers is run, then HOME, the working dir, the temp dir, the config
    and the vault are scanned for the text on screen."""
    from journal.ui.commands import KEPT_BUILT_INS

    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    paths = Paths(vault=tmp_path / "vault", config_dir=tmp_path / "config")
    clock = FixedClock(datetime(2026, 11, 25, 21, 30))
    vault, _ = Vault.create(paths.vault, PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                            clock=clock)
    vault.put(Entry(date=TODAY, body=f"Tonight {PALETTE_CANARY} stayed with me"))
    vault.close()
    app = make_app(paths=paths, settings=Settings(), clock=clock,
                   kdf=KdfParams.fast_for_tests(), allow_weak=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        await _settle(pilot)
        assert PALETTE_CANARY in app.screen.query_one("#editor", TextArea).text
        # As a user would: look for it in the palette, and press enter on the top hit.
        hits = await _palette_hits(pilot, "screenshot")
        assert not any("Screenshot" in hit for hit in hits), hits
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await pilot.pause()
        commands = list(app.get_system_commands(app.screen))
        titles = [c.title for c in commands]
        assert "Screenshot" not in titles and "Theme" in titles
        built_ins = {"Theme", "Quit", "Keys", "Minimize", "Maximize", "Screenshot"}
        assert {t for t in titles if t in built_ins} <= KEPT_BUILT_INS
        for command in commands:  # everything the palette offers, but leaving the app
            if command.title in ("Quit", "Lock now"):
                continue
            result = command.callback()
            if hasattr(result, "__await__"):
                await result
            await pilot.pause(0.15)
            while app.screen.is_modal:
                await pilot.press("escape")
                await pilot.pause()
        for other_way in (app.action_screenshot, app.save_screenshot, app.deliver_screenshot):
            other_way()
        await app.run_action("screenshot")
        app.deliver_text(__import__("io").StringIO(PALETTE_CANARY), save_filename="x.txt")
        await pilot.pause(0.3)
        assert any("Screenshots and file downloads are off" in n.message
                   for n in app._notifications)
        await pilot.press("ctrl+q")
        await pilot.pause()
    roots = [paths.vault, paths.config_dir, private_tmp, home, tmp_path]
    report = scan(roots, [PALETTE_CANARY])
    assert report.found == {}, report.describe()
    assert not list(tmp_path.rglob("*.svg")), list(tmp_path.rglob("*.svg"))
