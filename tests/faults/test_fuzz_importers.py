"""Fuzz every importer and the JSON exchange format: whatever the input, the only error that
may escape is our ValidationError (a clear, one-line message), never a traceback.

Two profiles (docs/faults.md records the figures):
* default (CI): a few hundred derandomised cases per target, the whole file in seconds;
* `JOURNAL_FUZZ=long`: random cases, enough for > 100,000 in total. Set
  `JOURNAL_FUZZ_REPORT=FILE` to get the number of cases each target really ran (JSON).

Targets: jrnl plain text, jrnl encrypted v1/v2/v3 (PBKDF2 lowered to 1 iteration while
fuzzing, so each case costs microseconds; the parsing is what is fuzzed), Day One JSON
(structured and raw), Day One zip (valid archives, then bytes mutated), Markdown files and
folders (front matter and body), the exchange format (`exchange.load` on structures and
`exchange.loads` on text), and format detection over arbitrary bytes.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import struct
import tempfile
import zipfile
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.errors import ValidationError
from journal.core.exchange import format_v1 as exchange
from journal.core.exchange import importers
from journal.core.exchange.importers import dayone, jrnl, markdown

LONG = os.environ.get("JOURNAL_FUZZ") == "long"
#: Cases per target: 7 hypothesis targets, so the long profile runs > 100,000 in one go.
EXAMPLES = int(os.environ.get("JOURNAL_FUZZ_EXAMPLES") or (15_000 if LONG else 250))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much,
                                       HealthCheck.function_scoped_fixture])
CASES: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    total = sum(CASES.values())
    print(f"\nfuzz cases: {total} ({dict(CASES)})")
    target = os.environ.get("JOURNAL_FUZZ_REPORT")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps({"profile": "long" if LONG else "ci", "total": total,
                                  "targets": dict(CASES)}) + "\n")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(autouse=True)
def fast_jrnl_kdf(monkeypatch):
    """jrnl's PBKDF2 at 1 iteration: fuzz the parsing, not the key stretching."""
    monkeypatch.setattr(jrnl, "ITERATIONS", 1)


def only_validation_errors(target: str, call) -> None:
    CASES[target] += 1
    try:
        call()
    except ValidationError as exc:
        assert str(exc).strip(), "an error must say what is wrong"


# -- strategies -------------------------------------------------------------------------------
JSON_LEAF = (st.none() | st.booleans() | st.integers(-2**70, 2**70)
             | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20))
JSON = st.recursive(JSON_LEAF, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
ZONES = st.sampled_from(["America/New_York", "Europe/Berlin", "UTC", "Asia/Kolkata",
                         "Pacific/Kiritimati", "Etc/GMT+12", "Not/AZone", "", "../../etc",
                         "Europe/Berlin\x00", "America/New_York "])
OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
ISO_DATETIMES = (st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31),
                              timezones=st.none() | OFFSETS).map(datetime.isoformat)
                 | st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")))
DATES = st.dates().map(lambda d: d.isoformat()) | st.text(max_size=12) | st.from_regex(
    r"\A\d{4}-\d{1,2}-\d{1,2}\Z")
SCALE = st.integers(-2, 12) | JSON
LABELS = st.lists(st.text(max_size=90), max_size=3) | JSON


def maybe(valid):
    """Mostly plausible values, sometimes anything JSON can hold."""
    return st.one_of(valid, valid, JSON)


MOMENT = st.fixed_dictionaries({}, optional={
    "id": maybe(st.uuids().map(str)), "kind": maybe(st.sampled_from(["contagion", "concern"])),
    "intensity": SCALE, "context": maybe(st.sampled_from(["work", "home", "commute"])),
    "time": maybe(st.from_regex(r"\A\d{1,2}:\d{2}\Z")), "tags": LABELS, "people": LABELS,
    "feelings": LABELS, "action": maybe(st.sampled_from(["helped", "withdrew"])),
    "note": maybe(st.text(max_size=30)), "extra": JSON})
ENTRY = st.fixed_dictionaries({"date": maybe(DATES)}, optional={
    "id": maybe(st.uuids().map(str)), "body": maybe(st.text(max_size=60)),
    "written_at": maybe(ISO_DATETIMES), "updated_at": maybe(ISO_DATETIMES), "sleep": SCALE,
    "energy": SCALE, "recovery": LABELS, "good_things": LABELS,
    "moments": maybe(st.lists(MOMENT, max_size=3)), "custom": JSON})
