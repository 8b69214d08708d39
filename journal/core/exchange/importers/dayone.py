"""Import a Day One JSON export: the zip Day One writes, its extracted folder, or the JSON.

The export holds `<Journal name>.json` files ({"metadata": {"version": "1.0"}, "entries":
[...]}) beside `photos/`, `audios/`, `videos/` and `pdfs/` folders whose files are named by
their MD5. Of each entry we read `creationDate` (ISO 8601, UTC, "Z"), `timeZone` (an IANA
name: the date and time are converted to that local time; UTC when absent), `text`
(Markdown), `tags`, `starred`, `uuid`, and the attachment lists `photos`, `audios`, `videos`
and `pdfAttachments`. `richText`, location and weather are ignored.

Attachments are not copied into the vault, but never silently lost: each inline
`![](dayone-moment://ID)` becomes `[photo id8]` and the entry ends with a line such as
`Attachments: photo 76f9b0ac (jpeg, photos/<md5>.jpeg)`, naming the file as the export has
it: photos and videos `<md5>.<type>`, audio always `audios/<md5>.m4a` (whatever `format`
says), PDFs `pdfs/<md5>.pdf`; an audio's `title` and a PDF's `pdfName` are kept. When the
export's media folder is there (a folder or zip import), a file it lacks is marked
`missing`. The classic Day One package (`*.dayone`, `entries/*.doentry` plists, as jrnl
reads it) is read by `dayone_classic`. Tags and starred entries become a
`Tags: #tag #starred` line. The zip is read in memory: nothing is extracted to disk.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.core.errors import ValidationError
from journal.core.exchange.importers import dayone_classic, entries_stream
from journal.core.exchange.importers._shared import (
    Passphrase,
    Piece,
    decode_text,
    entries_list,
    fold_days,
    read_bytes,
    tag_line,
)
from journal.core.exchange.importers.source import HeldSource, Source
from journal.core.model.entries import Entry

#: (JSON key, word shown in the body, folder in the export, fixed file extension or None
#: for the attachment's `type`, the key of its title)
ATTACHMENT_KINDS = (
    ("photos", "photo", "photos", None, ""),
    ("videos", "video", "videos", None, ""),
    ("audios", "audio", "audios", "m4a", "title"),
    ("pdfAttachments", "pdf", "pdfs", "pdf", "pdfName"),
)
_MOMENT_LINK = re.compile(
    r"!?\[[^\]\n]*\]\(dayone-moment:/{1,2}(?:(video|audio|pdfAttachment)/)?([0-9A-Za-z-]+)\)"
)
_LINK_WORDS = {None: "photo", "video": "video", "audio": "audio", "pdfAttachment": "pdf"}
_MAX_JSON = 256 * 1024 * 1024


def detect(path: Path) -> bool:
    path = Path(path)
    try:
        if path.is_dir() and dayone_classic.detect(path):
            return True
        if path.is_dir():
            return any(_looks_like_export(p.read_bytes()[:65536]) for p in _folder_jsons(path))
        if not path.is_file():
            return False
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for name in _zip_jsons(archive):
                    with archive.open(name) as handle:
                        if _looks_like_export(handle.read(65536)):
                            return True
            return False
        with path.open("rb") as handle:
            return _looks_like_export(handle.read(65536))
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, IndexError, zlib.error):
        return False


def _looks_like_export(head: bytes) -> bool:
    """Day One's JSON: `entries` with a `creationDate`, or beside Day One's `metadata`."""
    head = head.lstrip()
    if not head.startswith(b"{") or b'"entries"' not in head:
        return False
    # an empty export (Empty.json), or one cut short: read() then names the line
    return b'"creationDate"' in head or b'"metadata"' in head


def read(path: Path, source_passphrase: Passphrase = None) -> list[Entry]:
    """Every entry of every journal in the export, one Entry per local calendar day."""
    path = Path(path)
    if path.is_dir() and dayone_classic.detect(path):
        return dayone_classic.read(path)
    pieces: list[Piece] = []
    media = _media(path)
    for name, raw in _json_documents(path):
        pieces.extend(parse_document(raw, path, name, media))
    return fold_days("dayone", pieces)


def open_source(path: Path, source_passphrase: Passphrase = None,
                progress: Callable[[int], None] | None = None, *,
                again: bool = False) -> Source:
    """The export read as a stream, entry by entry (`entries_stream`): the same entries and
    errors as `read`, without holding them all. `progress(n)`: about n more bytes of the
    file read (a JSON file, or a zip: its JSON members' share of it)."""
    path = Path(path)

    def whole() -> Source:
        return HeldSource(read(path, source_passphrase), keep=again)

    documents = None if path.is_dir() and dayone_classic.detect(path) else \
        _stream_documents(path)
    if documents is None:
        return whole()
    media = _media(path)
    return entries_stream.open_stream("dayone", path, documents,
                                      lambda item, _index, where: _piece(item, where, media),
                                      whole, _against_file(path, progress))


def _against_file(path: Path,
                  progress: Callable[[int], None] | None) -> Callable[[int], None] | None:
    """`progress` told of a zip's JSON bytes as parts of the zip's size (the bar counts the
    file: its JSON's share of it runs the whole bar); a folder's is not counted."""
    if progress is None or path.is_dir() or not zipfile.is_zipfile(path):
        return None if progress is None or path.is_dir() else progress
    try:
        with zipfile.ZipFile(path) as archive:
            inside = sum(archive.getinfo(name).file_size for name in _zip_jsons(archive))
        scale = path.stat().st_size / max(1, inside)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return None
    return lambda n: progress(int(n * scale))


def _stream_documents(path: Path) -> list[tuple[str, entries_stream.Opener]] | None:
    """Each JSON document of the export (its member name, how to open it), as
    `_json_documents` finds them; None where that would refuse (it then says why)."""
    try:
        if path.is_dir():
            files = _folder_jsons(path)
            if not files or any(p.stat().st_size > _MAX_JSON for p in files):
                return None
            return [(p.name, entries_stream.file_opener(p)) for p in files]
        if not path.is_file() or path.stat().st_size > _MAX_JSON:
            return None
        if not zipfile.is_zipfile(path):
            return [("", entries_stream.file_opener(path))]
        with zipfile.ZipFile(path) as archive:
            names = _zip_jsons(archive)
            if not names or any(archive.getinfo(n).file_size > _MAX_JSON for n in names):
                return None
        return [(name, entries_stream.member_opener(path, name)) for name in names]
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError,
            ValueError, IndexError, zlib.error):
        return None


