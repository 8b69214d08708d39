"""Fuzz the readers added for other tools' journals (issue 16): jrnl dates as jrnl reads
them (with any timeformat), jrnl 1.x text, folder journals, jrnl's own exports (json,
markdown, yaml), classic Day One packages (plists) and the jrnl config reader. Whatever the
input, only our ValidationError may escape; and through the real `journal import`, a refused
source leaves the vault byte for byte as it was.

Profiles as in test_fuzz_importers.py (JOURNAL_FUZZ=long for the long run).
"""

from __future__ import annotations

import json
import os
import plistlib
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.errors import ValidationError
from journal.core.exchange import importers
from journal.core.exchange.importers import dayone, jrnl, jrnl_config, jrnl_exports
from journal.core.model.entries import Entry
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault

LONG = os.environ.get("JOURNAL_FUZZ") == "long"
EXAMPLES = int(os.environ.get("JOURNAL_FUZZ_EXAMPLES") or (15_000 if LONG else 200))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much,
                                       HealthCheck.function_scoped_fixture])
PASSPHRASE = "correct horse battery staple"


def only_validation_errors(call) -> None:
    try:
        call()
    except ValidationError as exc:
        assert str(exc).strip() and "\n" not in str(exc)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-peer")


def _write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return path


# -- jrnl text, any date, any timeformat -------------------------------------------------------
TIMEFORMATS = st.sampled_from([None, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%F %r", "%H:%M",
                               "%Q", "%", "", "%d/%m/%y", "%Y"]) | st.text(max_size=8)
DATE_BLOBS = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1)).map(lambda d: d.strftime("%d.%m.%Y %H:%M")),
    st.datetimes(min_value=datetime(1, 1, 1)).map(lambda d: d.strftime("%Y-%m %H:%M")),
    st.from_regex(r"\A\d{1,4}[-./ ]\d{1,2}([-./ ]\d{1,4})?( \d{1,2}:\d{1,2})?( ?[ap]m)?\Z"),
    st.sampled_from(["2019-07 14:23", "July 4 2019", "yesterday 9am", "1", "12345678",
                     "Tue, 01 Jan 2019", "2019-02-30 10:00", "0000-00-00 00:00",
                     "99999-1-1", "2019-07-01T25:61", "3 1 2 4 5 6 7"]),
    st.text(max_size=24))
LINES = st.one_of(
    st.builds(lambda d, t: f"[{d}] {t}", DATE_BLOBS, st.text(max_size=20)),
    st.builds(lambda d, t: f"{d} {t}", DATE_BLOBS, st.text(max_size=20)),
    st.builds(lambda d: f" [{d}] escaped", DATE_BLOBS),
    st.text(max_size=30), st.sampled_from(["", "title *", "@c++ #os/2 c#", "[1] note"]))
TEXT = st.lists(LINES, max_size=10).map("\n".join)


@FUZZ
@given(TEXT, TIMEFORMATS)
def test_jrnl_text_any_timeformat(workdir, text, timeformat):
    path = _write(workdir / "journal.txt", text)
    only_validation_errors(lambda: jrnl.read(path, timeformat=timeformat))
    only_validation_errors(lambda: importers.read(path, timeformat=timeformat))


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 10000), st.integers(0, 13), st.integers(0, 32),
                          TEXT), min_size=1, max_size=3), TIMEFORMATS)
@pytest.mark.slow
def test_jrnl_folder_journal(workdir, days, timeformat):
    folder = Path(tempfile.mkdtemp(dir=workdir))
    try:
        for year, month, day, text in days:
            target = folder / f"{year:04d}"[:4] / f"{month:02d}" / f"{day:02d}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            _write(target, text)
        only_validation_errors(lambda: jrnl.read(folder, timeformat=timeformat))
        only_validation_errors(lambda: importers.read(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- jrnl's own exports ------------------------------------------------------------------------
JSON_LEAF = st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=12)
JSON = st.recursive(JSON_LEAF, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)
JRNL_ITEM = st.fixed_dictionaries({}, optional={
    "title": JSON | st.text(max_size=20), "body": JSON | TEXT,
    "date": JSON | st.dates().map(date.isoformat) | st.text(max_size=12),
    "time": JSON | st.from_regex(r"\A\d{1,2}:\d{2}\Z"), "tags": JSON
    | st.lists(st.text(max_size=8), max_size=3), "starred": JSON})


@FUZZ
@given(st.one_of(
    st.fixed_dictionaries({"tags": JSON, "entries": JSON | st.lists(JRNL_ITEM, max_size=3)})
    .map(json.dumps),
    st.builds(lambda body: '{"tags": {}, "entries": [{"title": "x", "time": ' + body,
              st.text(max_size=40))))
def test_jrnl_json_export(workdir, text):
    path = _write(workdir / "export.json", text)
    only_validation_errors(lambda: jrnl_exports.read(path))
    only_validation_errors(lambda: importers.read(path))


@FUZZ
@given(st.lists(st.one_of(
    st.builds(lambda d, t: f"### {d} {t}", DATE_BLOBS, st.text(max_size=12)),
    st.sampled_from(["# 2013", "## June", "#### Heading", " ", ""]), LINES), max_size=10),
    TIMEFORMATS)
def test_jrnl_markdown_export(workdir, lines, timeformat):
    path = _write(workdir / "export.md", "# 2013\n\n## June\n\n### " + "\n".join(lines))
    only_validation_errors(lambda: jrnl_exports.read(path, timeformat))
    only_validation_errors(lambda: importers.read(path))


YAML_LINE = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(["title", "date", "starred", "tags",
                                                          "uuid"]), st.text(max_size=16)),
    st.builds(lambda d: f"date: {d}", DATE_BLOBS), st.sampled_from(["body: |\t\t", "...", ""]),
    st.text(max_size=20).map(lambda t: "\t" + t))


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(["markdown", "yaml"]),
                          st.lists(YAML_LINE | LINES, max_size=8)), min_size=1, max_size=3))