EXPORT = st.fixed_dictionaries({
    "format": maybe(st.just("journal-export")), "version": maybe(st.sampled_from([1, 2, 0])),
    "entries": maybe(st.lists(ENTRY, max_size=4))})
ATTACHMENT = st.fixed_dictionaries({}, optional={
    "identifier": JSON, "type": JSON, "md5": maybe(st.text(max_size=12)), "format": JSON})
DAYONE_ENTRY = st.fixed_dictionaries({}, optional={
    "creationDate": maybe(ISO_DATETIMES), "timeZone": maybe(ZONES),
    "text": maybe(st.text(max_size=80) | st.just("![](dayone-moment://ABCD-1234)")),
    "tags": LABELS, "starred": maybe(st.booleans()), "uuid": JSON,
    "photos": maybe(st.lists(ATTACHMENT, max_size=2)),
    "pdfAttachments": maybe(st.lists(ATTACHMENT, max_size=2))})
DAYONE_DOC = st.fixed_dictionaries({"metadata": JSON, "entries": maybe(
    st.lists(DAYONE_ENTRY, max_size=4))})


@st.composite
def mutated(draw, base: bytes) -> bytes:
    """`base` with a few bytes changed, removed or inserted, or truncated."""
    data = bytearray(base)
    for _ in range(draw(st.integers(0, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["flip", "set", "drop", "insert"]))
        if how == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "set":
            data[at] = draw(st.integers(0, 255))
        elif how == "drop":
            del data[at]
        else:
            data.insert(at, draw(st.integers(0, 255)))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


JRNL_DATE = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1)).map(lambda d: d.strftime("%Y-%m-%d %H:%M")),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %I:%M:%S %p")),
    st.from_regex(r"\A\d{4}-\d{1,2}-\d{1,2}( \d{1,2}:\d{2}(:\d{2})?( ?[AP]M)?)?\Z"),
    st.text(max_size=12))
JRNL_LINE = st.one_of(
    st.builds(lambda d, t: f"[{d}] {t}", JRNL_DATE, st.text(max_size=30)),
    st.builds(lambda d, t: f"{d} {t}", JRNL_DATE, st.text(max_size=20)),  # jrnl 1.x
    st.text(max_size=40), st.sampled_from(["", "@tag word", "title *", "[not a date] x"]))
JRNL_TEXT = st.lists(JRNL_LINE, max_size=12).map("\n".join)


def _write(path: Path, data: bytes | str) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    return path


# -- targets ----------------------------------------------------------------------------------
@FUZZ
@given(st.one_of(JRNL_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.binary(max_size=200), JRNL_TEXT.map(lambda t: b"\xef\xbb\xbf" + t.encode(
                     "utf-8", "surrogatepass"))))
def test_jrnl_text(workdir, raw):
    path = _write(workdir / "journal.txt", raw)
    only_validation_errors("jrnl text", lambda: jrnl.read(path))


def _v3(header: bytes, token: bytes) -> bytes:
    return jrnl.V3_MAGIC + struct.pack(">H", len(header)) + header + token


def _token(passphrase: str, salt: bytes, text: str) -> bytes:
    return Fernet(jrnl._fernet_key(passphrase, salt)).encrypt(text.encode("utf-8",
                                                                          "surrogatepass"))


@st.composite
def jrnl_encrypted(draw) -> tuple[bytes, str | None]:
    passphrase = draw(st.sampled_from(["pw", "other", None, ""]))
    kind = draw(st.sampled_from(["v3", "v3raw", "v2", "v1", "junk"]))
    salt = draw(st.binary(min_size=0, max_size=20))
    text = draw(JRNL_TEXT)
    if kind in ("v3", "v3raw"):
        header_json = json.dumps({"salt": base64.urlsafe_b64encode(salt).decode()}).encode()
        header = header_json if kind == "v3raw" else base64.b64encode(header_json)
        header = draw(st.sampled_from([header, header]) | st.binary(max_size=40))
        token = _token("pw", salt or b"s", text) if salt else draw(st.binary(max_size=120))
        raw = _v3(header, token)
    elif kind == "v2":
        raw = _token("pw", jrnl.V2_SALT, text)
    elif kind == "v1":
        raw = draw(st.binary(min_size=32, max_size=96).filter(lambda b: len(b) % 16 == 0))
    else:
        raw = draw(st.sampled_from([jrnl.V3_MAGIC, jrnl.V2_PREFIX])) + draw(
            st.binary(max_size=120))
    return draw(mutated(raw)) if draw(st.booleans()) else raw, passphrase


