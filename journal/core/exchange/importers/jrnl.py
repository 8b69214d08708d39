"""Import jrnl journals (jrnl-org/jrnl): plain text and its encrypted v3, v2 and v1 files.

Plain text, as jrnl writes it: each entry starts with `[<date>] Title` at the start of a line,
body lines follow, a blank line separates entries; a title ending in `*` is starred. A date is
read as jrnl 4.6 reads it (Journal._parse, jrnl.time.parse): first with the journal's
`timeformat` (an option; by default jrnl's "%Y-%m-%d %H:%M" and "%F %r"), then as dateutil
reads it with jrnl's defaults (a missing day is the 1st, a missing time 00:00: `[2019-07
14:23]` is 2019-07-01 14:23). A bracket of at most 6 characters (`[1]`, a footnote) or
without any digit (`[link]`) is body text, as in jrnl. Anything else in brackets at the start
of a line that is not a date with a year is refused with its line number: jrnl would guess it
from today's date, or glue the entry onto the one before.

jrnl 1.x plain text (`YYYY-MM-DD HH:MM Title` lines, no brackets) is read as jrnl's upgrade
reads it (LegacyJournal): a bracketed line inside it is body text, indented by one space.
A folder journal (`YYYY/MM/DD.txt`, jrnl's Folder) takes each entry's day from its path.

Encrypted files, read with `cryptography` only, byte layouts as in jrnl 4.6's source:
* v3 (jrnl >= 4.6): b"JRNLv3" | u16 big-endian header length | header (base64 of JSON
  {"salt": urlsafe-base64 of 16 bytes}; raw JSON in early builds) | Fernet token.
  Key: urlsafe-base64(PBKDF2-HMAC-SHA256(passphrase, salt, 100,000 iterations, 32 bytes)).
* v2 (jrnl 2.x-4.5): the file is one Fernet token, same KDF with jrnl's hard-coded salt.
* v1 (jrnl 1.x): 16-byte IV | AES-256-CBC(key = SHA-256(passphrase)), PKCS#7, no MAC;
  its plaintext uses jrnl 1.x's unbracketed `YYYY-MM-DD HH:MM Title` lines.

Mapping: one Entry per day (several jrnl entries -> `## HH:MM Title` sections); the title
stays the first line; jrnl `@tag` becomes `#tag` (in our syntax `@x` is a person); a starred
entry gets `#starred`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import struct
from datetime import datetime
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from journal.core.errors import ValidationError
from journal.core.exchange.importers._shared import (
    Passphrase,
    Piece,
    decode_text,
    fold_days,
    read_bytes,
    resolve_passphrase,
)
from journal.core.model.entries import Entry

V3_MAGIC = b"JRNLv3"
V2_PREFIX = b"gAAAAA"  # a Fernet token: version byte 0x80, base64url
#: jrnl's hard-coded v2 salt (jrnl/encryption/Jrnlv2Encryption.py; GHSA-rhx6-37mm-5q9r).
V2_SALT = b"\xf2\xd5q\x0e\xc1\x8d.\xde\xdc\x8e6t\x89\x04\xce\xf8"
ITERATIONS = 100_000

_ENTRY_START = re.compile(r"(?:^|\n)\[([^\]\n]+)\](?: |(?=\n)|$)")
_DATE_LIKE = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)?$"
)
_FORMATS = (
    "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %I:%M %p",
    "%Y-%m-%d %I:%M:%S%p", "%Y-%m-%d %I:%M%p", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
)
#: jrnl's tag pattern (Entry.tag_regex) with its default tagsymbols "#@"; we rewrite only @.
_AT_TAG = re.compile(r"(?<!\S)@(?=[-+*#/\w])")
_LEGACY_START = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2})(?: (.*))?$")
_ESCAPED_DATE = re.compile(r"^ (\[\d[^\]\n]*\] )")
#: jrnl's Journal default timeformat; "%F %r" (its default config) is tried as well.
DEFAULT_TIMEFORMAT = "%Y-%m-%d %H:%M"
#: jrnl.time: dateutil fills what a date leaves out from 9999-01-01 00:00; the year 9999
#: means "no year", which jrnl replaces by the current year (so we refuse it).
_NO_YEAR = datetime(9999, 1, 1)
_FOLDER_DAY = re.compile(r"^\d{4}/[01]\d/[0123]\d\.txt$")


def detect(path: Path) -> bool:
    path = Path(path)
    from journal.core.exchange.importers import jrnl_exports  # it builds on this module

    if jrnl_exports.detect(path):
        return True
    if path.is_dir():
        return bool(folder_files(path, limit=1))
    if not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if head.startswith((V3_MAGIC, V2_PREFIX)):
        return True
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    match = re.match(r"\[([^\]]+)\] ", first)
    if match and (_DATE_LIKE.match(match.group(1).strip()) or (
            len(match.group(1)) > 6 and any(ch.isdigit() for ch in match.group(1)))):
        return True  # a jrnl header (read() refuses one it cannot date, with its line)
    if _LEGACY_START.match(first.rstrip()):
        return True
    # jrnl 1.x encrypted: no text, whole AES blocks after a 16-byte IV
    size = path.stat().st_size
    return (path.suffix.lower() in (".journal", ".txt", "") and size >= 32 and size % 16 == 0
            and not _is_utf8(head, complete=size <= len(head))
            and not head.startswith((b"PK\x03\x04", b"SQLite format 3\x00")))


def _is_utf8(head: bytes, complete: bool) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return not complete and exc.start >= len(head) - 3  # cut inside a character
    return True


def read(path: Path, source_passphrase: Passphrase = None,
         timeformat: str | None = None) -> list[Entry]:
    """`timeformat`: the journal's jrnl `timeformat` when it is not jrnl's default."""
    path = Path(path)
    from journal.core.exchange.importers import jrnl_exports  # it builds on this module

    if jrnl_exports.detect(path):
        return jrnl_exports.read(path, timeformat)
    if path.is_dir():
        from journal.core.exchange.importers import dayone_classic

        if dayone_classic.detect(path):  # jrnl opens a .dayone package as a journal too
            return dayone_classic.read(path)
        return read_folder(path, timeformat)
    raw = read_bytes(path)
    if raw.startswith(V3_MAGIC):
        return parse_text(_decrypt_v3(raw, path, source_passphrase), path, "jrnl v3",
                          timeformat)
    if raw.startswith(V2_PREFIX):
        key = _fernet_key(resolve_passphrase(source_passphrase, path), V2_SALT)
        return parse_text(_fernet_open(key, raw, path, "v2"), path, "jrnl v2", timeformat)
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if len(raw) >= 32 and len(raw) % 16 == 0:  # shaped like jrnl 1.x ciphertext
            return parse_legacy(_decrypt_v1(raw, path, source_passphrase), path,
                                timeformat=timeformat)
    text = decode_text(raw, path)
    first = next((line for line in text.split("\n") if line.strip()), "")
    if _LEGACY_START.match(first.rstrip()) or (
            timeformat and not first.startswith("[") and _legacy_when(first, timeformat)):
        return parse_legacy(text, path, "jrnl 1.x", timeformat)
    return parse_text(text, path, timeformat=timeformat)


def folder_files(folder: Path, limit: int = 1_000_000) -> list[Path]:
    """jrnl's Folder journal: `YYYY/MM/DD.txt` below `folder`, in date order."""
    found = []
    for file in sorted(folder.glob("[0-9][0-9][0-9][0-9]/[01][0-9]/[0123][0-9].txt")):
        if _FOLDER_DAY.match(file.relative_to(folder).as_posix()) and file.is_file():
            found.append(file)
            if len(found) >= limit:
                break
    return found


