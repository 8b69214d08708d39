"""Issue 17 at the command line: `journal practice` (plain prompts, each step skippable, kept
with a moment), practices in `journal show`, and `journal add --check-in` printing the
support resources on "not safe" and on "struggling" three entries in a row."""

from __future__ import annotations

import json

import pytest
from cli_harness import Journal

from journal.core.care.safety import NO_ONE_WATCHES


def _moments(j: Journal, day: str = "today") -> list[dict]:
    return json.loads(j("show", day, "--json").stdout)["moments"]


def test_a_practice_is_kept_with_the_latest_contagion_moment(initialised: Journal):
    initialised("add", "-m", "contagion 8 work #yelling", "-m", "concern 4 home")
    initialised.interactive = True
    # land 8, theirs and mine taken, warmth skipped, widening and next step taken, close 4
    result = initialised("practice", input="8\n\ns\n\n\n4\n")
    assert "Land" in result.stdout and "research suggests this may help" in (
        result.stdout.lower())
    first, second = _moments(initialised)
    assert first["practice"] == {"minutes": 0, "before": 8, "after": 4, "steps": [
        "land", "theirs_and_mine", "widening", "next_step", "close"]}
    assert "practice" not in second
    shown = initialised("show", "today").stdout
    assert "practice: no timer, 5 of 6 steps" in shown and "activation 8 -> 4" in shown
    # the steps in words, not the record's ids ('theirs_and_mine' was shown as is)
    assert "(land, theirs and mine, widening, next step, close)" in shown


def test_q_stops_and_keeps_what_was_taken(initialised: Journal):
    initialised("add", "-m", "contagion 9 work")
    initialised.interactive = True
    result = initialised("practice", input="7\nq\n")
    assert "Stopped here" in result.stdout
    assert _moments(initialised)[0]["practice"] == {
        "minutes": 0, "steps": ["land"], "before": 7, "after": None}


def test_every_step_skipped_keeps_nothing(initialised: Journal):
    initialised("add", "-m", "contagion 9 work")
    initialised.interactive = True
    result = initialised("practice", input="s\ns\ns\ns\ns\ns\n")
    assert "nothing kept" in result.stdout
    assert "practice" not in _moments(initialised)[0]


def test_a_bad_rating_is_asked_again_and_a_chosen_moment_is_used(initialised: Journal):
    initialised("add", "-m", "contagion 8 work", "-m", "contagion 6 home")
    initialised.interactive = True
    result = initialised("practice", "--moment", "1", input="eleven\n5\ns\ns\ns\ns\ns\n")
    assert "A whole number from 0 to 10" in result.stdout
    first, second = _moments(initialised)
    assert first["practice"]["before"] == 5 and "practice" not in second


def test_practice_needs_a_terminal_and_a_real_moment(initialised: Journal):
    initialised("add", "-m", "contagion 8 work")
    result = initialised("practice", ok=False)
    assert result.exit_code != 0 and "run it in a terminal" in result.stderr
    initialised.interactive = True
    result = initialised("practice", "--moment", "3", input="", ok=False)
    assert result.exit_code != 0 and "has 1 moment, not 3" in result.stderr
    assert "Traceback" not in result.output


def test_not_safe_prints_the_support_resources_at_once(initialised: Journal):
    result = initialised("add", "--check-in", "not_safe")
    assert "988" in result.stdout and "116 123" in result.stdout
    assert NO_ONE_WATCHES in result.stdout
    assert json.loads(initialised("show", "today", "--json").stdout)["check_in"] == "not_safe"
    assert "safety check-in: not safe" in initialised("show", "today").stdout


def test_struggling_three_entries_in_a_row_prints_support(initialised: Journal):
    for day, expected in (("2026-11-22", False), ("2026-11-23", False), ("2026-11-24", True)):
        result = initialised("add", "--date", day, "--check-in", "struggling")
        assert ("988" in result.stdout) is expected, day


def test_struggling_after_an_ok_does_not_print_support(initialised: Journal):
    initialised("add", "--date", "2026-11-22", "--check-in", "struggling")
    initialised("add", "--date", "2026-11-23", "--check-in", "ok")
    result = initialised("add", "--date", "2026-11-24", "--check-in", "struggling")
    assert "988" not in result.stdout
    result = initialised("add", "--check-in", "ok")
    assert "988" not in result.stdout


