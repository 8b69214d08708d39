"""Markdown export -> import gives the same entries; foreign Markdown notes; bad input."""

from __future__ import annotations

import stat
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.errors import ValidationError
from journal.core.exchange import format_v1 as exchange
from journal.core.exchange.exporters import markdown as md_out
from journal.core.exchange.importers import markdown as md_in
from journal.core.model.entries import ACTIONS, CONTEXTS, KINDS, Entry, Moment


def shape(entries):
    return [exchange.entry_dict(e) for e in sorted(entries, key=lambda e: e.date)]


def full_entry() -> Entry:
    return Entry(
        date=date(2026, 11, 20),
        body="A hard day with @dana.\n\n#work went long\n\n---\n\n```\n---\n```\n",
        written_at=datetime(2026, 11, 20, 21, 30), sleep=6, energy=0, recovery=["walk"],
        good_things=["lunch outside", 'a "quoted": thing\non two lines'],
        moments=[Moment(kind="contagion", intensity=6, context="work", time="14:10",
                        tags=["ward"], people=["dana"], feelings=["upset"], action="helped",
                        note="She cried: then - laughed")],
        extra={"mood word": "tired", "source": {"app": "x", "n": [1, 2]}},
    )


def test_round_trip_keeps_everything(tmp_path):
    entries = [full_entry(), Entry(date=date(2026, 11, 21), body=""),
               Entry(date=date(2026, 11, 22), body="---\nstarts like front matter\n\n\n")]
    written = md_out.write(entries, tmp_path / "out")
    assert [p.name for p in written] == ["2026-11-20.md", "2026-11-21.md", "2026-11-22.md"]
    assert md_in.detect(tmp_path / "out")
    assert shape(md_in.read(tmp_path / "out")) == shape(entries)


def test_file_is_readable_markdown_with_simple_front_matter(tmp_path):
    [path] = md_out.write([full_entry()], tmp_path / "out")
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    assert head.startswith("---\ndate: 2026-11-20\nid: \"")
    assert "\nsleep: 6\nenergy: 0\nrecovery:\n  - \"walk\"\n" in head
    assert '\nmoments:\n  - {"id": ' in head
    assert body.startswith("A hard day with @dana.")


def test_permissions_and_no_overwrite(tmp_path):
    out = tmp_path / "out"
    [path] = md_out.write([full_entry()], out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(ValidationError, match="is not empty"):
        md_out.write([full_entry()], out)
    assert path.read_text(encoding="utf-8").startswith("---")
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o755)
    md_out.write([full_entry()], empty)
    assert stat.S_IMODE(empty.stat().st_mode) == 0o700
    a_file = tmp_path / "file.md"
    a_file.write_text("x")
    with pytest.raises(ValidationError, match="is a file"):
        md_out.write([full_entry()], a_file)


def test_foreign_daily_notes(tmp_path):
    notes = tmp_path / "vault"
    (notes / "Daily" / "2026").mkdir(parents=True)
    (notes / ".obsidian").mkdir()
    (notes / ".obsidian" / "2020-01-01.md").write_text("settings, not a note")
    (notes / "Daily" / "2026" / "2026-03-04.md").write_text("Plain note, no front matter.\n")
    (notes / "Daily" / "2026" / "2026-03-05 Thursday.md").write_text(
        "---\ntitle: A day\ntags: [work, Night Shift]\nid: 202603051200\n"
        "created: 2026-03-05 21:00\n---\nBody text\n")
    (notes / "Daily" / "other-name.md").write_text(
        "---\ndate: 2026-03-06T08:00\ntags:\n  - rest\n---\n\nMorning\n")
    first, second, third = md_in.read(notes)
    assert (first.date.isoformat(), first.body) == ("2026-03-04", "Plain note, no front matter.")
    assert second.body == "Body text\n\nTags: #work #night-shift"
    assert second.extra == {"title": "A day", "source_id": 202603051200,
                            "created": "2026-03-05 21:00"}
    assert third.date.isoformat() == "2026-03-06" and third.all_tags == {"rest"}
    assert [e.id for e in md_in.read(notes)] == [first.id, second.id, third.id]