def _media(path: Path) -> set[str] | None:
    """The export's media files (`photos/<md5>.jpeg`, ...), or None if the export's media
    folders are not at hand (a lone JSON file without them beside it)."""
    folders = {kind[2] for kind in ATTACHMENT_KINDS}
    try:
        if path.is_dir() or not zipfile.is_zipfile(path):
            base = path if path.is_dir() else path.parent
            present = [base / f for f in folders if (base / f).is_dir()]
            if not present:
                return None
            return {f"{d.name}/{p.name}" for d in present for p in d.iterdir()}
        with zipfile.ZipFile(path) as archive:
            names = set()
            for name in archive.namelist():
                parts = PurePosixPath(name).parts
                if len(parts) >= 2 and parts[-2] in folders:
                    names.add(f"{parts[-2]}/{parts[-1]}")
            return names
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
        return None


def _json_documents(path: Path) -> list[tuple[str, bytes]]:
    if path.is_dir():
        files = _folder_jsons(path)
        if not files:
            raise ValidationError(f"{path}: no Day One JSON file in this folder")
        return [(p.name, read_bytes(p, _MAX_JSON)) for p in files]
    if not path.exists():
        raise ValidationError(f"{path} does not exist")
    if not zipfile.is_zipfile(path):
        return [("", read_bytes(path, _MAX_JSON))]
    try:
        with zipfile.ZipFile(path) as archive:
            names = _zip_jsons(archive)
            if not names:
                raise ValidationError(f"{path}: the zip holds no Day One JSON file "
                                      "(expected Journal.json)")
            out = []
            for name in names:
                if archive.getinfo(name).file_size > _MAX_JSON:
                    raise ValidationError(f"{path}, zip member {name}: too large to import")
                out.append((name, archive.read(name)))
            return out
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError, ValueError,
            IndexError, zlib.error) as exc:
        raise ValidationError(f"{path}: damaged or unsupported zip ({exc})") from None
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None


def _folder_jsons(path: Path) -> list[Path]:
    return sorted(p for p in path.glob("*.json") if p.is_file() and not p.name.startswith("."))


def _zip_jsons(archive: zipfile.ZipFile) -> list[str]:
    """JSON members at the top of the zip, or one folder down (a zipped export folder)."""
    names = []
    for info in archive.infolist():
        parts = PurePosixPath(info.filename).parts
        if info.is_dir() or not info.filename.lower().endswith(".json") or len(parts) > 2:
            continue
        if parts[0] == "__MACOSX" or parts[-1].startswith("."):
            continue
        names.append(info.filename)
    top = [n for n in names if "/" not in n]
    return sorted(top or names)


def parse_document(raw: bytes, path: Path, member: str = "",
                   media: set[str] | None = None) -> list[Piece]:
    where = f"{path}, zip member {member}" if member and not path.is_dir() else (
        str(path / member) if member else str(path))
    items = entries_list(decode_text(raw, Path(where)), where, "a Day One export")
    return [_piece(item, f"{where}, entry {index}", media) for index, item in enumerate(items)]


