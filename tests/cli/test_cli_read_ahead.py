"""Issue 19: each reading command reads ahead of the key what it will need (the rows its
check MACs; the index chunks for a listing, a search or `tags`; the word rows for a word
search only) and, once the key exists, reads none of it again."""

from __future__ import annotations

import re

import pytest
from cli_harness import Journal

from tests.sql_trace import KEY, trace_statements

DAYS = ("2026-11-20", "2026-11-21", "2026-11-22")


@pytest.fixture
def traced(initialised: Journal, monkeypatch) -> tuple[Journal, list[str]]:
    for i, day in enumerate(DAYS):
        initialised("add", "--date", day, input=f"Title {i} #ward\n\nsome canary{i} @ana\n")
    return initialised, trace_statements(monkeypatch)


def _count(statements: list[str], pattern: str) -> int:
    return sum(bool(re.search(pattern, s)) for s in statements)


RANGES = r"FROM entries WHERE uuid >="


@pytest.mark.parametrize("command, chunks, words", [
    (("search", "canary1"), 1, 1),
    (("search", "#ward"), 1, 0),
    (("search", "-n", "1", "@ana"), 1, 0),
    (("list",), 1, 0),
    (("tags",), 1, 0),
    (("reflect",), 1, 0),
    (("reflect", "--json", "--since", "2026-11-21"), 1, 0),
    (("show", "2026-11-21"), 0, 0),
])
def test_a_command_reads_ahead_what_it_needs_and_nothing_after_the_key(traced, command,
                                                                        chunks, words):
    journal, seen = traced
    result = journal(*command)
    assert result.exit_code == 0, result.output
    key = seen.index(KEY)
    before, after = seen[:key], seen[key:]
    assert _count(before, RANGES) == 256  # the check's rows, a bucket at a time
    assert _count(before, r"FROM index_chunks\b") == chunks
    assert _count(before, r"FROM word_chunks\b") == words
    assert _count(after, RANGES) == 0
    assert _count(after, r"FROM (index_chunks|word_chunks)\b") == 0


@pytest.mark.parametrize("command, lines", [(("list", "-n", "2"), 2), (("list",), 3),
                                            (("search", "-n", "1", "#ward"), 1),
                                            (("search", "canary1"), 1)])
def test_a_listing_builds_no_entry_for_its_lines(traced, monkeypatch, command, lines):
    """Lines, ids and the damage check come from the index rows: `list -n N` and `search
    -n N` built N full Entry objects (decoding every column of their chunks) to print N
    lines, and `list` one for every entry just to take its id."""
    from journal.core.store.index import Index

    journal, _ = traced
    built: list[int] = []
    real = Index.entry
    monkeypatch.setattr(Index, "entry", lambda self, ref: built.append(ref) or real(self, ref))
    result = journal(*command)
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == lines
    assert built == []
