"""Issue 13 item 3: provenance is kept for every merged quick capture (when it arrived,
what it says about itself, its first words), inside the sealed record bound to the
manifest, shown by `journal show` and listed when it arrives. Forgery is not detected (anyone
who can write the folder can seal): it is made visible."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from journal.cli import cli
from journal.cli.runtime import Runtime
from journal.core.clock import FixedClock
from journal.core.errors import ValidationError
from journal.core.model.entries import Entry, Moment
from journal.core.store.captures import SealedBox
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import merge_sealed
from tests.conftest import PASSPHRASE, open_vault

DAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 25, 21, 30)


def test_a_forged_backdated_capture_is_marked_as_what_it_is(vault, vault_dir):
    vault.put(Entry(date=DAY, body="what I wrote that evening"))
    vault.close()
    forged = Entry(date=DAY, body="I never wrote this sentence at all, not once",
                   written_at=datetime(2026, 11, 20, 22, 0))
    SealedBox(vault_dir).add(forged)
    with open_vault(vault_dir, clock=FixedClock(NOW)) as opened:
        result = merge_sealed(opened)
        [arrival] = result.arrivals
        assert arrival.day == DAY and arrival.arrived == NOW
        assert arrival.claimed == datetime(2026, 11, 20, 22, 0)  # what it claims, shown
        assert arrival.words == "I never wrote this sentence at all, not …"
        assert opened.arrivals(DAY) == [arrival] and opened.arrivals(date(2026, 1, 1)) == []
        opened.rotate_keys(PASSPHRASE, new_recovery=False)
    with open_vault(vault_dir) as again:
        assert again.arrivals(DAY) == [arrival]  # kept across a key rotation


def _run(tmp_path: Path, *args: str):
    env = {"JOURNAL_VAULT": str(tmp_path / "vault"), "JOURNAL_PASSPHRASE": PASSPHRASE,
           "JOURNAL_CONFIG_DIR": str(tmp_path / "config")}
    runtime = Runtime(clock=FixedClock(NOW), kdf=KdfParams.fast_for_tests(), allow_weak=True,
                      env=env, prompt=lambda label: PASSPHRASE, interactive=False)
    result = CliRunner().invoke(cli, list(args), obj=runtime, catch_exceptions=False)
    assert result.exit_code == 0, (result.output, result.stderr)
    return result


def test_cli_lists_arrivals_at_unlock_and_show_marks_them(tmp_path):
    _run(tmp_path, "init", "--no-recovery-code")
    _run(tmp_path, "add", "my own words", "--date", "2026-11-20")
    _run(tmp_path, "add", "--sealed", "words from \x1b[8msomeone", "--date", "2026-11-20")
    listed = _run(tmp_path, "list")
    assert "merged 1 sealed entry" in listed.stderr
    assert "journal:   2026-11-20  \u201cwords from" in listed.stderr
    assert "\x1b" not in listed.stderr
    shown = _run(tmp_path, "show", "2026-11-20").stdout
    assert "[quick capture merged 2026-11-25 21:30" in shown
    assert "not in an unlocked session" in shown and "\u201cwords from" in shown
    mine = _run(tmp_path, "add", "more of mine", "--date", "2026-11-21")
    assert "quick capture" not in _run(tmp_path, "show", "2026-11-21").stdout, mine.stdout


def test_a_merged_capture_can_be_discarded_again(vault, vault_dir):
    mine = vault.put(Entry(date=DAY, body="what I wrote that evening\n"))
    vault.close()
    forged = Entry(date=DAY, body="a sentence someone else slipped in",
                   moments=[Moment(kind="contagion", intensity=9, context="work")])
    SealedBox(vault_dir).add(forged)
    SealedBox(vault_dir).add(Entry(date=date(2026, 11, 21), body="only this"))
    with open_vault(vault_dir, clock=FixedClock(NOW)) as opened:
        assert merge_sealed(opened).merged == 2
        merged = opened.get_by_date(DAY)
        assert "slipped in" in merged.body and len(merged.moments) == 1
        number = {a.day: n for n, a in enumerate(opened.arrivals(), 1)}
        assert sorted(number) == [DAY, date(2026, 11, 21)]
        assert opened.discard_capture(number[DAY]).discarded
        back = opened.get_by_date(DAY)
        assert back.body == mine.body and back.moments == [] and back.id == mine.id
        opened.discard_capture(number[date(2026, 11, 21)])  # nothing else: the entry goes
        assert opened.get_by_date(date(2026, 11, 21)) is None
        with pytest.raises(ValidationError, match="already discarded"):
            opened.discard_capture(number[DAY])
        with pytest.raises(ValidationError, match="no quick capture number 3"):
            opened.discard_capture(3)
        assert opened.check().ok
    with open_vault(vault_dir) as again:
        assert [a.discarded for a in again.arrivals()] == [True, True]


def test_cli_captures_lists_and_discards(tmp_path):
    _run(tmp_path, "init", "--no-recovery-code")
    _run(tmp_path, "add", "my own words", "--date", "2026-11-20")
    _run(tmp_path, "add", "--sealed", "not mine at all", "--date", "2026-11-20")
    listed = _run(tmp_path, "captures")
    assert listed.stdout.startswith("  1  2026-11-20  [quick capture merged")
    assert "\u201cnot mine at all\u201d" in listed.stdout
    assert "Discarded quick capture 1" in _run(tmp_path, "captures", "--discard", "1").stdout
    shown = _run(tmp_path, "show", "2026-11-20").stdout
    assert "not mine" not in shown and "my own words" in shown
    assert "(discarded)" in _run(tmp_path, "captures").stdout