def test_jrnl_export_folders(workdir, files):
    folder = Path(tempfile.mkdtemp(dir=workdir))
    try:
        for index, (kind, lines) in enumerate(files):
            head = "---\ntitle: " if kind == "yaml" else "# "
            _write(folder / f"2013-06-0{index + 1}_entry.md", head + "\n".join(lines))
        only_validation_errors(lambda: jrnl_exports.read(folder))
        only_validation_errors(lambda: importers.read(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- classic Day One ---------------------------------------------------------------------------
#: plistlib writes no control characters: the raw-bytes cases cover those
PTEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
PLIST_VALUE = st.one_of(PTEXT, st.booleans(), st.integers(-5, 5),
                        st.datetimes(min_value=datetime(1, 1, 2),
                                     max_value=datetime(9999, 12, 30)),
                        st.lists(PTEXT, max_size=3))
DOENTRY = st.fixed_dictionaries({}, optional={
    "Creation Date": PLIST_VALUE, "Entry Text": PLIST_VALUE, "Starred": PLIST_VALUE,
    "Tags": PLIST_VALUE, "UUID": PLIST_VALUE, "Time Zone": st.sampled_from(
        ["Europe/Berlin", "UTC", "Not/AZone", "", "../../etc"]) | PLIST_VALUE})


@FUZZ
@given(st.lists(st.one_of(DOENTRY.map(lambda d: plistlib.dumps(d, fmt=plistlib.FMT_XML)),
                          st.binary(max_size=80),
                          DOENTRY.map(lambda d: plistlib.dumps(d)[:-7])), min_size=1,
                max_size=3))
def test_classic_dayone_package(workdir, plists):
    folder = Path(tempfile.mkdtemp(dir=workdir, suffix=".dayone"))
    try:
        (folder / "entries").mkdir()
        for index, raw in enumerate(plists):
            _write(folder / "entries" / f"{index:032X}.doentry", raw)
        only_validation_errors(lambda: dayone.read(folder))
        only_validation_errors(lambda: importers.read(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- the jrnl config reader never fails --------------------------------------------------------
@FUZZ
@given(st.lists(st.one_of(st.sampled_from(["journals:", "  default:", "    journal: x",
                                           "  work: x", "timeformat: '%d'", "    timeformat:",
                                           "colors:", "  date: none"]),
                          st.text(max_size=20)), max_size=10).map("\n".join))
def test_jrnl_config_reader(workdir, text):
    config = _write(workdir / "jrnl.yaml", text)
    jrnl_config.parse(text)
    result = jrnl_config.timeformat_for(workdir / "x", [config], workdir)
    assert result is None or isinstance(result, str)


# -- through the real command: a refused source leaves the vault as it was ---------------------
@pytest.fixture(scope="module")
def seeded_vault(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("peer-vault") / "vault"
    vault, _ = Vault.create(directory, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    vault.put(Entry(date=date(2019, 7, 1), body="kept\n"))
    vault.close()
    return directory


def _snapshot(directory: Path) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in sorted(directory.iterdir())
             if not p.name.endswith("-shm")}
    return {name: data for name, data in files.items() if data or not name.endswith("-wal")}


@given(TEXT)
@settings(max_examples=40 if not LONG else 2_000, deadline=None, derandomize=not LONG,
          database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow])
def test_refused_jrnl_source_leaves_the_vault_unchanged(seeded_vault, tmp_path, text):
    from journal.cli import cli
    from journal.cli.runtime import Runtime

    source = _write(tmp_path / "journal.txt", text)
    before = _snapshot(seeded_vault)
    runtime = Runtime(kdf=KdfParams.fast_for_tests(), allow_weak=True,
                      env={"JOURNAL_VAULT": str(seeded_vault),
                           "JOURNAL_CONFIG_DIR": str(seeded_vault.parent / "config")},
                      prompt=lambda _label: PASSPHRASE, interactive=False)
    result = CliRunner().invoke(cli, ["import", str(source), "--format", "jrnl", "--dry-run"],
                                obj=runtime)
    if result.exit_code != 0:
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("journal: error: ") and result.stderr.count("\n") == 1
        result = CliRunner().invoke(cli, ["import", str(source), "--format", "jrnl"],
                                    obj=runtime)
        assert result.exit_code == 2
    assert _snapshot(seeded_vault) == before