@FUZZ
@given(jrnl_encrypted())
def test_jrnl_encrypted(workdir, case):
    raw, passphrase = case
    path = _write(workdir / "journal.enc", raw)
    only_validation_errors("jrnl encrypted",
                           lambda: jrnl.read(path, source_passphrase=passphrase))


@FUZZ
@given(st.one_of(DAYONE_DOC.map(lambda d: json.dumps(d).encode()),
                 DAYONE_DOC.map(lambda d: json.dumps(d).encode()).flatmap(mutated),
                 st.binary(max_size=200)))
def test_dayone_json(workdir, raw):
    path = _write(workdir / "Journal.json", raw)
    only_validation_errors("dayone json", lambda: dayone.read(path))


def _zip(members: dict[str, bytes], compression: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@st.composite
def dayone_zips(draw) -> bytes:
    doc = json.dumps(draw(DAYONE_DOC)).encode()
    name = draw(st.sampled_from(["Journal.json", "Export/Journal.json", "a/b/c.json",
                                 "__MACOSX/Journal.json", "notes.txt", ".hidden.json"]))
    members = {name: doc}
    if draw(st.booleans()):
        members["photos/abc.jpeg"] = draw(st.binary(max_size=30))
    raw = _zip(members, draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])))
    return draw(mutated(raw)) if draw(st.booleans()) else raw


@FUZZ
@given(dayone_zips())
def test_dayone_zip(workdir, raw):
    path = _write(workdir / "export.zip", raw)
    only_validation_errors("dayone zip", lambda: dayone.read(path))


FRONT_VALUE = st.one_of(JSON.map(json.dumps), st.text(max_size=20),
                        st.sampled_from(["~", "null", "[a, b]", "[a, \"b", "{", "'q'", "-"]))
FRONT_LINE = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(
        ["date", "id", "tags", "sleep", "energy", "moments", "recovery", "good_things",
         "written_at", "title", '"quoted key"', "date"]) | st.from_regex(r"\A[a-z_]{1,6}\Z"),
        FRONT_VALUE),
    st.builds(lambda v: f"  - {v}", FRONT_VALUE), st.sampled_from(["moments:", "tags:", "-"]),
    st.text(max_size=20))


@st.composite
def markdown_files(draw) -> list[tuple[str, str]]:
    files = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.one_of(DATES.map(lambda d: f"{d}.md"), st.sampled_from(
            ["2026-11-20.md", "2026-11-20 evening.md", "notes.md", "x.markdown"])))
        name = name.replace("/", "-").replace("\x00", "") or "x.md"
        front = draw(st.lists(FRONT_LINE, max_size=8))
        close = draw(st.sampled_from(["---", "...", ""]))
        body = draw(st.text(max_size=60))
        text = f"---\n{chr(10).join(front)}\n{close}\n{body}" if draw(st.booleans()) or front \
            else body
        files.append((name, text))
    return files


@FUZZ
@given(markdown_files())
def test_markdown_folder(workdir, files):
    folder = Path(tempfile.mkdtemp(dir=workdir))
    try:
        for name, text in files:
            if name.startswith(".") or name in (".md", "..md"):
                name = "x" + name
            try:
                _write(folder / name, text)
            except OSError:  # a name the filesystem refuses (too long): not our input
                continue
        target = folder if len(files) > 1 else next(iter(folder.iterdir()), folder)
        only_validation_errors("markdown", lambda: markdown.read(target))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@FUZZ
@given(st.one_of(EXPORT, JSON))
def test_exchange_load(data):
    only_validation_errors("exchange load", lambda: exchange.load(data))


@FUZZ
@given(st.one_of(EXPORT.map(json.dumps).map(str.encode).flatmap(mutated), st.binary(
    max_size=120), st.integers(1, 50_000).map(lambda n: b"[" * n + b"]" * n)))
