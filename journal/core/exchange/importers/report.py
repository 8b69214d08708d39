"""What an import tells its user, in the same words from the CLI (`journal import`) and
the app's Import dialog: the source read and checked, then what was (or would be) added,
merged and left, with the conflicts. Plain text: each caller escapes it for its output."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from journal.core.exchange.importers.plan import ImportPlan
from journal.core.exchange.importers.source import Survey
from journal.core.wording import plural


def span(days: Sequence[date] | None) -> str:
    """' (first to last)', ' (day)' for one day, '' for none."""
    if not days:
        return ""
    first, last = min(days), max(days)
    return f" ({first.isoformat()})" if first == last else \
        f" ({first.isoformat()} to {last.isoformat()})"


def read_line(survey: Survey, fmt: str, path: Path) -> str:
    """The source, validated whole: how many entries, of which days."""
    return (f"Read {plural(len(survey), 'entry', 'entries', grouped=True)} ({fmt}) from {path}"
            f"{span(survey.days)}; all valid.")


def summary(result: ImportPlan, verb: str, most: int = 20) -> list[str]:
    """The outcome line (`verb`: "Imported", "Would import", "Will import"), then at most
    `most` conflicts, indented, and how many more there are."""
    new = plural(result.new_count, "new entry", "new entries", grouped=True)
    merged = plural(len(result.merged), "existing day", grouped=True)
    lines = [f"{verb} {new}, merged into {merged}, {result.unchanged:,} already "
             f"present{span(result.date_range)}."]
    shown = result.conflicts[:most]
    lines += [f"  {line}" for line in shown]
    if len(result.conflicts) > len(shown):
        lines.append(f"  ... and {len(result.conflicts) - len(shown):,} more")
    return lines
