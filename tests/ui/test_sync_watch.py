"""The app watches the sync folder while it is open (issue 18): another machine's change is
synced by itself, this machine's own writes and engines' temporary files are not news, a
watcher that cannot run falls back to polling, and no watcher thread outlives a lock."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest

from journal.core.model.entries import Entry
from journal.core.store.vault import Vault
from journal.core.sync import session
from journal.ui import folder_watch, sync_hook
from journal.ui.folder_watch import THREAD_NAME, FolderWatch, file_system_of

from .conftest import PASSPHRASE, other_machine, unlock

DAY = date(2026, 11, 20)


def _watchers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME and t.is_alive()]


def _none_left_soon() -> bool:
    """The watcher ends within its step (0.2 s) of being told: a second is plenty."""
    end = time.monotonic() + 1.0
    while _watchers() and time.monotonic() < end:
        time.sleep(0.02)
    return _watchers() == []


async def _until(pilot, condition, seconds: float = 15.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        await pilot.pause(0.1)
    return condition()


@pytest.fixture
def linked(linked_vault, tmp_path):
    """This machine's vault linked to a folder, and another machine's vault on it."""
    folder = linked_vault()
    other = other_machine(tmp_path / "other", folder)
    other.put(Entry(date=date(2026, 11, 19), body="an earlier day"))
    session.sync(other, PASSPHRASE, allow_weak=True)  # its directory in the folder
    yield folder, other
    other.close()


@pytest.fixture
def syncs(monkeypatch) -> list[str]:
    """Why each sync the app started ran ("unlock", "save", "folder")."""
    reasons: list[str] = []
    soon = sync_hook.SyncHook.soon

    def counting(self, reason, delay):
        if delay <= 0:
            reasons.append(reason)
        soon(self, reason, delay)

    monkeypatch.setattr(sync_hook.SyncHook, "soon", counting)
    return reasons


def _write_elsewhere(other: Vault, body: str) -> None:
    other.put(Entry(date=DAY, body=body))
    session.sync(other, PASSPHRASE, allow_weak=True)


async def test_a_change_from_another_machine_is_synced_while_the_app_is_open(
        unlocked, linked, syncs, monkeypatch):
    monkeypatch.setattr(sync_hook, "POLL_SECONDS", 3600.0)  # only the watcher can see it
    _folder, other = linked
    async with unlocked() as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        assert app.sync.watch is not None and app.sync.watch.running
        _write_elsewhere(other, "written on the desktop while the laptop was open")
        assert await _until(pilot, lambda: app.vault.get_by_date(DAY) is not None)
        assert app.vault.get_by_date(DAY).body.startswith("written on the desktop")
        assert "folder" in syncs


@pytest.mark.slow
async def test_own_writes_and_engines_temporary_files_do_not_start_a_sync(
        unlocked, linked, syncs, monkeypatch):
    monkeypatch.setattr(sync_hook, "POLL_SECONDS", 3600.0)
    folder, other = linked
    async with unlocked() as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        await pilot.press(*"typed here")
        await pilot.press("ctrl+s")
        app.sync.soon("save", 0.0)  # this machine writes its record into the folder now
        await app.workers.wait_for_complete()
        theirs = folder / "journal-sync" / "records" / session.status(other)["machine"]
        assert theirs.is_dir()
        (theirs / ".syncthing.00000009.jsr.tmp").write_bytes(b"half")
        (theirs / "~syncthing~00000009.jsr.tmp").write_bytes(b"half")
        (theirs / "00000009.jsr.part").write_bytes(b"half")
        await pilot.pause(folder_watch.DEBOUNCE_MS / 1000 + sync_hook.QUIET_SECONDS + 1.5)
        assert syncs == ["unlock", "save"]
        assert app.sync.watch is not None and app.sync.watch.failed is None


async def test_where_no_watcher_can_run_the_folder_is_polled(unlocked, linked, syncs,
                                                             monkeypatch):
    def no_watcher(*_args, **_kwargs):
        raise OSError("OS file watch limit reached")
        yield  # a generator, as watchfiles.watch is

    import watchfiles

    monkeypatch.setattr(watchfiles, "watch", no_watcher)
    monkeypatch.setattr(sync_hook, "POLL_SECONDS", 0.5)
    _folder, other = linked
    async with unlocked() as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        assert await _until(pilot, lambda: app.sync.watch.failed is not None)
        assert "limit" in app.sync.watch.failed
        _write_elsewhere(other, "seen by polling")
        assert await _until(pilot, lambda: app.vault.get_by_date(DAY) is not None)
        assert "folder" in syncs


async def test_no_watcher_thread_is_left_after_lock_or_after_the_app_ends(unlocked, linked):
    async with unlocked() as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        assert len(_watchers()) == 1
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.vault is None and app.sync.watch is None
        assert _none_left_soon()
        await unlock(pilot)
        await app.workers.wait_for_complete()
        assert len(_watchers()) == 1
    assert _none_left_soon()  # the app closed without a lock or quit


async def test_no_watcher_thread_is_left_after_quit(unlocked, linked):
    async with unlocked() as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        assert len(_watchers()) == 1
        await pilot.press("ctrl+q")
        assert app.sync.watch is None
        assert _none_left_soon()


def test_only_other_machines_complete_files_are_news(tmp_path):
    root = tmp_path / "journal-sync"
    watch = FolderWatch(root, "aaaaaaaaaaaaaaaa")
    news = [
        "records/bbbbbbbbbbbbbbbb/00000003.jsr",
        "records/bbbbbbbbbbbbbbbb/00000003.sync-conflict-20261120-101010-ABCDEFG.jsr",
        "records/bbbbbbbbbbbbbbbb/00000001-00000064.jsc",
        "records/bbbbbbbbbbbbbbbb",
        "keys/bbbbbbbbbbbbbbbb.key",
    ]
    not_news = [
        "records/aaaaaaaaaaaaaaaa/00000003.jsr",  # this machine's own, echoing back
        "keys/aaaaaaaaaaaaaaaa.key",
        "records/bbbbbbbbbbbbbbbb/.syncthing.00000004.jsr.tmp",
        "records/bbbbbbbbbbbbbbbb/~syncthing~00000004.jsr.tmp",
        "records/bbbbbbbbbbbbbbbb/.journal-0a1b2c3d4e5f.tmp",
        "records/bbbbbbbbbbbbbbbb/00000004.jsr.part",
        "records/bbbbbbbbbbbbbbbb/00000004.jsr.partial",
        "records",
        ".stfolder/x",
    ]
    assert [p for p in news if not watch.is_news(None, str(root / p))] == []
    assert [p for p in not_news if watch.is_news(None, str(root / p))] == []
    assert not watch.is_news(None, str(tmp_path / "elsewhere" / "00000001.jsr"))


def test_a_folder_on_a_network_mount_is_polled():
    mounts = ("/dev/sda1 / ext4 rw 0 0\n"
              "server:/home /home/sam/net nfs4 rw 0 0\n"
              "//nas/share /mnt/My\\040Share cifs rw 0 0\n")
    assert file_system_of(Path("/home/sam/net/Sync/journal-sync"), mounts) == "nfs4"
    assert file_system_of(Path("/home/sam/Sync/journal-sync"), mounts) == "ext4"
    assert file_system_of(Path("/mnt/My Share/journal-sync"), mounts) == "cifs"
    assert file_system_of(Path("/home/sam/network"), mounts) == "ext4"


def test_a_watch_on_a_network_mount_asks_watchfiles_to_poll(tmp_path, monkeypatch):
    seen: dict[str, object] = {}

    def fake_watch(*_paths, **kwargs):
        seen.update(kwargs)
        return iter(())

    import watchfiles

    monkeypatch.setattr(watchfiles, "watch", fake_watch)
    monkeypatch.setattr(folder_watch, "on_network", lambda _path: True)
    watch = FolderWatch(tmp_path, "aaaaaaaaaaaaaaaa")
    watch.start()
    watch.stop(wait=2.0)
    assert seen["force_polling"] is True and seen["stop_event"] is not None


async def test_a_folder_missing_at_unlock_is_polled_then_watched_once_it_is_back(
        unlocked, linked, syncs, monkeypatch):
    folder, other = linked
    monkeypatch.setattr(sync_hook, "POLL_SECONDS", 0.5)
    away = folder.parent / "unplugged"
    (folder / "journal-sync").rename(away)  # the USB stick is not mounted
    async with unlocked() as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        assert await _until(pilot, lambda: app.sync.watch.failed is not None)
        away.rename(folder / "journal-sync")  # plugged in again
        assert await _until(pilot, lambda: app.sync.watch.failed is None
                            and app.sync.watch.running)
        monkeypatch.setattr(sync_hook, "POLL_SECONDS", 3600.0)  # from now on, the watcher
        await app.workers.wait_for_complete()
        before = len(syncs)
        _write_elsewhere(other, "written while the stick was in the other machine")
        assert await _until(pilot, lambda: app.vault.get_by_date(DAY) is not None)
        assert syncs[before:] == ["folder"]


async def test_a_folder_that_goes_away_is_polled_for_until_it_is_back(
        unlocked, linked, syncs, monkeypatch):
    folder, other = linked
    monkeypatch.setattr(sync_hook, "POLL_SECONDS", 0.5)
    monkeypatch.setattr(folder_watch, "STILL_THERE_MS", 300)
    away = folder.parent / "unplugged"
    async with unlocked() as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        assert app.sync.watch.running
        (folder / "journal-sync").rename(away)  # the USB stick is pulled out
        assert await _until(pilot, lambda: app.sync.watch.failed is not None)
        assert "went away" in app.sync.watch.failed
        away.rename(folder / "journal-sync")
        assert await _until(pilot, lambda: app.sync.watch.failed is None
                            and app.sync.watch.running)
        _write_elsewhere(other, "seen once the stick is back")
        assert await _until(pilot, lambda: app.vault.get_by_date(DAY) is not None)
