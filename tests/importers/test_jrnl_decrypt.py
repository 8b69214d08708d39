"""jrnl's encrypted journals decrypted from the file a piece at a time (`jrnl_decrypt`), and
jrnl 1.x text folded again as it is written: an encrypted journal of 50,000 entries peaked
at 561 MB (the file, the token, two plaintexts and the text at once), a jrnl 1.x one at
553 MB (every entry held). The pieces give exactly what decrypting the file whole gives:
the same text, the same errors for a wrong passphrase, an altered or a damaged file."""

from __future__ import annotations

import base64
import tracemalloc
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from jrnl_writers import JRNL_V2_SALT, _key, write_v1, write_v2, write_v3
from test_jrnl_stream import _as_read, _journal, _streamed

from journal.core.errors import ValidationError
from journal.core.exchange import importers
from journal.core.exchange.importers import folded, jrnl, jrnl_decrypt
from journal.core.exchange.importers._shared import read_bytes

PASS = "s3cret"
TEXT = _journal(300) + "Café, naïve — ünïcode\n"


def _whole(key: bytes, path: Path, start: int, version: str) -> str:
    """What the importer made before: the whole file read and handed to Fernet."""
    return jrnl._fernet_open(key, read_bytes(path)[start:], path, version)  # noqa: SLF001


def _outcome(read, *args) -> str:
    try:
        return read(*args)
    except ValidationError as exc:
        return f"error: {exc}"


def _v3_start(data: bytes) -> int:
    return 8 + int.from_bytes(data[6:8], "big")


@pytest.fixture(params=["v2", "v3"])
def encrypted(request, tmp_path) -> tuple[Path, bytes, int, str]:
    """(file, key, where the token starts, version) of TEXT encrypted as jrnl writes it."""
    path = tmp_path / f"{request.param}.journal"
    if request.param == "v2":
        path.write_bytes(write_v2(TEXT, PASS))
        return path, _key(PASS, JRNL_V2_SALT), 0, "v2"
    data = write_v3(TEXT, PASS, salt=b"0123456789abcdef")
    path.write_bytes(data)
    return path, _key(PASS, b"0123456789abcdef"), _v3_start(data), "v3"


@pytest.mark.parametrize("chunk", [4, 64, 4096, 1 << 20])
def test_pieces_of_any_size_give_the_text_of_the_whole_token(encrypted, monkeypatch, chunk):
    path, key, start, version = encrypted
    monkeypatch.setattr(jrnl_decrypt, "CHUNK", chunk)
    assert jrnl_decrypt.fernet_text(path, start, key, version) == TEXT
    assert _whole(key, path, start, version) == TEXT
    assert [e.to_dict() for e in jrnl.read(path, PASS)] == [
        e.to_dict() for e in importers.read(_plain(path), "jrnl")]


def _plain(encrypted: Path) -> Path:
    plain = encrypted.with_suffix(".txt")
    plain.write_text(TEXT, encoding="utf-8")
    return plain


