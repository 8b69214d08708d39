"""Made the frozen golden vault tests/data/golden-v1/journal.db ONCE (2026-11-25).

Do not re-run it to "fix" a failing golden test: the file is the promise that a vault
written by this release opens forever (SQLCipher ships its testkey databases for the same
reason). A new on-disk format gets a new golden-vN next to this one; old ones stay.

    .venv/bin/python tests/data/make_golden.py tests/data/golden-v2   # a new format only
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

from journal.core.clock import FixedClock
from journal.core.model.entries import Entry, Moment
from journal.core.store.captures import SealedBox
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault

PASSPHRASE = "golden vault: Ünïcödé café, 2026"


def main(target: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 25, 21, 30, 0))
    vault, code = Vault.create(target, PASSPHRASE, kdf=KdfParams.fast_for_tests(), clock=clock)
    with vault:
        vault.put(Entry(
            date=date(2026, 11, 23), body="# Long shift\nTalked with @Sam about #boundaries.",
            sleep=6, energy=4, recovery=["walk"], good_things=["tea with Ana"],
            id="6f1b7a52-0c1e-4d0a-9a51-3d5f2f0f6a01",
            moments=[Moment(kind="contagion", intensity=7, context="work", time="14:10",
                            tags=["grief"], people=["client-a"], feelings=["upset"],
                            action="withdrew", note="carried it home",
                            id="0d9c8d4e-58a8-4f55-8d0c-0b9a7f3f2c11")],
        ))
        clock.advance(minutes=60 * 24)
        vault.put(Entry(date=date(2026, 11, 24), body="Quiet day. Emoji 🌙, RTL שלום, e\u0301.",
                        energy=7, id="7a2c8b63-1d2f-4e1b-8b62-4e6a3a1a7b02"))
        clock.advance(minutes=30)
        entry = vault.get_by_date(date(2026, 11, 24))
        entry.body += "\nEdited once."
        vault.put(entry)
    SealedBox(target).add(Entry(date=date(2026, 11, 25), body="captured without unlocking",
                                id="8b3d9c74-2e30-4f2c-9c73-5f7b4b2b8c03"))
    print(f"passphrase: {PASSPHRASE}\nrecovery code: {code}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
