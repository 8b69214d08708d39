"""Every command that unlocks gives a typed passphrase (or recovery code) the same three
tries and the same growing wait as `journal list`. `rotate-keys` and the `sync` commands
asked once and stopped, and `passwd --recovery-code` took one typed code: a typo cost the
whole command."""

from __future__ import annotations

import re

import pytest
from cli_harness import PASSPHRASE, Journal

from journal.core.store.vault import Vault

NEW = "a brand new passphrase for tonight"


def _code(text: str) -> str:
    match = re.search(r"^    ([A-Z2-7]{4}(?:-[A-Z2-7]{4})+)$", text, re.MULTILINE)
    assert match, text
    return match.group(1)


@pytest.fixture
def linked(initialised: Journal, tmp_path) -> Journal:
    (tmp_path / "Sync").mkdir()
    initialised("sync", "init", str(tmp_path / "Sync"))
    initialised.prompts.asked.clear()
    return initialised


@pytest.mark.parametrize("command", [("rotate-keys",), ("sync",), ("sync", "status"),
                                     ("sync", "rename", "ward laptop"), ("passwd",)])
def test_a_typo_is_followed_by_another_try(linked: Journal, command):
    linked.prompts.queue = ["typo one", PASSPHRASE, NEW, NEW]
    result = linked(*command)
    assert result.stderr.count("journal: wrong passphrase, try again") == 1, result.stderr
    assert linked.prompts.asked[:2] == ["Passphrase: "] * 2


@pytest.mark.parametrize("command", [("rotate-keys",), ("sync",)])
def test_three_typos_end_it_and_the_next_run_waits(linked: Journal, command):
    linked.prompts.queue = ["typo one", "typo two", "typo three"]
    result = linked(*command, ok=False)
    assert result.exit_code == 4 and "Traceback" not in result.output
    assert linked.prompts.asked == ["Passphrase: "] * 3 and linked.slept == []
    linked.prompts.queue = ["typo four", PASSPHRASE]
    result = linked(*command)
    assert "waiting 2 s after 3 wrong passphrases" in result.stderr
    assert "waiting 4 s after 4 wrong passphrases" in result.stderr
    assert linked.slept == [2, 4]


def test_rotate_keys_still_says_not_found_before_asking(journal: Journal):
    journal.prompts.default = None  # any prompt fails the test
    result = journal("rotate-keys", ok=False)
    assert result.exit_code == 2 and "no vault at" in result.stderr
    assert journal.prompts.asked == []


def test_a_mistyped_recovery_code_gets_another_try(journal: Journal):
    code = _code(journal.init().stdout)
    journal.env_extra["JOURNAL_PASSPHRASE"] = "not the code: never used for it"
    journal.prompts.queue = ["AAAA-BBBB", code, NEW, NEW]
    journal("passwd", "--recovery-code")
    assert journal.prompts.asked[-4:] == ["Recovery code: ", "Recovery code: ",
                                          "New passphrase: ", "New passphrase (again): "]
    Vault.open(journal.vault_dir, NEW, allow_weak=True).close()


def test_three_wrong_recovery_codes_end_it_counted_with_the_passphrases(journal: Journal):
    journal.init()
    journal.prompts.queue = ["AAAA-BBBB", "CCCC-DDDD", "EEEE-FFFF"]
    result = journal("passwd", "--recovery-code", ok=False)
    assert result.exit_code == 4
    assert result.stderr.count("journal: wrong recovery code, try again") == 2
    journal.prompts.queue = ["typo", PASSPHRASE]
    assert "waiting 2 s after 3 wrong passphrases" in journal("list").stderr
