"""`journal list` with a range: an empty range said "No entries yet. Add one with: journal
add" of a vault full of entries, and --since after --until listed nothing without a word,
where `reflect`, `search` and `export` refuse it."""

from __future__ import annotations

import pytest
from cli_harness import Journal


@pytest.fixture
def two_days(initialised: Journal) -> Journal:
    initialised("add", "--date", "2026-03-01", "First day.")
    initialised("add", "--date", "2026-03-05", "Fifth day.")
    return initialised


@pytest.mark.parametrize("options, said", [
    (("--since", "2026-03-02", "--until", "2026-03-04"),
     "No entries from 2026-03-02 to 2026-03-04."),
    (("--since", "2026-04-01"), "No entries on or after 2026-04-01."),
    (("--until", "2026-02-01"), "No entries on or before 2026-02-01."),
])
def test_an_empty_range_says_so_not_that_the_vault_is_empty(two_days: Journal, options, said):
    result = two_days("list", *options)
    assert result.stdout == "" and result.stderr == said + "\n"


def test_an_empty_vault_still_says_how_to_begin(initialised: Journal):
    assert "No entries yet. Add one with: journal add" in initialised("list").stderr


def test_since_after_until_is_refused_before_the_passphrase(two_days: Journal):
    two_days.prompts.default = None  # any prompt fails the test
    two_days.prompts.asked.clear()
    result = two_days("list", "--since", "2026-03-05", "--until", "2026-03-01", ok=False)
    assert result.exit_code == 2 and two_days.prompts.asked == []
    assert result.stderr == "journal: error: --since 2026-03-05 is after --until 2026-03-01\n"


def test_a_range_with_entries_lists_them(two_days: Journal):
    result = two_days("list", "--since", "2026-03-01", "--until", "2026-03-04")
    assert "First day." in result.stdout and "Fifth day." not in result.stdout