def test_exchange_text_and_detection(workdir, raw):
    """The JSON importer through the registry: detection over arbitrary bytes, then read."""
    path = _write(workdir / "export.json", raw)
    only_validation_errors("exchange text + detect", lambda: importers.read(path))


@pytest.mark.parametrize("depth", [10, 2_000, 100_000])
@pytest.mark.parametrize("where", ["dayone", "dayone-zip", "markdown", "jrnl-v3", "exchange"])
def test_deeply_nested_json_is_refused_cleanly(workdir, depth, where):
    """`[[[[...]]]]` deep enough to exhaust Python's recursion: a ValidationError."""
    nested = "[" * depth + "]" * depth
    document = '{"entries": [], "x": ' + nested + "}"
    if where == "dayone":
        path = _write(workdir / "deep.json", document)
        call = lambda: dayone.read(path)  # noqa: E731
    elif where == "dayone-zip":
        path = _write(workdir / "deep.zip", _zip({"Journal.json": document.encode()},
                                                 zipfile.ZIP_DEFLATED))
        call = lambda: dayone.read(path)  # noqa: E731
    elif where == "markdown":
        path = _write(workdir / "2026-11-20.md", f"---\nmoments: {nested}\n---\nbody")
        call = lambda: markdown.read(path)  # noqa: E731
    elif where == "exchange":
        path = _write(workdir / "deep-export.json",
                      '{"format": "journal-export", "version": 1, "entries": ' + nested + "}")
        call = lambda: importers.read(path, "json")  # noqa: E731
    else:
        header = base64.b64encode(nested[:40_000].encode())
        path = _write(workdir / "deep.enc", _v3(header, b"gAAAAA"))
        call = lambda: jrnl.read(path, source_passphrase="pw")  # noqa: E731
    only_validation_errors(f"deep json {where}", call)


# -- what fuzzing found, kept as fixed regression cases ---------------------------------------
def _zip_with_empty_member_name() -> bytes:
    raw = bytearray(_zip({"Journal.json": b'{"entries": []}', "x": b""}, zipfile.ZIP_STORED))
    central = raw.rfind(b"PK\x01\x02")  # the last member's directory record: name "x"
    raw[central + 28: central + 30] = b"\0\0"  # name length 0
    del raw[central + 46]
    end = raw.rfind(b"PK\x05\x06")
    size = int.from_bytes(raw[end + 12: end + 16], "little") - 1
    raw[end + 12: end + 16] = size.to_bytes(4, "little")
    return bytes(raw)


def _zip_with_bad_utf8_name() -> bytes:
    raw = bytearray(_zip({"Journal.json": b'{"entries": []}'}, zipfile.ZIP_STORED))
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 8] |= 0x08  # general purpose flag 0x800: the name is UTF-8 ...
    raw[central + 9] |= 0x08
    raw[central + 46] = 0xAB  # ... but it is not
    return bytes(raw)


def _dayone(creation: str, zone: str | None) -> bytes:
    return json.dumps({"metadata": {"version": "1.0"}, "entries": [
        {"creationDate": creation, "timeZone": zone, "text": "x"}]}).encode()


FOUND = {
    "zip member with an empty name (IndexError in zipfile)": ("zip",
                                                              _zip_with_empty_member_name()),
    "zip member name not UTF-8 (UnicodeDecodeError)": ("zip", _zip_with_bad_utf8_name()),
    "creationDate 9999-12-31 shifted past year 9999 (OverflowError)": (
        "json", _dayone("9999-12-31T23:00:00Z", "Pacific/Kiritimati")),
    "creationDate 0001-01-01 shifted before year 1 (OverflowError)": (
        "json", _dayone("0001-01-01T00:30:00Z", "America/New_York")),
    "creationDate with an offset past year 9999 (OverflowError)": (
        "json", _dayone("9999-12-31T23:59:59-05:00", None)),
}


@pytest.mark.parametrize("name", sorted(FOUND))
def test_found_by_fuzzing(workdir, name):
    suffix, raw = FOUND[name]
    path = _write(workdir / f"found.{suffix}", raw)
    only_validation_errors("found", lambda: dayone.read(path))
    only_validation_errors("found", lambda: importers.read(path))  # detection too
