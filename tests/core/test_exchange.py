"""The exchange format v1: deterministic dump, whole-document validation, property tests."""

from __future__ import annotations

import json
import string
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.errors import ValidationError
from journal.core.exchange import format_v1 as exchange
from journal.core.model.entries import ACTIONS, CONTEXTS, KINDS, Entry, Moment
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault

PASSPHRASE = "correct horse battery staple"

labels = st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1,
                 max_size=12).filter(lambda s: s.strip("-"))
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
scale = st.none() | st.integers(0, 10)

moments = st.builds(
    Moment,
    kind=st.sampled_from(KINDS), intensity=st.integers(0, 10),
    context=st.sampled_from(CONTEXTS),
    time=st.none() | st.times().map(lambda t: t.strftime("%H:%M")),
    tags=st.lists(labels, max_size=3, unique=True),
    people=st.lists(labels, max_size=2, unique=True),
    feelings=st.lists(labels, max_size=2, unique=True),
    action=st.none() | st.sampled_from(ACTIONS), note=texts,
)


@st.composite
def entry_lists(draw: st.DrawFn) -> list[Entry]:
    days = draw(st.lists(st.dates(date(1990, 1, 1), date(2100, 12, 31)), max_size=6,
                         unique=True))
    out = []
    for day in days:
        out.append(Entry(
            date=day, body=draw(texts),
            written_at=draw(st.none() | st.datetimes(datetime(2000, 1, 1),
                                                     datetime(2099, 1, 1))
                            .map(lambda d: d.replace(microsecond=0))),
            sleep=draw(scale), energy=draw(scale),
            recovery=draw(st.lists(labels, max_size=3, unique=True)),
            good_things=draw(st.lists(texts, max_size=2)),
            moments=draw(st.lists(moments, max_size=3)),
            extra=draw(st.dictionaries(st.sampled_from(["mood", "x_app", "weather"]),
                                       st.integers() | texts, max_size=2)),
        ))
    return out


def _payload(entries: list[Entry]) -> list[dict]:
    return [exchange.entry_dict(e) for e in sorted(entries, key=lambda e: e.date)]


@given(entry_lists())
@settings(max_examples=80)
def test_round_trip_through_text(entries):
    text = exchange.to_json_text(entries)
    back = exchange.loads(text)
    assert _payload(back) == _payload(entries)
    assert exchange.to_json_text(back) == text  # byte-identical second dump


@given(entry_lists(), st.randoms())
@settings(max_examples=40)
def test_dump_does_not_depend_on_input_order(entries, rnd):
    shuffled = list(entries)
    rnd.shuffle(shuffled)
    assert exchange.to_json_text(shuffled) == exchange.to_json_text(entries)


def test_documented_shape_and_key_order():
    entry = Entry(date=date(2026, 3, 2), body="b", moments=[
        Moment(kind="concern", intensity=3, context="home", extra={"zz": 1, "aa": {"b": 1,
                                                                                  "a": 2}})],
        extra={"weather": "rain"}, updated_at=datetime(2026, 3, 3, 10, 0))
    data = exchange.dump([entry])
    assert list(data) == ["format", "version", "entries"]
    [row] = data["entries"]
    assert list(row) == [*exchange.ENTRY_KEYS, "weather"]
    assert "updated_at" not in row
    assert list(row["moments"][0]) == [*exchange.MOMENT_KEYS, "aa", "zz"]
    assert list(row["moments"][0]["aa"]) == ["a", "b"]


def test_extra_fields_are_kept():
    doc = {"format": "journal-export", "version": 1, "entries": [
        {"date": "2026-01-01", "body": "x", "mood": "ok",
         "moments": [{"kind": "concern", "intensity": 1, "context": "work", "where": "ward"}]}]}
    [entry] = exchange.load(doc)
    out = exchange.dump([entry])["entries"][0]
    assert out["mood"] == "ok" and out["moments"][0]["where"] == "ward"


@pytest.mark.parametrize(("doc", "message"), [
    ([], "top level must be an object"),
    ({"format": "jrnl", "version": 1, "entries": []}, "'format' must be"),
    ({"format": "journal-export", "version": 2, "entries": []}, "upgrade journal"),
    ({"format": "journal-export", "version": "1", "entries": []}, "'version' must be"),
    ({"format": "journal-export", "version": 1, "entries": {}}, "'entries' must be a list"),
    ({"format": "journal-export", "version": 1, "entries": [5]}, "entry 0: must be an object"),
    ({"format": "journal-export", "version": 1, "entries": [{"body": "x"}]},
     "entry 0, field 'date'"),
    ({"format": "journal-export", "version": 1,
      "entries": [{"date": "2026-01-01"}, {"date": "2026-01-02", "sleep": 11}]},
     "entry 1 (2026-01-02), field 'sleep'"),
    ({"format": "journal-export", "version": 1, "entries": [
        {"date": "2026-01-01", "moments": [{"kind": "grief", "intensity": 1,
                                            "context": "work"}]}]},
     "entry 0 (2026-01-01) moment 0, field 'kind'"),
    ({"format": "journal-export", "version": 1, "entries": [
        {"id": "7d4c8a0e-1a0b-4a6b-9a43-0e5d1f0f2b11", "date": "2026-01-01"},
        {"id": "7d4c8a0e-1a0b-4a6b-9a43-0e5d1f0f2b11", "date": "2026-01-02"}]},
     "entry 1 (2026-01-02), field 'id': the id 7d4c8a0e"),
])
def test_load_errors_name_entry_date_and_field(doc, message):
    with pytest.raises(ValidationError) as info:
        exchange.load(doc)
    assert message in str(info.value)


