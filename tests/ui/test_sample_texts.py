"""The write screen, Browse's preview and `journal show` print the day's heading
('Wednesday 25 November 2026'); a sample text that starts with a weekday heading of its own
('# Wednesday') shows the day twice in every picture made from it. The demo was mended last
round (tests/core/test_demo.py); these are the other samples: the docs' screenshots, the
snapshots, the UI tests' fixed data and the exchange tests' sample."""

from __future__ import annotations

import calendar
import importlib.util
from pathlib import Path

import pytest

from journal.core.demo import generate_year
from journal.core.model.entries import Entry
from tests.importers.peer_sample import sample_entries as exchange_sample
from tests.ui import conftest
from tests.ui.test_browse import sample_entries as browse_sample

ROOT = Path(__file__).resolve().parents[2]
WEEKDAYS = {name.lower() for name in calendar.day_name}


def _script(path: Path):
    spec = importlib.util.spec_from_file_location(f"_sample_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def samples() -> dict[str, list[Entry]]:
    return {
        "docs/images/make_screenshots.py": _script(ROOT / "docs/images/make_screenshots.py")
        .sample(),
        "tests/ui/conftest.py snapshot_today": [conftest.snapshot_today()],
        "tests/ui/conftest.py sample_entries": conftest.sample_entries(),
        "tests/ui/test_browse.py": browse_sample(),
        "tests/importers/peer_sample.py": exchange_sample(),
        "journal/core/demo.py": generate_year(conftest.TODAY)[-60:],
    }


def weekday_heading(body: str) -> str | None:
    """The weekday a body's opening heading names ('# Wednesday', '## Friday night')."""
    first = next((line for line in body.splitlines() if line.strip()), "")
    if not first.lstrip().startswith("#"):
        return None
    words = first.lstrip().lstrip("#").strip().lower().split()
    return next((w.strip(".,:;") for w in words if w.strip(".,:;") in WEEKDAYS), None)


def test_the_check_finds_a_doubled_heading():
    assert weekday_heading("# Wednesday\n\nThe family meeting") == "wednesday"
    assert weekday_heading("\n## Friday night, late\ntext") == "friday"
    assert weekday_heading("# Long day\n\nWednesday again") is None
    assert weekday_heading("Wednesday was long") is None


@pytest.mark.parametrize("where", sorted(samples()))
def test_no_sample_text_starts_with_a_weekday_heading(where):
    for entry in samples()[where]:
        assert weekday_heading(entry.body) is None, (where, entry.date, entry.body[:40])
