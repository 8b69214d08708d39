"""jrnl's text read as a source folded again as it is written (`importers/folded.py`): the
import held every entry of a jrnl journal at once (50,000 entries: 639 MB); now it holds
the journal's text and a part of its entries, and gives exactly what reading it whole
gives: the same days, ids, bodies, times, and the same errors (those of malformed text:
test_import_jrnl.py)."""

from __future__ import annotations

import weakref
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from reads import as_read as _as_read
from test_peer_fixtures import JRNL, PEER

from journal.core.exchange import importers
from journal.core.exchange.importers import folded, jrnl
from journal.core.exchange.importers import plan as planning
from journal.core.exchange.importers.source import HeldSource
from journal.core.store.bulk import bucket_of


def _journal(count: int, start: date = date(2020, 1, 1), per_day: int = 2) -> str:
    """jrnl text as jrnl writes it: sorted, several entries a day."""
    lines = []
    for i in range(count):
        when = datetime.combine(start + timedelta(days=i // per_day), datetime.min.time()) \
            + timedelta(hours=8 + 3 * (i % per_day))
        lines.append(f"[{when:%Y-%m-%d %H:%M}] Entry {i} @work\nBody of {i}, #tag{i % 7}.\n")
    return "\n".join(lines)


def _streamed(path, **kw) -> tuple[object, list[dict]]:
    source = importers.open_source(path, "jrnl", **kw)
    with source:
        return source, _as_read(e for _, e in source.entries(lambda i: True))


@pytest.mark.parametrize("name", sorted(n for n in JRNL if n.endswith(".journal")))
def test_every_peer_journal_reads_the_same_streamed(name):
    passphrase, timeformat = JRNL[name]
    path = PEER / "jrnl" / name
    whole = importers.read(path, "jrnl", source_passphrase=passphrase, timeformat=timeformat)
    _, streamed = _streamed(path, source_passphrase=passphrase, timeformat=timeformat)
    assert streamed == _as_read(whole)


def test_a_sorted_journal_is_folded_again_not_held(tmp_path):
    path = tmp_path / "journal.txt"
    path.write_text(_journal(40), encoding="utf-8")
    source, streamed = _streamed(path)
    assert isinstance(source, folded.FoldedSource)
    assert streamed == _as_read(jrnl.read(path)) and len(streamed) == 20
    assert [s["body"].count("## ") for s in streamed] == [2] * 20  # two sections a day


def test_a_journal_out_of_order_is_held_as_it_was_read(tmp_path):
    path = tmp_path / "journal.txt"
    text = _journal(6, per_day=1)
    path.write_text(text + "\n[2019-12-31 09:00] Earlier, written last\n", encoding="utf-8")
    source, streamed = _streamed(path)
    assert isinstance(source, HeldSource)
    assert streamed == _as_read(jrnl.read(path)) and streamed[0]["date"] == "2019-12-31"


class _Probe(list):
    """Weakly referenced: put into an entry's extras, it lives as long as that entry."""


@pytest.fixture
def probing(monkeypatch):
    alive, most = Counter(), [0]

    def fold_days(fmt, pieces):
        entries = real(fmt, pieces)
        for entry in entries:
            entry.extra["probe"] = probe = _Probe()
            weakref.finalize(probe, alive.update, ["freed"])
            alive["made"] += 1
            most[0] = max(most[0], alive["made"] - alive["freed"])
        return entries

    real = folded.fold_days
    monkeypatch.setattr(folded, "fold_days", fold_days)
    return alive, most


def test_an_import_holds_a_part_of_the_journals_entries_at_a_time(vault, tmp_path,
                                                                   monkeypatch, probing):
    alive, most = probing
    path = tmp_path / "journal.txt"
    path.write_text(_journal(1200), encoding="utf-8")
    whole = jrnl.read(path)
    biggest = max(Counter(bucket_of(e.id) for e in whole).values())
    monkeypatch.setattr(folded.FoldedSource, "group", 100)
    with importers.open_source(path, "jrnl") as source:
        assert len(source.survey) == 600 and most[0] <= 2  # the survey keeps none
        result = planning.plan_source(vault, source)
        assert result.new_count == 600 and result.writes == []
        assert planning.apply(vault, result) == 600
        assert most[0] <= 100 + biggest + 1  # one part, and the bucket still being written
        monkeypatch.setattr(planning, "BATCH", 40)
        again = planning.plan_source(vault, source)  # the app plans twice: it can
        assert again.unchanged == 600 and most[0] <= 100 + biggest + 1
    saved = {e.id: e for e in vault.entries()}
    assert {e.id: (e.date, e.body) for e in whole} == {
        i: (e.date, e.body) for i, e in saved.items()}
