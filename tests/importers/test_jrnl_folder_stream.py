"""jrnl's Folder journal (`YYYY/MM/DD.txt`) read again file by file as it is written
(`folded.StreamFoldedSource`): an import of 50,000 days held every entry (268 MB); now it
holds ids, dates and a part of the entries, with exactly the entries and errors of reading
the folder whole."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from reads import outcome as _outcome
from reads import streamed, whole
from test_peer_fixtures import PEER

from journal.core.errors import ValidationError
from journal.core.exchange import importers
from journal.core.exchange.importers import folded
from journal.core.exchange.importers import plan as planning


def _folder(root: Path, days: int = 30) -> Path:
    for i in range(days):
        day = date(2022, 1, 1) + timedelta(days=i)
        file = root / f"{day:%Y}" / f"{day:%m}" / f"{day:%d}.txt"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f"[{day} 08:00] Morning {i} @work\nBody {i}.\n\n"
                        f"[{day} 19:30] Evening {i} *\nMore.\n", encoding="utf-8")
    return root


def _whole(path: Path) -> list[dict]:
    return whole(path, "jrnl")


def _streamed(path: Path) -> list[dict]:
    return streamed(path, "jrnl")


@pytest.mark.parametrize("stem", ["simple", "tags"])
def test_the_peer_folder_journals_read_the_same_streamed(stem):
    path = PEER / "jrnl-exports" / f"{stem}-folder"
    with importers.open_source(path, "jrnl") as source:
        assert isinstance(source, folded.StreamFoldedSource)
    assert _streamed(path) == _whole(path)


def test_a_folder_journal_is_read_again_file_by_file(tmp_path):
    path = _folder(tmp_path / "journal")
    streamed = _streamed(path)
    assert streamed == _whole(path) and len(streamed) == 30
    assert all(s["body"].count("## ") == 2 for s in streamed)


@pytest.mark.parametrize("damage", ["a bad header", "not a real day", "not UTF-8"])
def test_a_problem_deep_in_the_folder_gives_the_whole_reads_error(tmp_path, damage):
    path = _folder(tmp_path / "journal")
    if damage == "a bad header":
        (path / "2022" / "01" / "20.txt").write_text("[2022-01-20 25:99:99 xx] Nope\n",
                                                     encoding="utf-8")
    elif damage == "not a real day":
        bad = path / "2022" / "02" / "30.txt"
        bad.parent.mkdir(parents=True, exist_ok=True)
        bad.write_text("[2022-02-28 08:00] Wrong day\n", encoding="utf-8")
    else:
        (path / "2022" / "01" / "25.txt").write_bytes(b"[2022-01-25 08:00] Caf\xe9\n")
    streamed, whole = _outcome(path, _streamed), _outcome(path, _whole)
    assert streamed == whole and whole.startswith(f"error: {path}/2022/0"), whole


def test_a_folder_changed_between_the_reads_is_refused_and_nothing_written(vault, tmp_path):
    path = _folder(tmp_path / "journal")
    source = importers.open_source(path, "jrnl")
    result = planning.plan_source(vault, source)
    (path / "2022" / "01" / "17.txt").write_text("[2022-01-17 09:00] Rewritten\n",
                                                 encoding="utf-8")
    with pytest.raises(ValidationError, match="changed while it was being imported"):
        planning.apply(vault, result)
    assert list(vault.entries()) == []