def test_a_sealed_struggling_says_it_cannot_count_the_run(initialised: Journal):
    """Issue 17's loose end: `add --sealed` has no passphrase, so it cannot read the
    check-ins before it, and the third 'struggling' in a row printed nothing at all, as if
    the rule had been checked. It says so in one plain line instead; 'not safe' needs no
    earlier entry and prints the resources, sealed or not."""
    initialised.prompts.default = None   # sealed: never asks for the passphrase
    initialised.prompts.queue = ["correct horse battery staple"] * 2
    initialised("add", "--date", "2026-11-23", "--check-in", "struggling")
    initialised("add", "--date", "2026-11-24", "--check-in", "struggling")
    result = initialised("add", "--sealed", "--check-in", "struggling")
    lines = result.stdout.splitlines()
    [said] = [line for line in lines if "cannot read your earlier entries" in line]
    assert "'journal support'" in said and "988" not in result.stdout
    assert lines[-1] == said and len(lines) == 2   # the sealed message, then this line
    assert "cannot read" not in initialised("add", "--sealed", "--check-in", "ok").stdout
    not_safe = initialised("add", "--sealed", "--check-in", "not_safe").stdout
    assert "988" in not_safe and "cannot read" not in not_safe


def test_free_text_is_never_scanned(initialised: Journal):
    """Helpers write about clients' words: no keyword ever opens the resources."""
    result = initialised("add", "Client talked about suicide and not being safe; I held it.")
    assert "988" not in result.stdout


def test_a_bad_check_in_is_one_line(initialised: Journal):
    result = initialised("add", "--check-in", "fine", ok=False)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_reflect_json_reports_the_practice_finding(initialised: Journal):
    from datetime import date, timedelta

    from cli_harness import PASSPHRASE

    from journal.core.model.entries import Entry, Moment
    from journal.core.model.practice import Practice
    from journal.core.store.vault import Vault

    start = date(2026, 10, 1)
    entries = []
    for i in range(40):
        practice = Practice(2, ("land", "close"), 8, 5) if i % 3 == 0 else None
        entries.append(Entry(date=start + timedelta(days=i), moments=[
            Moment("contagion", 8, "work", practice=practice),
            Moment("concern" if i % 3 == 1 else "contagion", 5, "home")]))
    vault = Vault.open(initialised.vault_dir, PASSPHRASE, allow_weak=True)
    vault.put_many(entries)
    vault.close()
    result = initialised("reflect", "--json", "--since", "2026-10-01")
    found = next(f for f in json.loads(result.stdout)["findings"] if f["kind"] == "practice")
    stats = found["stats"]
    assert stats["practices"] == 14 and stats["mean_change"] == -3.0
    assert {"next_day_share_after", "next_day_share_other"} <= set(stats)
    assert isinstance(found["notable"], bool)
    text = initialised("reflect", "--since", "2026-10-01").stdout
    # The text names findings by title, never by internal kind (issue 12).
    assert found["title"] in text and "(practice)" not in text


def test_an_unlock_that_merges_a_sealed_struggling_counts_the_run(initialised: Journal):
    """The sealed note said it could not count the run; the unlock that merged it did not
    count it either, so 'struggling' three entries in a row never showed support. Now the
    merge counts it as if it had been chosen then, on stderr (the command's own output
    stays as it is)."""
    initialised("add", "--date", "2026-11-23", "--check-in", "struggling")
    initialised("add", "--date", "2026-11-24", "--check-in", "struggling")
    sealed = initialised("add", "--sealed", "--check-in", "struggling", "can't sleep")
    assert "988" not in sealed.stdout
    listed = initialised("list")
    assert "merged 1 sealed" in listed.stderr
    assert "988" in listed.stderr and NO_ONE_WATCHES in listed.stderr
    assert "'struggling' 3 entries in a row" in listed.stderr
    assert "988" not in listed.stdout and "2026-11-25" in listed.stdout
    assert "988" not in initialised("list").stderr   # said once, when it was merged


@pytest.mark.parametrize("earlier", [("struggling", "ok"), ("ok", "struggling"), ()])
def test_a_merged_struggling_without_the_run_stays_quiet(initialised: Journal, earlier):
    for day, check_in in zip(("2026-11-23", "2026-11-24"), earlier, strict=False):
        initialised("add", "--date", day, "--check-in", check_in)
    initialised("add", "--sealed", "--check-in", "struggling", "can't sleep")
    listed = initialised("list")
    assert "merged 1 sealed" in listed.stderr and "988" not in listed.stderr


def test_a_sealed_note_never_changes_a_check_in_chosen_when_unlocked(initialised: Journal):
    """Anyone who can write the vault folder can seal a note: the day's own choice stays,
    and that is what the run counts."""
    for day in ("2026-11-23", "2026-11-24"):
        initialised("add", "--date", day, "--check-in", "struggling")
    initialised("add", "--check-in", "ok")
    initialised("add", "--sealed", "--check-in", "struggling", "can't sleep")
    listed = initialised("list")
    assert "merged 1 sealed" in listed.stderr and "988" not in listed.stderr
    assert json.loads(initialised("show", "today", "--json").stdout)["check_in"] == "ok"
