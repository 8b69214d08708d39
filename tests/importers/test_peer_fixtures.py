"""Every file other tools wrote (tests/data/peer, see its README for sources and licences)
imports as its own tool reads it, or is refused with one line naming the file and place.

The jrnl reference is jrnl 4.6's own reading (`reference/<file>.json`, jrnl's JSON export,
written once by tests/data/peer/make_reference.py in a throwaway jrnl venv). For Day One the
JSON itself is the reference: local day and time from creationDate + timeZone, every
paragraph of text, tags, starred, each attachment named by the path the export has.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from journal.core.errors import ValidationError
from journal.core.exchange import importers
from journal.core.exchange.importers import jrnl

PEER = Path(__file__).resolve().parents[1] / "data" / "peer"
REFERENCE = PEER / "reference"

#: file -> (passphrase, timeformat) for the jrnl fixtures jrnl reads
JRNL = {
    "simple.journal": (None, None),
    "basic_onefile.journal": (None, None),
    "tags.journal": (None, None),
    "deletion.journal": (None, None),
    "deletion_filters.journal": (None, None),
    "brackets.journal": (None, None),
    "multiline-tags.journal": (None, None),
    "markdown-headings-335.journal": (None, None),
    "mostlyreadabledates.journal": (None, None),
    "little_endian_dates.journal": (None, "%d.%m.%Y %H:%M"),
    "simple_jrnl-1-9-5.journal": (None, None),
    "basic_encrypted.journal": ("test", None),
    "encrypted.journal": ("bad doggie no biscuit", None),
    "encrypted_v3.journal": ("good doggie extra biscuit", None),
    "encrypted_v3_legacy_header.journal": ("good doggie extra biscuit", None),
    "encrypted_jrnl-1-9-5.journal": ("bad doggie no biscuit", None),
    "dayone.dayone": (None, None),
}
_AT_TAG = re.compile(r"(?<!\S)@(?=[-+*#/\w])")
_SECTION = re.compile(r"^## \d\d:\d\d ?", re.MULTILINE)


def norm(text: str) -> str:
    return " ".join(text.split())


def as_ours(text: str) -> str:
    """jrnl text as our syntax writes it: jrnl's `@tag` is our `#tag`."""
    return _AT_TAG.sub("#", text)


def assert_reads_like_jrnl(entries, reference: dict) -> None:
    by_day: dict[str, list[dict]] = {}
    for item in reference["entries"]:
        by_day.setdefault(item["date"], []).append(item)
    assert [e.date.isoformat() for e in entries] == sorted(by_day)
    for entry in entries:
        items = sorted(by_day[entry.date.isoformat()], key=lambda i: i["time"])
        assert entry.written_at.strftime("%H:%M") == items[0]["time"]
        assert entry.updated_at.strftime("%H:%M") == items[-1]["time"]
        if len(items) > 1:  # one `## HH:MM` section per jrnl entry, at its time
            assert re.findall(r"^## (\d\d:\d\d)", entry.body, re.MULTILINE) == [
                i["time"] for i in items]
        expected = " ".join(  # a star: #starred after the title
            norm(as_ours(f"{i['title']}{' #starred' if i['starred'] else ''} {i['body']}"))
            for i in items)
        body = _SECTION.sub("", entry.body)
        if not items[0].get("uuid"):
            assert norm(body) == expected  # jrnl text: title, body, star, all of it
        else:  # a Day One package: tags come on our Tags: line
            assert norm(re.sub(r"\n\nTags: .*$", "", body)) == " ".join(
                norm(f"{i['title']} {i['body']}") for i in items)
        # jrnl reads the marks of a Markdown heading (`## Title`) as tags `#`, `##`...
        # (jrnl issue 335); a heading is no tag with us
        tags = {t[1:].lower() for i in items for t in i["tags"] if t.strip("#")}
        tags |= {"starred"} if any(i["starred"] for i in items) else set()
        assert entry.all_tags == tags