def read_folder(folder: Path, timeformat: str | None = None) -> list[Entry]:
    """A jrnl folder journal: the path is each entry's day (jrnl #2006), the header its time."""
    files = folder_files(folder)
    if not files:
        raise ValidationError(f"{folder}: no jrnl journal here (neither a folder journal's "
                              "YYYY/MM/DD.txt files nor a journal file)")
    pieces: list[Piece] = []
    for file in files:
        year, month, day = file.relative_to(folder).with_suffix("").parts
        text = decode_text(read_bytes(file), file)
        for piece in text_pieces(text, str(file), timeformat):
            try:
                piece.when = piece.when.replace(year=int(year), month=int(month), day=int(day))
            except ValueError:
                raise ValidationError(f"{file}: {year}-{month}-{day} is not a real day") \
                    from None
            piece.source_key = f"{file.relative_to(folder).as_posix()}|{piece.source_key}"
            pieces.append(piece)
    return fold_days("jrnl", pieces)


# -- plain text ----------------------------------------------------------------------------
def parse_text(text: str, path: Path, kind: str = "",
               timeformat: str | None = None) -> list[Entry]:
    """jrnl 2+ text (as `jrnl` writes it) -> one Entry per day."""
    where = f"{path} ({kind})" if kind else str(path)
    return fold_days("jrnl", text_pieces(text, where, timeformat))


