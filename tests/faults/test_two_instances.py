"""Two instances on one vault: CLI and CLI (two real processes writing at once), app and
CLI, app and app, and the store under both. Nothing is lost, nothing is corrupted: the
second writer either works safely or is refused with a clear one-line message, and the
app keeps the user's text and says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from faultkit import PASSPHRASE, CliJournal
from textual.widgets import Input, TextArea

from journal.core.errors import ConflictError, JournalError
from journal.core.model.entries import Entry
from journal.core.store import manifest
from journal.core.store.crypto import KdfParams
from journal.core.store.read_ahead import ReadAhead
from journal.core.store.vault import Vault
from journal.paths import Paths
from journal.settings import Settings
from journal.ui.app import make_app
from journal.ui.screens.confirm import ConfirmScreen

WORKER = Path(__file__).with_name("instance_worker.py")
DAY = date(2026, 11, 20)
TODAY = date(2026, 11, 25)
CLEAR = ("changed elsewhere", "already an entry", "busy in another program")


def _run_two(vault_dir: Path, count: int, mode: str) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [subprocess.Popen([sys.executable, str(WORKER), str(vault_dir), label, str(count),
                               mode], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for label in ("A", "B")]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results += [json.loads(line) for line in out.splitlines()]
    return results


def _check_refusals(results: list[dict]) -> list[dict]:
    refused = [r for r in results if r["exit"] != 0]
    for r in refused:
        assert r["err"].startswith("journal: error:") and "\n" not in r["err"], r
        assert any(word in r["err"] for word in CLEAR), r
        assert "Traceback" not in r["err"]
    return refused


def test_cli_and_cli_adding_to_one_day_at_once_lose_nothing(tmp_path):
    cli = CliJournal(tmp_path)
    cli("init")
    results = _run_two(cli.vault_dir, 25, "same-day")
    refused = _check_refusals(results)
    with cli.open() as vault:
        assert vault.check().ok
        body = vault.get_by_date(DAY).body
    saved = [r for r in results if r["exit"] == 0]
    lost = [f"{r['label']}-{r['i']}" for r in saved if f"{r['label']}-{r['i']}\n" not in body
            and not body.endswith(f"{r['label']}-{r['i']}")]
    assert lost == [], f"reported saved but missing: {lost}"
    assert len(saved) + len(refused) == 50
    assert {r["label"] for r in saved} == {"A", "B"}, "one instance never got a save in"


def test_cli_and_cli_creating_entries_at_once(tmp_path):
    cli = CliJournal(tmp_path)
    cli("init")
    results = _run_two(cli.vault_dir, 30, "new-days")
    _check_refusals(results)
    saved = {r["day"] for r in results if r["exit"] == 0}
    with cli.open() as vault:
        report = vault.check()
        assert report.ok, report.problems
        assert {e.date.isoformat() for e in vault.entries()} == saved


# -- the store: what every front end relies on ----------------------------------------------
def test_store_second_writer_gets_conflict_not_lost_update(tmp_path):
    cli = CliJournal(tmp_path)
    with cli.create() as first:
        first.put(Entry(date=DAY, body="start"))
    a, b = cli.open(), cli.open()
    try:
        mine, theirs = a.get_by_date(DAY), b.get_by_date(DAY)
        theirs.body += "\nfrom B"
        b.put(theirs)
        mine.body += "\nfrom A"
        try:
            a.put(mine)
        except ConflictError as exc:
            assert "changed elsewhere" in str(exc)
        else:
            raise AssertionError("A overwrote B's save without noticing")
        both = b.get_by_date(DAY)
        assert both.body == "start\nfrom B"
        # a second entry for the same day from a stale instance is refused too
        try:
            a.put(Entry(date=date(2026, 11, 21), body="A new"))
            b.put(Entry(date=date(2026, 11, 21), body="B new"))
        except ConflictError as exc:
            assert "already an entry" in str(exc)
        else:
            raise AssertionError("two entries for one day")
    finally:
        a.close()
        b.close()
    with cli.open() as vault:
        assert vault.check().ok


def test_store_key_rotation_while_another_instance_is_open(tmp_path):
    """B is unlocked while A rotates the keys (`journal rotate-keys`). B's next write must be
    refused (it holds the old key) or be readable under the new one: never a vault whose
    manifest or rows the current passphrase can no longer open."""
    cli = CliJournal(tmp_path)
    with cli.create() as first:
        first.put(Entry(date=DAY, body="kept"))
    b = cli.open()
    try:
        with cli.open() as a:
            a.rotate_keys(PASSPHRASE)
        try:
            b.put(Entry(date=date(2026, 11, 22), body="written by the stale instance"))
            b.delete(b.get_by_date(DAY).id)
        except JournalError:
            pass  # refused: fine, if it says so clearly (checked below by reopening)
    finally:
        b.close()
    with cli.open() as vault:
        report = vault.check()
        assert report.ok, report.problems
        days = {e.date for e in vault.entries()}
    assert DAY in days or date(2026, 11, 22) in days


@pytest.mark.parametrize("read_ahead", [None, ReadAhead(chunks=True, words=True)],
                         ids=["usual", "read-ahead"])
def test_unlock_while_another_instance_commits_is_no_false_alarm(tmp_path, monkeypatch,
                                                                 read_ahead):
    """Unlocking reads the manifest, then the rows. If another instance commits in between,
    the two reads must still come from one snapshot: a clean vault must not be reported as
    "integrity check failed" (two `journal add` processes hit this about once in 50). The
    same when the rows are read ahead of the key (journal.core.store.read_ahead)."""
    cli = CliJournal(tmp_path)
    with cli.create() as first:
        first.put(Entry(date=DAY, body="start"))
    writer = cli.open()
    real_rows = manifest.bucket_rows
    fired: list[bool] = []

    def rows_after_another_commit(conn, bucket):
        if conn is not writer._conn and bucket == 255 and not fired:  # after most rows
            fired.append(True)
            writer.put(Entry(date=date(2026, 11, 21), body="committed meanwhile"))
        return real_rows(conn, bucket)

    monkeypatch.setattr(manifest, "bucket_rows", rows_after_another_commit)
    try:
        with Vault.open(cli.vault_dir, PASSPHRASE, allow_weak=True, clock=cli.clock,
                        read_ahead=read_ahead) as reader:  # must not raise IntegrityError
            assert fired
            assert reader.get_by_date(DAY).body == "start"
            assert len(reader.summaries()) == 2  # the index as it is now, not as read
        with cli.open() as again:
            assert again.check().ok
            assert again.count() == 2
    finally:
        writer.close()


# -- the app ----------------------------------------------------------------------------------
def _app(tmp_path: Path, cli: CliJournal):
    return make_app(paths=Paths(vault=cli.vault_dir, config_dir=cli.config_dir),
                    settings=Settings(autolock_minutes=0), clock=cli.clock,
                    kdf=KdfParams.fast_for_tests(), allow_weak=True)


async def _unlock(pilot) -> None:
    await pilot.pause()
    pilot.app.screen.query_one("#passphrase", Input).value = PASSPHRASE
    await pilot.press("enter")
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def _editor(app) -> str:
    return app.screen.query_one("#editor", TextArea).text


async def test_app_and_cli_the_app_keeps_the_text_and_says_so(tmp_path):
    cli = CliJournal(tmp_path)
    cli("init")
    app = _app(tmp_path, cli)
    async with app.run_test(size=(100, 30)) as pilot:
        await _unlock(pilot)
        await pilot.press(*"typed in the app")
        await pilot.press("ctrl+s")
        await pilot.pause()
        cli("add", "--date", TODAY.isoformat(), "added from the CLI")  # while the app is open
        await pilot.press(*" and more")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # told, with a choice
        await pilot.press("n")  # "Not now": keep my text here, unsaved
        await pilot.pause()
        assert _editor(app) == "typed in the app and more"
        assert "NOT SAVED" in app.screen.status
        with cli.open() as vault:  # the CLI's save is intact, nothing half-written
            assert "added from the CLI" in vault.get_by_date(TODAY).body
            assert vault.check().ok
        await pilot.press("ctrl+s")  # asks again; this time merge
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.screen.status == "saved"
    with cli.open() as vault:
        body = vault.get_by_date(TODAY).body
        assert vault.check().ok
    assert "typed in the app and more" in body and "added from the CLI" in body


async def test_app_and_cli_delete_while_open_then_the_app_saves_as_new(tmp_path):
    cli = CliJournal(tmp_path)
    cli("init")
    cli("add", "--date", TODAY.isoformat(), "first words")
    app = _app(tmp_path, cli)
    async with app.run_test(size=(100, 30)) as pilot:
        await _unlock(pilot)
        assert _editor(app).startswith("first words")
        cli("delete", TODAY.isoformat(), "--yes")
        await pilot.press(*" kept")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
    with cli.open() as vault:
        assert vault.get_by_date(TODAY).body.rstrip().endswith("kept")
        assert vault.check().ok


async def test_app_and_app_on_one_vault(tmp_path):
    """Two app windows on the same day: the second save is a conflict, not an overwrite."""
    cli = CliJournal(tmp_path)
    cli("init")
    first, second = _app(tmp_path, cli), _app(tmp_path, cli)
    async with first.run_test(size=(100, 30)) as p1:
        await _unlock(p1)
        async with second.run_test(size=(100, 30)) as p2:
            await _unlock(p2)
            await p1.press(*"window one")
            await p1.press("ctrl+s")
            await p1.pause()
            assert first.screen.status == "saved"
            await p2.press(*"window two")
            await p2.press("ctrl+s")
            await p2.pause()
            assert isinstance(second.screen, ConfirmScreen)
            await p2.press("y")
            for _ in range(3):
                await second.workers.wait_for_complete()
                await p2.pause()
            assert "window one" in _editor(second) and "window two" in _editor(second)
            await p2.press("ctrl+q")
            await p2.pause()
        # the first window saves again on top of the merged version: a conflict too
        await p1.press(*" again")
        await p1.press("ctrl+s")
        await p1.pause()
        assert isinstance(first.screen, ConfirmScreen)
        await p1.press("y")
        for _ in range(3):
            await first.workers.wait_for_complete()
            await p1.pause()
    with cli.open() as vault:
        body = vault.get_by_date(TODAY).body
        assert vault.check().ok
    for words in ("window one", "window two", "again"):
        assert words in body, body


async def test_app_after_keys_rotated_by_the_cli_keeps_the_text_and_says_so(tmp_path):
    """`journal rotate-keys` runs while the app is unlocked: the app's next save cannot use
    its old key. It must keep the text, say what happened, and save after a new unlock."""
    cli = CliJournal(tmp_path)
    cli("init")
    app = _app(tmp_path, cli)
    notes: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await _unlock(pilot)
        real_notify = app.screen.notify

        def notify(message, **kw):
            notes.append(str(message))
            real_notify(message, **kw)

        app.screen.notify = notify  # type: ignore[method-assign]
        await pilot.press(*"before rotation")
        await pilot.press("ctrl+s")
        await pilot.pause()
        cli("rotate-keys")
        await pilot.press(*", after")
        await pilot.press("ctrl+s")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.is_running, "the app crashed on the stale key"
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("n")
            await pilot.pause()
        assert _editor(app) == "before rotation, after"
        assert "NOT SAVED" in app.screen.status or notes, "the user was not told"
    with cli.open() as vault:
        assert vault.check().ok
        assert vault.get_by_date(TODAY).body == "before rotation"
