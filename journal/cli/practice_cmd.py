"""`journal practice`: the short practice toward concern as plain prompts in the terminal
(the same SCRIPT the app walks, journal.core.care.practice_script), kept with a moment."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from journal.cli.common import DATE, pass_runtime, passphrase_file_option, practice_line
from journal.cli.output import ask, say
from journal.cli.runtime import Runtime
from journal.core.care.practice_script import DONE, INTRO, SCRIPT, TITLE, PracticeRun, Step
from journal.core.errors import JournalError, ValidationError
from journal.core.model.entries import Entry, Moment

_HOW = "Enter goes on, s skips this step, q stops here."
_RATE = "0-10, or Enter to leave it unrated, s skips, q stops"


class _Stop(Exception):
    """The person chose to stop: what was taken so far is kept."""


@click.command("practice")
@click.option("--date", "day", type=DATE, help="The day whose moment the practice follows "
              "(YYYY-MM-DD, today, yesterday). Default: today.")
@click.option("--moment", "number", type=click.IntRange(min=1), metavar="N",
              help="Keep the practice with the day's N-th moment (as `journal show` lists "
                   "them). Default: the latest contagion moment without a practice.")
@passphrase_file_option
@pass_runtime
def practice_command(runtime: Runtime, day: date | None, number: int | None,
                     passphrase_file: Path | None) -> None:
    """A short practice toward concern, as plain prompts; every step can be skipped.

    Land (rate how activated you are, 0-10), theirs and mine, warmth toward yourself,
    widening, one next step within your role, close (rate again). What you take is kept,
    encrypted, with one of the day's moments: the steps, and the two ratings. Nothing you
    think or type during the steps is written down.

    \b
    Examples:
      journal practice
      journal practice --date yesterday --moment 2
    """
    if not runtime.is_interactive:
        raise JournalError("the practice asks questions: run it in a terminal")
    day = day or runtime.clock.today()
    vault = runtime.open_vault(passphrase_file, verify=False)
    try:
        entry = vault.get_by_date(day)
        index = _moment_index(entry, number, day)
        run = walk(SCRIPT)
        record = run.result()
        if record is None:
            say("Nothing taken, nothing kept. Carry on as you were.")
            return
        if index is None:
            say(f"Not kept: {day.isoformat()} has no moment to keep it with. "
                f"({practice_line(record)})")
            return
        assert entry is not None
        entry.moments[index].practice = record
        vault.put(entry)
    finally:
        vault.close()
    say(DONE)
    say(f"Moment {index + 1} of {day.isoformat()}: {practice_line(record)}.")


def _moment_index(entry: Entry | None, number: int | None, day: date) -> int | None:
    moments: list[Moment] = entry.moments if entry is not None else []
    if number is not None:
        if number > len(moments):
            raise ValidationError(f"{day.isoformat()} has {len(moments)} moment"
                                  f"{'' if len(moments) == 1 else 's'}, not {number}",
                                  field="moment")
        return number - 1
    for i in range(len(moments) - 1, -1, -1):
        if moments[i].kind == "contagion" and moments[i].practice is None:
            return i
    return None


def walk(script: tuple[Step, ...]) -> PracticeRun:
    """Each step's words, then Enter / s / q, or a 0-10 rating."""
    run = PracticeRun()
    say(f"{TITLE}\n{INTRO}\n{_HOW}")
    try:
        for step in script:
            say(f"\n== {step.title} ==")
            for line in step.lines:
                say(line)
            if step.rating:
                rating = _ask_rating(step.rating)
                if rating is not None:
                    run.take(step, None if rating == -1 else rating)
            elif _ask_go_on():
                run.take(step)
    except _Stop:
        say("Stopped here; what you took is kept.")
    return run


def _answer(prompt: str) -> str:
    try:
        return ask(prompt).strip()
    except click.Abort:  # end of input: stop, keeping what was taken
        raise _Stop from None


def _ask_go_on() -> bool:
    """True when taken, False when skipped; _Stop on q."""
    answer = _answer(">").lower()
    if answer == "q":
        raise _Stop
    return answer != "s"


def _ask_rating(question: str) -> int | None:
    """A rating 0-10; -1 when taken without a rating; None when skipped; _Stop on q."""
    while True:
        answer = _answer(f"{question} ({_RATE}):").lower()
        if answer == "q":
            raise _Stop
        if answer == "s":
            return None
        if answer == "":
            return -1
        if answer.isdigit() and 0 <= int(answer) <= 10:
            return int(answer)
        say("A whole number from 0 to 10, please (or Enter, s, q).")