def text_pieces(text: str, where: str, timeformat: str | None = None) -> list[Piece]:
    text = text.replace("\r\n", "\n")
    starts: list[tuple[int, int, datetime]] = []
    for match in _ENTRY_START.finditer(text):
        blob = match.group(1)
        line_no = text.count("\n", 0, match.start(1)) + 1
        when = read_date(blob, timeformat, where, line_no)
        if when is None:
            continue  # a bracketed word in the body, as jrnl would leave it
        starts.append((match.start(1) - 1, match.end(), when))
    if not starts:
        if text.strip():
            raise ValidationError(f"{where}: no jrnl entries found (expected lines like "
                                  "'[2026-11-20 08:15] Title')")
        return []
    if text[: starts[0][0]].strip():
        raise ValidationError(f"{where}, line 1: text before the first '[date] Title' line")
    pieces: list[Piece] = []
    for index, (_start, body_start, when) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        pieces.append(make_piece(when, text[body_start:end]))
    return pieces


def read_date(blob: str, timeformat: str | None, where: str,
              line_no: int | None = None) -> datetime | None:
    """The date of a `[blob] ` entry header as jrnl reads it; None if jrnl keeps it as body
    text; ValidationError (with the line) for a header jrnl would misfile."""
    for fmt in (timeformat or DEFAULT_TIMEFORMAT, "%Y-%m-%d %I:%M:%S %p", *_FORMATS):
        try:
            return datetime.strptime(blob, fmt)
        except ValueError:
            continue
    if len(blob) <= 6 or not any(ch.isdigit() for ch in blob):
        return None  # jrnl: "probably a markdown footnote"; or a word such as [link]
    when = _dateutil(blob)
    if when is None:
        place = f"{where}, line {line_no}" if line_no else where
        raise ValidationError(f"{place}: '{blob[:40]}' is not a real date and time that jrnl "
                              "can read (jrnl would glue this entry onto the one before, or "
                              "file it under today)")
    return when


def _dateutil(blob: str) -> datetime | None:
    from dateutil.parser import ParserError  # jrnl's own date reader
    from dateutil.parser import parse as dateparse

    try:
        when = dateparse(blob, default=_NO_YEAR)
    except (ParserError, ValueError, OverflowError, TypeError, LookupError):
        return None
    if when.year == _NO_YEAR.year:
        return None  # jrnl would take the current year
    return when.replace(tzinfo=None, microsecond=0)


def _legacy_when(line: str, timeformat: str) -> datetime | None:
    """jrnl 1.x: the line starts with a date in `timeformat` (as long as one it writes)."""
    length = len(datetime(2000, 10, 10, 10, 10, 10).strftime(timeformat))
    try:
        return datetime.strptime(line[:length], timeformat)
    except ValueError:
        return None


def make_piece(when: datetime, raw: str, starred: bool = False) -> Piece:
    """One jrnl entry's text (title line, body) as jrnl reads it: a trailing `*` stars it."""
    lines = raw.strip("\n").split("\n")
    title = lines[0].rstrip()
    if title.endswith("*"):  # jrnl: a title ending in * is starred
        starred = True
        title = title.rstrip("* ").rstrip()
    if starred:
        title = f"{title} #starred".strip()
    # ` [2019-08-03 12:55] text`: a body line jrnl (and our jrnl export) indents by one
    # space so that it is not read as a new entry; the space is not the writer's
    body = "\n".join(_ESCAPED_DATE.sub(r"\1", line.rstrip())
                     for line in lines[1:]).rstrip("\n")
    text = _AT_TAG.sub("#", f"{title}\n{body}" if body else title)
    return Piece(when=when, text=text, source_key=raw)


