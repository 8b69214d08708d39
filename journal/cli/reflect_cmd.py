"""`journal reflect`: patterns in your own entries (docs/reflection.md)."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import click

from journal import settings as settings_mod
from journal.cli.common import DATE, pass_runtime, passphrase_file_option, plural
from journal.cli.output import say, say_json
from journal.cli.runtime import Runtime
from journal.core.care.support import SUPPORT_POINTER
from journal.core.errors import ValidationError
from journal.core.exchange import format_v1 as exchange
from journal.core.reflection import NOT_A_DIAGNOSIS, reflect_rows
from journal.core.store.bulk import paused_gc

EVIDENCE_SHOWN = 10
WIDTH = 88
MARK = "●"


@click.command("reflect")
@click.option("--since", "--from", "since", type=DATE,
              help="First day to include (YYYY-MM-DD). Default: your first entry.")
@click.option("--until", "--to", "until", type=DATE,
              help="Last day to include (YYYY-MM-DD). Default: today.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the findings as JSON (the shape is in docs/reflection.md).")
@passphrase_file_option
@pass_runtime
def reflect_command(runtime: Runtime, since: date | None, until: date | None, as_json: bool,
                    passphrase_file: Path | None) -> None:
    """Patterns in your own entries: the contagion/concern balance, work following you
    home, recurring tags, sleep after heavy days, what seems to help, and stretches
    without recovery. Counts and dates from your notes, never a diagnosis.

    \b
    Example:
      journal reflect --since 2026-09-01
      journal reflect --json > reflection.json
    """
    if since and until and since > until:
        raise ValidationError(f"--since {since} is after --until {until}")
    today = runtime.clock.today()
    if since and not until and since > today:
        raise ValidationError(f"--since {since} is after today, {today}")
    work_end = settings_mod.load(runtime.paths.settings_file).work_end
    vault = runtime.open_vault(passphrase_file)
    try:
        index = vault.index()  # reflection needs no bodies: no full decrypts
    finally:
        vault.close()
    with paused_gc():
        result = reflect_rows(index.day_rows(), since=since, until=until, work_end=work_end,
                              today=today, practices=index.practice_rows())
    if as_json:
        say_json(exchange.to_text(result))
    else:
        say(render_text(result))


def render_text(result: dict[str, Any]) -> str:
    """The readable report: which findings stand out, then each finding's title, summary,
    chance sentence and evidence dates, and last the not-a-diagnosis line and where support
    is."""
    rng = result["range"]
    findings = result["findings"]
    marked = [f["title"] for f in findings if f["notable"]]
    lines = [f"Reflection {rng['from']} to {rng['to']}: "
             f"{plural(result['entries'], 'entry', 'entries')}, "
             f"{plural(result['moments'], 'moment')}"]
    lines += textwrap.wrap(
        (f"{MARK} stands out beyond chance: {', '.join(marked)}. Nothing else does."
         if marked else "Nothing in this range stands out beyond chance."), WIDTH)
    for item in findings:
        mark = f"{MARK} " if item["notable"] else "  "
        lines += ["", f"{mark}{item['title']}"]
        lines += _wrapped(item["summary"])
        if item["status"] != "ok":
            lines += _wrapped(f"Not enough data yet: {item['missing']}")
        else:
            lines += _wrapped((f"Marked {MARK}. " if item["notable"] else "Not marked. ")
                              + item["chance"])
        dates = [e["date"] for e in item["evidence"]]
        if dates:
            shown = ", ".join(dates[-EVIDENCE_SHOWN:])
            more = len(dates) - EVIDENCE_SHOWN
            head = (f"Evidence ({len(dates)} days, latest {EVIDENCE_SHOWN}; --json lists "
                    f"all): " if more > 0 else "Evidence: ")
            lines += textwrap.wrap(head + shown, WIDTH, initial_indent="  ",
                                   subsequent_indent="    ")
    lines += ["", *textwrap.wrap(result.get("not_a_diagnosis", NOT_A_DIAGNOSIS), WIDTH),
              *textwrap.wrap(result.get("support", {}).get("pointer", SUPPORT_POINTER), WIDTH)]
    return "\n".join(lines)


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="  ")
