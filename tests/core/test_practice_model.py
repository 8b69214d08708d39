"""Issue 17, step 1: a moment's practice and an entry's safety check-in, in the model, the
JSON exchange format (exactly the documented shape), and the encrypted index."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from journal.core.errors import ValidationError
from journal.core.exchange import format_v1
from journal.core.model.entries import Entry, Moment
from journal.core.model.practice import STEPS, Practice
from journal.core.store import index_chunk
from journal.core.store.vault import db_path
from tests.conftest import open_vault

DOC = {"format": "journal-export", "version": 1, "entries": [{
    "id": "0b0f7a5e-3c1d-4e0b-9f57-1d2a3b4c5d6e", "date": "2026-11-24",
    "written_at": "2026-11-24T21:40:12", "body": "Long handover.\n", "sleep": 5, "energy": 3,
    "recovery": [], "good_things": [],
    "moments": [{
        "id": "a3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "kind": "contagion", "intensity": 8,
        "context": "work", "time": "14:30", "tags": ["yelling"], "people": [], "feelings": [],
        "action": None, "note": "",
        "practice": {"minutes": 2, "steps": list(STEPS), "before": 8, "after": 5},
    }],
    "check_in": "struggling",
}]}


def test_the_documented_shape_round_trips_byte_for_byte():
    text = format_v1.to_text(DOC)
    entries = format_v1.loads(text)
    moment = entries[0].moments[0]
    assert moment.practice == Practice(2, STEPS, 8, 5)
    assert moment.practice.change == -3
    assert entries[0].check_in == "struggling"
    assert format_v1.to_json_text(entries) == text


def test_absent_practice_and_check_in_are_not_written():
    """Exports of entries without them stay exactly as before issue 17."""
    entry = Entry(date=date(2026, 1, 2), moments=[Moment("concern", 3, "home")])
    data = format_v1.entry_dict(entry)
    assert "check_in" not in data and "practice" not in data["moments"][0]
    with_null = json.loads(format_v1.to_text(DOC))
    with_null["entries"][0]["check_in"] = None
    with_null["entries"][0]["moments"][0]["practice"] = None
    loaded = format_v1.load(with_null)[0]
    assert loaded.check_in is None and loaded.moments[0].practice is None


def test_unrated_and_partial_practices_are_valid():
    doc = json.loads(format_v1.to_text(DOC))
    doc["entries"][0]["moments"][0]["practice"] = {"minutes": 0, "steps": ["widening"],
                                                   "before": None, "after": None}
    practice = format_v1.load(doc)[0].moments[0].practice
    assert practice == Practice(0, ("widening",), None, None) and practice.change is None


@pytest.mark.parametrize("practice, message", [
    ({"minutes": 2, "steps": ["close", "land"]}, "in the order"),
    ({"minutes": 2, "steps": ["land", "land"]}, "distinct"),
    ({"minutes": 2, "steps": ["breathe"]}, "'breathe' is not one of"),
    ({"minutes": -1, "steps": []}, "minutes must be"),
    ({"minutes": True, "steps": []}, "minutes must be"),
    ({"minutes": 2, "steps": [], "before": 11}, "before must be"),
    ({"minutes": 2, "steps": [], "after": 2.5}, "after must be"),
    ({"minutes": 2, "steps": [], "mood": 3}, "unknown key 'mood'"),
    ("land", "must be an object"),
])
def test_a_bad_practice_names_entry_moment_and_field(practice, message):
    doc = json.loads(format_v1.to_text(DOC))
    doc["entries"][0]["moments"][0]["practice"] = practice
    with pytest.raises(ValidationError) as caught:
        format_v1.load(doc)
    text = str(caught.value)
    assert message in text and "entry 0 (2026-11-24) moment 0" in text and "practice" in text


@pytest.mark.parametrize("value", ["fine", "not safe", 1, True])
def test_a_bad_check_in_is_refused(value):
    doc = json.loads(format_v1.to_text(DOC))
    doc["entries"][0]["check_in"] = value
    with pytest.raises(ValidationError, match="check_in"):
        format_v1.load(doc)


def test_the_index_carries_check_in_and_practices(vault, vault_dir):
    entry = format_v1.load(DOC)[0]
    vault.put(entry)
    vault.put(Entry(date=date(2026, 11, 25), moments=[Moment("concern", 4, "home")]))
    vault.close()
    reopened = open_vault(vault_dir)
    try:
        parts = {p.date: p for p in reopened.summaries()}
        assert reopened._cache is None  # read from the index, not the entries
        assert parts[date(2026, 11, 24)].check_in == "struggling"
        assert parts[date(2026, 11, 24)].moments[0].practice == Practice(2, STEPS, 8, 5)
        assert parts[date(2026, 11, 25)].check_in is None
        assert list(reopened.index().practice_rows()) == [(date(2026, 11, 24), 2, 8, 5)]
    finally:
        reopened.close()


def test_a_vault_with_index_chunks_from_before_issue_17_still_opens(vault, vault_dir,
                                                                     monkeypatch):
    """Chunks of format 1 (no check-in or practice columns) are rebuilt, not misread."""
    entry = format_v1.load(DOC)[0]
    vault.close()
    with monkeypatch.context() as old:
        old.setattr(index_chunk, "FORMAT", 1)
        old.setattr(index_chunk, "_CORE", ("id", "sleep", "rec", "good"))
        writer = open_vault(vault_dir)
        writer.put(entry)
        writer.close()
    conn = sqlite3.connect(db_path(vault_dir))
    before = conn.execute("SELECT ct FROM index_chunks").fetchall()
    conn.close()
    def chunks() -> list:
        conn = sqlite3.connect(db_path(vault_dir))
        try:
            return conn.execute("SELECT ct FROM index_chunks").fetchall()
        finally:
            conn.close()

    reopened = open_vault(vault_dir)
    try:
        (part,) = reopened.summaries()
        assert part.check_in == "struggling" and part.moments[0].practice.after == 5
        assert chunks() == before  # a read never writes the vault (issue 13 item 4)...
        reopened.put(Entry(date=date(2026, 1, 2), body="a save"))  # ...the next save does
    finally:
        reopened.close()
    after = chunks()
    assert len(before) == 1 and before[0] not in after  # rebuilt and stored


def test_the_markdown_export_round_trips_practice_and_check_in():
    from pathlib import Path

    from journal.core.exchange.exporters import markdown as exporter
    from journal.core.exchange.importers import markdown as importer

    entry = format_v1.load(DOC)[0]
    back = importer.parse_file(Path("2026-11-24.md"), exporter.render(entry))
    assert back == entry and back.check_in == "struggling"
    assert back.moments[0].practice == Practice(2, STEPS, 8, 5)
