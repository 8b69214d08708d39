"""Hostile labels that recur often enough to be ranked (issue 13, item 1).

A tag, person, feeling or recovery label carrying a terminal escape appears once in
test_hostile_input.py, too rarely for `journal reflect` to rank it and print it. Here each
recurs on 30 days, so reflection shows them (spillover's most frequent labels, the
triggers ranking), and every command and output mode is run over them: text must show
them escaped (and show them: the test checks the escaped form is there), JSON must stay
valid JSON that gives back the exact hostile string."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from faultkit import PASSPHRASE, CliJournal, raw_controls
from jsonwalk import strings_in

from journal.cli import cli
from journal.core.model.entries import Entry, Moment

#: Sets the window title, then hides everything after it (the issue's example), plus the
#: 8-bit CSI that some terminals obey like ESC [.
BAD = "x\x1b]2;pwned\x07\x1b[8m\x9b1m"
SHOWN = "x\\x1b]2;pwned\\x07\\x1b[8m\\x9b1m"
LAST = date(2026, 11, 24)
DAYS = 30


def _entries() -> list[Entry]:
    entries = []
    for i in range(DAYS):
        day = LAST - timedelta(days=i)
        entries.append(Entry(
            date=day, body=f"{BAD} shift {i}\n\nbody #{'h'}{BAD[:4]} @sam {BAD}",
            sleep=4 + i % 4, energy=5, recovery=[f"walk{BAD}"] if i % 2 else [],
            good_things=[f"good {BAD}"],
            moments=[
                Moment(kind="contagion", intensity=8, context="home", time="20:00",
                       tags=[f"t{BAD}"], people=[f"p{BAD}"], feelings=[f"numb{BAD}"],
                       action="withdrew", note=f"note {BAD}"),
                Moment(kind="concern", intensity=3, context="work", time="10:00",
                       tags=[f"t{BAD}"], people=[f"p{BAD}"], note=BAD)]))
    return [Entry.from_dict(e.to_dict()) for e in entries]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> CliJournal:
    cli_journal = CliJournal(tmp_path_factory.mktemp("recurring"))
    with cli_journal.create() as vault:
        vault.put_many(_entries())
    return cli_journal


TEXT_COMMANDS = {
    "list": ["list"],
    "show": ["show", LAST.isoformat()],
    "search-words": ["search", "shift"],
    "search-kind": ["search", "--kind", "contagion"],
    "reflect": ["reflect"],
    "reflect-range": ["reflect", "--since", "2026-11-01"],
    "tags": ["tags"],
}


@pytest.mark.parametrize("name", sorted(TEXT_COMMANDS))
def test_text_output_shows_recurring_hostile_labels_escaped(hostile, name):
    result = hostile(*TEXT_COMMANDS[name])
    assert raw_controls(result.stdout) == [], result.stdout[:400]
    assert raw_controls(result.stderr) == [], result.stderr[:400]
    assert SHOWN in result.stdout  # the label really is shown, escaped


def test_reflect_ranks_the_hostile_labels(hostile):
    """The premise: reflection prints the recurring labels (triggers and spillover)."""
    text = hostile("reflect").stdout
    assert f"#t{SHOWN}" in text and f"@p{SHOWN}" in text
    found = json.loads(hostile("reflect", "--json").stdout)
    by_name = {f["kind"]: f for f in found["findings"]}
    assert [t["tag"] for t in by_name["triggers"]["stats"]["tags"]] == [f"t{BAD}"]
    labels = [x["label"] for x in by_name["spillover"]["stats"]["labels"]]
    assert f"#t{BAD}" in labels and f"@p{BAD}" in labels


JSON_COMMANDS = {
    "list": ["list", "--json"],
    "show": ["show", LAST.isoformat(), "--json"],
    "search": ["search", "shift", "--json"],
    "reflect": ["reflect", "--json"],
    "export": ["export", "--format", "json"],
    "tags": ["tags", "--json"],
}


@pytest.mark.parametrize("name", sorted(JSON_COMMANDS))
def test_json_output_is_valid_json_with_controls_escaped(hostile, name):
    result = hostile(*JSON_COMMANDS[name])
    assert raw_controls(result.stdout) == [], result.stdout[:400]
    assert "\\u001b]2;pwned\\u0007\\u001b[8m\\u009b1m" in result.stdout
    assert any(BAD in text for text in strings_in(json.loads(result.stdout)))  # same data


def test_check_add_import_and_delete_never_send_controls(hostile, tmp_path):
    outputs = [hostile("check"), hostile("add", "--date", LAST.isoformat(), f"more {BAD}")]
    exported = tmp_path / "out.json"
    hostile("export", "--format", "json", "-o", str(exported), "--force")
    outputs.append(hostile("import", str(exported), "--dry-run"))
    runtime = hostile.runtime()
    runtime.interactive = True  # the delete question quotes the entry's title
    asked = CliRunner().invoke(cli, ["delete", LAST.isoformat()], obj=runtime, input="n\n",
                               catch_exceptions=False)
    assert "Nothing deleted." in asked.stderr
    assert SHOWN[:12] in asked.stderr  # the question was asked, with the title escaped
    outputs.append(asked)
    for result in outputs:
        assert raw_controls(result.stdout) == [], result.stdout[:400]
        assert raw_controls(result.stderr) == [], result.stderr[:400]


def test_sealed_captures_with_recurring_hostile_tags(tmp_path):
    """The issue's attack: eight quick captures need no passphrase."""
    journal = CliJournal(tmp_path)
    journal.create().close()
    for i in range(8):
        journal("add", "--sealed", "--date", (LAST - timedelta(days=i)).isoformat(),
                "-m", f"contagion 7 home #t{BAD}", "-m", "concern 2 work #calm",
                f"{BAD} x {i}")
    result = journal("reflect")
    assert "merged 8 sealed" in result.stderr
    assert SHOWN[:12] in result.stderr  # each capture's first words, listed at unlock
    assert raw_controls(result.stdout + result.stderr) == []
    assert f"#t{SHOWN}" in result.stdout
    assert PASSPHRASE not in result.stdout
    for args in (["captures"], ["show", LAST.isoformat()], ["list"]):
        shown = journal(*args)
        assert raw_controls(shown.stdout + shown.stderr) == [], args
        assert SHOWN[:12] in shown.stdout, args
