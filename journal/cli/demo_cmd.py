"""`journal demo`: a throwaway vault holding a year of generated entries, then the app."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import click
import platformdirs

from journal.cli.common import plural
from journal.cli.output import confirm, say
from journal.cli.runtime import Runtime
from journal.core.errors import JournalError, ValidationError
from journal.core.model.entries import KINDS, Entry
from journal.core.store.private_dirs import make_private_dirs
from journal.core.store.vault import Vault

DEMO_PASSPHRASE = "demo-passphrase-not-secret"
#: Marks a directory as a demo vault that `journal demo --dir` may replace.
MARKER = "DEMO-VAULT.txt"
_DEMO_FILES = {MARKER, "journal.db", "journal.db-wal", "journal.db-shm"}


def _prepare(directory: Path | None, runtime: Runtime, fresh: bool) -> tuple[Path, bool]:
    """(the demo directory, whether to make a new vault there). An old demo vault there is
    replaced only with --fresh or when the person says yes at a terminal: it may hold what
    they wrote. Without a terminal to ask on it is kept (so `make demo` never hangs)."""
    if directory is None:
        cache = platformdirs.user_cache_path("journal", appauthor=False)
        make_private_dirs(cache)
        directory = cache / "demo"
    directory = directory.expanduser()
    if not directory.exists() or (directory.is_dir() and not any(directory.iterdir())):
        return directory, True
    if not directory.is_dir():
        raise ValidationError(f"{directory} is not a directory")
    if not _is_old_demo(directory):
        raise ValidationError(f"{directory} is not empty and is not an old demo "
                              "vault; refusing to touch it (choose another --dir)")
    replace = fresh or (runtime.is_interactive and confirm(
        f"A demo vault is already at {directory}; anything written in it would be lost. "
        "Replace it with a fresh one?"))
    if not replace:
        say(f"Keeping the demo vault at {directory} as it is (--fresh replaces it).",
            err=True)
        return directory, False
    shutil.rmtree(directory)
    return directory, True


def _is_old_demo(directory: Path) -> bool:
    """Only a directory holding our marker and nothing but a vault may be replaced."""
    names = {p.name for p in directory.iterdir()}
    return MARKER in names and names <= _DEMO_FILES and all(
        (directory / n).is_file() and not (directory / n).is_symlink() for n in names)


def summary(entries: list[Entry]) -> list[str]:
    kinds = Counter(m.kind for e in entries for m in e.moments)
    contexts = Counter(m.context for e in entries for m in e.moments)
    tags = Counter(t for e in entries for t in e.all_tags)
    lines = [f"{plural(len(entries), 'entry', 'entries')} from {entries[0].date} to "
             f"{entries[-1].date}" if entries else "no entries",
             "moments: " + (", ".join(f"{kinds[k]} {k}" for k in KINDS) or "none")]
    if contexts:
        lines.append("where: " + ", ".join(f"{n} {c}" for c, n in contexts.most_common()))
    if tags:
        lines.append("most used tags: " + ", ".join(f"#{t} ({n})" for t, n in
                                                    tags.most_common(6)))
    return lines


@click.command()
@click.option("--dir", "directory", type=click.Path(path_type=Path, file_okay=False),
              help="Put the demo vault here. Default: 'demo' in your cache directory.")
@click.option("--fresh", is_flag=True,
              help="Replace an old demo vault there without asking (what was written in it "
                   "is lost).")
@click.option("--no-app", is_flag=True, help="Only create the vault and print a summary.")
@click.pass_context
def demo(ctx: click.Context, directory: Path | None, fresh: bool, no_app: bool) -> None:
    """Try the journal on a throwaway vault of generated entries.

    The entries are invented (deterministically), end yesterday, and show the kinds of
    patterns the reflection view looks for; tonight is left for you to write. The demo
    passphrase is printed, then the app opens (on a terminal; otherwise a summary is
    printed). Run again, it asks before replacing the demo vault (without a terminal it
    keeps it; --fresh replaces it). Never put real entries in a demo vault.

    \b
    Examples:
      journal demo
      journal demo --dir /tmp/journal-demo --fresh --no-app
    """
    runtime = ctx.find_object(Runtime) or ctx.ensure_object(Runtime)
    try:
        from journal.core.demo import generate_year
    except ImportError:
        raise JournalError("the demo data generator is not available in this "
                           "installation") from None
    target, create = _prepare(directory, runtime, fresh)
    if create:
        _create(runtime, target, generate_year)
    else:
        say(f"Demo vault: {target}")
        say(f"Demo passphrase: {DEMO_PASSPHRASE}")
    runtime.vault_override = target
    app_cmd = ctx.parent.command.get_command(ctx.parent, "app") if ctx.parent else None
    if app_cmd is None or no_app or not _is_terminal():
        say(f"Look around: journal --vault {target}   (the passphrase is above)")
        return
    _open_app(ctx, app_cmd, target)


def _create(runtime: Runtime, target: Path, generate_year: Callable[..., list[Entry]]) -> None:
    """A year of entries ending yesterday: tonight's entry is the person's own to write."""
    yesterday = runtime.clock.today() - timedelta(days=1)
    entries = sorted(generate_year(yesterday, seed=7), key=lambda e: e.date)
    say(f"Creating a demo vault with {plural(len(entries), 'entry', 'entries')} at "
        f"{target} ...", err=True)
    vault, _ = Vault.create(target, DEMO_PASSPHRASE, kdf=runtime.kdf, recovery=False,
                            clock=runtime.clock)
    try:
        (target / MARKER).write_text("A journal demo vault with generated entries. "
                                     "'journal demo' asks before replacing it.\n")
        vault.put_many(entries)
    finally:
        vault.close()
    say(f"Demo vault: {target}")
    say(f"Demo passphrase: {DEMO_PASSPHRASE}")
    for line in summary(entries):
        say(f"  {line}")


def _is_terminal() -> bool:
    """May the app open on the demo vault (the same rule as `journal app`)?"""
    from journal.cli.app_cmd import has_terminal

    return has_terminal()


def _open_app(ctx: click.Context, app_cmd: click.Command, target: Path) -> None:
    """Invoke the UI helper's `app` command on the demo vault with the passphrase hint,
    passing only the parameters that command declares."""
    declared = {p.name for p in app_cmd.params}
    kwargs: dict[str, object] = {}
    for name, value in (("vault", target), ("vault_dir", target),
                        ("passphrase_hint", DEMO_PASSPHRASE), ("hint", DEMO_PASSPHRASE),
                        ("demo", True)):
        if name in declared:
            kwargs[name] = value
    ctx.invoke(app_cmd, **kwargs)
