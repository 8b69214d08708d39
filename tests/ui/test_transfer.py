"""Import…, Export… and Backup… from the app: the palette commands, the dialogs, the files."""

from __future__ import annotations

import json
import stat
from collections import Counter
from datetime import date
from pathlib import Path

from textual.widgets import Input, ProgressBar, Select

from journal.core.exchange import format_v1 as exchange
from journal.core.model.entries import Entry, Moment
from journal.core.store.vault import Vault
from journal.ui.commands import journal_commands
from journal.ui.screens.confirm import ConfirmScreen
from journal.ui.screens.transfer import BackupScreen, ExportScreen, ImportScreen
from tests.core import test_export_stream
from tests.ui.conftest import PASSPHRASE, open_vault, sample_entries, settle
from tests.ui.dialogs import dialog_error, export_to, fill_path, import_from, refused_import

#: The names these steps had here, for tests written against them on other branches.
_fill, _import = fill_path, import_from

#: Entries as an export is read again, each carrying a weakly referenced probe.
probing = test_export_stream.probing

INCOMING = [Entry(date=date(2026, 10, 1), body="Imported first day #moved",
                  moments=[Moment(kind="concern", intensity=4, context="work")]),
            Entry(date=date(2026, 10, 3), body="Imported second day")]


def _notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_palette_offers_import_export_backup_when_unlocked(unlocked, make_vault):
    make_vault()
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        titles = [c.title for c in journal_commands(app)]
        assert {"Import…", "Export…", "Backup…"} <= set(titles)
        command = next(c for c in journal_commands(app) if c.title == "Import…")
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)


async def test_import_json_after_the_dry_run(unlocked, make_vault, paths, tmp_path):
    make_vault(sample_entries())
    source = tmp_path / "ex[b]port.json"  # shown literally, not as markup
    source.write_text(exchange.to_json_text(INCOMING), encoding="utf-8")
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await import_from(pilot, source)
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        shown = str(confirm.query_one(".dialog-body").render())
        assert "2 new entries" in shown and "2026-10-01 to 2026-10-03" in shown
        assert "ex[b]port.json" in shown
        with open_vault(paths.vault) as vault:  # the dry run wrote nothing
            assert vault.count() == 1
        bar = app.screen_stack[-2].query_one("#progress", ProgressBar)
        assert not bar.display
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, (ImportScreen, ConfirmScreen))
        # shown, and filled (the dialog is gone now: its styles say what it showed)
        assert bar.styles.display == "block" and (bar.total, bar.progress) == (2, 2)
        assert any("Imported 2 new entries" in n for n in _notes(app))
    vault = open_vault(paths.vault)
    try:
        bodies = {e.date: e.body for e in vault.entries()}
        assert bodies[date(2026, 10, 1)] == "Imported first day #moved"
        assert bodies[date(2026, 10, 3)] == "Imported second day"
        assert vault.count() == 3
    finally:
        vault.close()


async def test_encrypted_jrnl_asks_for_its_passphrase(unlocked, make_vault, paths):
    make_vault()
    source = Path(__file__).parent.parent / "importers" / "fixtures" / "jrnl46_v3.txt"
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        app.push_screen(ImportScreen())
        await pilot.pause()
        secret = app.screen.query_one("#source-passphrase", Input)
        assert not secret.display
        await fill_path(pilot, source)
        assert secret.display and secret.password
        assert "is encrypted" in dialog_error(pilot)
        secret.value = "wrong"
        await fill_path(pilot, source)
        assert "wrong jrnl passphrase" in dialog_error(pilot)
        secret.value = "pässword 3"
        await fill_path(pilot, source)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert any("Imported 2 new entries" in n for n in _notes(app))
    with open_vault(paths.vault) as vault:
        assert vault.count() == 2


