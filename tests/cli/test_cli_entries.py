"""add, list, show, search, delete through the real command line."""

from __future__ import annotations

import json
import uuid

from cli_harness import PASSPHRASE, Journal

from journal.core.store.vault import Vault


def entries(j: Journal):
    vault = Vault.open(j.vault_dir, PASSPHRASE, allow_weak=True)
    try:
        return vault.entries()
    finally:
        vault.close()


def test_add_today_with_moments_and_check_in(initialised: Journal):
    result = initialised(
        "add", "Long shift.", "#handover",
        "-m", "contagion 7 work 14:30 #yelling @sam ~worried !withdrew: froze at the desk",
        "-m", "conc 3 h ~warm",
        "--sleep", "5", "--energy", "3", "--recovery", "walk", "--good", "tea with Ana")
    assert "Created the entry for Wed 2026-11-25 (1 contagion / 1 concern)" in result.stdout
    [entry] = entries(initialised)
    assert entry.date.isoformat() == "2026-11-25"
    assert entry.body == "Long shift. #handover\n"
    first, second = entry.moments
    assert (first.kind, first.intensity, first.context, first.time) == (
        "contagion", 7, "work", "14:30")
    assert (first.tags, first.people, first.feelings, first.action, first.note) == (
        ["yelling"], ["sam"], ["worried"], "withdrew", "froze at the desk")
    assert (second.kind, second.context, second.feelings) == ("concern", "home", ["warm"])
    assert (entry.sleep, entry.energy, entry.recovery, entry.good_things) == (
        5, 3, ["walk"], ["tea with Ana"])


def test_add_appends_to_the_days_entry(initialised: Journal):
    initialised("add", "Morning note.", "-m", "conc 2 commute")
    result = initialised("add", "Evening note.", "-m", "cont 6 home", "--sleep", "4")
    assert "Added to the entry for" in result.stdout
    [entry] = entries(initialised)
    assert entry.body == "Morning note.\n\nEvening note.\n"
    assert [m.kind for m in entry.moments] == ["concern", "contagion"]
    assert entry.sleep == 4


def test_add_from_stdin_and_for_another_date(initialised: Journal):
    initialised("add", "--date", "yesterday", input="Piped text\nsecond line\n")
    initialised("add", "-", "--date", "2026-01-02", input="dash text")
    days = {e.date.isoformat(): e.body for e in entries(initialised)}
    assert days == {"2026-11-24": "Piped text\nsecond line\n", "2026-01-02": "dash text\n"}


def test_add_refuses_nothing_and_bad_input(initialised: Journal):
    result = initialised("add", input="", ok=False)
    assert result.exit_code == 2 and "nothing to add" in result.stderr
    result = initialised("add", "-m", "contagion 7 #x", ok=False)
    assert "moment 1" in result.stderr and "work, commute, home" in result.stderr
    result = initialised("add", "--date", "2026-02-30", "x", ok=False)
    assert result.exit_code == 2 and "not a date" in result.stderr
    result = initialised("add", "--sleep", "11", "x", ok=False)
    assert result.exit_code == 2
    assert entries(initialised) == []


def test_add_sealed_needs_no_passphrase_and_merges_at_next_unlock(initialised: Journal):
    initialised("add", "Unlocked text.")
    initialised.prompts.default = None  # any passphrase prompt fails the test
    result = initialised("add", "--sealed", "Sealed text.", "-m", "cont 5 work")
    assert "merged into the journal the next time you unlock" in result.stdout
    assert "(1 waiting)" in result.stdout
    initialised.prompts.default = PASSPHRASE
    result = initialised("list")
    assert "merged 1 sealed entry" in result.stderr
    [entry] = entries(initialised)
    assert entry.body == "Unlocked text.\n\nSealed text.\n"
    assert [m.kind for m in entry.moments] == ["contagion"]
    assert "merged" not in initialised("list").stderr  # exactly once


def _three_days(j: Journal) -> None:
    j("add", "--date", "2026-11-20", "Quiet day at home.", "-m", "conc 3 home ~warm")
    j("add", "--date", "2026-11-22", "Meeting with @Sam went badly. #yelling",
      "-m", "cont 8 work #yelling @sam", "-m", "cont 4 home")
    j("add", "--date", "2026-11-24", "Long handover #handover", "-m", "cont 6 commute")


