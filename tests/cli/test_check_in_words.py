"""The check-in in one wording (issue 17's loose end): `journal show`, the jrnl and Day One
exports and the app's preview (tests/ui/test_browse.py) all give the items of
journal.core.care.check_in, in its order, and no words of their own."""

from __future__ import annotations

import json
from pathlib import Path

from cli_harness import Journal

from journal.core.care.check_in import check_in_items, check_in_line
from journal.core.model.entries import Entry

GOOD = ("lunch outside", "a family said thank you, properly")


def _add_a_full_check_in(journal: Journal) -> Entry:
    journal("add", "Long shift.", "--sleep", "6", "--energy", "3", "--recovery", "walk",
            "--recovery", "music", "--good", GOOD[0], "--good", GOOD[1],
            "--check-in", "struggling")
    return Entry.from_dict(json.loads(journal("show", "today", "--json").stdout))


def test_show_lists_the_check_in_in_the_core_words(initialised: Journal):
    entry = _add_a_full_check_in(initialised)
    items = check_in_items(entry)
    assert items == ["sleep 6/10", "energy 3/10", "recovery: walk, music",
                     "good things: lunch outside · a family said thank you, properly",
                     "safety check-in: struggling"]
    lines = initialised("show", "today").stdout.splitlines()
    start = lines.index("## Check-in")
    assert lines[start + 2:start + 2 + len(items)] == [f"- {item}" for item in items]
    assert not any("last night" in line or "good thing:" in line for line in lines)


def test_the_jrnl_and_day_one_exports_carry_the_same_check_in_line(initialised: Journal,
                                                                  tmp_path: Path):
    """The plain-text exports left the safety check-in out: a struggling evening came
    back from jrnl as an ordinary one."""
    entry = _add_a_full_check_in(initialised)
    line = check_in_line(entry)
    assert line == "Check-in: " + "; ".join(check_in_items(entry))
    out = tmp_path / "journal.txt"
    initialised("export", "--format", "jrnl", "-o", str(out))
    assert line in out.read_text("utf-8").splitlines()
    zipped = tmp_path / "dayone.zip"
    initialised("export", "--format", "dayone", "-o", str(zipped))
    import zipfile

    with zipfile.ZipFile(zipped) as archive:
        [item] = json.loads(archive.read("Journal.json"))["entries"]
    assert line in item["text"].splitlines()