def test_two_files_for_one_day_become_sections(tmp_path):
    (tmp_path / "2026-03-04 morning.md").write_text("---\nsleep: 5\n---\nWoke early\n")
    (tmp_path / "2026-03-04 evening.md").write_text("---\nenergy: 2\n---\nTired\n")
    [entry] = md_in.read(tmp_path)
    assert entry.body == "## 2026-03-04 evening\nTired\n\n## 2026-03-04 morning\nWoke early"
    assert (entry.sleep, entry.energy) == (5, 2)


@pytest.mark.parametrize("name,text,match", [
    ("2023-02-30.md", "x\n", r"2023-02-30.md, field 'date': '2023-02-30' is not a real date"),
    ("a.md", "---\ndate: 2023-02-30\n---\nx\n", r"a.md, field 'date'"),
    ("notes.md", "no date anywhere\n", r"notes.md: no date"),
    ("2023-01-01.md", "---\nsleep: 6\nno closing\n", r"line 1: front matter .* never closed"),
    ("2023-01-01.md", "---\n  nested: x\n---\n", r"line 2: front matter not understood"),
    ("2023-01-01.md", "---\nsleep: 11\n---\n", r"field 'sleep'"),
    ("2023-01-01.md", '---\nmoments:\n  - {"kind": "joy", "intensity": 3}\n---\n',
     r"moment 0, field 'kind'"),
    ("2023-01-01.md", '---\nmoments:\n  - {"kind": \n---\n', r"line 3: .* not valid JSON"),
    ("2023-01-01.md", "---\nsleep: 1\nsleep: 2\n---\n", r"line 3: .* 'sleep' appears twice"),
])
def test_malformed_markdown_names_the_file(tmp_path, name, text, match):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=match) as info:
        md_in.read(tmp_path)
    assert str(path) in str(info.value)


def test_non_utf8_markdown(tmp_path):
    (tmp_path / "2023-01-01.md").write_bytes(b"line one\nline \xff two\n")
    with pytest.raises(ValidationError, match=r"2023-01-01.md, line 2: not UTF-8"):
        md_in.read(tmp_path)


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"),
                max_size=60)
_labels = st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), max_size=3,
                   unique=True)
_moment = st.builds(
    Moment, kind=st.sampled_from(KINDS), intensity=st.integers(0, 10),
    context=st.sampled_from(CONTEXTS),
    time=st.none() | st.from_regex(r"([01]\d|2[0-3]):[0-5]\d", fullmatch=True),
    tags=_labels, people=_labels, feelings=_labels,
    action=st.none() | st.sampled_from(ACTIONS), note=_text)
_entry = st.builds(
    Entry, date=st.dates(date(1990, 1, 1), date(2040, 12, 31)), body=_text,
    written_at=st.none() | st.datetimes(datetime(1990, 1, 1), datetime(2040, 1, 1)).map(
        lambda d: d.replace(microsecond=0)),
    sleep=st.none() | st.integers(0, 10), energy=st.none() | st.integers(0, 10),
    recovery=_labels, good_things=st.lists(_text, max_size=3),
    moments=st.lists(_moment, max_size=3))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(_entry, max_size=5, unique_by=lambda e: e.date))
def test_any_entries_round_trip(tmp_path_factory, entries):
    out = tmp_path_factory.mktemp("md") / "export"
    md_out.write(entries, out)
    if entries:
        assert shape(md_in.read(out)) == shape(entries)
    else:
        with pytest.raises(ValidationError, match="no Markdown"):
            md_in.read(out)


def test_a_copied_file_with_the_same_id_is_refused(tmp_path):
    [path] = md_out.write([full_entry()], tmp_path / "out")
    copy = tmp_path / "out" / "2026-11-21.md"
    copy.write_text(path.read_text(encoding="utf-8").replace("date: 2026-11-20",
                                                             "date: 2026-11-21"))
    with pytest.raises(ValidationError, match="2026-11-21.md: has the same id as"):
        md_in.read(tmp_path / "out")


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200))
def test_any_markdown_text_gives_an_entry_or_a_clear_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("f") / "2024-05-06.md"
    path.write_text(text, encoding="utf-8", newline="")
    try:
        [entry] = md_in.read(path)
    except ValidationError as exc:
        assert str(path) in str(exc)
    else:
        assert entry.date == date(2024, 5, 6) or text.startswith("---")
