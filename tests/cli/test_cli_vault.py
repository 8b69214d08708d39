"""init, passwd, rotate-keys, check through the real command line."""

from __future__ import annotations

import re
import sqlite3
import stat

import pytest
from cli_harness import PASSPHRASE, Journal, write, write_secret

from journal.core.store.vault import Vault

CODE = re.compile(r"\b([A-Z2-7]{4}(?:-[A-Z2-7]{1,4}){8,})\b")


def recovery_code(text: str) -> str:
    match = CODE.search(text)
    assert match, text
    return match.group(1)


def test_init_creates_a_private_vault_and_shows_the_recovery_code_once(journal: Journal):
    result = journal.init()
    code = recovery_code(result.stdout)
    assert result.stdout.count(code) == 1
    assert "shown only this once" in result.stdout
    assert journal.prompts.asked == ["New passphrase: ", "New passphrase (again): "]
    db = journal.vault_dir / "journal.db"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.vault_dir.stat().st_mode) == 0o700
    # The printed code really unlocks the vault.
    Vault.open(journal.vault_dir, recovery_code=code, allow_weak=True).close()


def test_init_refuses_to_overwrite_and_asks_nothing(initialised: Journal):
    before = (initialised.vault_dir / "journal.db").read_bytes()
    initialised.prompts.asked.clear()
    result = initialised("init", ok=False)
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "Traceback" not in result.output
    assert initialised.prompts.asked == []
    assert (initialised.vault_dir / "journal.db").read_bytes() == before


def test_init_refuses_a_non_empty_directory(journal: Journal):
    journal.vault_dir.mkdir()
    write(journal.vault_dir / "notes.txt", "mine")
    result = journal("init", ok=False)
    assert result.exit_code == 2 and "not an empty directory" in result.stderr
    assert [p.name for p in journal.vault_dir.iterdir()] == ["notes.txt"]


def test_init_mismatched_passphrases_create_nothing(journal: Journal):
    journal.prompts.queue = ["one passphrase here", "another passphrase"]
    result = journal("init", ok=False)
    assert "do not match" in result.stderr
    assert not (journal.vault_dir / "journal.db").exists()


def test_init_warns_on_a_weak_passphrase(journal: Journal):
    journal.prompts.default = "tulip-9x-yes"
    result = journal("init")
    assert "warning: Weak: it works" in result.stderr


@pytest.mark.parametrize("secret", ["password", "1234", "short", "aaaaaaaaaaaa"])
def test_init_refuses_what_the_app_refuses(journal: Journal, secret: str):
    """Issue 14 item 6: one passphrase policy (journal.core.store.passphrase_policy) for both."""
    from journal.core.store.passphrase_policy import judge

    journal.prompts.default = secret
    result = journal("init", ok=False)
    assert result.exit_code == 2 and judge(secret).advice in result.stderr
    assert not (journal.vault_dir / "journal.db").exists()


def test_passwd_refuses_what_the_app_refuses(initialised: Journal):
    initialised.prompts.queue = [PASSPHRASE, "password", "password"]
    result = initialised("passwd", ok=False)
    assert result.exit_code == 2 and "Too easy to guess" in result.stderr
    Vault.open(initialised.vault_dir, PASSPHRASE, allow_weak=True).close()


def test_init_without_recovery_code(journal: Journal):
    result = journal("init", "--no-recovery-code")
    assert not CODE.search(result.stdout)
    assert "recovery code" not in result.stdout.lower()


def test_init_from_passphrase_file_and_env(journal: Journal, tmp_path):
    secret = write_secret(tmp_path / "secret.txt", "from a file passphrase\n")
    journal.prompts.default = None  # any prompt fails the test
    journal("init", "--passphrase-file", str(secret))
    Vault.open(journal.vault_dir, "from a file passphrase", allow_weak=True).close()
    journal.env_extra["JOURNAL_PASSPHRASE"] = "from a file passphrase"
    assert "No entries yet" in journal("list").stderr


def test_passwd_changes_the_passphrase(initialised: Journal):
    initialised("add", "before the change")
    initialised.prompts.queue = [PASSPHRASE, "a brand new passphrase", "a brand new passphrase"]
    result = initialised("passwd")
    assert "Passphrase changed" in result.stdout and "rotate-keys" in result.stdout
    initialised.prompts.default = "a brand new passphrase"
    assert "before the change" in initialised("list").stdout
    initialised.prompts.default = PASSPHRASE
    result = initialised("list", ok=False)
    assert result.exit_code == 4 and "wrong passphrase" in result.stderr


def test_passwd_never_takes_the_new_passphrase_from_the_environment(initialised: Journal,
                                                                  tmp_path):
    initialised.env_extra["JOURNAL_PASSPHRASE"] = PASSPHRASE
    new_file = write_secret(tmp_path / "new.txt", "the next passphrase\n")
    initialised.prompts.default = None
    initialised("passwd", "--new-passphrase-file", str(new_file))
    Vault.open(initialised.vault_dir, "the next passphrase", allow_weak=True).close()


def test_passwd_with_the_recovery_code(journal: Journal):
    code = recovery_code(journal.init().stdout)
    journal.prompts.queue = [code, "remembered now!!", "remembered now!!"]
    journal("passwd", "--recovery-code")
    assert journal.prompts.asked[-3] == "Recovery code: "
    Vault.open(journal.vault_dir, "remembered now!!", allow_weak=True).close()


