"""Searching a vault: the index answers tags, people, kinds, contexts and dates; words are
matched in full entries, decrypted in batches, parsed only when their text can match."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from journal.core.model.entries import Entry, Moment
from journal.core.model.query import Query, search, search_vault

WORDS = ["Straße", "night", "SHIFT", "café", "handover", "grief", "walk", "tea", "Ünïcode"]


def _entries(n: int, seed: int = 3) -> list[Entry]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = " ".join(rng.sample(WORDS, 3))
        out.append(Entry(
            date=date(2025, 1, 1) + timedelta(days=i),
            body=f"Day {i}: {words} #t{i % 5} @p{i % 3}\n\nA \"quoted\" line.",
            good_things=[rng.choice(WORDS)], recovery=[rng.choice(["walk", "music"])],
            moments=[Moment(rng.choice(["contagion", "concern"]), rng.randrange(11),
                            rng.choice(["work", "home", "commute"]), tags=[f"m{i % 4}"],
                            people=["sam"], note=rng.choice(WORDS) + " note")],
        ))
    return out


@pytest.fixture
def filled(vault):
    vault.put_many(_entries(120))
    return vault


QUERIES = ["#t1", "@p2", "kind:contagion context:home", "since:2025-02-01 until:2025-03-01",
           "#t2 @p0 #m1", "strasse", "STRAßE night", "café #t3", "walk tea grief",
           "ünïcode kind:concern", "note", "\"quoted\"", "line.", "#nosuchtag", "nosuchword"]


@pytest.mark.parametrize("raw", QUERIES)
def test_vault_search_agrees_with_searching_every_full_entry(filled, raw):
    q = Query.parse(raw)
    expected = [e.id for e in search(filled.entries(), q)]
    filled._cache = None  # search_vault on the index and the rows, not the full cache
    got = search_vault(filled, q)
    assert [e.id for e in got] == expected
    assert all((e.partial if not q.text else not e.partial) for e in got)


def test_rows_that_cannot_match_are_not_parsed(filled, monkeypatch):
    parsed = []
    real = Entry.from_dict
    monkeypatch.setattr(Entry, "from_dict",
                        classmethod(lambda cls, d, where="entry": parsed.append(1)
                                    or real.__func__(cls, d, where)))
    found = search_vault(filled, Query.parse("handover grief"))  # every row: one scan
    assert found and len(parsed) == len(found) < 120
    parsed.clear()
    found = search_vault(filled, Query.parse("#t1 handover"))  # a few rows: looked up
    assert found and len(parsed) == len(found) < 24


def test_a_word_json_would_escape_still_matches(filled):
    found = search_vault(filled, Query.parse("'\"quoted\"'"))
    assert len(found) == 120
