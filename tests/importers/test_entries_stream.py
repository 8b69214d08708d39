"""Day One's JSON export and jrnl's json export read as a stream (`entries_stream`,
`folded.StreamFoldedSource`): an import of 50,000 entries held every entry (311 and 332 MB);
now it holds ids, dates and a part of the entries, and gives exactly what reading the export
whole gives: the same days, ids, bodies and times, and the same errors (whatever the stream
does not read as `json.loads` would is read whole, as before)."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from reads import outcome as _outcome
from reads import streamed, whole
from test_peer_fixtures import DAYONE, PEER

from journal.core.errors import ValidationError
from journal.core.exchange import importers
from journal.core.exchange.importers import dayone, folded
from journal.core.exchange.importers import plan as planning
from journal.core.exchange.importers.source import HeldSource

FIXTURES = Path(__file__).parent / "fixtures"


def _items(count: int, per_day: int = 2) -> list[dict]:
    """Day One entries as it exports them: oldest first, several a day, some tagged."""
    start = datetime(2021, 3, 1, 7, tzinfo=UTC)
    return [{"creationDate": (start + timedelta(days=i // per_day, hours=5 * (i % per_day)))
             .strftime("%Y-%m-%dT%H:%M:%SZ"), "timeZone": "Europe/Berlin",
             "text": f"# Day {i}\nSome text, naïve café \u2014 {i}.\n\nMore.",
             "uuid": f"{i:032X}", "tags": ["work"] if i % 3 else [], "starred": i % 5 == 0,
             "photos": [{"identifier": f"ID{i}", "md5": f"{i:032x}", "type": "jpeg"}]
             if i % 7 == 0 else []} for i in range(count)]


def _write(path: Path, items: list[dict], **extra) -> Path:
    path.write_text(json.dumps({"metadata": {"version": "1.0"}, "entries": items} | extra,
                               indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def _whole(path: Path) -> list[dict]:
    return whole(path, "dayone")


def _streamed(path: Path) -> list[dict]:
    return streamed(path, "dayone")


def _source_kind(path: Path) -> type:
    with importers.open_source(path, "dayone") as source:
        return type(source)


@pytest.mark.parametrize("source", sorted(DAYONE) + [
    "kulapard/invalid.json", "marcdonald/Dev Journal One Invalid.json",
    "ergebnis/not-valid-according-to-schema.json"])
def test_every_peer_export_reads_the_same_streamed(source):
    path = PEER / "dayone" / source
    assert _outcome(path, _streamed) == _outcome(path, _whole)


def test_our_own_fixtures_read_the_same_streamed():
    for path in [FIXTURES / "dayone_export", *sorted((FIXTURES / "dayone_export").glob("*"))]:
        if path.is_dir() or path.suffix in (".json", ".zip"):
            assert _outcome(path, _streamed) == _outcome(path, _whole), path


def test_a_large_export_is_read_as_a_stream(tmp_path):
    path = _write(tmp_path / "Journal.json", _items(400))
    assert _source_kind(path) is folded.StreamFoldedSource
    streamed = _streamed(path)
    assert streamed == _whole(path) and len(streamed) == 200
    assert all(s["body"].count("## ") == 2 for s in streamed)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(path, "Journal.json")
    assert _source_kind(archive) is folded.StreamFoldedSource
    assert _streamed(archive) == _whole(archive)  # (its photos are "missing": no media)


def test_the_progress_counts_the_bytes_of_the_file(tmp_path):
    path = _write(tmp_path / "Journal.json", _items(50))
    told: list[int] = []
    with importers.open_source(path, "dayone", progress=told.append):
        assert sum(told) == path.stat().st_size
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.write(path, "Journal.json")
        out.writestr("photos/a.jpeg", b"\xff" * 5000)
    told.clear()
    with importers.open_source(archive, "dayone", progress=told.append):
        assert archive.stat().st_size * 0.95 <= sum(told) <= archive.stat().st_size


def _variants(items: list[dict]) -> dict[str, str]:
    good = json.dumps({"metadata": {"version": "1.0"}, "entries": items}, indent=1)
    half = len(good) // 2
    bad_entry = [dict(item) for item in items]
    bad_entry[150]["creationDate"] = "2021-02-30T10:00:00Z"
    no_text = [dict(item) for item in items]
    no_text[180]["text"] = 7
    return {
        "cut in the middle": good[:half],
        "a stray comma mid-file": good[:half] + "," + good[half:],
        "an invalid date mid-file": json.dumps({"entries": bad_entry}),
        "a field of the wrong kind mid-file": json.dumps({"entries": no_text}),
        "a byte-order mark": "\ufeff" + good,
        "an escaped lone surrogate": good.replace("Day 3\\n", "Day 3 \\ud800\\n"),
        "an escaped emoji": good.replace("Day 3\\n", "Day 3 \\ud83d\\ude00\\n"),
        "entries twice": good[:-1] + ', "entries": []}',
        "entries not a list": json.dumps({"entries": {"a": 1}}),
        "an entry that is not an object": json.dumps({"entries": [*items[:3], 5]}),
        "NaN in an entry": good.replace('"starred": false', '"starred": NaN', 1),
        "a number beyond 64 bits": good.replace('"starred": false', '"x": 1' + "0" * 30
                                                + ', "starred": false', 1),
        "deep nesting": json.dumps({"entries": items[:2], "x": [[[[[[[[[[[]]]]]]]]]]]}),
        "very deep nesting": json.dumps({"entries": items[:2]})[:-1] + ', "x": '
                             + "[" * 600 + "]" * 600 + "}",
        "trailing text": good + " x",
        "a list at the top": json.dumps(items),
        "days out of order": json.dumps({"entries": items[::-1]}),
        "CRLF line ends": good.replace("\n", "\r\n"),
    }


def test_malformed_and_unusual_exports_give_what_the_whole_read_gives(tmp_path):
    outcomes = {}
    for n, (name, text) in enumerate(_variants(_items(200)).items()):
        path = tmp_path / f"variant{n}.json"
        path.write_text(text, encoding="utf-8")
        streamed, whole = _outcome(path, _streamed), _outcome(path, _whole)
        assert streamed == whole, name
        outcomes[name] = whole
        if "mid-file" in name or name == "cut in the middle":
            assert isinstance(whole, str) and ("entry 1" in whole or "line" in whole), name
    # a traceback before (UnicodeEncodeError making the day's id): now one clear line
    assert "entry 3: holds a lone surrogate escape" in outcomes["an escaped lone surrogate"]
    assert isinstance(outcomes["an escaped emoji"], list)
    assert isinstance(outcomes["CRLF line ends"], list)


def test_an_export_changed_between_the_reads_is_refused_and_nothing_written(vault,
                                                                             tmp_path):
    items = _items(60)
    path = _write(tmp_path / "Journal.json", items)
    source = importers.open_source(path, "dayone")
    assert isinstance(source, folded.StreamFoldedSource)
    result = planning.plan_source(vault, source)
    items[41]["text"] = "Changed after it was checked."
    _write(path, items)
    with pytest.raises(ValidationError, match="changed while it was being imported"):
        planning.apply(vault, result)
    assert list(vault.entries()) == []
    _write(path, items[:40])
    with pytest.raises(ValidationError, match="changed while it was being imported"):
        list(source.entries(lambda i: True))


def test_an_import_writes_what_the_whole_read_gives(vault, tmp_path):
    path = _write(tmp_path / "Journal.json", _items(120))
    with importers.open_source(path, "dayone") as source:
        result = planning.plan_source(vault, source)
        assert planning.apply(vault, result) == 60
    whole = importers.read(path, "dayone")
    assert {e.id: (e.date, e.body, e.written_at) for e in vault.entries()} == {
        e.id: (e.date, e.body, e.written_at) for e in whole}


def test_two_journals_that_share_days_are_read_whole(tmp_path):
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("A.json", json.dumps({"entries": _items(10)}))
        out.writestr("B.json", json.dumps({"entries": _items(10, per_day=1)}))
    assert _source_kind(archive) is HeldSource
    assert _streamed(archive) == _whole(archive)
    assert dayone.detect(archive)


# -- jrnl's `--export json` ----------------------------------------------------------------
def _jrnl_items(count: int, per_day: int = 2) -> list[dict]:
    """jrnl's json export: oldest first, several entries a day."""
    start = datetime(2021, 3, 1, 7)
    return [{"title": f"Entry {i} @work", "body": f"Body {i}, #tag{i % 5}.\n\nMore.",
             "date": f"{start + timedelta(days=i // per_day):%Y-%m-%d}",
             "time": f"{7 + 5 * (i % per_day):02d}:{i % 60:02d}",
             "tags": ["@work", f"#tag{i % 5}"], "starred": i % 9 == 0} for i in range(count)]


