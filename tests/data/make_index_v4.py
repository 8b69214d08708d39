"""Made tests/data/index-v4/ ONCE (2026-12-05), with the program of main a36e878 (storage
version 5, index chunks of format 4: before each chunk kept its moments folded), as

    cd /work/main && .venv/bin/python TESTS/data/make_index_v4.py TESTS/data/index-v4

`journal.db`: a vault of 80 entries (a demo year's last 75 days, and 10 days whose work
moments have no time); `reflect.json`: what that program's reflection gave over it, for
the whole journal at two work ends and for a range. tests/core/test_index_upgrade.py opens
a copy with the current program: the vault upgrades itself, and reflects the same. Do not
re-run it: the files are what an older program wrote.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from journal.core.clock import FixedClock
from journal.core.demo import generate_year
from journal.core.model.entries import Entry, Moment
from journal.core.reflection import reflect_rows
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault

PASSPHRASE = "index v4: correct horse battery staple"
TODAY = date(2026, 11, 24)
#: (since, until, work_end) of each reflection kept
RUNS = ((None, None, "18:00"), (None, None, "20:30"), ("2026-10-01", "2026-11-10", "18:00"))


def untimed_days() -> list[Entry]:
    """Days whose work moment has no time and whose evening shares its label at 19:00: it
    came home with the work end at 18:00, not at 20:30."""
    start = TODAY - timedelta(days=140)
    return [Entry(date=start + timedelta(days=i), body=f"Untimed work, day {i}.",
                  recovery=["walk"] if i % 3 else [],
                  moments=[Moment(kind="contagion", intensity=6, context="work",
                                  tags=["handover"], people=["client-x"]),
                           Moment(kind="contagion" if i % 2 else "concern", intensity=5,
                                  context="home", time="19:00", tags=["handover"])])
            for i in range(10)]


def main(target: Path, passphrase: str = PASSPHRASE) -> None:
    clock = FixedClock(datetime(2026, 11, 24, 21, 30, 0))
    vault, _code = Vault.create(target, passphrase, kdf=KdfParams.fast_for_tests(),
                                clock=clock)
    with vault:
        entries = generate_year(TODAY, seed=11, days=75) + untimed_days()
        for entry in entries:
            entry.body = entry.body[:80]
        vault.put_many(entries)
        index = vault.index()
        runs = []
        for since, until, work_end in RUNS:
            result = reflect_rows(
                index.day_rows(), since=since and date.fromisoformat(since),
                until=until and date.fromisoformat(until), work_end=work_end, today=TODAY,
                practices=index.practice_rows())
            runs.append({"since": since, "until": until, "work_end": work_end,
                         "result": result})
    (target / "reflect.json").write_text(json.dumps(
        {"passphrase": passphrase, "today": TODAY.isoformat(), "entries": len(entries),
         "runs": runs}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