@pytest.mark.parametrize("name", sorted(JRNL))
def test_jrnl_fixture_reads_as_jrnl_reads_it(name):
    passphrase, timeformat = JRNL[name]
    path = PEER / "jrnl" / name
    fmt = importers.detect(path)
    assert fmt == ("dayone" if name.endswith(".dayone") else "jrnl")
    entries = importers.read(path, fmt, source_passphrase=passphrase, timeformat=timeformat)
    reference = json.loads((REFERENCE / f"{name}.json").read_text(encoding="utf-8"))
    assert_reads_like_jrnl(entries, reference)


def test_every_jrnl_fixture_is_covered():
    names = {p.name for p in (PEER / "jrnl").iterdir()}
    assert names == set(JRNL) | {"unreadabledates.journal"}


def test_mostly_readable_date_is_its_own_day_not_glued_on():
    entries = jrnl.read(PEER / "jrnl" / "mostlyreadabledates.journal")
    first = entries[0]
    assert first.date.isoformat() == "2019-07-01" and first.written_at.hour == 14
    assert first.body.startswith("The third entry\n")
    assert all("third entry" not in e.body for e in entries[1:])


def test_unreadable_dates_are_refused_with_file_and_line():
    path = PEER / "jrnl" / "unreadabledates.journal"
    assert importers.detect(path) == "jrnl"
    with pytest.raises(ValidationError) as info:
        importers.read(path)
    message = str(info.value)
    assert message.startswith(f"{path}, line 1: 'ashasd7zdskhz7asdkjasd'") and "\n" not in message


def test_an_unreadable_header_after_good_ones_names_its_line(tmp_path):
    path = tmp_path / "j.txt"
    path.write_text("[2020-01-01 10:00] Fine\nbody\n\n[2020-01-0x 10:00] Bad\n", "utf-8")
    with pytest.raises(ValidationError, match=r"j\.txt, line 4: '2020-01-0x 10:00'"):
        jrnl.read(path)


def test_without_its_timeformat_little_endian_reads_as_jrnl_default_would():
    # jrnl with its default timeformat reads 09.06.2013 as September 6 (dateutil): so do we
    [first, _] = jrnl.read(PEER / "jrnl" / "little_endian_dates.journal")
    assert first.date.isoformat() == "2013-09-06"


@pytest.mark.parametrize("tag", ["c++", "c#", "os/2"])
def test_jrnl_tag_characters_are_kept(tmp_path, tag):
    path = tmp_path / "j.txt"
    path.write_text(f"[2020-01-01 10:00] Learning @{tag} today.\n#{tag} again\n", "utf-8")
    [entry] = jrnl.read(path)
    assert entry.all_tags == {tag}


def test_folder_journal_reads_as_jrnl_reads_it():
    for stem in ("simple", "tags"):
        path = PEER / "jrnl-exports" / f"{stem}-folder"
        assert importers.detect(path) == "jrnl"
        reference = json.loads((REFERENCE / f"{stem}-folder.json").read_text("utf-8"))
        assert_reads_like_jrnl(importers.read(path), reference)


@pytest.mark.parametrize("export", ["json", "md", "markdown", "yaml"])
@pytest.mark.parametrize("stem", ["simple", "tags"])
def test_jrnl_own_exports_read_back_as_the_journal(stem, export):
    path = PEER / "jrnl-exports" / (f"{stem}.{export}" if export in ("json", "md")
                                    else f"{stem}-{export}")
    assert importers.detect(path) == "jrnl"
    reference = json.loads((REFERENCE / f"{stem}.journal.json").read_text("utf-8"))
    entries = importers.read(path)
    if export == "yaml":  # jrnl's yaml export drops tag-only lines; we add a Tags: line
        for entry in entries:
            entry.body = re.sub(r"\n\nTags: .*$", "", entry.body)
    assert_reads_like_jrnl(entries, reference)
    # the Markdown importer hands jrnl's Markdown to the jrnl reader: @tags stay tags,
    # the `# date time title` heading is not repeated, the entry's own time is kept
    if export in ("md", "markdown"):
        again = importers.read(path, "markdown")
        assert [(e.date, e.body, e.written_at) for e in again] == [
            (e.date, e.body, e.written_at) for e in importers.read(path)]
        assert not any(re.search(r"^#+ \d{4}", e.body, re.MULTILINE) for e in again)


