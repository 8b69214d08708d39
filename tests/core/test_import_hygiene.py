"""The core must not load Textual: it is used by the CLI, benchmarks and scripts."""

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(out.split())


def test_core_imports_no_textual():
    mods = _modules_after(
        "import journal.core.store.vault, journal.core.model.query, journal.core.model.entries, "
        "journal.core.store.captures, journal.core.model.markup, journal.settings, journal.paths"
    )
    assert "journal.core.store.vault" in mods  # the probe really imported the core
    assert not any(m == "textual" or m.startswith("textual.") for m in mods)


def test_importing_package_does_no_work(tmp_path):
    # No directories or files appear from importing the package.
    env_home = tmp_path / "home"
    env_home.mkdir()
    subprocess.run(
        [sys.executable, "-c", "import journal, journal.cli, journal.paths, journal.settings"],
        check=True, env={"HOME": str(env_home), "PATH": "/usr/bin:/bin"},
    )
    assert list(env_home.iterdir()) == []