def test_passwd_wrong_current_passphrase_changes_nothing(initialised: Journal):
    before = (initialised.vault_dir / "journal.db").read_bytes()
    initialised.prompts.queue = ["not it", "nor this", "nor that"]
    result = initialised("passwd", ok=False)
    assert result.exit_code == 4
    assert (initialised.vault_dir / "journal.db").read_bytes() == before


def test_rotate_keys_prints_a_new_code_and_the_old_one_stops_working(journal: Journal):
    old = recovery_code(journal.init().stdout)
    journal("add", "kept across rotation")
    result = journal("rotate-keys")
    new = recovery_code(result.stdout)
    assert new != old and "Re-encrypted 1 entry" in result.stdout
    Vault.open(journal.vault_dir, recovery_code=new, allow_weak=True).close()
    try:
        Vault.open(journal.vault_dir, recovery_code=old, allow_weak=True)
    except Exception as exc:  # noqa: BLE001 - the type is checked below
        assert type(exc).__name__ == "WrongPassphrase"
    else:
        raise AssertionError("the old recovery code still opens the vault")
    assert "kept across rotation" in journal("list").stdout


def test_check_reports_ok(initialised: Journal):
    initialised("add", "fine")
    result = initialised("check")
    assert result.stdout.startswith("OK: 1 entry authenticated")


def test_check_names_a_damaged_record_and_exits_non_zero(initialised: Journal):
    initialised("add", "one")
    initialised("add", "--date", "2026-11-20", "two")
    conn = sqlite3.connect(initialised.vault_dir / "journal.db")
    uuid_raw, ct = conn.execute("SELECT uuid, ct FROM entries LIMIT 1").fetchone()
    flipped = bytes([ct[0]]) + bytes([ct[1] ^ 1]) + ct[2:]
    conn.execute("UPDATE entries SET ct=? WHERE uuid=?", (flipped, uuid_raw))
    conn.commit()
    conn.close()
    result = initialised("check", ok=False)
    assert result.exit_code == 5
    import uuid

    assert f"problem: entry {uuid.UUID(bytes=uuid_raw)}" in result.stdout
    assert "problem" in result.stderr and "Traceback" not in result.output


def test_check_reports_a_deleted_entry_without_laundering_the_manifest(initialised: Journal):
    initialised("add", "one")
    initialised("add", "--date", "2026-11-20", "two")
    initialised("add", "--sealed", "pending capture")  # a merge would rewrite the manifest
    conn = sqlite3.connect(initialised.vault_dir / "journal.db")
    conn.execute("DELETE FROM entries WHERE uuid = (SELECT uuid FROM entries LIMIT 1)")
    conn.commit()
    conn.close()
    for _ in range(2):  # check changes nothing, so it reports the same twice
        result = initialised("check", ok=False)
        assert result.exit_code == 5
        assert "deleted outside the journal" in result.stdout
        assert "1 sealed entry waiting" in result.stdout
    result = initialised("list", ok=False)
    assert result.exit_code == 5 and "integrity" in result.stderr


def test_init_on_a_terminal_offers_to_stop_on_a_weak_passphrase(journal: Journal):
    journal.interactive = True
    journal.prompts.default = "tulip-9x-yes"
    result = journal("init", input="n\n", ok=False)
    assert result.exit_code == 1 and "Use it anyway?" in result.stderr
    assert not (journal.vault_dir / "journal.db").exists()
    journal("init", input="y\n")
    assert (journal.vault_dir / "journal.db").exists()


def test_end_of_input_at_the_prompt_is_a_clear_error(initialised: Journal):
    def eof(_label: str) -> str:
        raise EOFError

    initialised.prompts = eof  # type: ignore[assignment]
    result = initialised("list", ok=False)
    assert result.exit_code == 2 and "input ended" in result.stderr


def test_a_typed_passphrase_gets_three_tries(initialised: Journal):
    initialised.prompts.queue = ["typo one", "typo two", PASSPHRASE]
    result = initialised("list")
    assert result.stderr.count("wrong passphrase, try again") == 2
    initialised.prompts.queue = ["a", "b", "c", PASSPHRASE]
    result = initialised("list", ok=False)
    assert result.exit_code == 4 and result.stderr.count("try again") == 2
    assert initialised.prompts.queue == [PASSPHRASE]  # gave up after three


def test_a_passphrase_from_the_environment_gets_one_try(initialised: Journal):
    initialised.env_extra["JOURNAL_PASSPHRASE"] = "wrong one"
    result = initialised("list", ok=False)
    assert result.exit_code == 4 and "try again" not in result.stderr


def test_init_points_to_the_app_with_the_vault_it_made(journal: Journal):
    """The next step is the app (`journal`), with the vault named when it was named here:
    it pointed at `journal add` and the editor, and a vault given by --vault was then not
    the one a bare `journal` opens."""
    plain = journal.init().stdout
    assert "Next: journal   (opens the app to write tonight's entry" in plain
    assert "journal add" not in plain
    elsewhere = journal.tmp / "my vault"
    named = journal("--vault", str(elsewhere), "init").stdout
    assert f"Next: journal --vault '{elsewhere}'   (opens the app" in named