@pytest.mark.parametrize(("text", "message"), [
    ('{"format": "journal-export",', "not valid JSON (line 1"),
    ('{"format": "journal-export", "format": "x"}', "appears twice"),
    ('{"format": "journal-export", "version": 1, "entries": [{"date": "2026-01-01", '
     '"sleep": NaN}]}', "NaN is not allowed"),
])
def test_parse_errors_are_clear(text, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(")):
        exchange.loads(text)


# -- malformed input against a real vault: refused, and the vault is unchanged ---------------
@pytest.fixture(scope="module")
def seeded_vault(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("exchange") / "vault"
    vault, _ = Vault.create(directory, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    vault.put(Entry(date=date(2026, 1, 1), body="kept\n"))
    vault.close()
    return directory


def _snapshot(directory: Path) -> dict[str, bytes]:
    """The stored bytes: the database and any non-empty WAL (an empty or absent WAL and
    SQLite's -shm index, which a read-only open may create or drop, hold no content)."""
    files = {p.name: p.read_bytes() for p in sorted(directory.iterdir())
             if not p.name.endswith("-shm")}
    return {name: data for name, data in files.items() if data or not name.endswith("-wal")}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 20) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8,
)
field_names = st.sampled_from([*exchange.ENTRY_KEYS, "kind", "intensity", "context", "time",
                               "tags", "note"])


@st.composite
def malformed_documents(draw: st.DrawFn) -> object:
    """A valid document with one field of one entry (or moment) replaced by junk, or junk
    where the envelope should be. Only ones the validator must reject are kept."""
    good = {"format": "journal-export", "version": 1, "entries": [
        {"date": "2026-02-01", "body": "a",
         "moments": [{"kind": "concern", "intensity": 2, "context": "home"}]},
        {"date": "2026-02-02", "body": "b"}]}
    choice = draw(st.integers(0, 2))
    if choice == 0:
        return draw(json_values)
    doc = json.loads(json.dumps(good))
    target = doc["entries"][draw(st.integers(0, 1))]
    if choice == 2:
        target = doc["entries"][0]["moments"][0]
    target[draw(field_names)] = draw(json_values)
    return doc


def _is_valid(doc: object) -> bool:
    try:
        exchange.load(doc)
    except ValidationError:
        return False
    return True


def _import(directory: Path, source: Path, *extra: str):
    from click.testing import CliRunner

    from journal.cli import cli
    from journal.cli.runtime import Runtime

    runtime = Runtime(kdf=KdfParams.fast_for_tests(), allow_weak=True,
                      env={"JOURNAL_VAULT": str(directory),
                           "JOURNAL_CONFIG_DIR": str(directory.parent / "config")},
                      prompt=lambda _label: PASSPHRASE, interactive=False)
    return CliRunner().invoke(cli, ["import", str(source), "--format", "json", *extra],
                              obj=runtime)


@given(doc=malformed_documents())
@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_malformed_input_is_refused_and_the_vault_is_unchanged(seeded_vault, tmp_path, doc):
    source = tmp_path / "doc.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    before = _snapshot(seeded_vault)
    if _is_valid(doc):  # the mutation happened to be valid (e.g. another body text)
        result = _import(seeded_vault, source, "--dry-run")
        assert result.exit_code == 0, result.output
    else:
        with pytest.raises(ValidationError) as info:
            exchange.loads(source.read_text(encoding="utf-8"))
        result = _import(seeded_vault, source)
        assert result.exit_code == 2
        assert result.stderr == f"journal: error: {source}, {info.value}\n"  # names the file
        assert "\n" not in str(info.value)
    assert _snapshot(seeded_vault) == before


@given(entries=entry_lists())
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_export_import_export_through_a_vault_is_byte_identical(tmp_path_factory, entries):
    from journal.core.exchange.importers import plan as planning

    for entry in entries:  # an export always carries written_at
        entry.written_at = entry.written_at or datetime(2026, 1, 1, 8, 0)
    first = exchange.to_json_text(entries)
    directory = tmp_path_factory.mktemp("roundtrip") / "vault"
    vault, _ = Vault.create(directory, PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                            recovery=False)
    try:
        imported = planning.plan(vault, exchange.loads(first))
        assert len(imported.new) == len(entries)
        planning.apply(vault, imported)
        assert exchange.to_json_text(vault.entries()) == first
        again = planning.plan(vault, exchange.loads(first))
        assert (again.writes, again.unchanged) == ([], len(entries))
    finally:
        vault.close()


def test_moment_ids_are_unique_within_an_entry_only():
    moment = {"id": "1f0e2d3c-4b5a-4987-8654-3210fedcba98", "kind": "concern",
              "intensity": 1, "context": "work"}
    doc = {"format": "journal-export", "version": 1, "entries": [
        {"date": "2026-01-01", "moments": [moment]},
        {"date": "2026-01-02", "moments": [moment]}]}
    assert len(exchange.load(doc)) == 2
    doc["entries"][1]["moments"].append(moment)
    with pytest.raises(ValidationError, match=r"entry 1 \(2026-01-02\) moment 1, field 'id'"):
        exchange.load(doc)
