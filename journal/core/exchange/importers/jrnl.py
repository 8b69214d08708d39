"""Import jrnl journals (jrnl-org/jrnl): plain text and its encrypted v3, v2 and v1 files.

Plain text, as jrnl writes it: each entry starts with `[<date>] Title` at the start of a line
(jrnl's timeformats "%Y-%m-%d %H:%M" and its default config "%F %r", i.e. with seconds and
AM/PM), body lines follow, a blank line separates entries; a title ending in `*` is starred.

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


def detect(path: Path) -> bool:
    path = Path(path)
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
    return bool(match and _DATE_LIKE.match(match.group(1).strip()))


def read(path: Path, source_passphrase: Passphrase = None) -> list[Entry]:
    path = Path(path)
    raw = read_bytes(path)
    if raw.startswith(V3_MAGIC):
        return parse_text(_decrypt_v3(raw, path, source_passphrase), path, "jrnl v3")
    if raw.startswith(V2_PREFIX):
        key = _fernet_key(resolve_passphrase(source_passphrase, path), V2_SALT)
        return parse_text(_fernet_open(key, raw, path, "v2"), path, "jrnl v2")
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        if len(raw) >= 32 and len(raw) % 16 == 0:  # shaped like jrnl 1.x ciphertext
            return parse_legacy(_decrypt_v1(raw, path, source_passphrase), path)
    return parse_text(decode_text(raw, path), path)


# -- plain text ----------------------------------------------------------------------------
def parse_text(text: str, path: Path, kind: str = "") -> list[Entry]:
    """jrnl 2+ text (as `jrnl` writes it) -> one Entry per day."""
    text = text.replace("\r\n", "\n")
    where = f"{path} ({kind})" if kind else str(path)
    starts: list[tuple[int, int, datetime]] = []
    for match in _ENTRY_START.finditer(text):
        blob = match.group(1).strip()
        if not _DATE_LIKE.match(blob):
            continue  # a bracketed word in the body, as jrnl would leave it
        line_no = text.count("\n", 0, match.start(1)) + 1
        starts.append((match.start(1) - 1, match.end(), _parse_when(blob, where, line_no)))
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
        pieces.append(_piece(when, text[body_start:end]))
    return fold_days("jrnl", pieces)


def _parse_when(blob: str, where: str, line_no: int) -> datetime:
    for fmt in _FORMATS:
        try:
            return datetime.strptime(blob, fmt)
        except ValueError:
            continue
    raise ValidationError(f"{where}, line {line_no}: '{blob}' is not a real date and time")


def _piece(when: datetime, raw: str, starred: bool = False) -> Piece:
    lines = raw.strip("\n").split("\n")
    title = lines[0].rstrip()
    if title.endswith("*"):  # jrnl: a title ending in * is starred
        starred = True
        title = title.rstrip("* ").rstrip()
    if starred:
        title = f"{title} #starred".strip()
    body = "\n".join(line.rstrip() for line in lines[1:]).strip("\n")
    text = _AT_TAG.sub("#", f"{title}\n{body}" if body else title)
    return Piece(when=when, text=text, source_key=raw)


def parse_legacy(text: str, path: Path) -> list[Entry]:
    """jrnl 1.x text (inside v1 files): `YYYY-MM-DD HH:MM Title` lines, no brackets."""
    pieces: list[Piece] = []
    when: datetime | None = None
    lines: list[str] = []
    for line_no, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        match = _LEGACY_START.match(line.rstrip())
        if match:
            try:
                new_when = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M")
            except ValueError:
                raise ValidationError(f"{path} (jrnl v1), line {line_no}: '{match.group(1)}' "
                                      "is not a real date and time") from None
            if when is not None:
                pieces.append(_piece(when, "\n".join(lines)))
            when, lines = new_when, [match.group(2) or ""]
        elif when is not None:
            lines.append(line)
        elif line.strip():
            raise ValidationError(f"{path} (jrnl v1), line {line_no}: text before the first "
                                  "entry")
    if when is not None:
        pieces.append(_piece(when, "\n".join(lines)))
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
    if source_passphrase is None:
        raise ValidationError(f"{path}: not UTF-8 text (if it is a jrnl 1.x encrypted "
                              "journal, give its passphrase)")
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
