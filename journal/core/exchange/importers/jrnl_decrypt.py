"""jrnl's encrypted journals decrypted from the file in pieces, in memory: the plaintext is
made once, into one buffer, without the file, its base64 or a second plaintext beside it.

Reading the file whole and handing it to `Fernet.decrypt` held the file, the decoded token,
the padded and the unpadded plaintext and the text: a few times the journal's size (561 MB
at 50,000 entries). Here the same token is checked as `Fernet.decrypt` checks it, composed
from the same `cryptography` primitives Fernet is made of (its spec: version byte 0x80,
8-byte time, 16-byte IV, AES-128-CBC ciphertext with PKCS#7, HMAC-SHA256 over all of it,
the key's first half signing, its second encrypting), read a megabyte at a time. The
plaintext is released only once the whole token's HMAC has been verified; a wrong key or an
altered file raises before anything is read from it.

A token that is not clean base64 (other characters, whitespace inside it, a wrong length)
is not decoded here: `fernet_text` returns None and the caller decrypts it whole with
`Fernet`, as before, which decides what such a file means.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, hmac, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from journal.core.errors import ValidationError

#: Base64 characters read at a time (a multiple of 4: each piece decodes alone).
CHUNK = 1 << 20
_CLEAN = re.compile(rb"[A-Za-z0-9_-]*")
_LAST = re.compile(rb"[A-Za-z0-9_-]*={0,2}")
_WHITESPACE = b" \t\n\r\x0b\x0c"  # what bytes.strip() strips
_HEADER = 25  # version byte, 8-byte time, 16-byte IV
_TAG = 32


def fernet_text(path: Path, start: int, key: bytes, version: str) -> str | None:
    """The text of the Fernet token that fills `path` from byte `start` (surrounding
    whitespace aside), decrypted with `key` (urlsafe base64, as `Fernet(key)` takes it), or
    None when the token is not clean base64 (the caller then decrypts it whole). The same
    errors as decrypting it whole: damaged or truncated, wrong passphrase, not UTF-8."""
    with path.open("rb") as handle:
        bounds = _token_bounds(handle, start)
        if bounds is None:
            return None
        first, end, pads = bounds
        size = (end - first) // 4 * 3 - pads
        handle.seek(first)
        decoded = _decoded(handle, end, max(CHUNK, 36))  # the version, time and IV at least
        if decoded is None:
            return None
        if size < 73 or decoded[0] != 0x80 or (size - 57) % 16:
            raise ValidationError(f"{path}: the jrnl {version} ciphertext is damaged or "
                                  "truncated")
        raw_key = base64.urlsafe_b64decode(key)
        signer = hmac.HMAC(raw_key[:16], hashes.SHA256())
        decryptor = Cipher(algorithms.AES(raw_key[16:]),
                           modes.CBC(decoded[9:_HEADER])).decryptor()
        body_end = size - _TAG
        plain = bytearray(body_end - _HEADER + 15)  # update_into wants a block spare
        view = memoryview(plain)
        made, offset, tag = 0, 0, bytearray()
        while decoded is not None:
            piece = memoryview(decoded)
            signer.update(piece[: max(0, body_end - offset)])
            made += decryptor.update_into(
                piece[max(0, _HEADER - offset): max(0, body_end - offset)], view[made:])
            tag += piece[max(0, body_end - offset):]
            offset += len(decoded)
            decoded = _decoded(handle, end) if offset < size else None
            if decoded is None and offset < size:
                return None
        rest = decryptor.finalize()  # CBC without padding: every block already made
        view[made: made + len(rest)] = rest
        made += len(rest)
        del view, piece
    try:
        signer.verify(bytes(tag))
    except InvalidSignature:
        raise _wrong(path) from None
    try:
        unpadder = padding.PKCS7(128).unpadder()
        last_block = unpadder.update(bytes(plain[made - 16: made])) + unpadder.finalize()
    except ValueError:
        raise _wrong(path) from None
    del plain[made - 16:]
    plain += last_block
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(f"{path}: the decrypted jrnl {version} journal is not UTF-8 "
                              "text") from None


def _wrong(path: Path) -> ValidationError:
    return ValidationError(f"wrong jrnl passphrase for {path} (or the file was altered)")


def _token_bounds(handle: BinaryIO, start: int) -> tuple[int, int, int] | None:
    """(first byte, end, number of '=') of the token from `start` with the whitespace
    around it left out, or None if it is not shaped like clean base64."""
    total = handle.seek(0, 2)
    handle.seek(start)
    lead = handle.read(4096)
    kept = lead.lstrip(_WHITESPACE)
    if not kept:
        return None  # empty, or more whitespace than anyone writes
    first = start + len(lead) - len(kept)
    tail_start = max(first, total - 4096)
    handle.seek(tail_start)
    tail = handle.read().rstrip(_WHITESPACE)
    if not tail:
        return None
    end = tail_start + len(tail)
    last = tail[-4:]
    if (end - first) % 4 or not _LAST.fullmatch(last):
        return None
    return first, end, len(last) - len(last.rstrip(b"="))


def _decoded(handle: BinaryIO, end: int, chars: int | None = None) -> bytes | None:
    """The next piece of the token up to `end` (`chars` characters, a multiple of 4; CHUNK
    by default), decoded; None if it is not clean base64 ('=' only at the very end)."""
    piece = handle.read(min(chars or CHUNK, end - handle.tell()))
    if not (_LAST if handle.tell() >= end else _CLEAN).fullmatch(piece):
        return None
    return base64.urlsafe_b64decode(piece)


def v1_text(path: Path, key: bytes) -> str:
    """A jrnl 1.x journal (16-byte IV, then AES-256-CBC with `key`), decrypted a piece at a
    time: its text, as `jrnl._decrypt_v1` made it from the whole file; ValueError or
    UnicodeDecodeError for a wrong key (no MAC: bad padding or bytes that are not UTF-8)."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(0)
        decryptor = Cipher(algorithms.AES(key), modes.CBC(handle.read(16))).decryptor()
        plain = bytearray(size - 16 + 15)
        view = memoryview(plain)
        made = 0
        while piece := handle.read(CHUNK):
            made += decryptor.update_into(piece, view[made:])
        rest = decryptor.finalize()  # CBC without padding: every block already made
        view[made: made + len(rest)] = rest
        made += len(rest)
        del view
    del plain[made:]
    if plain[-1] == 0x20:  # jrnl: "ancient versions" padded with spaces
        return plain.decode("utf-8").rstrip(" ")
    unpadder = padding.PKCS7(128).unpadder()
    last_block = unpadder.update(bytes(plain[-16:])) + unpadder.finalize()
    del plain[-16:]
    plain += last_block
    return plain.decode("utf-8")