async def test_malformed_file_is_one_line_and_the_vault_unchanged(
        unlocked, make_vault, paths, tmp_path):
    make_vault(sample_entries())
    good = json.loads(exchange.to_json_text(INCOMING))
    good["entries"][1]["date"] = "2026-02-30"  # impossible date in the second entry
    source = tmp_path / "bad [red]name.json"
    source.write_text(json.dumps(good), encoding="utf-8")
    async with unlocked(size=(100, 30)) as pilot:
        error = await refused_import(pilot, source)
        assert error and "\n" not in error
        assert "2026-02-30" in error or "date" in error
        await fill_path(pilot, tmp_path / "missing.json")
        assert "does not exist" in dialog_error(pilot)
    vault = open_vault(paths.vault)
    try:
        assert [e.date for e in vault.entries()] == [date(2026, 11, 24)]
    finally:
        vault.close()


async def test_a_streamed_import_holds_a_part_of_the_file_and_moves_the_bar(
        unlocked, make_vault, paths, tmp_path, monkeypatch, probing):
    """The dialog built every entry of the file into a list and planned the list: a
    50,000-entry import in the app held every entry. It now takes the CLI's path (a source
    checked whole, planned from ids and dates, read again in parts as it is written); the
    bar is moved from the worker while it plans and writes, not only at the end."""
    from journal.core import demo
    from journal.core.exchange.importers import export_stream
    from journal.core.store.bulk import bucket_of
    from journal.ui.screens import transfer

    make_vault(sample_entries())
    incoming = demo.generate(600, seed=3, body_bytes=100, moments=1,
                             start=date(2001, 1, 1))
    source = tmp_path / "export.json"
    source.write_text(exchange.to_json_text(incoming), encoding="utf-8")
    biggest = max(Counter(bucket_of(e.id) for e in incoming).values())
    monkeypatch.setattr(export_stream.ExportStream, "group", 100)
    clock = iter(range(10**6))  # every tick a fifth of a second later: each moves the bar
    monkeypatch.setattr(transfer.time, "monotonic", lambda: next(clock) / 5)
    moves: list[float] = []
    advance = ProgressBar.advance
    monkeypatch.setattr(ProgressBar, "advance",
                        lambda bar, step=1: (moves.append(step), advance(bar, step))[1])
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await import_from(pilot, source)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Read 600 entries (json)" in app.screen.body
        assert "Will import 600 new entries" in app.screen.body
        assert probing.alive["made"] == 0  # checked and planned from ids and dates only
        bar = app.screen_stack[-2].query_one("#progress", ProgressBar)
        moves.clear()  # the bar also moved while the file was read (by bytes)
        await pilot.press("y")
        await settle(pilot)
        assert (bar.total, bar.progress) == (600, 600)
        # planned again (600), then written (600), each step ticking as it goes
        assert len([m for m in moves if m]) > 5 and sum(moves) == 1200
        assert any("Imported 600 new entries, merged into 0 existing days" in n
                   for n in _notes(app))
    assert probing.alive["made"] == probing.alive["freed"] == 600
    assert probing.most <= 100 + biggest + 1  # one part, and the bucket being written
    with open_vault(paths.vault) as vault:
        assert vault.count() == 601
        saved = {e.id: e.body for e in vault.entries()}
    assert all(saved[e.id] == e.body for e in incoming)


async def test_a_bad_entry_deep_in_a_file_is_refused_before_anything_is_written(
        unlocked, make_vault, paths, tmp_path):
    """One line naming the entry and the field; nothing offered, nothing written."""
    from journal.core import demo

    make_vault(sample_entries())
    incoming = demo.generate(50, seed=4, body_bytes=50, moments=1, start=date(2001, 1, 1))
    data = json.loads(exchange.to_json_text(incoming))
    data["entries"][41]["moments"][0]["intensity"] = 42
    source = tmp_path / "export.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    async with unlocked(size=(100, 30)) as pilot:
        error = await refused_import(pilot, source)
        assert "\n" not in error and "intensity" in error
        assert "42" in error or "entry 42" in error or "2001-02-11" in error
    with open_vault(paths.vault) as vault:
        assert [e.date for e in vault.entries()] == [date(2026, 11, 24)]