# -- Day One -------------------------------------------------------------------------------
DAYONE = {
    "automattic/day-one-fictional": "automattic/day-one-fictional/Fictional Journal.json",
    "automattic/day-one-fictional.zip": "automattic/day-one-fictional/Fictional Journal.json",
    "automattic/day-one-fictional/Fictional Journal.json":
        "automattic/day-one-fictional/Fictional Journal.json",
    "marcdonald/Dev Journal.json": "marcdonald/Dev Journal.json",
    "ergebnis/Journal-subset.json": "ergebnis/Journal-subset.json",
    "ergebnis/Empty.json": "ergebnis/Empty.json",
    "kulapard/export": "kulapard/export/MyJournal.json",
    "kulapard/export/MyJournal.json": "kulapard/export/MyJournal.json",
}
_LINK = re.compile(r"!?\[[^\]\n]*\]\(dayone-moment:/{1,2}(?:(?:video|audio|pdfAttachment)/)?"
                   r"[0-9A-Za-z-]+\)")
_MARKER = re.compile(r"\[(?:photo|video|audio|pdf) [0-9a-f?]{1,8}\]")
_FILES = {"photos": ("photos", None), "videos": ("videos", None), "audios": ("audios", "m4a"),
          "pdfAttachments": ("pdfs", "pdf")}


def local(item: dict) -> datetime:
    when = datetime.fromisoformat(item["creationDate"].replace("Z", "+00:00"))
    return when.astimezone(ZoneInfo(item.get("timeZone") or "UTC")).replace(tzinfo=None)


@pytest.mark.parametrize("source", sorted(DAYONE))
def test_dayone_export_reads_as_the_json_says(source):
    path = PEER / "dayone" / source
    assert importers.detect(path) == "dayone"
    items = json.loads((PEER / "dayone" / DAYONE[source]).read_text("utf-8"))["entries"]
    entries = importers.read(path)
    by_day: dict[str, list[dict]] = {}
    for item in items:
        by_day.setdefault(local(item).date().isoformat(), []).append(item)
    assert [e.date.isoformat() for e in entries] == sorted(by_day)
    media = (PEER / "dayone" / DAYONE[source]).parent
    for entry in entries:
        day = sorted(by_day[entry.date.isoformat()], key=local)
        assert entry.written_at == local(day[0]).replace(microsecond=0)
        if len(day) > 1:
            assert re.findall(r"^## (\d\d:\d\d)$", entry.body, re.MULTILINE) == [
                f"{local(i):%H:%M}" for i in day]
        text = _MARKER.sub("", entry.body).replace("\u200b", "")
        tags = set()
        for item in day:
            for paragraph in _LINK.sub("", item.get("text", "")).replace("\u200b", "").split(
                    "\n\n"):
                assert paragraph.strip() in text
            tags |= {t.lower().replace(" ", "-") for t in item.get("tags", [])}
            tags |= {"starred"} if item.get("starred") else set()
            for key, (folder, extension) in _FILES.items():
                for attachment in item.get(key, []):
                    suffix = extension or attachment["type"]
                    file = f"{folder}/{attachment['md5']}.{suffix}"
                    assert file in entry.body
                    if (media / folder).is_dir():  # the export has its media: it exists
                        assert (media / file).is_file()
                    for title in (attachment.get("title"), attachment.get("pdfName")):
                        assert title is None or title in entry.body
        assert tags <= entry.all_tags


