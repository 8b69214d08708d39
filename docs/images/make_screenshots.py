"""Regenerate the SVG screenshots used by docs/usage.md (the unlock and writing side).

    .venv/bin/python docs/images/make_screenshots.py              # all of them
    .venv/bin/python docs/images/make_screenshots.py practice-step  # only those named

Uses a throw-away vault with fixed sample data, a fixed clock and fast test-only key
derivation; nothing from a real journal is ever pictured.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from journal.core.clock import FixedClock
from journal.core.store.crypto import KdfParams
from journal.core.model.entries import Entry, Moment
from journal.core.store.vault import Vault
from journal.paths import Paths
from journal.settings import Settings
from journal.ui.app import make_app

OUT = Path(__file__).resolve().parent
PASSPHRASE = "blue kettle morning walk"
SIZE = (100, 30)


def sample() -> list[Entry]:
    return [
        Entry(date=date(2026, 11, 24), body="Short one tonight. #handover ran late.", sleep=6,
              energy=4, moments=[Moment(kind="concern", intensity=5, context="work",
                                        tags=["handover"])]),
        Entry(date=date(2026, 11, 25), body="The family meeting stayed with me. I kept thinking "
              "about it on the bus. #family-meeting\n\nWhat helped: @supervisor listened.", sleep=5, energy=4, recovery=["walk"],
              good_things=["soup at lunch", "a thank-you note"],
              moments=[Moment(kind="contagion", intensity=8, context="work", time="14:20",
                              tags=["family-meeting"], feelings=["upset", "helpless"]),
                       Moment(kind="concern", intensity=6, context="commute",
                              tags=["family-meeting"], feelings=["warm"]),
                       Moment(kind="contagion", intensity=4, context="home", tags=["email"],
                              people=["supervisor"])]),
    ]


def build(with_vault: bool, **kw):
    clock = FixedClock(datetime(2026, 11, 25, 21, 30))
    paths = Paths(vault=Path("vault"), config_dir=Path("config"))
    if with_vault:
        vault, _ = Vault.create(paths.vault, PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                                clock=clock)
        vault.put_many(sample())
        vault.close()
    return make_app(paths=paths, settings=Settings(), clock=clock,
                    kdf=KdfParams.fast_for_tests(), allow_weak=True, **kw)


async def unlock(pilot) -> None:
    await pilot.pause()
    pilot.app.screen.query_one("#passphrase").value = PASSPHRASE
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def shoot(name: str, steps, *, with_vault: bool = True, **kw) -> None:
    if sys.argv[1:] and name not in sys.argv[1:]:
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        app = build(with_vault, **kw)
        async with app.run_test(size=SIZE) as pilot:
            await steps(pilot)
            await pilot.pause()
            # the app refuses save_screenshot (it would write plaintext); this is sample data
            (OUT / f"{name}.svg").write_text(app.export_screenshot(), encoding="utf-8")
        os.chdir(OUT)
    print(f"wrote {name}.svg")


async def main() -> None:
    async def nothing(pilot):
        await pilot.pause()

    async def create(pilot):
        await pilot.pause()
        pilot.app.screen.query_one("#passphrase").value = PASSPHRASE
        await pilot.press("enter")
        pilot.app.screen.query_one("#again").value = PASSPHRASE
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    async def recovery(pilot):
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        pilot.app.screen.query_one("#code").value = "ABCD-EFGH-"
        await pilot.pause()

    async def write(pilot):
        await unlock(pilot)

    async def prompts(pilot):
        await unlock(pilot)
        await pilot.press("ctrl+g", "f8")

    async def moment(pilot):
        await unlock(pilot)
        await pilot.press("ctrl+n", "c", "6", "w", *"fam")

    async def help_(pilot):
        await unlock(pilot)
        await pilot.press("f1")

    async def settings(pilot):
        await unlock(pilot)
        await pilot.press("f5")

    async def practice_offer(pilot):
        await unlock(pilot)
        await pilot.press("ctrl+n", "c", "8", "w", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    async def practice_step(pilot):
        await practice_offer(pilot)
        await pilot.press("p", "enter", "7", "enter")

    async def practice_timer(pilot):
        await practice_offer(pilot)
        await pilot.press("p", "2")
        pilot.app.clock.advance(seconds=47)
        await pilot.pause(0.4)

    async def check_in(pilot):
        await unlock(pilot)
        pilot.app.screen.query_one("#safety-choice").focus()
        await pilot.press("s")

    await shoot("practice-offer", practice_offer)
    await shoot("practice-step", practice_step)
    await shoot("practice-timer", practice_timer)
    await shoot("check-in", check_in)
    await shoot("unlock", nothing, passphrase_hint=None)
    await shoot("unlock-demo", nothing, passphrase_hint=PASSPHRASE)
    await shoot("recovery", recovery, passphrase_hint=None)
    await shoot("create", nothing, with_vault=False)
    await shoot("recovery-code", create, with_vault=False)
    await shoot("write", write)
    await shoot("write-prompts", prompts)
    await shoot("moment-form", moment)
    await shoot("help", help_)
    await shoot("settings", settings)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
