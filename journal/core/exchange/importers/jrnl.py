"""Import jrnl journals (jrnl-org/jrnl): plain text and its encrypted v3, v2 and v1 files.

Plain text is read as jrnl 4.6 reads it, dates included (`jrnl_text`); jrnl 1.x text is
recognised by its first line; a folder journal (`YYYY/MM/DD.txt`, jrnl's Folder) takes each
entry's day from its path; jrnl's own exports go to `jrnl_exports`, and a classic Day One
package (which jrnl opens as a journal too) to `dayone_classic`.

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
from collections.abc import Callable, Iterator
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from journal.core.errors import ValidationError
from journal.core.exchange.importers import dayone_classic, jrnl_decrypt, jrnl_exports
from journal.core.exchange.importers._shared import (
    Passphrase,
    Piece,
    decode_text,
    fold_days,
    read_bytes,
    resolve_passphrase,
)
from journal.core.exchange.importers.folded import open_folded, open_stream_folded
from journal.core.exchange.importers.jrnl_text import (
    DATE_LIKE,
    LEGACY_START,
    header_starts,
    legacy_piece_at,
    legacy_starts,
    legacy_when,
    lines_of,
    parse_legacy,
    piece_at,
    text_pieces,
    text_place,
)
from journal.core.exchange.importers.source import HeldSource, Source
from journal.core.model.entries import Entry

V3_MAGIC = b"JRNLv3"
V2_PREFIX = b"gAAAAA"  # a Fernet token: version byte 0x80, base64url
#: jrnl's hard-coded v2 salt (jrnl/encryption/Jrnlv2Encryption.py; GHSA-rhx6-37mm-5q9r).
V2_SALT = b"\xf2\xd5q\x0e\xc1\x8d.\xde\xdc\x8e6t\x89\x04\xce\xf8"
ITERATIONS = 100_000
#: A v3 file's magic, header length and longest header: what is read before its token.
_V3_HEAD = len(V3_MAGIC) + 2 + 0xFFFF

_FOLDER_DAY = re.compile(r"^\d{4}/[01]\d/[0123]\d\.txt$")


def detect(path: Path) -> bool:
    path = Path(path)
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
    if match and (DATE_LIKE.match(match.group(1).strip()) or (
            len(match.group(1)) > 6 and any(ch.isdigit() for ch in match.group(1)))):
        return True  # a jrnl header (read() refuses one it cannot date, with its line)
    if LEGACY_START.match(first.rstrip()):
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
    found = _journal(Path(path), source_passphrase, timeformat)
    if isinstance(found, list):
        return found
    text, where, legacy = found
    if legacy:
        return parse_legacy(text, Path(path), legacy, timeformat)
    return fold_days("jrnl", text_pieces(text, where, timeformat))


def open_source(path: Path, source_passphrase: Passphrase = None,
                progress: Callable[[int], None] | None = None,
                timeformat: str | None = None, *, again: bool = False) -> Source:
    """A jrnl journal's text (jrnl 2+ or 1.x, plain or encrypted), validated and held as its
    text only: its days are folded again as they are written (`folded`), so an import of
    50,000 entries does not hold them all (jrnl's markdown export too); a folder journal is
    read again file by file, jrnl's json export as a stream. Other jrnl sources (jrnl's
    exports as folders of files, a Day One package) are read whole."""
    path = Path(path)
    export = jrnl_exports.kind(path)
    if export == "json":
        return jrnl_exports.open_json(path, again, progress)
    if export == "markdown":
        return jrnl_exports.open_markdown(path, timeformat, again, progress)
    if path.is_dir():
        folder = _open_folder(path, timeformat, again)
        if folder is not None:
            return folder
    found = _journal(path, source_passphrase, timeformat)
    if isinstance(found, list):
        return HeldSource(found, keep=again)
    text, where, legacy = found
    if legacy:
        text = text.replace("\r\n", "\n")
        starts = legacy_starts(text, Path(path), legacy, timeformat)
        return open_folded("jrnl", [when for _, _, when in starts],
                           lambda index: legacy_piece_at(text, starts, index, timeformat),
                           again=again, progress=progress)
    starts = header_starts(text, where, timeformat)
    return open_folded("jrnl", [when for _, _, when in starts],
                       lambda index: piece_at(text, starts, index), again=again,
                       progress=progress)


def _journal(path: Path, source_passphrase: Passphrase,
             timeformat: str | None) -> list[Entry] | tuple[str, str, str]:
    """A journal's text, how its errors name it, and "" (jrnl 2+ text, LF line ends) or
    what jrnl 1.x text it is ("jrnl v1", "jrnl 1.x"); any other jrnl source read whole, as
    its entries. An encrypted journal is decrypted in memory, from the file in pieces."""
    if jrnl_exports.detect(path):
        return jrnl_exports.read(path, timeformat)
    if path.is_dir():
        if dayone_classic.detect(path):  # jrnl opens a .dayone package as a journal too
            return dayone_classic.read(path)
        return read_folder(path, timeformat)
    head = read_bytes(path, head=_V3_HEAD)
    if head.startswith(V3_MAGIC):
        return (_decrypt_v3(head, path, source_passphrase).replace("\r\n", "\n"),
                text_place(path, "jrnl v3"), "")
    if head.startswith(V2_PREFIX):
        key = _fernet_key(resolve_passphrase(source_passphrase, path), V2_SALT)
        return (_fernet_file(key, path, 0, "v2").replace("\r\n", "\n"),
                text_place(path, "jrnl v2"), "")
    del head
    raw = read_bytes(path)
    try:
        raw.decode("utf-8-sig")
        v1 = False
    except UnicodeDecodeError:  # (the error holds `raw`: decrypt after it is gone)
        v1 = len(raw) >= 32 and len(raw) % 16 == 0  # shaped like jrnl 1.x ciphertext
    if v1:
        del raw  # decrypted from the file, not beside it
        return _decrypt_v1(path, source_passphrase), str(path), "jrnl v1"
    text = decode_text(raw, path)
    del raw
    first = next((line for _, line in lines_of(text) if line.strip()), "")
    if LEGACY_START.match(first.rstrip()) or (
            timeformat and not first.startswith("[") and legacy_when(first, timeformat)):
        return text, str(path), "jrnl 1.x"
    return text, text_place(path), ""


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
    return fold_days("jrnl", list(_folder_pieces(folder, files, timeformat)))


def _folder_pieces(folder: Path, files: list[Path],
                   timeformat: str | None) -> Iterator[Piece]:
    """The entries of a folder journal's files, in order, one file (one day) at a time."""
    for file in files:
        yield from _file_pieces(folder, file, timeformat)