def test_dayone_attachment_paths_and_titles():
    [entry] = importers.read(PEER / "dayone" / "kulapard" / "export")
    assert "audio 9598acb0 (mp3, My Audio File.mp3, " \
           "audios/a2c335fa03eb95c9a5444ff862ffd839.m4a)" in entry.body
    assert "pdf 6bacd6b9 (My PDF File.pdf, pdfs/bccec75c303608619bc641f3c90b135a.pdf)" \
        in entry.body
    assert ".aac" not in entry.body and "..mp3" not in entry.body
    [_, _, _, aac] = importers.read(PEER / "dayone" / "marcdonald" / "Dev Journal.json")
    assert "audios/f35f41739499e70c6b2714e3a7d82d8c.m4a" in aac.body


def test_a_missing_media_file_is_marked(tmp_path):
    source = PEER / "dayone" / "kulapard" / "export"
    copy = tmp_path / "export"
    (copy / "photos").mkdir(parents=True)
    (copy / "MyJournal.json").write_bytes((source / "MyJournal.json").read_bytes())
    [entry] = importers.read(copy)
    assert "photos/6e8f17a1cd2fd963d5843aca794e2287.jpeg missing" in entry.body


def test_a_day_of_several_dayone_entries_keeps_its_paragraphs_as_text():
    entries = importers.read(PEER / "dayone" / "ergebnis" / "Journal-subset.json")
    for entry in entries:
        for heading in re.findall(r"^## .*$", entry.body, re.MULTILINE):
            assert re.fullmatch(r"## \d\d:\d\d(?: .{1,120})?", heading), heading
            assert "[photo" not in heading


@pytest.mark.parametrize("source, place", [
    ("kulapard/invalid.json", "line 6 column 1"),
    ("marcdonald/Dev Journal One Invalid.json", "entry 5"),
    ("ergebnis/not-valid-according-to-schema.json", "entry 0"),
])
def test_invalid_dayone_files_are_refused_naming_file_and_place(source, place):
    path = PEER / "dayone" / source
    with pytest.raises(ValidationError) as info:
        importers.read(path)
    message = str(info.value)
    assert message.startswith(f"{path}, {place}") and "\n" not in message


def test_every_dayone_fixture_is_covered():
    found = {str(p.relative_to(PEER / "dayone")) for p in (PEER / "dayone").rglob("*")
             if p.suffix in (".json", ".zip")}
    refused = {"kulapard/invalid.json", "marcdonald/Dev Journal One Invalid.json",
               "ergebnis/not-valid-according-to-schema.json"}
    assert found == (set(DAYONE) - {"automattic/day-one-fictional", "kulapard/export"}) | refused


def test_classic_dayone_entry_is_in_its_time_zone():
    entries = {e.date.isoformat(): e for e in importers.read(PEER / "jrnl" / "dayone.dayone")}
    # Creation Date 2013-06-17T18:38:29Z in Europe/Berlin (its Time Zone) is 20:38
    assert entries["2013-06-17"].written_at == datetime(2013, 6, 17, 20, 38, 29)
    assert datetime(2013, 6, 17, 18, 38, 29, tzinfo=UTC)  # the plist's instant, for the eye


def test_a_markdown_folder_that_only_looks_like_jrnl_stays_markdown(tmp_path):
    (tmp_path / "2026-11-20_notes.md").write_text("# 2026-11-20 Thursday\nA note.\n", "utf-8")
    (tmp_path / "2026-11-21_more.md").write_text("---\ntitle: x\nbody: |\n---\nText\n", "utf-8")
    assert importers.detect(tmp_path) == "markdown"
    assert [e.date.isoformat() for e in importers.read(tmp_path)] == ["2026-11-20",
                                                                      "2026-11-21"]


def test_a_classic_dayone_package_reads_under_either_format_name():
    path = PEER / "jrnl" / "dayone.dayone"
    detected = importers.read(path)
    assert importers.read(path, "dayone") == detected == importers.read(path, "jrnl")
    assert len(detected) == 4