def _token_variants(data: bytes, start: int) -> dict[str, bytes]:
    head, token = data[:start], data[start:]
    raw = bytearray(base64.urlsafe_b64decode(token))

    def flipped(at: int) -> bytes:
        changed = bytearray(raw)
        changed[at] ^= 1
        return head + base64.urlsafe_b64encode(bytes(changed))

    return {
        "as written": data,
        "a newline after it": data + b"\n",
        "whitespace around it": head + b"  \n" + token + b"\r\n\t \n",
        "a line break inside": head + token[:40] + b"\n" + token[40:],
        "its padding dropped": head + token.rstrip(b"="),
        "a character not base64": head + token[:50] + b"*" + token[51:],
        "cut short": data[:-7],
        "cut to a whole block short": head + base64.urlsafe_b64encode(bytes(raw[:-16])),
        "the version byte": flipped(0),
        "a byte of the IV": flipped(12),
        "a byte mid-ciphertext": flipped(len(raw) // 2),
        "the last ciphertext byte": flipped(len(raw) - 33),
        "a byte of the MAC": flipped(len(raw) - 1),
        "empty": head,
        "only whitespace": head + b" \n",
    }


@pytest.mark.parametrize("chunk", [8, 4096])
def test_every_variant_of_a_token_reads_as_the_whole_token_reads(encrypted, tmp_path,
                                                                 monkeypatch, chunk):
    path, key, start, version = encrypted
    monkeypatch.setattr(jrnl_decrypt, "CHUNK", chunk)
    outcomes = {}
    for name, data in _token_variants(path.read_bytes(), start).items():
        variant = tmp_path / f"variant-{len(outcomes)}.journal"
        variant.write_bytes(data)
        streamed = _outcome(jrnl._fernet_file, key, variant, start, version)  # noqa: SLF001
        whole = _outcome(_whole, key, variant, start, version)
        assert streamed == whole, name
        outcomes[name] = streamed
    assert outcomes["a newline after it"] == TEXT == outcomes["a line break inside"]
    for name in ("a byte mid-ciphertext", "the last ciphertext byte", "a byte of the MAC",
                 "a byte of the IV"):
        assert "wrong jrnl passphrase" in outcomes[name] and "altered" in outcomes[name]
    assert "damaged or truncated" in outcomes["the version byte"]
    assert "damaged or truncated" in outcomes["cut short"]


def test_a_wrong_passphrase_and_a_file_that_is_not_utf8(encrypted, tmp_path):
    path, key, start, version = encrypted
    other = _key("not it", b"x" * 16)
    assert _outcome(jrnl_decrypt.fernet_text, path, start, other, version) == \
        _outcome(_whole, other, path, start, version)
    binary = tmp_path / "binary.journal"
    binary.write_bytes(_fernet(key, b"\xff\xfe not text"))
    assert _outcome(jrnl_decrypt.fernet_text, binary, 0, key, version) == \
        _outcome(_whole, key, binary, 0, version)
    assert "not UTF-8" in _outcome(jrnl_decrypt.fernet_text, binary, 0, key, version)


def _fernet(key: bytes, plain: bytes) -> bytes:
    return Fernet(key).encrypt(plain)


def test_decrypting_holds_the_plaintext_once_not_the_file_beside_it(tmp_path, monkeypatch):
    monkeypatch.setattr(jrnl_decrypt, "CHUNK", 4096)  # pieces small beside this journal
    text = _journal(6000)  # about 0.35 MB
    path = tmp_path / "big.journal"
    path.write_bytes(write_v2(text, PASS))
    key = _key(PASS, JRNL_V2_SALT)
    peaks = []
    for read in (lambda: jrnl_decrypt.fernet_text(path, 0, key, "v2"),
                 lambda: _whole(key, path, 0, "v2")):
        tracemalloc.start()
        assert read() == text
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    streamed, whole = peaks
    assert streamed < 2.3 * len(text) < whole  # the bytes and the text; before: 4-5 copies


def test_a_v1_journal_decrypted_in_pieces_is_folded_again(tmp_path, monkeypatch):
    legacy = "".join(f"2013-05-{d:02d} 09:00 Entry {d}.\nwith @work body\n[x] kept\n\n"
                     f"2013-05-{d:02d} 18:30 Evening {d} *\n\n" for d in range(1, 29))
    path = tmp_path / "old.journal"
    path.write_bytes(write_v1(legacy, "old pw"))
    plain = tmp_path / "old.txt"
    plain.write_text(legacy, encoding="utf-8")
    monkeypatch.setattr(jrnl_decrypt, "CHUNK", 48)
    whole = jrnl.read(path, "old pw")
    assert _as_read(whole) == _as_read(jrnl.read(plain)) and len(whole) == 28
    for source in (path, plain):
        kept, streamed = _streamed(source, source_passphrase="old pw")
        assert isinstance(kept, folded.FoldedSource)
        assert streamed == _as_read(jrnl.read(source, "old pw"))
    with pytest.raises(ValidationError, match="wrong jrnl passphrase for"):
        importers.open_source(path, "jrnl", source_passphrase="wrong")


def test_jrnl_1x_text_mid_file_errors_are_those_of_the_whole_read(tmp_path):
    good = "".join(f"2013-05-{d:02d} 09:00 Entry {d}.\nbody\n\n" for d in range(1, 20))
    path = tmp_path / "old.txt"
    path.write_text(good + "2013-02-30 09:00 Not a day\nbody\n", encoding="utf-8")
    with pytest.raises(ValidationError) as whole:
        jrnl.read(path)
    with pytest.raises(ValidationError) as streamed:
        importers.open_source(path, "jrnl")
    assert str(streamed.value) == str(whole.value)
    assert "line 58" in str(whole.value) and "not a real date" in str(whole.value)


def test_an_altered_journal_writes_nothing(vault, encrypted, tmp_path):
    path, _key_, start, _version = encrypted
    data = bytearray(path.read_bytes())
    middle = start + (len(data) - start) // 2
    data[middle] = ord("A") if data[middle] != ord("A") else ord("B")
    path.write_bytes(bytes(data))
    with pytest.raises(ValidationError, match="altered"):
        importers.open_source(path, "jrnl", source_passphrase=PASS)
    assert list(vault.entries()) == []
