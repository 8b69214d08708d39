"""`journal demo`: a throwaway vault with a year of generated entries."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from cli_harness import Journal, write

from journal.cli.demo_cmd import DEMO_PASSPHRASE, MARKER
from journal.core.store.vault import Vault


def test_demo_creates_a_year_and_shows_the_passphrase(journal: Journal, tmp_path):
    target = tmp_path / "demo"
    journal.prompts.default = None  # the demo never asks
    result = journal("demo", "--dir", str(target), "--no-app")
    assert f"Demo passphrase: {DEMO_PASSPHRASE}" in result.stdout
    assert (target / MARKER).is_file()
    vault = Vault.open(target, DEMO_PASSPHRASE, allow_weak=True)
    try:
        entries = vault.entries()
    finally:
        vault.close()
    assert len(entries) > 200
    assert entries[0].date == journal.clock.today() - timedelta(days=1)  # tonight is empty
    assert (entries[0].date - entries[-1].date).days > 300
    assert f"{len(entries)} entries from {entries[-1].date}" in result.stdout
    assert not journal.vault_dir.exists()  # the user's own vault is not touched


def test_demo_asks_before_replacing_an_old_demo(journal: Journal, tmp_path):
    """Issue 14 item 7: re-running `make demo` replaced the demo vault, and what was
    written in it, without asking. Without a terminal it is kept (never a hang)."""
    target = tmp_path / "demo"
    journal("demo", "--dir", str(target), "--no-app")
    first = (target / "journal.db").read_bytes()
    kept = journal("demo", "--dir", str(target), "--no-app")  # no terminal: kept
    assert "Keeping the demo vault" in kept.stderr and "--fresh" in kept.stderr
    assert f"Demo passphrase: {DEMO_PASSPHRASE}" in kept.stdout
    assert (target / "journal.db").read_bytes() == first
    journal.interactive = True
    asked = journal("demo", "--dir", str(target), "--no-app", input="n\n")
    assert "Replace it with a fresh one? [y/N]" in asked.stderr
    assert (target / "journal.db").read_bytes() == first
    journal("demo", "--dir", str(target), "--no-app", input="y\n")
    assert (target / "journal.db").read_bytes() != first  # a fresh vault (new keys)
    journal.interactive = False
    second = (target / "journal.db").read_bytes()
    journal("demo", "--dir", str(target), "--fresh", "--no-app")
    assert (target / "journal.db").read_bytes() != second


def test_demo_replaces_only_old_demos_never_other_files(journal: Journal, tmp_path):
    target = tmp_path / "demo"
    journal("demo", "--dir", str(target), "--no-app")
    Vault.open(target, DEMO_PASSPHRASE, allow_weak=True).close()
    write(target / "my-notes.txt", "precious")
    result = journal("demo", "--dir", str(target), "--fresh", "--no-app", ok=False)
    assert result.exit_code == 2 and "refusing to touch it" in result.stderr
    assert (target / "my-notes.txt").read_text() == "precious"
    other = tmp_path / "other"
    other.mkdir()
    write(other / "journal.db", "not a demo")
    result = journal("demo", "--dir", str(other), "--no-app", ok=False)
    assert (other / "journal.db").read_text() == "not a demo"


def test_demo_without_a_terminal_prints_how_to_open_it(journal: Journal, tmp_path):
    target = tmp_path / "demo"
    result = journal("demo", "--dir", str(target))  # CliRunner's stdout is not a terminal
    assert f"journal --vault {target}" in result.stdout
    assert "most used tags: #" in result.stdout


def test_demo_opens_the_app_on_the_demo_vault_with_the_hint(journal: Journal, tmp_path,
                                                            monkeypatch):
    from journal.cli import app_cmd

    seen = {}

    def fake_run_app(runtime, *, theme=None, passphrase_hint=None):
        seen.update(vault=runtime.paths.vault, hint=passphrase_hint)

    monkeypatch.setattr(app_cmd, "run_app", fake_run_app)
    monkeypatch.setattr(app_cmd, "has_terminal", lambda: True)
    target = tmp_path / "demo"
    journal("demo", "--dir", str(target))
    assert seen == {"vault": target, "hint": DEMO_PASSPHRASE}


def test_default_demo_dir_is_in_the_cache_and_kept_between_runs(journal: Journal,
                                                                 tmp_path, monkeypatch):
    import platformdirs

    cache = tmp_path / "cache"
    monkeypatch.setattr(platformdirs, "user_cache_path", lambda *a, **k: cache)
    keep = cache / "demo-not-ours"
    keep.mkdir(parents=True)
    write(keep / "notes.txt", "mine")
    journal("demo", "--no-app")
    first = (cache / "demo" / "journal.db").read_bytes()
    journal("demo", "--no-app")
    assert (cache / "demo" / "journal.db").read_bytes() == first
    assert (keep / "notes.txt").read_text() == "mine"


def _demo(journal: Journal, tmp_path) -> Journal:
    journal("demo", "--dir", str(tmp_path / "demo"), "--no-app")
    journal.prompts.default = DEMO_PASSPHRASE
    journal.env_extra["JOURNAL_VAULT"] = str(tmp_path / "demo")
    return journal


def test_a_demo_entry_names_its_day_once(journal: Journal, tmp_path):
    """Seen with `journal show` on the demo: '# Tuesday 24 November 2026', then the entry's
    own '# Tuesday'. The demo's entries start with their own words, as a person's do, so
    the list's titles are words too, not the weekday the list already shows."""
    demo = _demo(journal, tmp_path)
    yesterday = demo.clock.today() - timedelta(days=1)
    shown = demo("show", "yesterday").stdout.splitlines()
    headings = [line for line in shown if line.startswith("# ")]
    assert headings == [f"# {yesterday:%A} {yesterday.day} {yesterday:%B %Y}"]
    listed = demo("list", "-n", "20").stdout.splitlines()
    assert len(listed) == 20
    for line in listed:
        weekday = date.fromisoformat(line[:10]).strftime("%A")
        assert weekday not in line[10:], line


def test_the_demo_year_has_practices_to_show(journal: Journal, tmp_path):
    """The demo year had no practice, so `show`, Browse and reflect's `practice` finding
    had nothing to show on it."""
    demo = _demo(journal, tmp_path)
    vault = Vault.open(tmp_path / "demo", DEMO_PASSPHRASE, allow_weak=True)
    try:
        practised = [e for e in vault.entries() if any(m.practice for m in e.moments)]
    finally:
        vault.close()
    assert len(practised) >= 20
    day = practised[0].date
    shown = demo("show", day.isoformat()).stdout
    assert re.search(r"^  - practice: (\d min|no timer), \d of 6 steps", shown, re.M), shown
    report = json.loads(demo("reflect", "--json").stdout)
    [found] = [f for f in report["findings"] if f["kind"] == "practice"]
    assert found["status"] == "ok" and found["stats"]["practices"] >= 20
    assert found["stats"]["mean_change"] < 0   # activation mostly lower after
    assert "days after a practice, on average" in found["summary"]


def test_a_persons_own_heading_is_shown_as_written(initialised: Journal):
    """The doubled heading was fixed in the demo generator, not by a renderer that hides a
    heading like the day's title: what a person wrote (or brought from jrnl) is shown as
    written, even when it repeats the day."""
    initialised("add", "--date", "2026-11-24", input="# Tuesday\n\nLong one.\n")
    shown = initialised("show", "2026-11-24").stdout.splitlines()
    assert [line for line in shown if line.startswith("# ")] == [
        "# Tuesday 24 November 2026", "# Tuesday"]
