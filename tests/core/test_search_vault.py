"""Searching a vault: the index answers tags, people, kinds, contexts, dates and words (its
sealed word filter); only a phrase with white space is matched in full entries, decrypted
in batches, parsed only when their text can match."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.model.entries import Entry, Moment
from journal.core.model.query import Query, search, search_vault
from journal.core.store.vault import Vault

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
           "ünïcode kind:concern", "note", "\"quoted\"", "line.", "#nosuchtag", "nosuchword",
           "'night shift'", "'a \"quoted\" line' #t4", "'y 1'", "ay", "1:", "a\\\"q",
           "' line'", "''"]


def _phrase(q: Query) -> bool:
    return any(not word or any(c.isspace() for c in word) for word in q.text)


@pytest.mark.parametrize("raw", QUERIES)
def test_vault_search_agrees_with_searching_every_full_entry(filled, raw):
    q = Query.parse(raw)
    expected = [e.id for e in search(filled.entries(), q)]
    filled._cache = None  # search_vault on the index and the rows, not the full cache
    got = search_vault(filled, q)
    assert [e.id for e in got] == expected
    assert all(e.partial != _phrase(q) for e in got)  # only a phrase reads full entries


def test_words_decrypt_no_entry_and_a_phrase_parses_only_matches(filled, monkeypatch):
    parsed = []
    real = Entry.from_dict
    monkeypatch.setattr(Entry, "from_dict",
                        classmethod(lambda cls, d, where="entry": parsed.append(1)
                                    or real.__func__(cls, d, where)))
    found = search_vault(filled, Query.parse("handover grief"))  # the word filter alone
    assert found and not parsed
    found = search_vault(filled, Query.parse("'handover grief'"))  # candidates, then text
    assert len(parsed) == len(found) < 120


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(st.text(alphabet="aßB é\n\t#@.\"'İ\u0130\u00a0", max_size=30),
                       min_size=1, max_size=12),
       words=st.lists(st.text(alphabet="aßsB é.\"İi\u0307", min_size=1, max_size=4),
                      min_size=1, max_size=2),
       edit=st.tuples(st.integers(0, 11), st.text(alphabet="aßB é\n", max_size=12)))
def test_the_word_filter_finds_exactly_what_reading_every_entry_finds(
        tmp_path_factory, fast_kdf, bodies, words, edit):
    """Through the sealed word rows, as written by one save and patched by the next."""
    vault, _ = Vault.create(tmp_path_factory.mktemp("words") / "v", "pw", kdf=fast_kdf,
                            recovery=False)
    try:
        vault.put_many([Entry(date=date(2024, 1, 1) + timedelta(days=i), body=body,
                              good_things=[body[::-1]] if i % 2 else [])
                        for i, body in enumerate(bodies)])
        query = Query(text=[w.casefold() for w in words])
        vault.refresh()
        vault.indexes.forget()
        vault.index().word_chunks()  # loaded before the edit: patched by the save
        changed = vault.entries()[edit[0] % len(bodies)]
        changed.body = edit[1]
        vault.put(changed)
        expected = [e.id for e in search(vault.entries(), query)]
        vault.refresh()
        assert [e.id for e in search_vault(vault, query)] == expected
        vault.indexes.forget()  # and as read back from the vault file
        assert [e.id for e in search_vault(vault, query)] == expected
    finally:
        vault.close()


def test_a_word_json_would_escape_still_matches(filled):
    found = search_vault(filled, Query.parse("'\"quoted\"'"))
    assert len(found) == 120