def _piece(item: Any, where: str, media: set[str] | None = None) -> Piece:
    if not isinstance(item, dict):
        raise ValidationError(f"{where}: must be an object")
    when = _local_time(item, where)
    text = item.get("text", "")
    if not isinstance(text, str):
        raise ValidationError(f"{where}: field 'text' must be text")
    tags = item.get("tags", []) or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationError(f"{where}: field 'tags' must be a list of text")
    if "photo" in item and "photos" not in item:
        raise ValidationError(f"{where}: field 'photo' is not Day One's (its photos are listed "
                              "under 'photos')")
    starred = item.get("starred", False)
    if not isinstance(starred, bool):
        raise ValidationError(f"{where}: field 'starred' must be true or false")
    text = _MOMENT_LINK.sub(
        lambda m: f"[{_LINK_WORDS[m.group(1)]} {m.group(2).replace('-', '')[:8].lower()}]",
        text.replace("\u200b", ""),
    ).strip("\n")
    extra_lines = [line for line in (
        tag_line([*tags, *(["starred"] if starred else [])]),
        _attachment_line(item, where, media),
    ) if line]
    if extra_lines:
        text = f"{text}\n\n" + "\n".join(extra_lines) if text else "\n" + "\n".join(extra_lines)
    uuid = item.get("uuid", "")
    piece = Piece(when=when, text=text, source_key=f"{uuid}|{item.get('creationDate')}",
                  instant=_instant(item), titled=False)
    try:
        f"{piece.text}{piece.source_key}".encode()
    except UnicodeEncodeError:  # JSON may escape half a character: "\ud800"
        raise ValidationError(f"{where}: holds a lone surrogate escape (such as \\ud800), "
                              "which is not text") from None
    return piece


def _local_time(item: dict, where: str) -> datetime:
    raw = item.get("creationDate")
    if not isinstance(raw, str):
        raise ValidationError(f"{where}: field 'creationDate' is required (ISO 8601 date-time)")
    try:
        when = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationError(f"{where}: field 'creationDate' '{raw[:30]}' is not a real "
                              "date-time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    zone_name = item.get("timeZone")
    try:
        return _in_zone(when, zone_name, where)
    except OverflowError:
        raise ValidationError(f"{where}: field 'creationDate' '{raw[:30]}' is out of range "
                              "(years 1-9999 in its time zone)") from None


def _in_zone(when: datetime, zone_name: object, where: str) -> datetime:
    if zone_name in (None, ""):
        return when.astimezone(UTC).replace(tzinfo=None)
    if not isinstance(zone_name, str):
        raise ValidationError(f"{where}: field 'timeZone' must be a time zone name")
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"{where}: field 'timeZone' '{zone_name[:40]}' is not a known "
                              "time zone") from None
    return when.astimezone(zone).replace(tzinfo=None)


def _instant(item: dict) -> datetime | None:
    """The UTC instant (already validated by _local_time): orders the repeated hour."""
    when = datetime.fromisoformat(item["creationDate"].strip())
    try:
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:  # year 1 or 9999 at the edge: local order will do
        return None


def _attachment_line(item: dict, where: str, media: set[str] | None = None) -> str:
    listed: list[str] = []
    for key, word, folder, extension, title_key in ATTACHMENT_KINDS:
        items = item.get(key) or []
        if not isinstance(items, list):
            raise ValidationError(f"{where}: field '{key}' must be a list")
        for index, attachment in enumerate(items):
            if not isinstance(attachment, dict):
                raise ValidationError(f"{where}: {key}[{index}] must be an object")
            ident = str(attachment.get("identifier") or "?").replace("-", "")[:8].lower()
            kind = _clean(attachment.get("type") or attachment.get("format")).lstrip(".")
            details = [kind] if kind else []
            title = _clean(attachment.get(title_key)) if title_key else ""
            if title:
                details.append(title)
            md5 = attachment.get("md5")
            if isinstance(md5, str) and re.fullmatch(r"[0-9A-Za-z]+", md5):
                suffix = extension or kind.lstrip(".")
                file = f"{folder}/{md5}" + (f".{suffix}" if suffix else "")
                missing = media is not None and file not in media
                details.append(file + (" missing" if missing else ""))
            listed.append(f"{word} {ident}" + (f" ({', '.join(details)})" if details else ""))
    return "Attachments: " + "; ".join(listed) if listed else ""


def _clean(value: object) -> str:
    """A short attachment detail on one line, without the separators of the line."""
    if not isinstance(value, str):
        return ""
    return re.sub(r"[\s,;()]+", " ", value).strip()[:80]
