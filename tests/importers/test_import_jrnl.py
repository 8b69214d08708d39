"""jrnl import: files written by real jrnl (4.6 plain + v3, 4.2 v2), files written from the
spec (v1/v2/v3 in jrnl_writers.py), and malformed input of every kind."""

from __future__ import annotations

import base64
import re
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jrnl_writers import JRNL_V2_SALT, _key, write_v1, write_v2, write_v3

from journal.core.errors import ValidationError
from journal.core.exchange import importers
from journal.core.exchange.importers import jrnl

FIXTURES = Path(__file__).parent / "fixtures"
PLAIN = FIXTURES / "jrnl46_plain_default.txt"  # jrnl 4.6, default timeformat "%F %r"
SHORT = FIXTURES / "jrnl46_plain_short.txt"  # jrnl 4.6, timeformat "%Y-%m-%d %H:%M"
V3 = FIXTURES / "jrnl46_v3.txt"  # jrnl 4.6 Journal.write, passphrase "pässword 3"
V2 = FIXTURES / "jrnl42_v2.txt"  # jrnl 4.2 Journal.write, passphrase "pässword 2"

SAMPLE = """[2026-11-20 08:15] Early shift.
Handover was rough @work with #team

[2026-11-20 19:40] Evening walk *

[2026-11-21 07:00] Slept badly.
Kept thinking about @Dana and the #family dinner
"""


def dicts(entries):
    return [e.to_dict() for e in entries]


def test_real_jrnl_default_format_folds_a_day_into_sections():
    first, second = jrnl.read(PLAIN)
    assert first.date.isoformat() == "2026-11-20"
    assert first.body == ("## 08:15 Early shift.\nHandover was rough #work with #team\n\n"
                          "## 19:40 Evening walk #starred")  # 07:40:00 PM -> 19:40
    assert first.all_tags == {"work", "team", "starred"}
    assert first.all_people == set()  # jrnl @tags are tags, never people
    assert (first.written_at, first.updated_at) == (datetime(2026, 11, 20, 8, 15),
                                                   datetime(2026, 11, 20, 19, 40))
    assert second.body == "Slept badly.\nKept thinking about #Dana and the #family dinner"
    assert second.title == "Slept badly."
    assert second.all_tags == {"dana", "family"}


def test_real_jrnl_short_timeformat_keeps_paragraphs():
    day, starred = jrnl.read(SHORT)
    assert day.body.startswith("## 12:30 Lunch with the team.\nLong body line one.\n\n"
                               "Second paragraph with #tag-one and an email a@b.org.")
    assert "## 18:05 Home.\nQuiet evening #rest" in day.body
    assert starred.body == "Starred day #starred" and starred.all_tags == {"starred"}
    assert "a@b.org" in day.body  # an e-mail address is not a jrnl tag


@pytest.mark.parametrize("path,passphrase", [(V3, "pässword 3"), (V2, "pässword 2")])
def test_real_jrnl_encrypted_files_give_the_plain_entries(path, passphrase):
    assert jrnl.detect(path)
    assert dicts(jrnl.read(path, passphrase)) == dicts(jrnl.read(PLAIN))


def test_spec_reimplementation_agrees_with_real_jrnl_v2():
    token = V2.read_bytes()
    assert Fernet(_key("pässword 2", JRNL_V2_SALT)).decrypt(token).startswith(b"[2026-11-20")


@pytest.mark.parametrize("maker", [write_v3, write_v2,
                                   lambda t, p: write_v3(t, p, raw_json_header=True)])
def test_spec_written_encrypted_files(tmp_path, maker):
    path = tmp_path / "journal.txt"
    path.write_bytes(maker(SAMPLE, "s3cret"))
    plain = tmp_path / "plain.txt"
    plain.write_text(SAMPLE, encoding="utf-8")
    assert dicts(jrnl.read(path, "s3cret")) == dicts(jrnl.read(plain))


def test_v1_legacy_journal(tmp_path):
    path = tmp_path / "old.txt"
    legacy = "2013-05-01 09:00 Old style entry.\nwith @work body\n\n2013-05-02 10:30 Next day *\n"
    path.write_bytes(write_v1(legacy, "old pw"))
    one, two = jrnl.read(path, "old pw")
    assert one.body == "Old style entry.\nwith #work body"
    assert two.body == "Next day #starred"
    with pytest.raises(ValidationError, match="wrong jrnl passphrase for"):
        jrnl.read(path, "wrong")


def test_passphrase_asked_only_for_encrypted_files(tmp_path):
    asked: list[int] = []

    def ask() -> str:
        asked.append(1)
        return "pässword 3"

    jrnl.read(PLAIN, ask)
    assert asked == []
    jrnl.read(V3, ask)
    assert asked == [1]


@pytest.mark.parametrize("path", [V3, V2])
def test_wrong_passphrase_names_the_file(path):
    with pytest.raises(ValidationError, match=f"wrong jrnl passphrase for {path}"):
        jrnl.read(path, "not it")
    with pytest.raises(ValidationError, match="is encrypted"):
        jrnl.read(path, None)


def test_same_source_same_ids_so_reimport_adds_nothing():
    assert [e.id for e in jrnl.read(PLAIN)] == [e.id for e in jrnl.read(PLAIN)]
    assert len({e.id for e in jrnl.read(PLAIN)}) == 2


