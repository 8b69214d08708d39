"""Vault commands: init, passwd, rotate-keys, check."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from journal.cli.common import pass_runtime, passphrase_file_option, plural
from journal.cli.output import confirm, say
from journal.cli.runtime import Runtime, read_secret_file
from journal.core.errors import JournalError, ValidationError, VaultDamaged, VaultExists
from journal.core.store import passphrase_policy
from journal.core.store.vault import Vault, db_path

RECOVERY_EXPLAINED = """\
Your recovery code (shown only this once):

    {code}

It unlocks this vault if you forget your passphrase ('journal passwd --recovery-code').
Write it on paper and keep it somewhere safe, away from this computer: anyone who has it
can read your journal. Without the passphrase or this code, nobody can recover your entries.
"""


def _warn_weak(runtime: Runtime, passphrase: str, typed: bool) -> None:
    """The app's policy (journal.core.store.passphrase_policy): refuse a passphrase that is too
    short or too common; warn about a weak one and, when it was typed at a terminal, offer
    to stop."""
    verdict = passphrase_policy.judge(passphrase)
    if not verdict.acceptable:
        raise ValidationError(f"{verdict.advice} Nothing was changed.")
    if not verdict.weak:
        return
    say(f"journal: warning: {verdict.advice}", err=True)
    if typed and runtime.is_interactive and not confirm("Use it anyway?"):
        raise click.Abort()


def _show_recovery(code: str | None) -> None:
    if code:
        say(RECOVERY_EXPLAINED.format(code=code))


@click.command()
@passphrase_file_option
@click.option("--no-recovery-code", is_flag=True,
              help="Do not create a recovery code (a forgotten passphrase then loses "
                   "everything).")
@click.option("--from-sync", "from_sync", type=click.Path(path_type=Path, file_okay=False),
              help="Fill the new vault from the sync folder DIR that other machines write "
                   "(asks for the passphrase used there).")
@click.option("--name", help="With --from-sync: this machine's name for the others (default: "
              "the host name); conflict marks say it. Sealed: the folder's host never sees it.")
@pass_runtime
def init(runtime: Runtime, passphrase_file: Path | None, no_recovery_code: bool,
         from_sync: Path | None, name: str | None) -> None:
    """Create a new, empty, encrypted vault.

    Asks for a passphrase twice (not shown on screen). Refuses to touch an existing vault.
    Prints a recovery code once, unless --no-recovery-code.

    \b
    Examples:
      journal init
      journal --vault ~/private/journal init --passphrase-file ~/.secrets/journal
      journal init --from-sync ~/Sync/journal --name desktop      a second machine
    """
    if name is not None and from_sync is None:
        raise ValidationError("--name names this machine for sync: use it with --from-sync "
                         "(or later with 'journal sync init DIR --name NAME')")
    directory = runtime.paths.vault
    if db_path(directory).exists():
        raise VaultExists(f"a vault already exists at {directory}; refusing to overwrite it")
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise VaultExists(f"{directory} is not an empty directory; choose another place "
                          "with --vault DIR")
    if from_sync is not None:
        _init_from_sync(runtime, passphrase_file, from_sync, name)
        return
    passphrase = runtime.passphrase(passphrase_file, confirm=True, label="New passphrase")
    _warn_weak(runtime, passphrase, typed=passphrase_file is None
               and not runtime.env.get("JOURNAL_PASSPHRASE"))
    if runtime.kdf is None:
        say("Tuning the key derivation to this computer (about a second)...", err=True)
    vault, code = Vault.create(directory, passphrase, kdf=runtime.kdf,
                               recovery=not no_recovery_code, clock=runtime.clock)
    vault.close()
    say(f"Created an encrypted vault at {directory}")
    _show_recovery(code)
    vault_arg = (f" --vault {shlex.quote(str(directory))}"
                 if runtime.vault_override is not None else "")
    say(f"Next: journal{vault_arg}   (opens the app to write tonight's entry; "
        "journal --help lists every command)")


def _init_from_sync(runtime: Runtime, passphrase_file: Path | None, folder: Path,
                    name: str | None) -> None:
    from journal.cli.sync_cmds import print_report
    from journal.core.sync import session

    key = session.tries_key(folder)  # not a sync folder: said before anyone is asked

    def wait() -> bytes:  # wrong passphrases here count as at any unlock, and wait as long
        runtime.wait_for(key)
        return key

    def attempt(counted: bytes, passphrase: str) -> tuple[str, tuple[str, dict[int, bytes]]]:
        with runtime.failed_unlocks().one_try(counted, runtime.clock.now):
            return passphrase, session.open_folder(folder, passphrase,
                                                   allow_weak=runtime.allow_weak)

    passphrase, opened = runtime.tries(passphrase_file, wait, attempt,
                                       label="Passphrase of the synced journal")
    if runtime.kdf is None:  # once, after the passphrase opened the folder's keys
        say("Tuning the key derivation to this computer (about a second)...", err=True)
    count, code, report = session.join(folder, runtime.paths.vault, passphrase,
                                       kdf=runtime.kdf, clock=runtime.clock,
                                       allow_weak=runtime.allow_weak, name=name,
                                       opened=opened)
    say(f"Created an encrypted vault at {runtime.paths.vault} from the sync folder "
        f"{folder}: {plural(count, 'entry', 'entries')}.")
    _show_recovery(code)
    print_report(report, as_json=False)


@click.command()
@passphrase_file_option
@click.option("--new-passphrase-file", type=click.Path(path_type=Path, dir_okay=False),
              help="Read the NEW passphrase from the first line of FILE.")
@click.option("--recovery-code", "use_recovery", is_flag=True,
              help="Unlock with your recovery code instead of the current passphrase "
                   "(for a forgotten passphrase); --passphrase-file then holds the code.")
@pass_runtime
def passwd(runtime: Runtime, passphrase_file: Path | None, new_passphrase_file: Path | None,
           use_recovery: bool) -> None:
    """Change the vault passphrase.

    Asks for the current passphrase (or, with --recovery-code, the recovery code), then
    the new one twice. Only the key wrap changes, so this is instant whatever the size of
    the journal. Copies of the vault made earlier still open with the old passphrase: if
    it may be known to someone, also run 'journal rotate-keys'.

    \b
    Examples:
      journal passwd
      journal passwd --recovery-code        forgot the passphrase
      journal passwd --passphrase-file old.txt --new-passphrase-file new.txt
    """
    vault = runtime.open_vault(passphrase_file, recovery=use_recovery)
    try:
        if new_passphrase_file is not None:
            new = read_secret_file(new_passphrase_file)
        else:
            new = runtime.passphrase(None, confirm=True, label="New passphrase", env_ok=False,
                                     missing="no new passphrase")
        _warn_weak(runtime, new, typed=new_passphrase_file is None)
        note = vault.change_passphrase(new)
        from journal.core.sync import session

        rewrapped = session.rewrap(vault, new)
    finally:
        vault.close()
    if note:
        say(f"journal: note: {note}", err=True)
    say("Passphrase changed.")
    if rewrapped:
        say("This machine's key in the sync folder now opens with the new passphrase; "
            "change it on your other machines too.")
    say("Copies or backups of the vault made before now still open with the old "
        "passphrase; if it may be known, run 'journal rotate-keys'.")


@click.command("rotate-keys")
@passphrase_file_option
@click.option("--no-recovery-code", is_flag=True,
              help="Do not create a new recovery code (the old one stops working anyway).")
@pass_runtime
def rotate_keys(runtime: Runtime, passphrase_file: Path | None, no_recovery_code: bool) -> None:
    """Re-encrypt every entry under a new data key.

    Use it when your passphrase or recovery code may have been seen: afterwards old copies
    of the key are useless against this vault. All entries change in one transaction. The
    old recovery code stops working; a new one is printed once.

    \b
    Example:
      journal rotate-keys
    """
    vault, passphrase = runtime.open_with_passphrase(passphrase_file)
    from journal.core.sync import session

    with vault:
        count = vault.count()
        code = vault.rotate_keys(passphrase, new_recovery=not no_recovery_code)
        epoch = (session.new_epoch(vault, passphrase, allow_weak=runtime.allow_weak)
                 if session.is_linked(vault) else None)
    say(f"Re-encrypted {plural(count, 'entry', 'entries')} under a new key.")
    if epoch is not None:
        say(f"New sync keys (epoch {epoch}) for what is written from now on; your "
            "other machines take them up at their next 'journal sync'.")
    if code:
        say("The old recovery code no longer works.")
        _show_recovery(code)
    else:
        say("The old recovery code no longer works; this vault now has none.")


def _rebuild_index(vault: Vault) -> str:
    """After the index was dropped: rebuild it from the entries verified against the
    manifest and store it now, so the next command does not; if the entries do not verify,
    `check` goes on to name the problem and the next read rebuilds it."""
    vault.on_index_rebuilt = None  # said here, not by the read's own line
    try:
        vault.index()
        stored = vault.store_healed_index()
    except JournalError:
        return "Dropped the index; it is rebuilt from the verified entries."
    return f"Rebuilt the index from the verified entries ({plural(stored, 'entry', 'entries')})."


@click.command()
@passphrase_file_option
@click.option("--rebuild-index", is_flag=True,
              help="First rebuild the index of summaries (a cache) from the verified "
                   "entries: the repair for an index chunk check names.")
@pass_runtime
def check(runtime: Runtime, passphrase_file: Path | None, rebuild_index: bool) -> None:
    """Authenticate every entry, the integrity manifest, the index and pending captures.

    Prints each problem found (a damaged, deleted, duplicated or rolled-back entry, an
    index chunk that does not match the entries, a quick capture that does not open) and
    exits with status 5 if there is any. Changes nothing, unless --rebuild-index.

    \b
    Example:
      journal check && echo "all good"
    """
    vault = runtime.open_vault(passphrase_file, verify=False, merge_sealed=False)
    try:
        if rebuild_index:
            vault.drop_index()
            say(_rebuild_index(vault))
        report = vault.check()
        pending = vault.sealed_box().pending()
    finally:
        vault.close()
    for problem in report.problems:
        say(f"problem: {problem}")
    if pending:
        say(f"{plural(pending, 'sealed entry', 'sealed entries')} waiting to be merged "
            "at the next unlock")
    if report.problems:
        raise VaultDamaged(f"{plural(len(report.problems), 'problem')} found in "
                           f"{plural(report.entries, 'entry', 'entries')}; see above",
                           report.problems)
    say(f"OK: {plural(report.entries, 'entry', 'entries')} authenticated; the integrity "
        "manifest matches.")
