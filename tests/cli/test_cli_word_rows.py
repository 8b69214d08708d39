"""Issue 19: the words of the entries (the word filter) are decrypted by a word search and
by nothing else: `list`, `reflect`, a tag search and `tags` read the index chunks, which
hold no word of a body beyond its title line."""

from __future__ import annotations

import pytest
from cli_harness import Journal

from journal.core.store import crypto
from journal.core.store.word_chunk import WORDS_AAD_PREFIX

DAYS = ("2026-11-20", "2026-11-21", "2026-11-22")


@pytest.fixture
def decrypted(initialised: Journal, monkeypatch) -> tuple[Journal, list[tuple[bytes, bytes]]]:
    for i, day in enumerate(DAYS):
        initialised("add", "--date", day,
                    input=f"Title line {i} #ward\n\nsecond line canaryword{i} @ana\n")
    seen: list[tuple[bytes, bytes]] = []
    real = crypto.open_sealed

    def spy(key: bytes, blob: bytes, aad: bytes) -> bytes:
        plaintext = real(key, blob, aad)
        seen.append((aad, bytes(plaintext)))
        return plaintext

    monkeypatch.setattr(crypto, "open_sealed", spy)
    return initialised, seen


@pytest.mark.parametrize("command", [("list",), ("reflect", "--json"), ("search", "#ward"),
                                     ("search", "-n", "1", "@ana"), ("tags",)])
def test_no_command_but_a_word_search_decrypts_the_words(decrypted, command):
    journal, seen = decrypted
    result = journal(*command)
    assert "canaryword" not in result.stdout
    assert seen  # the index was read
    assert not [aad for aad, _ in seen if aad.startswith(WORDS_AAD_PREFIX)]
    assert not [aad for aad, text in seen if b"canaryword" in text]


def test_a_word_search_decrypts_the_word_rows_and_no_entry(decrypted):
    journal, seen = decrypted
    result = journal("search", "canaryword1")
    assert len(result.stdout.splitlines()) == 1 and "2026-11-21" in result.stdout
    assert [aad for aad, _ in seen if aad.startswith(WORDS_AAD_PREFIX)]
    assert not [aad for aad, _ in seen if aad.startswith(crypto.ENTRY_AAD_PREFIX)]
