"""A JSON export read as a stream (issue 19, import memory): the same validation as
`format_v1.load`, and an import that holds a part of the file's entries at a time."""

from __future__ import annotations

import json
import resource
import weakref
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from journal.core import demo
from journal.core.errors import ValidationError
from journal.core.exchange import format_v1 as exchange
from journal.core.exchange import importers
from journal.core.exchange.importers import export_stream
from journal.core.exchange.importers import plan as planning
from journal.core.model.entries import Entry
from journal.core.store.bulk import bucket_of


def _export(path: Path, entries: list[Entry]) -> Path:
    path.write_text(exchange.to_json_text(entries), encoding="utf-8")
    return path


class _Probe(list):
    """A JSON value (an empty list) that can be weakly referenced: put into an entry's
    extras, it lives exactly as long as that entry does."""


class _Probing:
    """Entry, as the stream reads it again, each one carrying a probe: `alive` counts the
    probes made and freed, `most` the most alive at once."""

    alive = Counter[str]()
    most = 0

    @classmethod
    def from_dict(cls, raw, where):
        entry = Entry.from_dict(raw, where=where)
        entry.extra["probe"] = probe = _Probe()
        weakref.finalize(probe, cls.alive.update, ["freed"])
        cls.alive["made"] += 1
        cls.most = max(cls.most, cls.alive["made"] - cls.alive["freed"])
        return entry


@pytest.fixture
def probing(monkeypatch) -> type[_Probing]:
    monkeypatch.setattr(_Probing, "alive", Counter())
    monkeypatch.setattr(_Probing, "most", 0)
    monkeypatch.setattr(export_stream, "Entry", _Probing)
    return _Probing


def test_an_import_holds_a_part_of_the_files_entries_at_a_time(vault, tmp_path, monkeypatch,
                                                                probing):
    """The import read the whole document, then held every entry until commit. Now the
    entries are read again a range of buckets at a time (at most `group` of them) and
    written one bucket at a time."""
    vault.put_many(demo.generate(20, start=date(1990, 1, 1)))
    incoming = demo.generate(600, seed=3, body_bytes=100, moments=1)
    source_file = _export(tmp_path / "export.json", incoming)
    biggest = max(Counter(bucket_of(e.id) for e in incoming).values())
    alive = probing.alive
    monkeypatch.setattr(export_stream.ExportStream, "group", 100)
    with importers.open_source(source_file) as source:
        assert len(source.survey) == 600 and alive["made"] == 0  # the survey keeps none
        result = planning.plan_source(vault, source)
        assert result.new_count == 600 and result.writes == [] and alive["made"] == 0
        assert result.date_range == (incoming[0].date, incoming[-1].date)
        assert planning.apply(vault, result) == 600
    assert alive["made"] == alive["freed"] == 600
    assert probing.most <= 100 + biggest + 1  # one part, and the bucket still being written
    assert vault.count() == 620
    saved = {e.id: e for e in vault.entries()}
    assert all(saved[e.id].body == e.body and saved[e.id].date == e.date for e in incoming)
    assert {(h.date, h.title) for h in vault.summaries()} == {
        (e.date, e.title) for e in saved.values()}


def test_a_reimport_holds_a_batch_of_the_files_entries_at_a_time(vault, tmp_path,
                                                                 monkeypatch, probing):
    """Every entry of a re-import meets the vault: they are planned in batches, and an entry
    that changes nothing is let go."""
    incoming = demo.generate(300, seed=6, body_bytes=100, moments=1)
    for entry in incoming:
        entry.extra["probe"] = []  # equal to the probe each gets when read again
    path = _export(tmp_path / "export.json", incoming)
    vault.put_many(incoming)
    monkeypatch.setattr(planning, "BATCH", 40)
    with importers.open_source(path) as source:
        result = planning.plan_source(vault, source)
    assert (result.new_count, len(result.merged), result.unchanged) == (0, 0, 300)
    assert probing.alive["made"] == probing.alive["freed"] == 300
    assert probing.most <= 40 + 1


def test_entries_meeting_the_vault_or_each_other_are_planned_as_before(vault, tmp_path):
    vault.put(Entry(date=date(2026, 2, 1), body="already here"))
    raw = [{"date": "2026-02-01", "body": "more"},  # merges into the vault's day
           {"date": "2026-02-03", "body": "first"},
           {"date": "2026-02-03", "body": "second"},  # merges into the file's own day
           {"date": "2026-02-04", "body": "no id, new"}]
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": exchange.FORMAT, "version": 1, "entries": raw}))
    with importers.open_source(path) as source:
        result = planning.plan_source(vault, source)
        assert (result.new_count, len(result.merged), result.unchanged) == (2, 1, 0)
        assert result.fresh.count(1) == 1
        given_id = source.survey.ids[3]
        planning.apply(vault, result)
    days = {e.date.isoformat(): e for e in vault.entries()}
    assert days["2026-02-01"].body.startswith("already here\n\nmore")
    assert "first" in days["2026-02-03"].body and "second" in days["2026-02-03"].body
    assert days["2026-02-04"].id == given_id  # the id given when first read, kept
    with importers.open_source(path) as source:  # again: nothing new
        again = planning.plan_source(vault, source)
        assert (again.new_count, len(again.merged), again.unchanged) == (0, 0, 4)


