"""Day One JSON export import: folder, zip and lone JSON; time zones; attachments; errors."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.errors import ValidationError
from journal.core.exchange.importers import dayone

EXPORT = Path(__file__).parent / "fixtures" / "dayone_export"


def zip_export(folder: Path, out: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(out, "w") as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(folder).as_posix())
    return out


def dicts(entries):
    return [e.to_dict() for e in entries]


def day_json(entries: list[dict]) -> bytes:
    return json.dumps({"metadata": {"version": "1.0"}, "entries": entries}).encode()


def test_folder_export_maps_text_tags_dates_and_attachments():
    first, second, third = dayone.read(EXPORT)
    # no timeZone: read as UTC
    assert first.date.isoformat() == "2026-11-19" and first.written_at == datetime(
        2026, 11, 19, 12, 0)
    # 07:15Z in Berlin is 08:15; 22:45Z in New York is 17:45 the same day
    assert second.date.isoformat() == "2026-11-20"
    assert second.body.startswith("## 08:15 Early shift\nHandover took an hour.")
    # a first line that is no Markdown heading stays in the text (issue 16, item 5)
    assert "## 17:45\nEvening call with my sister.\nShe is doing better." in second.body
    assert second.all_tags == {"work", "night-shift", "starred"}
    assert "[photo 3c2b1a0f]" in second.body and "dayone-moment" not in second.body
    assert ("Attachments: photo 3c2b1a0f (jpeg, "
            "photos/5f1d8a7c2b0e4e7f9a6b3c2d1e0f9a8b.jpeg)") in second.body
    assert "Attachments: audio aa11bb22 (m4a, audios/0a1b2c3d4e5f60718293a4b5c6d7e8f9.m4a)" \
        in second.body
    assert "richText" not in second.body and "contents" not in second.body
    # 23:30Z in Berlin is already 00:30 on the 21st
    assert third.date.isoformat() == "2026-11-21" and third.written_at.hour == 0


def test_zip_and_lone_json_read_like_the_folder(tmp_path):
    expected = dicts(dayone.read(EXPORT))
    plain_zip = zip_export(EXPORT, tmp_path / "export.zip")
    nested_zip = zip_export(EXPORT, tmp_path / "nested.zip", prefix="Export 2026/")
    for path in (plain_zip, nested_zip):
        assert dayone.detect(path)
        assert dicts(dayone.read(path)) == expected
    assert dayone.detect(EXPORT / "Journal.json")
    assert dicts(dayone.read(EXPORT / "Journal.json")) == expected


def test_two_journals_in_one_zip_fold_by_day(tmp_path):
    path = tmp_path / "two.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Journal.json", day_json([
            {"uuid": "A1", "creationDate": "2026-01-02T09:00:00Z", "timeZone": "UTC",
             "text": "Morning"}]))
        archive.writestr("Work.json", day_json([
            {"uuid": "B2", "creationDate": "2026-01-02T17:00:00Z", "timeZone": "UTC",
             "text": "Evening", "tags": ["Shift Notes"], "starred": True}]))
    [entry] = dayone.read(path)
    # a first line that is no Markdown heading is text, not the section's title
    assert entry.body == "## 09:00\nMorning\n\n## 17:00\nEvening\n\nTags: #shift-notes #starred"


def test_ids_are_deterministic():
    assert [e.id for e in dayone.read(EXPORT)] == [e.id for e in dayone.read(EXPORT)]


@pytest.mark.parametrize("entry,match", [
    ({"text": "no date"}, r"entry 0: field 'creationDate' is required"),
    ({"creationDate": "2023-02-30T10:00:00Z"}, r"entry 0: .*'2023-02-30T10:00:00Z' is not a real"),
    ({"creationDate": "2023-01-01T10:00:00Z", "timeZone": "Mars/Olympus"},
     r"'Mars/Olympus' is not a known time zone"),
    ({"creationDate": "2023-01-01T10:00:00Z", "tags": "work"}, r"'tags' must be a list"),
    ({"creationDate": "2023-01-01T10:00:00Z", "text": 5}, r"'text' must be text"),
    ({"creationDate": "2023-01-01T10:00:00Z", "photos": [3]}, r"photos\[0\] must be an object"),
])
def test_bad_entries_name_file_and_entry(tmp_path, entry, match):
    path = tmp_path / "Journal.json"
    path.write_bytes(day_json([entry]))
    with pytest.raises(ValidationError, match=match) as info:
        dayone.read(path)
    assert str(path) in str(info.value)


def test_zip_without_json(tmp_path):
    path = tmp_path / "photos-only.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photos/abc.jpeg", b"x")
    with pytest.raises(ValidationError, match="photos-only.zip: the zip holds no Day One JSON"):
        dayone.read(path)
    assert not dayone.detect(path)


def test_truncated_zip(tmp_path):
    whole = zip_export(EXPORT, tmp_path / "whole.zip").read_bytes()
    for cut in (10, len(whole) // 2, len(whole) - 5):
        path = tmp_path / f"cut{cut}.zip"
        path.write_bytes(whole[:cut])
        with pytest.raises(ValidationError) as info:
            dayone.read(path)
        assert str(path) in str(info.value)


def test_invalid_json_and_non_utf8_name_the_member_and_line(tmp_path):
    path = tmp_path / "broken.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Journal.json", b'{"entries": [\n  {"creationDate": }\n]}')
    with pytest.raises(ValidationError, match=r"zip member Journal.json, line 2 column"):
        dayone.read(path)
    latin = tmp_path / "latin.zip"
    with zipfile.ZipFile(latin, "w") as archive:
        archive.writestr("Journal.json", '{"entries": [\n{"text": "caf\xe9"}]}'.encode("latin-1"))
    with pytest.raises(ValidationError, match=r"zip member Journal.json, line 2: not UTF-8"):
        dayone.read(latin)


def test_not_an_export(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"format": "journal-export", "version": 1, "entries": {}}')
    assert not dayone.detect(path)
    with pytest.raises(ValidationError, match="no \"entries\" list"):
        dayone.read(path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValidationError, match="no Day One JSON file"):
        dayone.read(empty)


@settings(max_examples=40, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.sampled_from(
                        ["text", "creationDate", "timeZone", "tags", "starred", "photos",
                         "audios", "uuid", "entries"]), inner, max_size=5),
                    max_leaves=12))
def test_any_json_shape_gives_entries_or_a_clear_error(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("d") / "Journal.json"
    path.write_text(json.dumps({"entries": [document]}))
    try:
        dayone.read(path)
    except ValidationError as exc:
        assert str(path) in str(exc)
