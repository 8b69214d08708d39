"""One `journal` instance in its own process, for tests/faults/test_two_instances.py.

    python instance_worker.py VAULT LABEL COUNT MODE

Runs COUNT commands through the real click CLI in this process (test KDF), one after the
other, and prints one JSON line per command: {"label", "i", "exit", "err"}. MODE:
  same-day  `journal add` "LABEL-i" to 2026-11-20 (both instances fight over one row)
  new-days  `journal add` "LABEL-i" to a day of its own (both create entries)
Each command opens and closes the vault, as a user running `journal add` twice would.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta

from click.testing import CliRunner

from journal.cli import cli
from journal.cli.runtime import Runtime
from journal.core.clock import FixedClock
from journal.core.store.crypto import KdfParams

PASSPHRASE = "correct horse battery staple"


def main() -> None:
    vault, label, count, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    runtime = Runtime(clock=FixedClock(datetime(2026, 11, 25, 21, 30)),
                      kdf=KdfParams.fast_for_tests(), allow_weak=True,
                      env={"JOURNAL_VAULT": vault, "JOURNAL_CONFIG_DIR": vault + "-config"},
                      prompt=lambda label: PASSPHRASE, interactive=False)
    offset = 0 if label == "A" else 500
    for i in range(count):
        day = date(2026, 11, 20) if mode == "same-day" else (
            date(2020, 1, 1) + timedelta(days=offset + i))
        result = CliRunner().invoke(cli, ["add", "--date", day.isoformat(), f"{label}-{i}"],
                                    obj=runtime)
        print(json.dumps({"label": label, "i": i, "exit": result.exit_code,
                          "err": result.stderr.strip(), "day": day.isoformat()}), flush=True)


if __name__ == "__main__":
    main()