@pytest.mark.parametrize("doc", [
    '{"format": "journal-export", "version": 1, "entries": [{"date": "2026-01-01", '
    '"body": "a", "body": "b"}]}',
    '{"format": "journal-export", "format": "x", "version": 1, "entries": []}',
    '{"format": "journal-export", "version": 1, "entries": [{"date": "2026-01-01", '
    '"sleep": NaN}]}',
    '{"format": "journal-export", "version": 1, "entries": [{"date": "2026-01-01"}',
    '{"entries": [{"date": "2026-02-30"}], "format": "journal-export", "version": 1}',
    '{"entries": [], "format": "journal-export", "version": 2}',
    '{"format": "journal-export", "version": true, "entries": []}',
    '{"format": "journal-export", "version": 1, "entries": {}}',
    '[1, 2]',
    '{"format": "journal-export", "version": 1, "entries": [{"date": "2026-01-01", '
    '"moments": [{"kind": "concern", "intensity": 11, "context": "home"}]}]}',
])
def test_the_stream_refuses_what_the_whole_document_reader_refuses(tmp_path, doc):
    path = tmp_path / "doc.json"
    path.write_text(doc, encoding="utf-8")
    with pytest.raises(ValidationError) as whole:
        exchange.loads(doc, source=str(path))
    with pytest.raises(ValidationError) as streamed:
        importers.open_source(path, "json")
    expected = str(whole.value)
    if "not valid JSON" not in expected and "appears twice" not in expected \
            and "not allowed" not in expected:
        expected = f"{path}, {expected}"  # a document's own errors name the file
    assert str(streamed.value) == expected


def test_deep_nesting_is_refused_in_one_line_without_eating_memory(tmp_path):
    """The streaming parser keeps a path per level: 100,000 levels would take gigabytes."""
    path = tmp_path / "deep.json"
    path.write_text('{"format": "journal-export", "version": 1, "entries": [{"date": '
                    '"2026-01-01", "x": ' + "[" * 100_000 + "]" * 100_000 + "}]}")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ValidationError, match="nested too deeply") as info:
        importers.read(path, "json")
    assert "\n" not in str(info.value)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB


def test_a_byte_order_mark_is_read_past(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + exchange.to_json_text(demo.generate(3)).encode())
    assert importers.detect(path) == "json"
    assert [e.date for e in importers.read(path)] == [e.date for e in demo.generate(3)]


def test_a_file_changed_between_the_reads_writes_nothing(vault, tmp_path):
    path = _export(tmp_path / "export.json", demo.generate(30, seed=4))
    with importers.open_source(path) as source:
        result = planning.plan_source(vault, source)
        with path.open("r+", encoding="utf-8") as handle:  # the same file, rewritten
            handle.write(exchange.to_json_text(demo.generate(30, seed=5)))
        with pytest.raises(ValidationError, match="changed while it was being imported"):
            planning.apply(vault, result)
    assert vault.count() == 0


def test_the_first_read_tells_its_progress_in_bytes(tmp_path):
    path = _export(tmp_path / "export.json", demo.generate(120, body_bytes=2000))
    told: list[int] = []
    with importers.open_source(path, progress=told.append) as source:
        assert len(source.survey) == 120
    assert len(told) > 1 and sum(told) == path.stat().st_size  # several reads, every byte


def test_a_kept_held_source_can_be_planned_again(vault):
    """The app plans a source to show the dry run, then again when it is confirmed: a held
    source (jrnl, Day One, Markdown) handed its merging entries over the first time and
    had none left for the second; with `keep` it hands over copies."""
    vault.put_many([Entry(date=date(2020, 1, 1), body="Mine.")])
    incoming = [Entry(date=date(2020, 1, 1), body="Theirs."),
                Entry(date=date(2020, 1, 2), body="New.")]
    for keep, merged in ((False, 0), (True, 1)):
        source = importers.source.HeldSource([e.copy() for e in incoming], keep=keep)
        first = planning.plan_source(vault, source)
        again = planning.plan_source(vault, source)
        assert (len(first.merged), len(again.merged)) == (1, merged)
    assert planning.apply(vault, again) == 2
    assert {e.date.day: e.body.strip() for e in vault.entries()} == {1: "Mine.\n\nTheirs.",
                                                                       2: "New."}
