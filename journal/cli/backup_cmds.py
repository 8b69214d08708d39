"""Backup commands: `journal backup FILE` and `journal restore FILE --vault NEWDIR`."""

from __future__ import annotations

from pathlib import Path

import click

from journal.cli.common import pass_runtime, plural
from journal.cli.output import say
from journal.cli.runtime import Runtime
from journal.core.store import backup as backup_mod


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@pass_runtime
def backup_cmd(runtime: Runtime, file: Path) -> None:
    """Copy the vault, still encrypted, to the new FILE.

    Needs no passphrase and works while the app is open: the copy is a consistent
    snapshot of the last save. It opens with the passphrase (or recovery code) the vault
    has now. FILE is created readable only by you and is never overwritten.

    \b
    Examples:
      journal backup ~/backups/journal-2026-11-25.vault
      journal restore ~/backups/journal-2026-11-25.vault --vault ~/journal-restored
    """
    result = backup_mod.backup(runtime.paths.vault, file)
    sealed = f" and {plural(result.sealed, 'sealed entry', 'sealed entries')}" \
        if result.sealed else ""
    say(f"Backed up {plural(result.entries, 'entry', 'entries')}{sealed} to {file} "
        f"({result.size:,} bytes, encrypted).")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--vault", "vault_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Restore into this new or empty directory (same as the global --vault).")
@pass_runtime
def restore_cmd(runtime: Runtime, file: Path, vault_dir: Path | None) -> None:
    """Bring back a backup made with 'journal backup' as the vault in a new directory.

    Refuses a directory that is not empty, so it never replaces a vault. The restored vault
    unlocks with the passphrase it had when the backup was made.

    \b
    Examples:
      journal restore ~/backups/journal.vault --vault ~/journal-restored
      journal --vault ~/journal-restored check
    """
    from datetime import datetime

    from journal.core.store.header import read_header
    from journal.core.store.rollback import SeenSaves

    target = vault_dir if vault_dir is not None else runtime.paths.vault
    backup_mod.restore(file, target)
    header, ro = read_header(target)
    ro.close()
    SeenSaves(runtime.paths.seen_saves_file).forget_for_restore(header.vault_id)
    made = datetime.fromtimestamp(file.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    say(f"Restored {file} into {target}.")
    say(f"This goes back in time: the vault is as it was when this backup was made "
        f"(the file is from {made}); anything written after that is not in it.")
    say(f"Next: journal --vault {target} check   (asks for the passphrase the vault "
        "had when it was backed up)")
