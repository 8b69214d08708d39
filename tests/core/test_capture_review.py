"""A quick capture the person kept stays reviewed across sessions: the flag is inside the
sealed record of merged captures that the manifest binds (the app's "keep" lasted only
for its session, and `journal captures` could not keep one at all)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from journal.cli import cli
from journal.cli.runtime import Runtime
from journal.core.clock import FixedClock
from journal.core.errors import ValidationError
from journal.core.model.entries import Entry
from journal.core.store.captures import Arrival, SealedBox
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import merge_sealed
from tests.conftest import PASSPHRASE, open_vault

DAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 25, 21, 30)


def test_a_kept_capture_stays_reviewed_in_later_sessions(vault, vault_dir):
    vault.put(Entry(date=DAY, body="mine\n"))
    vault.close()
    SealedBox(vault_dir).add(Entry(date=DAY, body="sent from my phone"))
    SealedBox(vault_dir).add(Entry(date=date(2026, 11, 21), body="not mine"))
    with open_vault(vault_dir, clock=FixedClock(NOW)) as opened:
        assert merge_sealed(opened).merged == 2  # in the order of their random ids
        number = {a.day: n for n, a in enumerate(opened.arrivals(), 1)}
        assert [a.to_review for a in opened.arrivals()] == [True, True]
        kept = opened.keep_capture(number[DAY])
        assert kept.reviewed and not kept.to_review and kept.day == DAY
        assert opened.keep_capture(number[DAY]) == kept  # again: nothing changes
        other = number[date(2026, 11, 21)]
        opened.discard_capture(other)
        with pytest.raises(ValidationError, match="was discarded"):
            opened.keep_capture(other)
        with pytest.raises(ValidationError, match="no quick capture number 3"):
            opened.keep_capture(3)
        assert "sent from my phone" in opened.get_by_date(DAY).body  # keeping changes no text
        assert opened.check().ok
    marks = {DAY: (True, False), date(2026, 11, 21): (False, True)}
    with open_vault(vault_dir) as again:
        assert {a.day: (a.reviewed, a.discarded) for a in again.arrivals()} == marks
        again.rotate_keys(PASSPHRASE, new_recovery=False)
    with open_vault(vault_dir) as rotated:
        assert {a.day: (a.reviewed, a.discarded) for a in rotated.arrivals()} == marks


def test_a_record_from_before_the_flag_reads_as_not_reviewed():
    old = {"day": "2026-11-20", "arrived": "2026-11-25T21:30:00", "words": "w",
           "claimed": None, "body": "w", "moments": [], "discarded": False}
    arrival = Arrival.from_json(old)
    assert arrival is not None and not arrival.reviewed and arrival.to_review
    assert Arrival.from_json({**old, "reviewed": "yes"}).reviewed is False  # only true is
    assert Arrival.from_json(arrival.to_json()) == arrival


def _run(tmp_path: Path, *args: str, ok: bool = True):
    env = {"JOURNAL_VAULT": str(tmp_path / "vault"), "JOURNAL_PASSPHRASE": PASSPHRASE,
           "JOURNAL_CONFIG_DIR": str(tmp_path / "config")}
    runtime = Runtime(clock=FixedClock(NOW), kdf=KdfParams.fast_for_tests(), allow_weak=True,
                      env=env, prompt=lambda label: PASSPHRASE, interactive=False)
    result = CliRunner().invoke(cli, list(args), obj=runtime, catch_exceptions=False)
    assert (result.exit_code == 0) == ok, (result.output, result.stderr)
    return result


def test_cli_keeps_a_capture_and_show_stops_marking_its_day(tmp_path):
    _run(tmp_path, "init", "--no-recovery-code")
    _run(tmp_path, "add", "my own words", "--date", "2026-11-20")
    _run(tmp_path, "add", "--sealed", "from my phone on the bus", "--date", "2026-11-20")
    _run(tmp_path, "add", "--sealed", "and a second one", "--date", "2026-11-20")
    assert _run(tmp_path, "show", "2026-11-20").stdout.count("[quick capture merged") == 2
    listed = _run(tmp_path, "captures").stdout.splitlines()  # in the order of random ids
    phone = next(n for n, line in enumerate(listed, 1) if "from my phone" in line)
    kept = _run(tmp_path, "captures", "--keep", str(phone))
    assert f"Kept quick capture {phone} in 2026-11-20 as reviewed" in kept.stdout
    listed = _run(tmp_path, "captures").stdout.splitlines()
    assert listed[phone - 1].endswith("(reviewed)") and "from my phone" in listed[phone - 1]
    assert not listed[2 - phone].endswith(")")
    shown = _run(tmp_path, "show", "2026-11-20").stdout
    assert shown.count("[quick capture merged") == 1 and "\u201cand a second one" in shown
    assert "from my phone on the bus" in shown  # the text itself stays
    _run(tmp_path, "captures", "--keep", str(3 - phone))
    assert "quick capture" not in _run(tmp_path, "show", "2026-11-20").stdout
    refused = _run(tmp_path, "captures", "--keep", "1", "--discard", "2", ok=False)
    assert refused.exit_code == 2 and "one at a time" in refused.stderr


# -- which lines of a day are still as a capture brought them (the editor's marks) ----------

def test_lines_still_captured_follow_edits():
    from journal.core.store.captures import lines_still_captured

    sent = "sent one\nsent two\n\nsent three"
    assert lines_still_captured("mine\n\n" + sent, sent) == {2, 3, 5}  # blank lines: never
    assert lines_still_captured("mine\n\nsent one\nsent 2\n\nsent three", sent) == {2, 5}
    assert lines_still_captured("new\nmine\n\nsent one\ntyped\nsent two", sent) == {3, 5}
    assert lines_still_captured("mine only", sent) == set()
    # of two equal lines the later (a capture is added at the end of its day)
    assert lines_still_captured("sent one\nmine\n\nsent one", "sent one") == {3}