def test_bracketed_words_in_a_body_are_body_text(tmp_path):
    path = tmp_path / "j.txt"
    path.write_text("[2026-01-02 10:00] Title\n[link] is not a date\n", encoding="utf-8")
    [entry] = jrnl.read(path)
    assert entry.body == "Title\n[link] is not a date"


@pytest.mark.parametrize("text,match", [
    ("[2023-02-30 10:00] Impossible\n", r"line 1: '2023-02-30 10:00' is not a real date"),
    ("[2023-01-01 10:00] ok\n\n[2023-13-01 25:00] bad\n", r"line 3: .* not a real date"),
    ("Some preface\n[2023-01-01 10:00] ok\n", r"line 1: text before the first"),
    ("just some notes\nwithout dates\n", r"no jrnl entries found"),
])
def test_malformed_plain_text(tmp_path, text, match):
    """Read whole, and as the source an import streams (test_jrnl_stream.py): the same
    error, naming the file, before anything is read."""
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match=match) as info:
        jrnl.read(path)
    assert str(path) in str(info.value)
    with pytest.raises(ValidationError, match=match) as streamed:
        importers.open_source(path, "jrnl")
    assert str(streamed.value) == str(info.value)


def test_a_bad_header_deep_in_a_long_journal_names_its_line(tmp_path):
    """Headers are now counted on from the one before (counting every header's line from
    the start of the file took minutes at 50,000 entries: bench.bulk's jrnl import)."""
    entries = "".join(f"[2023-01-{1 + i % 28:02d} 10:00] Title {i}\nline one\n[1] note\n\n"
                      for i in range(500))
    path = tmp_path / "long.txt"
    path.write_text(entries + "[2023-01-01 10:00] ok\n[2023-13-01 25:00] bad\n",
                    encoding="utf-8")
    with pytest.raises(ValidationError, match=r"line 2002: .* not a real date"):
        jrnl.read(path)


def test_non_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("[2023-01-01 10:00] ok\nCaf\xe9 au lait\n".encode("latin-1"))
    with pytest.raises(ValidationError, match=r"latin1.txt, line 2: not UTF-8"):
        jrnl.read(path)


def test_truncated_and_damaged_v3(tmp_path):
    data = V3.read_bytes()
    for cut in (3, 7, 8, 30, 60, len(data) - 40, len(data) - 1):
        path = tmp_path / f"cut{cut}.txt"
        path.write_bytes(data[:cut])
        with pytest.raises(ValidationError) as info:
            jrnl.read(path, "pässword 3")
        assert str(path) in str(info.value)
    bad_header = tmp_path / "hdr.txt"
    bad_header.write_bytes(b"JRNLv3\x00\x04abcd" + data[8 + 48:])
    with pytest.raises(ValidationError, match="v3 header is damaged"):
        jrnl.read(bad_header, "pässword 3")


def test_a_flipped_byte_in_the_token_is_refused(tmp_path):
    data = bytearray(V3.read_bytes())
    token = base64.urlsafe_b64decode(bytes(data[56:]))
    flipped = bytearray(token)
    flipped[40] ^= 1
    path = tmp_path / "flip.txt"
    path.write_bytes(bytes(data[:56]) + base64.urlsafe_b64encode(bytes(flipped)))
    with pytest.raises(ValidationError, match="wrong jrnl passphrase .* altered"):
        jrnl.read(path, "pässword 3")


def test_detect(tmp_path):
    assert jrnl.detect(PLAIN) and jrnl.detect(SHORT)
    other = tmp_path / "notes.md"
    other.write_text("# Notes\n[x] todo\n", encoding="utf-8")
    assert not jrnl.detect(other)
    assert not jrnl.detect(tmp_path)
    assert not jrnl.detect(FIXTURES / "dayone_export" / "Journal.json")


_titles = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="[]*"),
                  min_size=1, max_size=30).map(str.strip).filter(bool)
_moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2030, 12, 31))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_moments, _titles, _titles), min_size=1, max_size=8))
def test_any_jrnl_journal_parses_to_one_entry_per_day(tmp_path_factory, items):
    text = "\n".join(f"[{when:%Y-%m-%d %H:%M}] {title}\n{body}\n" for when, title, body in items)
    path = tmp_path_factory.mktemp("j") / "journal.txt"
    path.write_text(text, encoding="utf-8")
    entries = jrnl.read(path)
    assert [e.date for e in entries] == sorted({w.date() for w, _, _ in items})
    for when, title, _body in items:
        [entry] = [e for e in entries if e.date == when.date()]
        assert re.sub(r"(?<!\S)@(?=[-+*#/\w])", "#", title).split()[0] in entry.body


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_entries_or_a_clear_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("b") / "junk.txt"
    path.write_bytes(data)
    try:
        jrnl.read(path, "pw")
    except ValidationError as exc:
        assert str(path) in str(exc)


@settings(max_examples=15, deadline=None)
@given(st.binary(min_size=0, max_size=200))
def test_arbitrary_v3_bodies_give_a_clear_error(tmp_path_factory, tail):
    path = tmp_path_factory.mktemp("v3") / "junk.txt"
    path.write_bytes(b"JRNLv3" + tail)
    with pytest.raises(ValidationError):
        jrnl.read(path, "pw")
