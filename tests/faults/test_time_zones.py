"""Dates across daylight-saving switches and time-zone changes: an entry lands on the day
the user lived it, in the zone they were in.

* Day One stores instants in UTC plus the zone the entry was written in: each is read as
  local time in its own zone, around the spring and autumn switches of America/New_York
  and Europe/Berlin, across the date line, and for a trip from New York to Berlin.
* jrnl stores naive local times: kept as written, even the hour that does not exist on
  the spring switch.
* `journal add` without --date files under the *local* date of the machine (TZ), not UTC:
  run in real processes under TZ=Pacific/Kiritimati (UTC+14) and TZ=Pacific/Pago_Pago
  (UTC-11), whose dates differ from UTC's for most of the day.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from faultkit import PASSPHRASE, CliJournal

from journal.core.exchange.importers import dayone, jrnl
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault

CASES = [
    # (UTC instant, zone, local date, local HH:MM)
    # New York, spring forward 2026-03-08 02:00 EST -> 03:00 EDT
    ("2026-03-08T04:30:00Z", "America/New_York", "2026-03-07", "23:30"),
    ("2026-03-08T06:59:00Z", "America/New_York", "2026-03-08", "01:59"),
    ("2026-03-08T07:01:00Z", "America/New_York", "2026-03-08", "03:01"),
    # New York, fall back 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens twice
    ("2026-11-01T03:59:00Z", "America/New_York", "2026-10-31", "23:59"),
    ("2026-11-01T05:30:00Z", "America/New_York", "2026-11-01", "01:30"),
    ("2026-11-01T06:30:00Z", "America/New_York", "2026-11-01", "01:30"),
    # Berlin, spring forward 2026-03-29 02:00 CET -> 03:00 CEST (01:00 UTC)
    ("2026-03-28T23:30:00Z", "Europe/Berlin", "2026-03-29", "00:30"),
    ("2026-03-29T00:59:00Z", "Europe/Berlin", "2026-03-29", "01:59"),
    ("2026-03-29T01:00:00Z", "Europe/Berlin", "2026-03-29", "03:00"),
    # Berlin, fall back 2026-10-25 03:00 CEST -> 02:00 CET
    ("2026-10-25T00:30:00Z", "Europe/Berlin", "2026-10-25", "02:30"),
    ("2026-10-25T01:30:00Z", "Europe/Berlin", "2026-10-25", "02:30"),
    ("2026-10-24T22:30:00Z", "Europe/Berlin", "2026-10-25", "00:30"),
    # across the date line
    ("2026-11-20T10:30:00Z", "Pacific/Kiritimati", "2026-11-21", "00:30"),
    ("2026-11-21T10:30:00Z", "Pacific/Pago_Pago", "2026-11-20", "23:30"),
]


def _export(tmp_path, items: list[dict]):
    path = tmp_path / "Journal.json"
    path.write_text(json.dumps({"metadata": {"version": "1.0"}, "entries": items}))
    return path


@pytest.mark.parametrize(("instant", "zone", "day", "clock"), CASES)
def test_dayone_entry_lands_on_its_local_day(tmp_path, instant, zone, day, clock):
    (entry,) = dayone.read(_export(tmp_path, [
        {"creationDate": instant, "timeZone": zone, "text": "written then"}]))
    assert entry.date.isoformat() == day
    assert entry.written_at.strftime("%H:%M") == clock
    # and it agrees with the zone database directly
    utc = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    assert entry.written_at == utc.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def test_the_repeated_hour_keeps_real_order(tmp_path):
    """Fall back in New York: 01:30 EDT, then an hour later 01:30 EST. Both sections are on
    Nov 1 in the order they were written, even when the export lists them the other way."""
    later, earlier = "2026-11-01T06:30:00Z", "2026-11-01T05:30:00Z"
    (entry,) = dayone.read(_export(tmp_path, [
        {"creationDate": later, "timeZone": "America/New_York", "text": "second 01:30"},
        {"creationDate": earlier, "timeZone": "America/New_York", "text": "first 01:30"}]))
    assert entry.date == date(2026, 11, 1)
    assert entry.body.index("first 01:30") < entry.body.index("second 01:30"), entry.body


def test_a_trip_from_new_york_to_berlin(tmp_path):
    """23:30 in New York on Nov 20 is 05:30 in Berlin on Nov 21: each entry keeps the day
    of the place it was written in."""
    entries = dayone.read(_export(tmp_path, [
        {"creationDate": "2026-11-21T04:30:00Z", "timeZone": "America/New_York",
         "text": "leaving JFK"},
        {"creationDate": "2026-11-21T08:00:00Z", "timeZone": "Europe/Berlin",
         "text": "landed in Berlin"}]))
    assert [(e.date.isoformat(), e.written_at.strftime("%H:%M"), e.body) for e in entries] == [
        ("2026-11-20", "23:30", "leaving JFK"), ("2026-11-21", "09:00", "landed in Berlin")]


def test_dayone_import_through_the_cli_files_each_day_right(tmp_path):
    cli = CliJournal(tmp_path)
    cli("init")
    path = _export(tmp_path, [{"creationDate": instant, "timeZone": zone, "text": f"{i}"}
                              for i, (instant, zone, _day, _clock) in enumerate(CASES)])
    cli("import", str(path))
    with cli.open() as vault:
        days = {e.date.isoformat() for e in vault.entries()}
    assert days == {day for _i, _z, day, _c in CASES}


def test_jrnl_local_times_are_kept_as_written(tmp_path):
    """jrnl has no zone: 02:30 on the New York spring switch does not exist on a clock, but
    it is what the user's file says, so it is kept, on its day."""
    path = tmp_path / "journal.txt"
    path.write_text("[2026-03-08 02:30] Nonexistent hour\nstill kept\n\n"
                    "[2026-11-01 01:30] Twice\nfirst\n\n[2026-11-01 23:59] Late\n")
    entries = jrnl.read(path)
    assert [(e.date.isoformat(), e.written_at.strftime("%H:%M")) for e in entries] == [
        ("2026-03-08", "02:30"), ("2026-11-01", "01:30")]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"])
def test_add_without_date_uses_the_local_day(tmp_path, zone):
    vault_dir = tmp_path / "vault"
    vault, _ = Vault.create(vault_dir, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    vault.close()
    before = datetime.now(ZoneInfo(zone)).date()
    env = {**os.environ, "TZ": zone, "JOURNAL_VAULT": str(vault_dir),
           "JOURNAL_CONFIG_DIR": str(tmp_path / "config"),
           "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-m", "journal", "add", "--sealed", "local day"],
                          env=env, capture_output=True, text=True, timeout=120)
    after = datetime.now(ZoneInfo(zone)).date()
    assert done.returncode == 0, done.stderr
    with Vault.open(vault_dir, PASSPHRASE, allow_weak=True) as opened:
        from journal.core.store.vault import merge_sealed

        merge_sealed(opened)
        (entry,) = opened.entries()
    assert entry.date in (before, after)  # (midnight may pass while it runs)