def test_list_newest_first_with_summaries_and_limits(initialised: Journal):
    _three_days(initialised)
    lines = initialised("list").stdout.splitlines()
    assert [line[:10] for line in lines] == ["2026-11-24", "2026-11-22", "2026-11-20"]
    assert "2 contagion" in lines[1] and "Meeting with @Sam" in lines[1]
    assert "1 concern" in lines[2]
    assert len(initialised("list", "-n", "1").stdout.splitlines()) == 1
    out = initialised("list", "--since", "2026-11-21", "--until", "2026-11-23").stdout
    assert [line[:10] for line in out.splitlines()] == ["2026-11-22"]


def test_list_json_is_the_exchange_document(initialised: Journal):
    _three_days(initialised)
    data = json.loads(initialised("list", "--json").stdout)
    assert data["format"] == "journal-export" and data["version"] == 1
    assert [e["date"] for e in data["entries"]] == ["2026-11-24", "2026-11-22", "2026-11-20"]
    assert list(data["entries"][0])[:4] == ["id", "date", "written_at", "body"]


def test_show_by_date_id_and_prefix(initialised: Journal):
    _three_days(initialised)
    out = initialised("show", "2026-11-22").stdout
    assert out.startswith("# Sunday 22 November 2026")
    assert "- contagion 8 work #yelling @sam" in out
    entry_id = json.loads(initialised("show", "2026-11-22", "--json").stdout)["id"]
    assert initialised("show", entry_id).stdout == out
    assert initialised("show", entry_id[:8]).stdout == out
    result = initialised("show", "2026-11-21", ok=False)
    assert result.exit_code == 1 and "no entry for 2026-11-21" in result.stderr
    result = initialised("show", "tomorrow-ish", ok=False)
    assert "neither a date" in result.stderr


def test_search_combines_query_words_and_options(initialised: Journal):
    _three_days(initialised)

    def days(*args: str) -> list[str]:
        return [line[:10] for line in initialised("search", *args).stdout.splitlines()]

    assert days("handover") == ["2026-11-24"]
    assert days("#yelling") == ["2026-11-22"]
    assert days("@sam", "kind:contagion") == ["2026-11-22"]
    assert days("--kind", "contagion") == ["2026-11-24", "2026-11-22"]
    assert days("--kind", "contagion", "--context", "home") == ["2026-11-22"]
    assert days("--context", "home", "--until", "2026-11-21") == ["2026-11-20"]
    assert days("--tag", "yelling", "quiet") == []
    result = initialised("search", "--json", "--person", "sam")
    assert [e["date"] for e in json.loads(result.stdout)["entries"]] == ["2026-11-22"]
    result = initialised("search", "kind:sadness", ok=False)
    assert result.exit_code == 2 and "kind must be one of" in result.stderr


def test_delete_with_yes(initialised: Journal):
    _three_days(initialised)
    initialised("delete", "2026-11-22", "--yes")
    assert [e.date.isoformat() for e in entries(initialised)] == ["2026-11-24", "2026-11-20"]


def test_delete_refuses_without_a_terminal(initialised: Journal):
    _three_days(initialised)
    initialised.prompts.default = None  # refuses before even asking the passphrase
    result = initialised("delete", "2026-11-22", ok=False)
    assert result.exit_code != 0 and "--yes" in result.stderr
    initialised.prompts.default = PASSPHRASE
    assert len(entries(initialised)) == 3


def test_delete_asks_and_respects_no(initialised: Journal):
    _three_days(initialised)
    initialised.interactive = True
    result = initialised("delete", "2026-11-22", input="n\n")
    assert "cannot be undone" in result.stderr and "Nothing deleted" in result.stderr
    assert len(entries(initialised)) == 3
    initialised("delete", "2026-11-22", input="y\n")
    assert len(entries(initialised)) == 2


