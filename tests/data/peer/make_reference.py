"""Write `reference/*.json`: what jrnl 4.6 itself reads from each peer jrnl fixture, and
jrnl's own exports (json, yaml, markdown, folder journal) of some of them.

Run ONCE, by hand, inside a throwaway virtualenv holding jrnl (never a dependency of this
project; the tests only read the JSON this writes):

    python3.11 -m venv /tmp/jrnl46 && /tmp/jrnl46/bin/pip install jrnl==4.6
    cd tests/data/peer && TZ=UTC /tmp/jrnl46/bin/python make_reference.py

Each reference file is jrnl's `--export json` of the journal (JSONExporter.export_journal),
opened with jrnl's own `open_journal` and the config that journal needs (its timeformat,
its passphrase, `legacy=True` for jrnl 1.x plain text, as jrnl's upgrade does).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from jrnl.journals import Folder, open_journal
from jrnl.journals.Journal import LegacyJournal
from jrnl.plugins.json_exporter import JSONExporter
from jrnl.plugins.markdown_exporter import MarkdownExporter
from jrnl.plugins.yaml_exporter import YAMLExporter

HERE = Path(__file__).resolve().parent
OUT = HERE / "reference"
EXPORTS = HERE / "jrnl-exports"

#: file -> (timeformat, passphrase or None, legacy)
JOURNALS = {
    "simple.journal": ("%Y-%m-%d %H:%M", None, False),
    "basic_onefile.journal": ("%Y-%m-%d %H:%M", None, False),
    "tags.journal": ("%Y-%m-%d %H:%M", None, False),
    "deletion.journal": ("%Y-%m-%d %H:%M", None, False),
    "deletion_filters.journal": ("%Y-%m-%d %H:%M", None, False),
    "brackets.journal": ("%Y-%m-%d %H:%M", None, False),
    "multiline-tags.journal": ("%Y-%m-%d %H:%M", None, False),
    "markdown-headings-335.journal": ("%Y-%m-%d %H:%M", None, False),
    "mostlyreadabledates.journal": ("%Y-%m-%d %H:%M", None, False),
    "little_endian_dates.journal": ("%d.%m.%Y %H:%M", None, False),
    "simple_jrnl-1-9-5.journal": ("%Y-%m-%d %H:%M", None, True),
    "basic_encrypted.journal": ("%Y-%m-%d %H:%M", "test", False),
    "encrypted.journal": ("%Y-%m-%d %H:%M", "bad doggie no biscuit", False),
    "encrypted_v3.journal": ("%Y-%m-%d %H:%M", "good doggie extra biscuit", False),
    "encrypted_v3_legacy_header.journal": ("%Y-%m-%d %H:%M", "good doggie extra biscuit",
                                           False),
    "encrypted_jrnl-1-9-5.journal": ("%Y-%m-%d %H:%M", "bad doggie no biscuit", False),
    "dayone.dayone": ("%Y-%m-%d %H:%M", None, False),
}


def config(path: Path, timeformat: str, encrypt: bool) -> dict:
    return {"journal": str(path), "journals": {"default": {"journal": str(path)}},
            "encrypt": encrypt, "timeformat": timeformat,
            "tagsymbols": "#@", "default_hour": 9, "default_minute": 0, "highlight": False,
            "linewrap": 79, "indent_character": "|", "editor": "", "template": False,
            "colors": {"body": "none", "date": "none", "tags": "none", "title": "none"}}


def load(name: str):
    timeformat, passphrase, legacy = JOURNALS[name]
    path = HERE / "jrnl" / name
    cfg = config(path, timeformat, passphrase is not None)
    if legacy:
        return LegacyJournal("default", **cfg).open()
    if passphrase is not None:
        from jrnl.encryption import BasePasswordEncryption as base

        original = base.BasePasswordEncryption.__init__

        def with_password(self, *args, **kwargs):
            original(self, *args, **kwargs)
            self.password = passphrase
            self.check_keyring = False

        base.BasePasswordEncryption.__init__ = with_password
        try:
            return open_journal("default", cfg)
        finally:
            base.BasePasswordEncryption.__init__ = original
    return open_journal("default", cfg)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name in JOURNALS:
        journal = load(name)
        (OUT / f"{name}.json").write_text(JSONExporter.export_journal(journal) + "\n")
        print(name, len(journal.entries), file=sys.stderr)
    # jrnl's own exports of two journals, to import them back
    if EXPORTS.exists():
        shutil.rmtree(EXPORTS)
    EXPORTS.mkdir()
    for name in ("tags.journal", "simple.journal"):
        journal = load(name)
        stem = name.removesuffix(".journal")
        (EXPORTS / f"{stem}.json").write_text(JSONExporter.export_journal(journal))
        (EXPORTS / f"{stem}.md").write_text(MarkdownExporter.export_journal(journal))
        for exporter, folder in ((YAMLExporter, "yaml"), (MarkdownExporter, "markdown")):
            target = EXPORTS / f"{stem}-{folder}"
            target.mkdir()
            exporter.write_files(journal, str(target))
        # a folder journal (YYYY/MM/DD.txt), written by jrnl's Folder class
        folder_journal = Folder("default", **config(EXPORTS / f"{stem}-folder",
                                                    "%Y-%m-%d %H:%M", False))
        folder_journal.entries = journal.entries
        for entry in folder_journal.entries:
            entry.modified = True
        folder_journal.write()
        (OUT / f"{stem}-folder.json").write_text(JSONExporter.export_journal(
            Folder("default", **config(EXPORTS / f"{stem}-folder", "%Y-%m-%d %H:%M",
                                       False)).open()) + "\n")


if __name__ == "__main__":
    main()
