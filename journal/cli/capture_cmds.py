"""`journal captures`: review what quick capture brought in, and discard one."""

from __future__ import annotations

from pathlib import Path

import click

from journal.cli.common import pass_runtime, passphrase_file_option, plural
from journal.cli.output import say
from journal.cli.runtime import Runtime, provenance_line


@click.command("captures")
@click.option("--keep", "keep", type=click.IntRange(min=1), metavar="N",
              help="Capture N is yours: mark it reviewed (show no longer marks it).")
@click.option("--discard", "discard", type=click.IntRange(min=1), metavar="N",
              help="Take the text and moments of capture N out of its day again.")
@passphrase_file_option
@pass_runtime
def captures_cmd(runtime: Runtime, keep: int | None, discard: int | None,
                 passphrase_file: Path | None) -> None:
    """Review the quick captures merged into your entries: keep or discard one.

    A quick capture ('journal add --sealed') needs no passphrase, so anyone who can write
    the vault folder can send one. Each line says when it arrived, the day it went into
    and its first words; --keep N marks it reviewed (yours: 'journal show' and the app no
    longer mark it), --discard N takes its text and moments out of that day again.

    \b
    Examples:
      journal captures
      journal captures --keep 2
      journal captures --discard 3
    """
    if keep is not None and discard is not None:
        raise click.UsageError("--keep and --discard: one at a time")
    vault = runtime.open_vault(passphrase_file)
    try:
        if keep is not None:
            arrival = vault.keep_capture(keep)
            say(f"Kept quick capture {keep} in {arrival.day.isoformat()} as reviewed.")
            return
        if discard is not None:
            arrival = vault.discard_capture(discard)
            say(f"Discarded quick capture {discard} from {arrival.day.isoformat()}.")
            return
        arrivals = vault.arrivals()
    finally:
        vault.close()
    if not arrivals:
        say("No quick captures were merged into this vault.", err=True)
        return
    for number, arrival in enumerate(arrivals, 1):
        state = ("  (discarded)" if arrival.discarded else
                 "  (reviewed)" if arrival.reviewed else "")
        say(f"{number:>3}  {arrival.day.isoformat()}  {provenance_line(arrival)}{state}")
    say(f"{plural(len(arrivals), 'quick capture')}; 'journal captures --keep N' marks one "
        "as yours, 'journal captures --discard N' takes one out of its day.", err=True)
