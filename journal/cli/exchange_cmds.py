"""Exchange commands: import, export."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from datetime import date, tzinfo
from pathlib import Path

import click

from journal.cli.common import DATE, pass_runtime, passphrase_file_option, plural
from journal.cli.output import progress, say, say_json
from journal.cli.runtime import Runtime, read_secret_file
from journal.core.errors import ValidationError, VaultDamaged
from journal.core.exchange import exporters, importers
from journal.core.exchange.importers import jrnl_config, report
from journal.core.exchange.importers import plan as planning
from journal.core.store.vault import Vault

#: Below this many entries no progress bar is worth drawing.
PROGRESS_MIN = 200


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A click progress bar on stderr, only when stderr is a terminal and the job is long."""
    if total < PROGRESS_MIN or not sys.stderr.isatty():
        yield None
        return
    # Redrawn every ~0.5% rather than on each of 50,000 rows (each redraw is a write).
    with progress(total, label, update_min_steps=max(1, total // 200)) as bar:
        yield bar.update


@click.command("import")
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option("--format", "fmt", type=click.Choice(importers.FORMATS),
              help="The source format (default: detected from the file).")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--timeformat", metavar="FORMAT",
              help="A jrnl journal's dates, as its jrnl config's timeformat (e.g. "
                   "'%d.%m.%Y %H:%M'); by default taken from your jrnl config when it names "
                   "the file, else jrnl's default.")
@click.option("--source-passphrase-file", type=click.Path(path_type=Path, dir_okay=False),
              help="Passphrase of an encrypted source (e.g. a jrnl journal), first line of "
                   "FILE; otherwise asked only if the source is encrypted.")
@passphrase_file_option
@pass_runtime
def import_cmd(runtime: Runtime, source: Path, fmt: str | None, dry_run: bool,
               timeformat: str | None, source_passphrase_file: Path | None,
               passphrase_file: Path | None) -> None:
    """Import entries (JSON export, jrnl, Day One, Markdown).

    The whole source is checked first; if anything is invalid, nothing is written and the
    error names the entry and the field. Everything is then written in one transaction.
    Importing the same file again adds nothing: known entries are skipped, and a day that
    already has a different entry gets the new text and moments merged into it.

    \b
    Examples:
      journal import export.json --dry-run
      journal import export.json
      journal import ~/jrnl/journal.txt --format jrnl
      journal import ~/jrnl/journal.txt --timeformat '%d.%m.%Y %H:%M'
      journal import ~/Journal.dayone
    """
    def ask_source() -> str:
        if source_passphrase_file is not None:
            return read_secret_file(source_passphrase_file)
        return runtime.passphrase(None, label=f"Passphrase of {source.name}", env_ok=False,
                                  missing="the source is encrypted and has no passphrase")

    Vault.read_header(runtime.paths.vault)[1].close()  # no vault / not ours: say so first
    fmt = fmt or importers.detect(source)
    if fmt == "jrnl" and not timeformat:
        timeformat = _jrnl_config_timeformat(runtime, source)
    # Validated whole before the passphrase is asked; a JSON export is then held as its
    # entries' ids and dates only, and read again as it is written (issue 19).
    kib = source.stat().st_size // 1024 if importers.streams(fmt) and source.is_file() else 0
    with _progress(kib, "Reading") as tick:
        found = importers.open_source(source, fmt, source_passphrase=ask_source,
                                      timeformat=timeformat,
                                      progress=tick and (lambda n: tick(n // 1024)))
    with found:
        survey = found.survey
        say(report.read_line(survey, fmt, source), err=True)
        vault = runtime.open_vault(passphrase_file)
        try:
            with _progress(len(survey), "Checking against the vault") as tick:
                result = planning.plan_source(vault, found, progress=tick)
            if not dry_run and result.write_count:
                with _progress(result.write_count, "Writing") as tick:
                    planning.apply(vault, result, progress=tick)
        finally:
            vault.close()
    for line in report.summary(result, "Would import" if dry_run else "Imported"):
        say(line)
    if dry_run:
        say("Dry run: nothing was written.")


def _jrnl_config_timeformat(runtime: Runtime, source: Path) -> str | None:
    """The timeformat the user's jrnl config gives `source` (jrnl 4.6's config places)."""
    home = Path(runtime.env["HOME"]) if runtime.env.get("HOME") else None
    base = runtime.env.get("XDG_CONFIG_HOME") or (str(home / ".config") if home else "")
    configs = [Path(base) / "jrnl" / "jrnl.yaml"] if base else []
    if home is not None:
        configs.append(home / ".jrnl_config")
    return jrnl_config.timeformat_for(source, configs, home)


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(exporters.FORMATS), default="json",
              show_default=True, help="json: one file in the exchange format; markdown: one "
              "file per day in a directory; jrnl: a plain jrnl journal; dayone: a Day One "
              "JSON export (.zip).")
@click.option("-o", "--output", type=click.Path(allow_dash=True),
              help="Write to this file (json, jrnl, dayone) or directory (markdown), "
                   "created readable only by you; - is standard output (json, jrnl). json "
                   "without -o goes to standard output.")
@click.option("--force", is_flag=True, help="Replace an existing output file.")
@click.option("--since", "--from", "since", type=DATE, help="Only entries on or after DATE.")
@click.option("--until", "--to", "until", type=DATE, help="Only entries on or before DATE.")
@click.option("--skip-damaged", is_flag=True,
              help="Export every entry that still authenticates and name the damaged ones "
                   "(exit status 5 if there are any), instead of refusing.")
@click.option("--timezone", "timezone", metavar="NAME",
              help="dayone: the IANA time zone your entries were written in, e.g. "
                   "Europe/London (default: this computer's zone).")
@passphrase_file_option
@pass_runtime
def export_cmd(runtime: Runtime, fmt: str, output: str | None, force: bool,
               since: date | None, until: date | None, skip_damaged: bool,
               timezone: str | None, passphrase_file: Path | None) -> None:
    """Export entries as plaintext JSON, Markdown, jrnl or Day One.

    The export is NOT encrypted: anyone who can read the file can read your journal, and
    it may hold details about the people you work with. Keep it somewhere safe and delete
    it when done. Entries come out sorted by date, so exporting twice gives the same bytes.

    \b
    Examples:
      journal export -o ~/journal-backup.json
      journal export --since 2026-01-01 | jq '.entries | length'
      journal export --format markdown -o ~/journal-md
      journal export --format jrnl -o ~/journal.txt
      journal export --format jrnl -o - | less
      journal export --format dayone -o ~/dayone-export.zip
      journal export --format dayone --timezone Europe/London -o ~/dayone-export.zip
    """
    if timezone is not None and fmt != "dayone":
        raise click.UsageError("--timezone is for --format dayone (the other formats "
                               "write local times as they are)")
    if fmt != "json" and output is None:
        raise click.UsageError(f"--format {fmt} needs -o "
                               f"{'FILE' if fmt in exporters.FILE_FORMATS else 'DIRECTORY'}"
                               + (" (or -o - for standard output)"
                                  if fmt in exporters.STREAM_FORMATS else ""))
    target = _output(fmt, output, force)
    if since and until and since > until:
        raise ValidationError(f"--since {since} is after --until {until}")
    zone = None
    if fmt == "dayone":  # checked before the passphrase is asked for
        from journal.core.exchange.exporters import dayone

        zone = dayone.named_zone(timezone) if timezone is not None else runtime.clock.zone()
        dayone.zone_name(zone, runtime.clock.now())
    vault = runtime.open_vault(passphrase_file)
    damaged: list[str] = []
    try:
        if skip_damaged:
            everything, damaged = vault.salvage()
        else:
            everything = vault.entries()
        entries = [e for e in everything
                   if (since is None or e.date >= since) and (until is None or e.date <= until)]
    finally:
        vault.close()
    try:
        _export(fmt, entries, target, force, zone)
    finally:
        for name in damaged:
            say(f"journal: warning: entry {name} is damaged and was not exported",
                err=True)
    if damaged:
        lost = plural(len(damaged), "damaged entry was", "damaged entries were")
        raise VaultDamaged(f"{lost} not exported (named above); the other "
                           f"{plural(len(entries), 'entry', 'entries')} were", damaged)


def _output(fmt: str, output: str | None, force: bool) -> Path | None:
    """Where the export goes, checked before the passphrase is asked: a path, or None for
    standard output (json without -o, or -o - for a format that is one stream)."""
    if output is None or output == "-":
        if fmt not in exporters.STREAM_FORMATS:
            what = "a folder" if fmt not in exporters.FILE_FORMATS else "a zip file"
            raise ValidationError(f"--format {fmt} writes {what}, not one stream: it cannot "
                                  "go to standard output (-o -); name a "
                                  f"{'file' if fmt in exporters.FILE_FORMATS else 'folder'}")
        return None
    path = Path(output)  # "./-" is a file named "-"
    if fmt in exporters.FILE_FORMATS:
        if path.is_dir():
            raise ValidationError(f"{path} is a directory; name a file")
        if path.exists() and not force:
            raise ValidationError(f"{path} already exists; choose another name or use --force")
    return path


def _export(fmt: str, entries: list, output: Path | None, force: bool,
            zone: tzinfo | None = None) -> None:
    if output is None:
        text = exporters.render(fmt, entries)
        if fmt == "json":
            say_json(text)
        else:  # controls shown escaped, as in all the command line writes (JSON keeps them)
            say(text, nl=False)
        if not sys.stdout.isatty():
            say("journal: warning: this is your journal in plaintext; a file you "
                "redirect it to is readable by whatever your umask allows (prefer -o "
                "FILE, created 0600)", err=True)
        return
    if fmt == "json":
        from journal.core.exchange.exporters import json_v1

        written = json_v1.write(entries, output, replace=force)
    elif zone is not None:
        from journal.core.exchange.exporters import dayone

        written = dayone.write(entries, output, replace=force, zone=zone)
    else:
        written = exporters.write(fmt, entries, output, replace=force)
    say(f"Exported {plural(len(entries), 'entry', 'entries')} to {output}"
        + (f" ({plural(len(written), 'file')})" if fmt == "markdown" else "") + ".")
    say(f"journal: warning: {output} now holds your journal in PLAINTEXT (readable "
        "only by you). Delete it when you no longer need it; it is not protected by "
        "your passphrase.", err=True)
