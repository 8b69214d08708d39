"""Snapshots of the write, browse and reflect screens in every built-in theme, at 100x30.

Deterministic: FixedClock, fast KDF, fixed or generated data (seed 7), no cursor blink.
The write screen runs in the real app started with `theme=NAME` (as `journal --theme NAME`
does); browse and reflect in the host app with the theme switched before the picture.
Regenerate with `pytest tests/ui/test_snapshots_themes.py --snapshot-update` and look at
every SVG. (The 80x24 and 120x40 snapshots in the other files use the default theme.)
"""

from __future__ import annotations

import pytest

from journal.core.demo import generate_year
from journal.ui.themes import builtin_dir
from tests.ui.host import TODAY, HostApp, MemoryVault, settle
from tests.ui.test_browse import sample_entries

from .conftest import unlock
from .test_snapshots_write import snap_app  # noqa: F401 (a fixture)

SIZE = (100, 30)
BUILT_INS = sorted(path.stem for path in builtin_dir().glob("*.toml"))


def test_every_built_in_is_pictured():
    assert BUILT_INS == ["journal-contrast", "journal-dusk", "journal-night", "journal-okabe",
                         "journal-paper"]


@pytest.mark.parametrize("theme", BUILT_INS)
def test_write(snap_compare, snap_app, theme):  # noqa: F811
    async def run_before(pilot):
        await unlock(pilot)
        assert pilot.app.theme == theme

    assert snap_compare(snap_app(theme=theme), terminal_size=SIZE, run_before=run_before)


def _in_theme(theme: str):
    async def run_before(pilot) -> None:
        pilot.app.theme = theme
        await settle(pilot, 0.3)
        assert pilot.app.theme == theme

    return run_before


@pytest.mark.parametrize("theme", BUILT_INS)
def test_browse(snap_compare, theme):
    app = HostApp(MemoryVault(sample_entries()), start="browse")
    assert snap_compare(app, terminal_size=SIZE, run_before=_in_theme(theme))


@pytest.mark.parametrize("theme", BUILT_INS)
def test_reflect(snap_compare, theme):
    app = HostApp(MemoryVault(generate_year(TODAY, seed=7)), start="reflect")
    assert snap_compare(app, terminal_size=SIZE, run_before=_in_theme(theme))