def _jrnl_whole(path: Path) -> list[dict]:
    return whole(path, "jrnl")


def _jrnl_streamed(path: Path) -> list[dict]:
    return streamed(path, "jrnl")


@pytest.mark.parametrize("stem", ["simple", "tags"])
def test_jrnl_own_json_exports_read_the_same_streamed(stem):
    path = PEER / "jrnl-exports" / f"{stem}.json"
    with importers.open_source(path, "jrnl") as source:
        assert isinstance(source, folded.StreamFoldedSource)
    assert _jrnl_streamed(path) == _jrnl_whole(path)


def test_a_large_jrnl_json_export_is_read_as_a_stream(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"tags": {"@work": 300}, "entries": _jrnl_items(300)},
                               indent=4), encoding="utf-8")
    with importers.open_source(path, "jrnl") as source:
        assert isinstance(source, folded.StreamFoldedSource)
    streamed = _jrnl_streamed(path)
    assert streamed == _jrnl_whole(path) and len(streamed) == 150


def test_a_malformed_jrnl_json_export_gives_the_whole_reads_error(tmp_path):
    items = _jrnl_items(200)
    good = json.dumps({"tags": {}, "entries": items}, indent=4)
    bad_time = [dict(item) for item in items]
    bad_time[120]["time"] = "25:00"
    not_text = [dict(item) for item in items]
    not_text[130]["body"] = ["a list"]
    variants = {"cut in the middle": good[: len(good) // 2],
                "a bad time mid-file": json.dumps({"entries": bad_time}),
                "a body not text mid-file": json.dumps({"entries": not_text}),
                "out of order": json.dumps({"entries": items[::-1]})}
    for n, (name, text) in enumerate(variants.items()):
        path = tmp_path / f"export{n}.json"
        path.write_text(text, encoding="utf-8")
        streamed = _outcome(path, _jrnl_streamed)
        assert streamed == _outcome(path, _jrnl_whole), name
        assert name == "out of order" or str(streamed).startswith(f"error: {path}"), name


def test_an_import_in_parts_builds_each_entry_once_more_not_once_a_part(vault, tmp_path,
                                                                        monkeypatch):
    path = _write(tmp_path / "Journal.json", _items(240))
    made: list[int] = []
    real = dayone._piece
    monkeypatch.setattr(dayone, "_piece", lambda *a: made.append(1) or real(*a))
    monkeypatch.setattr(folded.StreamFoldedSource, "group", 25)  # about five parts
    with importers.open_source(path, "dayone") as source:
        assert len(made) == 240
        result = planning.plan_source(vault, source)
        assert planning.apply(vault, result) == 120
    assert len(made) == 480  # read again in parts, each entry built in one part only
    whole = importers.read(path, "dayone")
    assert {e.id: (e.date, e.body) for e in vault.entries()} == {
        e.id: (e.date, e.body) for e in whole}
