"""jrnl's markdown export (one file) held as its text and folded again as it is written,
as jrnl's own text is (`folded.FoldedSource`): 50,000 entries read whole held every entry
(391 MB). The same entries and the same errors as reading it whole."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from reads import outcome as _outcome
from reads import streamed, whole
from test_peer_fixtures import PEER

from journal.core.exchange import importers
from journal.core.exchange.importers import folded


def _export(count: int) -> str:
    """jrnl's `--export markdown`: year and month headings, `###` entries, the body's own
    headings deepened by `###`, each entry ending with a line of one space."""
    chunks, year, month = [], None, None
    for i in range(count):
        day = date(2021, 11, 20) + timedelta(days=i // 2)
        if day.year != year:
            year, month = day.year, None
            chunks.append(f"# {year}\n")
        if day.month != month:
            month = day.month
            chunks.append(f"## {day:%B}\n")
        chunks.append(f"### {day} {8 + 9 * (i % 2):02d}:15 Entry {i} @work\n\n"
                      f"Body {i}.\n\n#### A heading of the body\n\nMore, #tag{i % 3}.\n \n")
    return "\n".join(chunks).rstrip("\n")


def _whole(path: Path) -> list[dict]:
    return whole(path, "jrnl")


def _streamed(path: Path) -> list[dict]:
    return streamed(path, "jrnl")


@pytest.mark.parametrize("stem", ["simple", "tags"])
def test_jrnl_own_markdown_exports_read_the_same_folded_again(stem):
    path = PEER / "jrnl-exports" / f"{stem}.md"
    with importers.open_source(path, "jrnl") as source:
        assert isinstance(source, folded.FoldedSource)
    assert _streamed(path) == _whole(path)


def test_a_long_markdown_export_folds_again_as_read_whole(tmp_path):
    path = tmp_path / "export.md"
    path.write_text(_export(120), encoding="utf-8")
    streamed = _streamed(path)
    assert streamed == _whole(path) and len(streamed) == 60
    assert "## 08:15 Entry 0 #work" in streamed[0]["body"]
    assert "\n# A heading of the body\n" in streamed[0]["body"]  # its depth given back
    assert not any("# 2022" in s["body"] or "## January" in s["body"] for s in streamed)


def test_a_bad_heading_deep_in_the_export_gives_the_whole_reads_error(tmp_path):
    text = _export(80)
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("### 2021-12-10"))
    lines[at] = "### 2021-12-32 08:15 Not a day"
    bad = tmp_path / "bad.md"
    bad.write_text("\n".join(lines), encoding="utf-8")
    before = tmp_path / "before.md"
    before.write_text(text.replace("\n", "\nSome words first\n", 1), encoding="utf-8")
    for path in (bad, before):
        streamed = _outcome(path, _streamed)
        assert streamed == _outcome(path, _whole) and streamed.startswith(f"error: {path}, line")
    assert f"line {at + 1}:" in _outcome(bad, _whole)
