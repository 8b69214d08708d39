"""The one parser for a day as a person types it, used wherever a date is taken (the CLI's
DATE arguments and options, `since:`/`until:` in a search, the app's "Go to date").

A small parser for a documented set of phrases rather than a general library: the
well-kept one (dateparser) brings hundreds of locale files and regex tables and takes
longer to import than `journal add` takes to run, to understand phrases a journal never
needs ("in two hours", other languages); python-dateutil (already a dependency) reads
absolute dates only, and its fuzzy mode guesses where a typo should be refused. The set
(docs/cli.md, "Dates"):

    2026-11-20                ISO date
    today, yesterday          (also t, y)
    3 days ago, 2 weeks ago   (also "a week ago"; "-3" or "3": 3 days ago)
    friday, fri               the most recent Friday, today included
    last friday               the most recent Friday before today
    nov 20, 20 november       that day this year (last year if it is still to come)
    nov 20 2025               that day that year

Case does not matter; hyphens may stand for spaces (`since:last-friday` in a search).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from journal.core.errors import ValidationError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
HINT = "use YYYY-MM-DD, today, yesterday, '3 days ago', 'last friday' or 'nov 20'"
_AGO = re.compile(r"(\d{1,4}|an?|one) (day|week)s? ago")
_DAYS = re.compile(r"-?\d{1,3}")


def _named(word: str, names: tuple[str, ...]) -> int | None:
    """Index of a full name or its 3-letter (or longer) start, else None."""
    if len(word) < 3:
        return None
    found = [i for i, name in enumerate(names) if name.startswith(word)]
    return found[0] if len(found) == 1 else None


def parse_date(text: str, today: date) -> date:
    """`text` as a day, counted from `today`; ValidationError with the accepted forms."""
    phrase = " ".join(text.strip().lower().replace("-", " ").split()) if not re.fullmatch(
        r"\s*(\d{4}-\d{2}-\d{2}|-\d+)\s*", text) else text.strip()
    found = _parse(phrase, today)
    if found is None:
        shown = text.strip()[:30]
        raise ValidationError(f"'{shown}' is not a date: {HINT}")
    return found


def _parse(phrase: str, today: date) -> date | None:
    if phrase in ("today", "t", "now", "tonight"):
        return today
    if phrase in ("yesterday", "y"):
        return today - timedelta(days=1)
    if _DAYS.fullmatch(phrase):
        return today - timedelta(days=abs(int(phrase)))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", phrase):
        try:
            return date.fromisoformat(phrase)
        except ValueError:
            return None
    if match := _AGO.fullmatch(phrase):
        count = int(match[1]) if match[1].isdigit() else 1
        return today - timedelta(days=count * (7 if match[2] == "week" else 1))
    words = phrase.split()
    last = bool(words) and words[0] == "last"
    if last:
        words = words[1:]
    if len(words) == 1 and (weekday := _named(words[0], WEEKDAYS)) is not None:
        back = (today.weekday() - weekday) % 7
        return today - timedelta(days=back or (7 if last else 0))
    if last:
        return None
    return _month_day(words, today)


def _month_day(words: list[str], today: date) -> date | None:
    """'nov 20', '20 nov', 'november 20 2025', '20 nov 2025'."""
    if len(words) not in (2, 3):
        return None
    first, second = words[0], words[1]
    month_word, day_word = (first, second) if not first.isdigit() else (second, first)
    month = _named(month_word, MONTHS)
    if month is None or not day_word.isdigit():
        return None
    year_given = len(words) == 3
    if year_given and not re.fullmatch(r"\d{4}", words[2]):
        return None
    year = int(words[2]) if year_given else today.year
    try:
        day = date(year, month + 1, int(day_word))
        if not year_given and day > today:
            day = date(year - 1, month + 1, int(day_word))
    except ValueError:
        return None
    return day
