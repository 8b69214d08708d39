"""Every command that asks for the passphrase waits the same growing time after wrong ones
as the app, counted per vault in the state directory (the CLI had no wait at all, so a
script with JOURNAL_PASSPHRASE could guess as fast as the key derivation allowed)."""

from __future__ import annotations

import pytest
from cli_harness import PASSPHRASE, Journal, write_secret


def wrong(journal: Journal, *args: str, times: int = 1) -> list[str]:
    journal.env_extra["JOURNAL_PASSPHRASE"] = "a wrong guess"
    lines = []
    for _ in range(times):
        result = journal(*args, ok=False)
        assert result.exit_code == 4, result.stderr
        lines.append(result.stderr)
    return lines


@pytest.mark.parametrize("command", [("list",), ("show",), ("rotate-keys",), ("captures",),
                                     ("passwd",), ("sync", "status"), ("check",),
                                     ("export", "--format", "jrnl", "-o", "out.txt")])
def test_each_try_from_a_script_waits_longer(initialised: Journal, command):
    errors = wrong(initialised, *command, times=4)
    assert initialised.slept == [2]  # two free tries, then the third cost the fourth 2 s
    assert "waiting" not in "".join(errors[:3])
    assert errors[3].startswith("journal: waiting 2 s after 3 wrong passphrases\n")
    wrong(initialised, *command)
    assert initialised.slept == [2, 4]


def test_the_right_passphrase_waits_too_then_the_count_starts_again(initialised: Journal):
    wrong(initialised, "list", times=4)
    initialised.env_extra["JOURNAL_PASSPHRASE"] = PASSPHRASE
    result = initialised("list")
    assert "waiting 4 s after 4 wrong passphrases" in result.stderr
    assert initialised.slept == [2, 4]
    wrong(initialised, "list", times=3)
    assert initialised.slept == [2, 4]  # reset on success: free tries again


def test_typed_tries_and_later_commands_share_one_count(initialised: Journal):
    initialised.prompts.queue = ["typo one", "typo two", "typo three"]
    assert initialised("list", ok=False).exit_code == 4
    assert initialised.slept == []
    initialised.prompts.queue = ["typo four", PASSPHRASE]
    result = initialised("list")
    assert result.stderr.count("waiting") == 2, result.stderr
    assert "waiting 2 s after 3 wrong" in result.stderr
    assert "waiting 4 s after 4 wrong" in result.stderr
    assert initialised.slept == [2, 4]


def test_a_passphrase_file_and_the_recovery_code_count_the_same(initialised: Journal,
                                                                tmp_path):
    bad = write_secret(tmp_path / "bad.txt", "not it\n")
    for _ in range(3):
        assert initialised("list", "--passphrase-file", str(bad), ok=False).exit_code == 4
    result = initialised("passwd", "--recovery-code", "--passphrase-file", str(bad),
                         ok=False)
    assert result.exit_code == 4 and "waiting 2 s after 3 wrong" in result.stderr
    assert initialised.slept == [2]


def test_each_vault_has_its_own_count(journal: Journal, tmp_path):
    journal.init()
    wrong(journal, "list", times=3)
    other = Journal(tmp_path / "other", journal.clock, journal.prompts)
    other.env_extra["JOURNAL_CONFIG_DIR"] = str(tmp_path / "config")  # the same state dir
    other.init()
    other.env_extra["JOURNAL_PASSPHRASE"] = PASSPHRASE
    assert "waiting" not in other("list").stderr
    assert journal.slept == [] and other.slept == []


def test_init_from_sync_counts_wrong_passphrases_per_folder(journal: Journal, tmp_path):
    """`init --from-sync` checks the folder's passphrase before any vault exists: it was
    not counted, so it could be guessed at as fast as the key derivation allowed. The
    count is kept per sync folder, so another vault directory does not start it again."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    journal.init()
    journal("sync", "init", str(folder))
    c = Journal(tmp_path / "c", journal.clock, journal.prompts)
    c.env_extra["JOURNAL_STATE_DIR"] = str(tmp_path / "state")
    c.env_extra["JOURNAL_PASSPHRASE"] = "a wrong guess"
    errors = []
    for _ in range(4):
        result = c("init", "--from-sync", str(folder), ok=False)
        assert result.exit_code == 4 and "Traceback" not in result.output
        errors.append(result.stderr)
    assert c.slept == [2] and "waiting 2 s after 3 wrong passphrases" in errors[3]
    assert not c.vault_dir.exists()
    d = Journal(tmp_path / "d", journal.clock, journal.prompts)  # another place, same folder
    d.env_extra["JOURNAL_STATE_DIR"] = str(tmp_path / "state")
    d.env_extra["JOURNAL_PASSPHRASE"] = PASSPHRASE
    assert "waiting 4 s after 4 wrong passphrases" in d("init", "--from-sync",
                                                         str(folder)).stderr
    assert d.slept == [4]
    c.env_extra["JOURNAL_PASSPHRASE"] = "a wrong guess"
    assert "waiting" not in c("init", "--from-sync", str(folder), ok=False).stderr  # cleared


def test_init_from_sync_gives_a_typed_passphrase_three_tries_and_the_same_wait(
        journal: Journal, tmp_path):
    """`init --from-sync` asked for a typed passphrase once, where every unlock asks three
    times: the same tries now, counted in the same place, with the same growing wait."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    journal.init()
    journal("add", "first words", "--date", "2026-11-20")
    journal("sync", "init", str(folder))
    c = Journal(tmp_path / "c", journal.clock, journal.prompts)
    c.prompts.queue = ["typo one", "typo two", "typo three"]
    c.prompts.asked.clear()
    result = c("init", "--from-sync", str(folder), ok=False)
    assert result.exit_code == 4 and "Traceback" not in result.output
    assert c.prompts.asked == ["Passphrase of the synced journal: "] * 3
    assert result.stderr.count("journal: wrong passphrase, try again") == 2
    assert not c.vault_dir.exists() and c.slept == []
    c.prompts.queue = ["typo four", PASSPHRASE]
    result = c("init", "--from-sync", str(folder))
    assert "waiting 2 s after 3 wrong passphrases" in result.stderr
    assert "waiting 4 s after 4 wrong passphrases" in result.stderr
    assert c.slept == [2, 4] and "1 entry" in result.stdout
    c.env_extra["JOURNAL_PASSPHRASE"] = PASSPHRASE
    assert "first words" in c("show", "2026-11-20").stdout


def test_init_from_sync_says_not_a_sync_folder_before_asking(journal: Journal, tmp_path):
    journal.prompts.default = None  # any prompt fails the test
    result = journal("init", "--from-sync", str(tmp_path), ok=False)
    assert result.exit_code == 2 and "not a journal sync folder" in result.output
    assert journal.prompts.asked == []