def parse_legacy(text: str, path: Path, kind: str = "jrnl v1",
                 timeformat: str | None = None) -> list[Entry]:
    """jrnl 1.x text: `YYYY-MM-DD HH:MM Title` lines, no brackets (jrnl's LegacyJournal)."""
    timeformat = timeformat or DEFAULT_TIMEFORMAT
    length = len(datetime(2000, 10, 10, 10, 10, 10).strftime(timeformat))
    pieces: list[Piece] = []
    when: datetime | None = None
    lines: list[str] = []
    for line_no, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = line.rstrip()
        new_when = _legacy_when(line, timeformat)
        if new_when is None and _LEGACY_START.match(line) and timeformat == DEFAULT_TIMEFORMAT:
            raise ValidationError(f"{path} ({kind}), line {line_no}: '{line[:16]}' is not a "
                                  "real date and time")
        if new_when is not None:
            if when is not None:
                pieces.append(make_piece(when, "\n".join(lines)))
            when, lines = new_when, [line[length + 1:]]
        elif when is not None:
            lines.append(f" {line}" if re.match(r"^\[[^\]]+\]", line) else line)
        elif line.strip():
            raise ValidationError(f"{path} ({kind}), line {line_no}: text before the first "
                                  "entry")
    if when is not None:
        pieces.append(make_piece(when, "\n".join(lines)))
    return fold_days("jrnl", pieces)


# -- encryption ----------------------------------------------------------------------------
def _fernet_key(passphrase: str, salt: bytes) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=ITERATIONS)
    return base64.urlsafe_b64encode(kdf.derive(passphrase.encode("utf-8")))


def _fernet_open(key: bytes, token: bytes, path: Path, version: str) -> str:
    token = token.strip()
    try:
        raw = base64.urlsafe_b64decode(token)
    except (binascii.Error, ValueError):
        raw = b""
    # version byte, 8-byte time, 16-byte IV, AES blocks, 32-byte HMAC
    if len(raw) < 73 or raw[0] != 0x80 or (len(raw) - 57) % 16:
        raise ValidationError(f"{path}: the jrnl {version} ciphertext is damaged or truncated")
    try:
        plain = Fernet(key).decrypt(token)
    except InvalidToken:
        raise ValidationError(f"wrong jrnl passphrase for {path} (or the file was "
                              "altered)") from None
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(f"{path}: the decrypted jrnl {version} journal is not UTF-8 "
                              "text") from None


def _decrypt_v3(raw: bytes, path: Path, source_passphrase: Passphrase) -> str:
    offset = len(V3_MAGIC)
    if len(raw) < offset + 2:
        raise ValidationError(f"{path}: the jrnl v3 header is truncated")
    (header_len,) = struct.unpack_from(">H", raw, offset)
    offset += 2
    field = raw[offset: offset + header_len]
    if len(field) < header_len:
        raise ValidationError(f"{path}: the jrnl v3 header is truncated")
    try:
        try:
            header = json.loads(base64.b64decode(field, validate=True))
        except binascii.Error:  # early v3 builds stored the JSON header unencoded
            header = json.loads(field)
        salt = base64.urlsafe_b64decode(header["salt"])
    except (ValueError, KeyError, TypeError, binascii.Error, RecursionError):
        raise ValidationError(f"{path}: the jrnl v3 header is damaged") from None
    if not salt:
        raise ValidationError(f"{path}: the jrnl v3 header has an empty salt")
    key = _fernet_key(resolve_passphrase(source_passphrase, path), salt)
    return _fernet_open(key, raw[offset + header_len:], path, "v3")


def _decrypt_v1(raw: bytes, path: Path, source_passphrase: Passphrase) -> str:
    passphrase = resolve_passphrase(source_passphrase, path)
    key = hashlib.sha256(passphrase.encode("utf-8")).digest()
    decryptor = Cipher(algorithms.AES(key), modes.CBC(raw[:16])).decryptor()
    padded = decryptor.update(raw[16:]) + decryptor.finalize()
    try:
        if padded[-1] == 0x20:  # jrnl: "ancient versions" padded with spaces
            return padded.decode("utf-8").rstrip(" ")
        unpadder = padding.PKCS7(128).unpadder()
        return (unpadder.update(padded) + unpadder.finalize()).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(f"wrong jrnl passphrase for {path} (or it is neither UTF-8 text "
                              "nor a jrnl 1.x journal)") from None