def test_terminal_escapes_in_text_are_shown_inert(initialised: Journal, tmp_path):
    import json as json_mod

    source = tmp_path / "evil.json"
    source.write_text(json_mod.dumps({"format": "journal-export", "version": 1, "entries": [
        {"date": "2026-11-01", "body": "clear\x1b[2J screen\x9b31m and \x1b]52;c;aGk=\x07",
         "moments": [{"kind": "concern", "intensity": 1, "context": "work",
                      "note": "bell\x07"}]}]}))
    initialised("import", str(source))
    for output in (initialised("list").stdout, initialised("show", "2026-11-01").stdout,
                   initialised("search", "clear").stdout):
        assert "\x1b" not in output and "\x9b" not in output and "\x07" not in output
        assert "\\x1b" in output
    raw = json_mod.loads(initialised("show", "2026-11-01", "--json").stdout)
    assert raw["body"].startswith("clear\x1b[2J")  # data itself is kept exactly


def test_add_checks_only_the_bucket_it_changes_and_reads_check_everything(
        initialised: Journal):
    """`add` costs the same at any size: it verifies the manifest bucket of the entry it
    saves, not the whole vault; damage elsewhere is reported by the next reading command."""
    import sqlite3

    from journal.core.store.vault import Vault, db_path

    for day in range(1, 29):
        initialised("add", "--date", f"2026-11-{day:02d}", f"Entry for day {day}.")
    with Vault.open(initialised.vault_dir, PASSPHRASE, allow_weak=True) as vault:
        by_bucket = {uuid.UUID(e.id).bytes[0]: e for e in vault.entries()}
    assert len(by_bucket) >= 2  # 28 random ids fill more than one bucket
    keep, gone = list(by_bucket.values())[:2]
    conn = sqlite3.connect(db_path(initialised.vault_dir))
    conn.execute("DELETE FROM entries WHERE uuid=?", (uuid.UUID(gone.id).bytes,))
    conn.commit()
    conn.close()
    initialised("add", "--date", keep.date.isoformat(), "More words.")  # saved
    result = initialised("list", ok=False)
    assert result.exit_code != 0 and "deleted outside the journal" in result.stderr


def test_listing_lines_from_the_index_are_those_of_the_full_entries(initialised: Journal):
    """`list` and `search` print index rows without building entries: each line must be
    the one the full entry gives (moments per kind, a note standing in for a title)."""
    from journal.cli.common import entry_line

    _three_days(initialised)
    initialised("add", "--date", "2026-11-18", "-m", "conc 2 work: only a note here",
                "-m", "cont 5 home", "-m", "conc 1 home")
    initialised("add", "--date", "2026-11-17", "#handover")
    full = entries(initialised)
    expected = [entry_line(e) for e in full]  # the width the command sees too
    assert initialised("list").stdout.splitlines() == expected
    assert initialised("search", "--since", "2026-01-01").stdout.splitlines() == expected
    wanted = [entry_line(e) for e in full if "handover" in e.body.casefold()]
    assert len(wanted) == 2
    assert initialised("search", "handover").stdout.splitlines() == wanted


def test_list_never_rewrites_the_vault_file_silently(initialised: Journal):
    """Issue 13 item 4: a read command writes the vault only to store index chunks it had
    to rebuild (here: every chunk gone), and says so; after that, a read leaves the file
    byte for byte as it was."""
    import hashlib
    import sqlite3

    from journal.core.store.vault import db_path

    def digest() -> str:
        return hashlib.sha256(db_path(initialised.vault_dir).read_bytes()).hexdigest()

    for day in ("2026-11-20", "2026-11-21", "2026-11-22"):
        initialised("add", f"Shift on {day} #ward", "--date", day)
    conn = sqlite3.connect(db_path(initialised.vault_dir))
    conn.execute("DELETE FROM index_chunks")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    before = digest()
    result = initialised("list")
    assert [line[:10] for line in result.stdout.splitlines()] == [
        "2026-11-22", "2026-11-21", "2026-11-20"]
    assert "the encrypted index was rebuilt (3 entries) and stored" in result.stderr
    assert digest() != before
    before = digest()
    again = initialised("list")
    assert again.stdout == result.stdout and again.stderr == ""
    assert digest() == before
