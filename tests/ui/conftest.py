"""UI fixtures: an app factory (fast KDF, FixedClock, temp vault and config), no cursor
blink, helpers that wait for workers instead of sleeping, and the set-ups many tests share:
the app run and unlocked (`unlocked`), a vault linked to a sync folder (`linked_vault`,
`other_machine`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from journal.core.clock import FixedClock
from journal.core.model.entries import Entry, Moment
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault
from journal.core.sync import session
from journal.paths import Paths
from journal.settings import Settings
from journal.ui.app import JournalApp, make_app

PASSPHRASE = "correct horse battery staple"
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes snapshots flaky: keep it on."""
    monkeypatch.setattr(Input, "cursor_blink", False, raising=False)
    monkeypatch.setattr(TextArea, "cursor_blink", False, raising=False)


@pytest.fixture
def ui_clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 25, 21, 30, 0))


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(vault=tmp_path / "vault", config_dir=tmp_path / "config")


@pytest.fixture
def app_factory(paths: Paths, ui_clock: FixedClock) -> Callable[..., JournalApp]:
    def factory(**kw) -> JournalApp:
        kw.setdefault("settings", Settings())
        return make_app(paths=paths, clock=ui_clock, kdf=KdfParams.fast_for_tests(),
                        allow_weak=True, **kw)

    return factory


@pytest.fixture
def make_vault(paths: Paths, ui_clock: FixedClock) -> Callable[..., Path]:
    """Create the vault on disk (closed again) with optional entries."""
    def factory(entries: list[Entry] = ()) -> Path:
        vault, _ = Vault.create(paths.vault, PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                                clock=ui_clock)
        if entries:
            vault.put_many(list(entries))
        vault.close()
        return paths.vault

    return factory


def sample_entries() -> list[Entry]:
    """Fixed data for snapshots: yesterday's entry with two moments."""
    return [Entry(date=date(2026, 11, 24), body="# Long day\n\nThe #handover ran late.",
                  sleep=6, energy=4, recovery=["walk"], good_things=["lunch outside"],
                  moments=[Moment(kind="contagion", intensity=7, context="work",
                                  time="15:10", tags=["yelling"], feelings=["upset"]),
                           Moment(kind="concern", intensity=5, context="home",
                                  tags=["handover"], people=["supervisor"])])]


def snapshot_today() -> Entry:
    """Today's entry in the write snapshots: it starts with its own words, as a person's do
    (the screen's title already names the day; a '# Wednesday' of its own said it twice)."""
    return Entry(
        date=TODAY, body="The family meeting stayed with me. I kept thinking about it on the "
        "bus. #family-meeting\n\nWhat helped: @supervisor listened.", sleep=5, energy=4,
        recovery=["walk"], good_things=["soup at lunch", "a thank-you note"],
        moments=[Moment(kind="contagion", intensity=8, context="work", time="14:20",
                        tags=["family-meeting"], feelings=["upset", "helpless"]),
                 Moment(kind="concern", intensity=6, context="commute",
                        tags=["family-meeting"], feelings=["warm"]),
                 Moment(kind="contagion", intensity=4, context="home", tags=["email"],
                        people=["supervisor"])])


def open_vault(directory: Path) -> Vault:
    return Vault.open(directory, PASSPHRASE, allow_weak=True)


async def settle(pilot: Pilot) -> None:
    """Wait for every worker (key derivation) and the screen updates that follow."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def unlock(pilot: Pilot, passphrase: str = PASSPHRASE) -> None:
    app = pilot.app
    await pilot.pause()
    app.screen.query_one("#passphrase", Input).value = passphrase
    await pilot.press("enter")
    await settle(pilot)


@pytest.fixture
def unlocked(app_factory: Callable[..., JournalApp]):
    """`async with unlocked() as pilot:` the app built by `app_factory` (keyword arguments
    go to it), run headless at `size` and unlocked with `passphrase` (the vault must exist:
    `make_vault()` first), opening on `day` if given; with `key`, that key is pressed next
    (F3 Browse, F5 Settings...) and the app settled. The app is `pilot.app`."""
    @asynccontextmanager
    async def run(*, size: tuple[int, int] = (80, 24), passphrase: str = PASSPHRASE,
                  key: str | None = None, day: date | None = None,
                  **app_kw) -> AsyncIterator[Pilot]:
        app = app_factory(**app_kw)
        if day is not None:
            app.current_day = day
        async with app.run_test(size=size) as pilot:
            await unlock(pilot, passphrase)
            if key is not None:
                await pilot.press(key)
                await settle(pilot)
            yield pilot

    return run


@pytest.fixture
def sync_folder(tmp_path: Path) -> Path:
    """An empty folder to sync through, as Syncthing or a cloud drive would hold it."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    return folder


@pytest.fixture
def linked_vault(make_vault: Callable[..., Path], paths: Paths,
                 sync_folder: Path) -> Callable[..., Path]:
    """Create the app's vault (with optional entries) linked to `sync_folder`, this machine
    named `name` (the host name when None); returns the folder."""
    def factory(entries: list[Entry] = (), name: str | None = None) -> Path:
        make_vault(entries)
        with open_vault(paths.vault) as mine:
            session.link(mine, sync_folder, PASSPHRASE, allow_weak=True, name=name)
        return sync_folder

    return factory


def other_machine(directory: Path, folder: Path, name: str | None = None) -> Vault:
    """Another machine's vault, made in `directory` and linked to `folder`: open, the caller
    closes it."""
    vault, _ = Vault.create(directory, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    session.link(vault, folder, PASSPHRASE, allow_weak=True, name=name)
    return vault