async def test_export_json_is_private_and_round_trips(unlocked, make_vault, tmp_path):
    make_vault(sample_entries() + INCOMING)
    out = tmp_path / "out.json"
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await export_to(pilot, out)
        assert isinstance(app.screen, ConfirmScreen)
        assert "UNENCRYPTED" in app.screen.body and str(out) in app.screen.body
        assert not out.exists()  # nothing before the confirmation
        await pilot.press("y")
        await settle(pilot)
        assert any("PLAINTEXT" in n and "3 entries" in n for n in _notes(app))
        with open_vault(app.paths.vault) as vault:
            expected = {e.date: e.body for e in vault.entries()}
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    back = exchange.loads(out.read_text(encoding="utf-8"))
    assert {e.date: e.body for e in back} == expected
    assert sum(len(e.moments) for e in back) == 3


async def test_export_asks_before_replacing_a_file(unlocked, make_vault, tmp_path):
    make_vault(sample_entries())
    out = tmp_path / "out.json"
    out.write_text("keep me", encoding="utf-8")
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await export_to(pilot, out)
        await pilot.press("y")  # yes, plaintext
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and "already exists" in app.screen.body
        await pilot.press("n")  # do not replace
        await settle(pilot)
        assert out.read_text(encoding="utf-8") == "keep me"
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#format", Select).value = "markdown"
        await fill_path(pilot, tmp_path / "md")
        await pilot.press("y")
        await settle(pilot)
    assert (tmp_path / "md" / "2026-11-24.md").stat().st_mode & 0o077 == 0


async def test_export_jrnl_from_the_app_reads_back(unlocked, make_vault, tmp_path):
    from journal.core.exchange.importers import jrnl

    make_vault(sample_entries())
    out = tmp_path / "journal.txt"
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await export_to(pilot, out, "jrnl")
        await pilot.press("y")
        await settle(pilot)
        with open_vault(app.paths.vault) as vault:
            expected = sorted(e.date for e in vault.entries())
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [e.date for e in jrnl.read(out)] == expected


async def test_backup_makes_a_vault_that_checks(unlocked, make_vault, tmp_path):
    make_vault(sample_entries() + INCOMING)
    dest = tmp_path / "backups" / "j.vault"
    dest.parent.mkdir()
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        app.push_screen(BackupScreen())
        await pilot.pause()
        await fill_path(pilot, dest)
        assert any("Backed up 3 entries" in n and "bytes" in n for n in _notes(app))
        await pilot.pause()
        app.push_screen(BackupScreen())
        await pilot.pause()
        await fill_path(pilot, dest)  # never overwrites
        assert dialog_error(pilot)
    restored = tmp_path / "restored"
    from journal.core.store.backup import restore

    restore(dest, restored)
    vault = Vault.open(restored, PASSPHRASE, allow_weak=True)
    try:
        report = vault.check()
        assert not report.problems and report.entries == 3
    finally:
        vault.close()


async def test_a_held_source_that_merges_is_planned_again_when_confirmed(
        unlocked, make_vault, paths, tmp_path):
    """A jrnl journal is held whole; its entry for a day the vault has is merged. The dry
    run planned it and the confirmation plans it again: it must still be there to merge
    (a held source handed each entry over once), and a second import adds nothing."""
    make_vault(sample_entries())
    source = tmp_path / "journal.txt"
    source.write_text("[2026-11-24 21:00] Evening.\nA paragraph from jrnl.\n\n"
                      "[2026-11-26 08:00] Morning.\nAnother day.\n", encoding="utf-8")
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        app.push_screen(ImportScreen())
        await pilot.pause()
        app.screen.query_one("#format", Select).value = "jrnl"
        await fill_path(pilot, source)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Will import 1 new entry, merged into 1 existing day" in app.screen.body
        assert "2026-11-24: merged into the existing entry" in app.screen.body
        await pilot.press("y")
        await settle(pilot)
        assert any("Imported 1 new entry, merged into 1 existing day" in n
                   for n in _notes(app))
        app.push_screen(ImportScreen())
        await pilot.pause()
        app.screen.query_one("#format", Select).value = "jrnl"
        await fill_path(pilot, source)
        assert any("Nothing to import" in n for n in _notes(app))
    with open_vault(paths.vault) as vault:
        merged = vault.get_by_date(date(2026, 11, 24))
        assert "The #handover ran late." in merged.body and "A paragraph from jrnl." in merged.body
        assert vault.count() == 2