def _file_pieces(folder: Path, file: Path, timeformat: str | None) -> list[Piece]:
    year, month, day = file.relative_to(folder).with_suffix("").parts
    text = decode_text(read_bytes(file), file)
    pieces = text_pieces(text, str(file), timeformat)
    for piece in pieces:
        try:
            piece.when = piece.when.replace(year=int(year), month=int(month), day=int(day))
        except ValueError:
            raise ValidationError(f"{file}: {year}-{month}-{day} is not a real day") from None
        piece.source_key = f"{file.relative_to(folder).as_posix()}|{piece.source_key}"
    return pieces


def _open_folder(folder: Path, timeformat: str | None, again: bool) -> Source | None:
    """A folder journal whose wanted days' files are read again as it is written (each
    file is one day, in date order), or None if `folder` is not one (`_journal` then says
    what it is)."""
    if jrnl_exports.detect(folder) or dayone_classic.detect(folder):
        return None
    files = folder_files(folder)
    if not files:
        return None
    day_files: list[Path] = []  # the files that hold entries: one a day, in order

    def pieces() -> Iterator[Piece]:
        for file in files:
            found = _file_pieces(folder, file, timeformat)
            if found:
                day_files.append(file)
            yield from found

    def days(wanted: Callable[[int], bool]) -> Iterator[tuple[int, list[Piece]]]:
        for index, file in enumerate(day_files):
            if wanted(index):
                yield index, _file_pieces(folder, file, timeformat)

    return open_stream_folded(
        "jrnl", pieces, str(folder), days=days,
        whole=lambda: HeldSource(read_folder(folder, timeformat), keep=again))


# -- plain text ----------------------------------------------------------------------------
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
    del raw  # checked: not held beside the copies decrypting makes (a journal's size each)
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


def _fernet_file(key: bytes, path: Path, start: int, version: str) -> str:
    """The Fernet token filling `path` from byte `start`, decrypted in pieces
    (`jrnl_decrypt`); one that is not clean base64 is read and decrypted whole, as ever."""
    text = jrnl_decrypt.fernet_text(path, start, key, version)
    if text is None:
        text = _fernet_open(key, read_bytes(path)[start:], path, version)
    return text


def _decrypt_v3(raw: bytes, path: Path, source_passphrase: Passphrase) -> str:
    """`raw`: the file's first `_V3_HEAD` bytes (or all of it), its header among them."""
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
    return _fernet_file(key, path, offset + header_len, "v3")


def _decrypt_v1(path: Path, source_passphrase: Passphrase) -> str:
    passphrase = resolve_passphrase(source_passphrase, path)
    key = hashlib.sha256(passphrase.encode("utf-8")).digest()
    try:
        return jrnl_decrypt.v1_text(path, key)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(f"wrong jrnl passphrase for {path} (or it is neither UTF-8 text "
                              "nor a jrnl 1.x journal)") from None
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None
