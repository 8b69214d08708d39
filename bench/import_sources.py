"""Sources of every import format, made from the bench's jrnl journal (the same entries), for
measuring each importer at 10,000 and 50,000 entries of ~1.6 KB.

  python -m bench.import_sources JOURNAL OUT_DIR [--formats jrnl-v2,dayone-json,...]

JOURNAL is a bench journal (`bench/results/cache/<...-50000-...>/jrnl.txt`, jrnl v3 with the
bench's passphrase). OUT_DIR gets one source per format (build it in your worktree or /tmp):

  jrnl-v3.journal, jrnl-v2.journal, jrnl-v1.journal  the journal encrypted as jrnl 4.6, 2.x, 1.x
                                                      would write it (the bench's passphrase)
  jrnl-legacy.journal                                jrnl 1.x plain text
  jrnl-folder/                                       jrnl's Folder journal, YYYY/MM/DD.txt
  dayone.json                                        a Day One JSON export
  markdown/                                          one YYYY-MM-DD.md per day
  jrnl-export.json, jrnl-export.md                   jrnl's own `--export json|markdown`
  jrnl-export-md/                                    ... `--export markdown -o DIR`

Then `python -m bench.jrnl_import OUT_DIR/<source> --format FMT` under `/usr/bin/time`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import uuid
from datetime import UTC
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bench.vaults import PASSPHRASE
from journal.core.exchange.importers import jrnl
from journal.core.exchange.importers.jrnl_text import header_starts

#: Each source this makes: its file (or folder) in OUT_DIR, and its import format.
SOURCES = {"jrnl-v3": ("jrnl-v3.journal", "jrnl"), "jrnl-v2": ("jrnl-v2.journal", "jrnl"),
           "jrnl-v1": ("jrnl-v1.journal", "jrnl"), "jrnl-legacy": ("jrnl-legacy.journal", "jrnl"),
           "jrnl-folder": ("jrnl-folder", "jrnl"), "dayone-json": ("dayone.json", "dayone"),
           "markdown": ("markdown", "markdown"), "jrnl-json": ("jrnl-export.json", "jrnl"),
           "jrnl-md": ("jrnl-export.md", "jrnl"), "jrnl-md-folder": ("jrnl-export-md", "jrnl")}
FORMATS = tuple(SOURCES)


def _entries(text: str) -> list[tuple[object, str, str]]:
    """(when, title, body) of each entry of jrnl text."""
    starts = header_starts(text, "bench")
    out = []
    for index, (_, body_start, when) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        title, _, body = text[body_start:end].strip("\n").partition("\n")
        out.append((when, title, body))
    return out


def _legacy(items: list) -> str:
    return "\n".join(f"{w:%Y-%m-%d %H:%M} {t}\n{b}\n" for w, t, b in items)


def write(journal: Path, out: Path, formats: tuple[str, ...]) -> None:
    found = jrnl._journal(journal, PASSPHRASE, None)  # noqa: SLF001
    assert isinstance(found, tuple), "not jrnl text"
    text = found[0]
    items = _entries(text)
    out.mkdir(parents=True, exist_ok=True)
    if "jrnl-v3" in formats:
        (out / "jrnl-v3.journal").write_bytes(journal.read_bytes())
    if "jrnl-v2" in formats:
        key = jrnl._fernet_key(PASSPHRASE, jrnl.V2_SALT)  # noqa: SLF001
        (out / "jrnl-v2.journal").write_bytes(Fernet(key).encrypt(text.encode("utf-8")))
    if "jrnl-legacy" in formats or "jrnl-v1" in formats:
        legacy = _legacy(items).encode("utf-8")
        if "jrnl-legacy" in formats:
            (out / "jrnl-legacy.journal").write_bytes(legacy)
        if "jrnl-v1" in formats:
            padder = padding.PKCS7(128).padder()
            padded = padder.update(legacy) + padder.finalize()
            iv = os.urandom(16)
            key = hashlib.sha256(PASSPHRASE.encode("utf-8")).digest()
            encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
            (out / "jrnl-v1.journal").write_bytes(iv + encryptor.update(padded)
                                                  + encryptor.finalize())
    if "jrnl-folder" in formats:
        days: dict[object, list[str]] = {}
        for when, title, body in items:
            days.setdefault(when.date(), []).append(f"[{when:%Y-%m-%d %H:%M}] {title}\n{body}\n")
        for day, chunks in days.items():
            file = out / "jrnl-folder" / f"{day:%Y}" / f"{day:%m}" / f"{day:%d}.txt"
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text("\n".join(chunks), encoding="utf-8")
    if "dayone-json" in formats:
        entries = [{"creationDate": when.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "text": f"# {title}\n{body}", "uuid": uuid.uuid4().hex.upper(),
                    "tags": ["work"] if index % 7 == 0 else [], "starred": index % 11 == 0}
                   for index, (when, title, body) in enumerate(items)]
        (out / "dayone.json").write_text(json.dumps(
            {"metadata": {"version": "1.0"}, "entries": entries}, indent=2), encoding="utf-8")
    if "markdown" in formats:
        folder = out / "markdown"
        folder.mkdir(exist_ok=True)
        for when, title, body in items:
            (folder / f"{when:%Y-%m-%d}.md").write_text(
                f"---\ndate: {when:%Y-%m-%d}\ntags: [work]\n---\n# {title}\n{body}\n",
                encoding="utf-8")
    if "jrnl-json" in formats:
        (out / "jrnl-export.json").write_text(json.dumps({"tags": {}, "entries": [
            {"title": title, "body": body, "date": f"{when:%Y-%m-%d}", "time": f"{when:%H:%M}",
             "tags": [], "starred": False} for when, title, body in items]}, indent=4),
            encoding="utf-8")
    if "jrnl-md" in formats:
        chunks, year, month = [], None, None
        for when, title, body in items:
            if when.year != year:
                year, month = when.year, None
                chunks.append(f"# {year}\n")
            if when.month != month:
                month = when.month
                chunks.append(f"## {when:%B}\n")
            chunks.append(f"### {when:%Y-%m-%d %H:%M} {title}\n\n{body.rstrip()}\n \n")
        (out / "jrnl-export.md").write_text("\n".join(chunks).rstrip("\n"), encoding="utf-8")
    if "jrnl-md-folder" in formats:
        folder = out / "jrnl-export-md"
        folder.mkdir(exist_ok=True)
        for index, (when, title, body) in enumerate(items):
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:30] or "entry"
            (folder / f"{when:%Y-%m-%d}_{slug}-{index}.md").write_text(
                f"# {when:%Y-%m-%d %H:%M} {title}\n\n{body.rstrip()}\n ", encoding="utf-8")
    print(f"wrote {len(items):,} entries to {out}: {', '.join(formats)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journal", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    formats = tuple(f for f in args.formats.split(",") if f)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        parser.error(f"unknown formats: {', '.join(sorted(unknown))}")
    write(args.journal, args.out, formats)


if __name__ == "__main__":
    main()
