"""`journal export --format dayone` names the zone of its times: `--timezone NAME`, else
the zone of the injected clock (the computer's); a bad name is refused before the
passphrase is asked for (tests/importers/test_dayone_export_zones.py: the exporter)."""

from __future__ import annotations

import json
import time
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from cli_harness import Journal, Prompts

from journal.core.clock import FixedClock


def _export(journal: Journal, *args: str):
    journal("add", "a long evening", "--date", "2026-07-01")
    out = journal.tmp / "out.zip"
    result = journal("export", "--format", "dayone", "-o", str(out), *args)
    with zipfile.ZipFile(out) as archive:
        [item] = json.loads(archive.read("Journal.json"))["entries"]
    return result, item


def test_cli_names_the_zone_given(initialised: Journal):
    _, item = _export(initialised, "--timezone", "Europe/London")
    assert item["timeZone"] == "Europe/London"
    assert item["creationDate"] == "2026-07-01T11:00:00Z"  # noon of an earlier day, in BST


def test_cli_defaults_to_the_clocks_zone(tmp_path):
    clock = FixedClock(datetime(2026, 11, 25, 21, 30), zone=timezone(timedelta(hours=2)))
    journal = Journal(tmp_path, clock, Prompts())
    journal.init()
    _, item = _export(journal)
    assert item["timeZone"] == "Etc/GMT-2" and item["creationDate"] == "2026-07-01T10:00:00Z"


def test_cli_refuses_a_bad_zone_before_asking_for_the_passphrase(initialised: Journal):
    initialised.prompts.default = None  # any prompt fails the test
    out = initialised.tmp / "out.zip"
    result = initialised("export", "--format", "dayone", "-o", str(out),
                         "--timezone", "Mars/Olympus_Mons", ok=False)
    assert result.exit_code != 0 and "not a known time zone" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not out.exists()
    result = initialised("export", "--format", "jrnl", "-o", str(out), "--timezone", "UTC",
                         ok=False)
    assert result.exit_code == 2 and "--timezone is for --format dayone" in result.output


@pytest.fixture
def computer_zone(monkeypatch: pytest.MonkeyPatch):
    """Set this process's zone (TZ, as the C library reads it); put it back afterwards."""
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("name", "summer", "winter"), [
    ("Europe/London", "2026-07-01T11:00:00Z", "2026-12-01T12:00:00Z"),
    ("Australia/Sydney", "2026-07-01T02:00:00Z", "2026-12-01T01:00:00Z")])
def test_cli_default_zone_gives_each_date_its_own_offset(tmp_path, computer_zone, name,
                                                         summer, winter):
    """With no --timezone the computer's zone was its offset *now*: an entry from the other
    half of a summer-time year kept its clock time but its instant was an hour off."""
    computer_zone(name)
    journal = Journal(tmp_path, FixedClock(datetime(2026, 12, 5, 21, 30)), Prompts())
    journal.init()
    journal("add", "a long evening", "--date", "2026-07-01")
    journal("add", "dark early", "--date", "2026-12-01")
    out = journal.tmp / "out.zip"
    journal("export", "--format", "dayone", "-o", str(out))
    with zipfile.ZipFile(out) as archive:
        got = {i["text"].split("\n")[0]: i
               for i in json.loads(archive.read("Journal.json"))["entries"]}
    assert got["a long evening"]["creationDate"] == summer  # noon, in that date's offset
    assert got["dark early"]["creationDate"] == winter
    assert {i["timeZone"] for i in got.values()} == {name}
